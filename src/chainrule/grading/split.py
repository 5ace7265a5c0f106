"""Split a free-form submission into the assignment's questions, keeping line ranges.

Students number their answers their own way: ``1. (a)``, ``**(b)**``, ``### Solution c)``, ``- (d)``,
``1.2 (c)``, ``Problem 3``, ``$$(b) \\quad ...``, a table row ``| (a) | ... |``, a section ``2. (Classification
Task)`` that means the assignment's 1.3, or ``(a) (b) (c)`` for the parts the assignment numbers ``(1) (2) (3)``.
No single rule reads all of these, so the splitter proceeds in two steps:

1. every line that *could* open an answer yields a :class:`Marker` (its label components and how it is set:
   a Markdown heading weighs more than a list item);
2. each marker is interpreted against the assignment's id tree — absolutely (``1.2c``), relative to the
   question being answered (``(c)`` after ``1.2b``), by position (the 2nd letter → the 2nd numbered part), by a
   heading form the spec lists, or by a section title — and a dynamic programme picks the heaviest chain of
   interpretations whose question order only moves forward.

Content inside display math, code fences and list items that merely enumerate steps is outweighed by real
headings rather than forbidden, so a document that numbers its answers only with list items still splits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

MAX_LINES = 20_000
MAX_MARKERS = 600

# How much a label weighs by the way it is set. The scale is steep on purpose: one real heading must outweigh
# any number of enumerated steps that happen to look like labels.
_HEADING_WEIGHT = 100.0  # "## 1.3", "**(b)**", "\\textbf{(a)}"
_KEYWORD_BONUS = 10.0  # "Problem 3", "Solution a)"
_PARAGRAPH = 10.0  # "(c) For some m ...", "$$(b) \\quad ..."
_BULLET_ITEM = 5.0  # "- (d) ..."
_TABLE = 3.0  # "| (a) | ... |"
_ENUMERATED_LABEL = 2.0  # the "(b)" of "1. (b)"
_ENUMERATED = 1.0  # "1. Forward pass"
_ORDINAL_FACTOR = 0.6
_RELATIVE_BONUS = 0.001


class QuestionLike(Protocol):
    """What the splitter needs from a question: its id and, optionally, a title and heading forms."""

    id: str


@dataclass(frozen=True)
class Section:
    """The lines of a submission that answer one question (1-based, inclusive)."""

    question_id: str
    ranges: tuple[tuple[int, int], ...]
    headings: tuple[int, ...]  # lines of the markers that opened this section
    how: str  # how the heading was read: absolute, relative, ordinal, title, heading, whole

    @property
    def start(self) -> int:
        return self.ranges[0][0]

    @property
    def end(self) -> int:
        return self.ranges[-1][1]

    def lines(self) -> Iterable[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def contains(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.ranges)


@dataclass
class SplitResult:
    """The submission cut into sections, one per question answered, in the assignment's order."""

    lines: list[str]
    sections: dict[str, Section] = field(default_factory=dict)
    preamble: tuple[int, int] | None = None

    def question_of_line(self, line: int) -> str | None:
        for question_id, section in self.sections.items():
            if section.contains(line):
                return question_id
        return None

    def text(self, question_id: str) -> str:
        """The section's text with its original line breaks (empty when the question is not answered)."""
        section = self.sections.get(question_id)
        if section is None:
            return ""
        return "\n".join(self.lines[line - 1] for line in section.lines())

    def numbered(self, question_id: str) -> list[tuple[int, str]]:
        section = self.sections.get(question_id)
        if section is None:
            return []
        return [(line, self.lines[line - 1]) for line in section.lines()]


# --- the assignment's id tree ------------------------------------------------------------------------------

Path = tuple[str, ...]


def id_components(question_id: str) -> Path:
    """``"1a.1"`` → ``("1", "a", "1")``; ``"1.2c"`` → ``("1", "2", "c")``; ``"Problem 5(b)"`` → ``("5", "b")``."""
    text = question_id.lower()
    text = re.sub(r"\b(problem|question|exercise|solution|part|task|q)\b", " ", text)
    return tuple(re.findall(r"\d+|[a-z]+", text))


def _kind(component: str) -> str:
    return "number" if component.isdigit() else "letter"


def _roman(component: str) -> int | None:
    values = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
    return values.get(component)


