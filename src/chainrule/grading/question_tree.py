"""The assignment's questions as a tree of label components, the frame every submission is aligned to.

Question ids are labels the assignment prints: ``1.2c`` is part (c) of section 1.2, ``1a.1`` is item (1) of part
(a) of question 1, ``5b`` is part (b) of problem 5. Splitting each id into components (``("1", "2", "c")``) gives
a tree whose leaves are the questions in assignment order; a student's ``(b)`` names a node relative to where the
answer has got to, a ``1.3`` names one absolutely, and a section title ("Classification Task") names one by title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

Path = tuple[str, ...]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_STOP_WORDS = frozenset(
    {"the", "a", "an", "of", "and", "for", "to", "in", "on", "with", "by", "is", "are", "its", "task", "question",
     "questions", "problem", "part", "answer", "solution", "using", "use", "one", "two", "this", "that", "what",
     "why", "how", "from", "into", "not", "does", "do", "it", "be", "as", "at", "or"}
)


class QuestionLike(Protocol):
    """What question finding needs from a question: its id (title, headings, prompt, keywords when present)."""

    id: str


class SectionLike(Protocol):
    """A titled group of questions: its label (``"1.2"``) and title (``"Regression Task"``)."""

    label: str
    title: str


def id_components(question_id: str) -> Path:
    """``"1a.1"`` → ``("1", "a", "1")``; ``"1.2c"`` → ``("1", "2", "c")``; ``"Problem 5(b)"`` → ``("5", "b")``."""
    text = question_id.lower()
    text = re.sub(r"\b(problem|question|exercise|solution|part|task|q)\b", " ", text)
    return tuple(re.findall(r"\d+|[a-z]+", text))


def kind(component: str) -> str:
    """``"number"`` or ``"letter"``: students swap the two (``(a) (b)`` for parts the assignment numbers 1, 2)."""
    return "number" if component.isdigit() else "letter"


def ordinal(component: str) -> int | None:
    """Position a label names: ``3`` → 3, ``c`` → 3, ``iv`` → 4 (roman numerals read as such), ``#2`` → 2."""
    if component.startswith("#"):
        return int(component[1:])
    if component.isdigit():
        return int(component)
    if len(component) == 1:
        return ord(component) - 96
    return _ROMAN.get(component)


def title_words(text: str) -> set[str]:
    """The words of a title that can tell sections apart (lowercase, plural s dropped, no filler words)."""
    words = {word.rstrip("s") if len(word) > 4 else word for word in re.findall(r"[a-z]{3,}", text.lower())}
    return {word for word in words if word not in _STOP_WORDS}


class QuestionTree:
    """Question ids as a tree of label components, leaves in assignment order, with titles per node."""

    def __init__(self, questions: Sequence[QuestionLike], sections: Sequence[SectionLike] = ()) -> None:
        self.leaves: list[str] = [question.id for question in questions]
        self.path_of: dict[str, Path] = {question.id: id_components(question.id) for question in questions}
        self.children: dict[Path, list[str]] = {(): []}
        self.first_leaf: dict[Path, int] = {}
        self.leaf_at: dict[Path, str] = {}
        self.titles: dict[Path, set[str]] = {}
        self.section_titles: dict[Path, set[str]] = {}
        self.group_titles: dict[Path, set[str]] = {}  # the words of the titles of a group's questions
        owners: dict[str, set[str]] = {}
        for index, question in enumerate(questions):
            path = self.path_of[question.id]
            self.leaf_at[path] = question.id
            for depth in range(len(path) + 1):
                node = path[:depth]
                self.first_leaf.setdefault(node, index)
                self.children.setdefault(node, [])
                if depth < len(path) and path[depth] not in self.children[node]:
                    self.children[node].append(path[depth])
            words = title_words(getattr(question, "title", None) or "")
            self.titles.setdefault(path, set()).update(words)
            for depth in range(1, len(path)):
                self.group_titles.setdefault(path[:depth], set()).update(words)
            for label in [question.id, *(getattr(question, "headings", None) or [])]:
                key = re.sub(r"[^0-9a-z]", "", label.lower())
                if key:
                    owners.setdefault(key, set()).add(question.id)
        for section in sections:
            node = id_components(section.label)
            if node in self.first_leaf:
                words = title_words(section.title)
                self.section_titles.setdefault(node, set()).update(words)
        # A heading form that several questions list ("(a)") names none of them.
        self.heading_keys: dict[str, str] = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def __contains__(self, path: object) -> bool:
        return path in self.first_leaf and path != ()

    def key(self, path: Path) -> tuple[int, int]:
        """Order of a node among everything a submission may open: its first question, then its depth."""
        return (self.first_leaf[path], len(path)) if path else (-1, 0)

    def is_leaf(self, path: Path) -> bool:
        return path in self.leaf_at

    def leaf_of(self, path: Path) -> str:
        """The question a node opens: itself, or its first question."""
        return self.leaves[self.first_leaf[path]]

    def leaves_under(self, path: Path) -> list[str]:
        return [leaf for leaf in self.leaves if self.path_of[leaf][: len(path)] == path]

    def branch_node(self) -> Path:
        """The first node from the root with more than one child: where a student's own top numbers start
        (NYU's ids all start with "1.", which students often leave out)."""
        node: Path = ()
        while len(self.children.get(node, [])) == 1 and node not in self.leaf_at:
            node = (*node, self.children[node][0])
        return node

    def child(self, node: Path, position: int) -> Path | None:
        """The ``position``-th child (1-based) of ``node``, if it has one."""
        children = self.children.get(node, [])
        return (*node, children[position - 1]) if 1 <= position <= len(children) else None

    def sibling(self, node: Path, step: int) -> Path | None:
        """The node ``step`` places after ``node`` among its parent's children."""
        if not node:
            return None
        siblings = self.children.get(node[:-1], [])
        index = siblings.index(node[-1]) + step if node[-1] in siblings else -1
        return (*node[:-1], siblings[index]) if 0 <= index < len(siblings) else None

    def title_match(self, words: set[str]) -> list[tuple[Path, float]]:
        """Nodes whose title shares at least half of ``words``, with the share; section titles first."""
        if not words:
            return []
        found: dict[Path, float] = {}
        top = len(self.branch_node())
        for table, factor in ((self.section_titles, 1.0), (self.titles, 0.8), (self.group_titles, 0.6)):
            for node, node_words in table.items():
                if len(node) <= top and node not in self.leaf_at:
                    continue  # a node holding every question: its title words say nothing
                share = len(words & node_words) / len(words)
                if share >= 0.5:
                    found[node] = max(found.get(node, 0.0), share * factor)
        return sorted(found.items(), key=lambda item: self.key(item[0]))