class IdTree:
    """The assignment's question ids as a tree of label components, with leaves in assignment order."""

    def __init__(self, questions: Sequence[QuestionLike]) -> None:
        self.leaves: list[str] = [question.id for question in questions]
        self.path_of: dict[str, Path] = {question.id: id_components(question.id) for question in questions}
        self.children: dict[Path, list[str]] = {(): []}
        self.first_leaf: dict[Path, int] = {}
        self.leaf_at: dict[Path, str] = {}
        self.titles: dict[Path, set[str]] = {}
        self.heading_keys: dict[str, str] = {}
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
            words = _title_words(getattr(question, "title", None) or "")
            for depth in range(1, len(path) + 1):
                self.titles.setdefault(path[:depth], set()).update(words)
            for label in [question.id, *(getattr(question, "headings", None) or [])]:
                key = re.sub(r"[^0-9a-z]", "", label.lower())
                if key:
                    owners.setdefault(key, set()).add(question.id)
        # A heading form that several questions list ("(a)") names none of them.
        self.heading_keys = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def is_node(self, path: Path) -> bool:
        return path in self.first_leaf

    def key(self, path: Path) -> tuple[int, int]:
        """Order of a node among everything a submission may open: its first question, then its depth."""
        return (self.first_leaf[path], len(path))

    def branch_node(self) -> Path:
        """The first node from the root with more than one child (where a student's top-level numbers start)."""
        node: Path = ()
        while len(self.children.get(node, [])) == 1 and node not in self.leaf_at:
            node = (*node, self.children[node][0])
        return node

    def leaf_of(self, path: Path) -> str:
        return self.leaves[self.first_leaf[path]]


_STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "for", "to", "in", "on", "task", "question", "questions"})


def _title_words(text: str) -> set[str]:
    words = {word.rstrip("s") for word in re.findall(r"[a-z]{3,}", text.lower())}
    return {word for word in words if word not in _STOP_WORDS}


# --- markers: lines that could open an answer ---------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A label found at the start of a line, with the weight of the way it is set."""

    line: int
    components: Path
    weight: float
    label: str
    title: str = ""
    heading_like: bool = False  # a Markdown heading, bold, or keyword such as "Problem"
    has_text: bool = True  # the line goes on after its label (and title): it already answers something
    top_level: bool = False  # "Problem 3", "Question 3", "Q3": the number names a whole question, not a part


_TOP_LEVEL_KEYWORDS = ("problem", "question", "exercise", "q")
_KEYWORD = r"(?:problem|question|exercise|solution|answer|ans|part|task|q)\.?"
_LABEL_TOKEN = re.compile(
    r"""
    \s*(?:
        \((?P<paren>[a-z]|[ivx]{1,4}|\d{1,2})\)      # (a) (iv) (1)
      | (?P<closed>[a-z]|\d{1,2}[a-z]?)\)            # a)  1)  1a)
      | (?P<dotted>\d{1,2}(?:\.\d{1,2})*[a-z]?(?:\.\d{1,2})?)(?=[.:)\s(*_]|$)\.?  # 1.  1.2  1.2c  1a.3
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TITLE = re.compile(r"\s*\(([A-Za-z][A-Za-z \-]{2,60})\)")
_LEAD = re.compile(r"^\s*(?:>\s*)*")
_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^[-*+]\s+")
_NUMBERED_ITEM = re.compile(r"^(\d{1,2})[.)]\s+(?=\S)")
_DECOR = re.compile(r"^(?:\*\*|__|\\textbf\{|\\textit\{|\*|_)")
_MATH_OPEN = re.compile(r"^(?:\$\$|\\\[)")


def _strip_decor(text: str) -> tuple[str, bool]:
    bold = False
    while True:
        match = _DECOR.match(text)
        if not match:
            return text, bold
        bold = True
        text = text[match.end() :].lstrip()


def _read_labels(text: str) -> tuple[Path, str, int]:
    """Label components at the start of ``text``, the raw label, and where the label ends."""
    components: list[str] = []
    position = 0
    raw: list[str] = []
    while len(components) < 4:
        rest, _ = _strip_decor(text[position:])
        skipped = len(text) - position - len(rest)
        match = _LABEL_TOKEN.match(rest)
        if not match:
            break
        if match.group("paren"):
            components.append(match.group("paren").lower())
        elif match.group("closed"):
            components.extend(re.findall(r"\d+|[a-z]+", match.group("closed").lower()))
        elif components:
            break  # "(a) 2 layers": a bare number after a label is text, not a sub-label
        else:
            components.extend(re.findall(r"\d+|[a-z]+", match.group("dotted").lower()))
        raw.append(match.group(0).strip())
        position += skipped + match.end()
        while position < len(text) and text[position] in "*_}:":
            position += 1
    return tuple(components), " ".join(raw), position


def _line_marker(number: int, line: str, in_math: bool) -> list[Marker]:
    """Markers a line may carry (none, one, or alternatives such as ``1. (b)`` read two ways)."""
    text = _LEAD.sub("", line)
    weight = _PARAGRAPH
    heading_like = False
    if in_math:
        return []
    if text.startswith("|"):
        if re.match(r"^\|[\s:|-]*$", text):
            return []
        text = text[1:].lstrip()
        weight = _TABLE
    heading = _HEADING.match(text)
    if heading:
        text = text[heading.end() :]
        weight, heading_like = _HEADING_WEIGHT, True
    bullet = _BULLET.match(text)
    if bullet and not heading:
        text = text[bullet.end() :]
        weight = _BULLET_ITEM
    math = _MATH_OPEN.match(text)
    if math:
        text = text[math.end() :].lstrip()
        weight = min(weight, _PARAGRAPH)
    text, bold = _strip_decor(text)
    if bold and not heading:
        weight, heading_like = _HEADING_WEIGHT, True
    keyword = re.match(_KEYWORD + r"(?=[\s\d(])\s*", text, re.IGNORECASE)
    if keyword:
        text = text[keyword.end() :]
        text, _ = _strip_decor(text)
        weight, heading_like = _HEADING_WEIGHT + _KEYWORD_BONUS, True
    markers: list[Marker] = []
    numbered = _NUMBERED_ITEM.match(text) if not keyword else None
    components, raw, end = _read_labels(text)
    if not components:
        return []
    rest = text[end:]
    title_match = _TITLE.match(rest)
    title = title_match.group(1).strip() if title_match else ""
    if not title and heading_like:
        title = re.sub(r"[*_$\\{}]", " ", rest).strip()[:60]
    if numbered and len(components) == 1 and not title and not heading_like:
        # "1. Forward pass": an enumerated step more often than an answer number.
        weight = _ENUMERATED
    after = (
        rest[title_match.end() :] if title_match else "" if heading_like else rest
    )  # a heading's words are its title
    has_text = bool(re.sub(r"[\s*_#:.|$\\]|quad", "", after))
    top_level = bool(keyword) and keyword.group(0).strip().rstrip(".").lower() in _TOP_LEVEL_KEYWORDS
    markers.append(
        Marker(number, components, weight, raw, title, heading_like or bool(title_match), has_text, top_level)
    )
    if numbered and len(components) > 1:
        # "1. (b)" inside an answer: the list number may only enumerate, the letter is the label.
        markers.append(Marker(number, components[1:], _ENUMERATED_LABEL, raw, title, False))
    return markers


def find_markers(lines: Sequence[str]) -> list[Marker]:
    """Every candidate heading, skipping code fences and the inside of display-math blocks."""
    markers: list[Marker] = []
    in_code = False
    in_dollars = False
    environments = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        markers.extend(_line_marker(number, line, in_dollars or environments > 0))
        if len(re.findall(r"(?<!\\)\$\$|\\\[|\\\]", stripped)) % 2 == 1:
            in_dollars = not in_dollars
        environments += len(_BEGIN_MATH.findall(stripped)) - len(_END_MATH.findall(stripped))
        environments = max(environments, 0)
        if len(markers) >= MAX_MARKERS:
            break
    return markers


_BEGIN_MATH = re.compile(r"\\begin\{(?:align|equation|gather|multline|eqnarray)\*?\}")
_END_MATH = re.compile(r"\\end\{(?:align|equation|gather|multline|eqnarray)\*?\}")


# --- interpretation and the chain of headings ---------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    node: Path
    weight: float
    how: str


def _readings(marker: Marker, context: Path, tree: IdTree) -> list[_Reading]:
    found: dict[Path, _Reading] = {}

    def offer(node: Path, factor: float, how: str) -> None:
        if not tree.is_node(node) or node == ():
            return
        weight = marker.weight * factor
        if node not in found or found[node].weight < weight:
            found[node] = _Reading(node, weight, how)

    components = marker.components
    # "Question 3" after "2.1" is question 3, not part 3 of question 2: its absolute reading outweighs them all.
    offer(components, 1.0 + _RELATIVE_BONUS * (len(context) + 1) if marker.top_level else 1.0, "absolute")
    for depth in range(len(context), 0, -1):
        offer((*context[:depth], *components), 1.0 + _RELATIVE_BONUS * depth, "relative")
    if len(components) == 1:
        label = components[0]
        ordinal = int(label) if label.isdigit() else (ord(label) - 96 if len(label) == 1 else _roman(label))
        # By position only among the current node's parts or its siblings: "(c)" after "(b)" read as the 2nd
        # of (1), (2), (3) is the 3rd; never jumping further up, where any letter could land anywhere.
        for depth in range(len(context), max(len(context) - 2, -1), -1):
            node = context[:depth]
            if marker.weight <= _ENUMERATED:
                break
            children = tree.children.get(node, [])
            if not children or ordinal is None or not 1 <= ordinal <= len(children):
                continue
            if _kind(children[0]) != _kind(label):
                offer((*node, children[ordinal - 1]), _ORDINAL_FACTOR, "ordinal")
        if label.isdigit() and ordinal is not None and (marker.heading_like or marker.title):
            branch = tree.branch_node()
            children = tree.children.get(branch, [])
            if branch and 1 <= ordinal <= len(children):
                offer((*branch, children[ordinal - 1]), 0.9, "ordinal")
    if marker.title:
        words = _title_words(marker.title)
        if words:
            for node, title_words in tree.titles.items():
                if len(words & title_words) * 2 >= len(words):
                    offer(node, 1.0, "title")
    key = re.sub(r"[^0-9a-z]", "", marker.label.lower())
    if key in tree.heading_keys:
        offer(tree.path_of[tree.heading_keys[key]], 1.0, "heading")  # ties go to the structural readings
    return list(found.values())


@dataclass(frozen=True)
class _Chain:
    score: float
    marker: Marker | None
    reading: _Reading | None
    previous: _Chain | None


def _best_chain(markers: Sequence[Marker], tree: IdTree) -> list[tuple[Marker, _Reading]]:
    best: dict[Path, _Chain] = {(): _Chain(0.0, None, None, None)}
    by_line: dict[int, list[Marker]] = {}
    for marker in markers:
        by_line.setdefault(marker.line, []).append(marker)
    for line_markers in by_line.values():
        # Alternatives on one line ("1. (b)" read two ways) extend chains from before the line, never each other.
        updates: dict[Path, _Chain] = {}
        for context, chain, marker in [(c, ch, m) for c, ch in best.items() for m in line_markers]:
            context_key = tree.key(context) if context else (-1, 0)
            for reading in _readings(marker, context, tree):
                if tree.key(reading.node) <= context_key:
                    continue
                score = chain.score + reading.weight
                current = updates.get(reading.node) or best.get(reading.node)
                if current is None or score > current.score + 1e-9:
                    updates[reading.node] = _Chain(score, marker, reading, chain)
        best.update(updates)
    top = max(best.values(), key=lambda chain: chain.score)
    picked: list[tuple[Marker, _Reading]] = []
    chain: _Chain | None = top
    while chain is not None and chain.marker is not None and chain.reading is not None:
        picked.append((chain.marker, chain.reading))
        chain = chain.previous
    return picked[::-1]


def split_submission(text: str, questions: Sequence[QuestionLike]) -> SplitResult:
    """Cut ``text`` into the sections that answer ``questions`` (spec questions, or anything with an ``id``).

    A question the submission never reaches has no section. A one-question assignment takes the whole text
    when no heading names it.
    """
    lines = text.splitlines()[:MAX_LINES]
    result = SplitResult(lines=lines)
    if not questions or not lines:
        return result
    tree = IdTree(questions)
    chain = _best_chain(find_markers(lines), tree)
    if not chain:
        if len(questions) == 1:
            result.sections[questions[0].id] = Section(questions[0].id, ((1, len(lines)),), (), "whole")
        return result
    ranges: dict[str, list[tuple[int, int]]] = {}
    openings: dict[str, list[int]] = {}
    how: dict[str, str] = {}
    starts = [marker.line for marker, _ in chain]
    for index, (marker, reading) in enumerate(chain):
        end = len(lines)
        for later in starts[index + 1 :]:
            if later > marker.line:
                end = later - 1
                break
        else:
            end = len(lines)
        if reading.node not in tree.leaf_at and index + 1 < len(chain):
            following = chain[index + 1][1].node
            if following[: len(reading.node)] == reading.node and not marker.has_text:
                continue  # "## 1.2" followed by "(a)": the group's own lines belong to no single question
        question_id = tree.leaf_of(reading.node)
        spans = ranges.setdefault(question_id, [])
        if spans and spans[-1][1] + 1 >= marker.line:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((marker.line, end))
        openings.setdefault(question_id, []).append(marker.line)
        how.setdefault(question_id, reading.how)
    for question in questions:
        if question.id in ranges:
            result.sections[question.id] = Section(
                question.id, tuple(ranges[question.id]), tuple(openings[question.id]), how[question.id]
            )
    if chain[0][0].line > 1:
        result.preamble = (1, chain[0][0].line - 1)
    return result
