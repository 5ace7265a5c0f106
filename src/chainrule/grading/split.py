"""Split a submission into the assignment's questions, keeping line ranges of its rendition.

Question finding is an alignment of the document to the assignment's question tree, in three steps:

1. :mod:`.anchors` finds the lines that could open an answer (headings, labelled paragraphs and items, LaTeX
   sectioning and ``\\item``), skipping math, code and page headers;
2. :mod:`.align` reads each anchor against the tree (by number, by the student's own numbering, by position, by
   title) with what the text after it says (:mod:`.question_content`), and picks the best chain of readings whose
   questions only move forward;
3. here, the chain becomes :class:`Section` s — the lines between two chosen anchors answer the first one's
   question — and the questions whose placement rests on weak evidence are listed in
   :attr:`SplitResult.uncertain` with the reason, for a person to confirm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from chainrule.documents import Document, document_from_text
from chainrule.grading.align import WEAK, Aligner, Placement
from chainrule.grading.anchors import find_anchors
from chainrule.grading.question_content import ContentModel, terms
from chainrule.grading.question_tree import QuestionLike, QuestionTree, SectionLike, id_components

__all__ = ["Section", "SplitResult", "id_components", "split_document", "split_submission"]

MAX_LINES = 20_000
# Content alone places a whole unlabelled document under a question when it points there this clearly.
CONTENT_ONLY = 0.5


@dataclass(frozen=True)
class Section:
    """The lines of a submission that answer one question (1-based, inclusive)."""

    question_id: str
    ranges: tuple[tuple[int, int], ...]
    headings: tuple[int, ...]  # lines of the anchors that opened this section
    how: str  # how the opening label was read: absolute, relative, mapped, ordinal, title, content, whole, ...

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
    """The submission cut into sections, one per question answered, in the assignment's order.

    ``uncertain`` maps a question to the reason its placement is not sure (found by position or content only,
    or its content fits another question better): a person should confirm it before it is marked.
    """

    lines: list[str]
    sections: dict[str, Section] = field(default_factory=dict)
    preamble: tuple[int, int] | None = None
    uncertain: dict[str, str] = field(default_factory=dict)

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


def split_submission(text: str, questions: Sequence[QuestionLike],
                     sections: Sequence[SectionLike] = ()) -> SplitResult:
    """Cut Markdown/plain ``text`` into the sections that answer ``questions`` (see :func:`split_document`)."""
    return split_document(document_from_text(text), questions, sections)


def split_document(document: Document, questions: Sequence[QuestionLike],
                   sections: Sequence[SectionLike] = ()) -> SplitResult:
    """Cut a document's rendition into the sections that answer ``questions`` (spec questions, or anything with
    an ``id``; ``sections`` are the assignment's titled groups of questions).

    A question the submission never reaches has no section. A one-question assignment takes the whole text when
    no heading names it; a longer one gives an unlabelled text to the question its content clearly points to,
    marked uncertain.
    """
    lines = document.lines[:MAX_LINES]
    result = SplitResult(lines=lines)
    if not questions or not any(line.strip() for line in lines):
        return result
    tree = QuestionTree(questions, sections)
    content = ContentModel(questions)
    aligner = Aligner(tree, content, lines)
    anchors = [anchor for anchor in find_anchors(document) if anchor.line <= len(lines)]
    chain = aligner.best_chain(anchors)
    if not chain:
        _by_content_only(result, questions, content, lines)
        return result
    _sections_from_chain(result, chain, anchors, aligner)
    return result


def _by_content_only(result: SplitResult, questions: Sequence[QuestionLike], content: ContentModel,
                     lines: list[str]) -> None:
    whole = ((1, max(k for k, line in enumerate(lines, start=1) if line.strip())),)
    if len(questions) == 1:
        result.sections[questions[0].id] = Section(questions[0].id, whole, (), "whole")
        return
    affinity = content.affinity(terms("\n".join(lines)))
    if not affinity:
        return
    best = max(affinity, key=affinity.__getitem__)
    if affinity[best] >= CONTENT_ONLY:
        result.sections[best] = Section(best, whole, (), "content")
        result.uncertain[best] = ("no heading or label names a question; the whole text was placed here because "
                                  "what it says fits this question best")


def _sections_from_chain(result: SplitResult, chain: list[Placement], anchors: list, aligner: Aligner) -> None:
    tree = aligner.tree
    total = max((k for k, line in enumerate(result.lines, start=1) if line.strip()), default=len(result.lines))
    chosen = {id(placement.anchor) for placement in chain}
    ranges: dict[str, list[tuple[int, int]]] = {}
    openings: dict[str, list[int]] = {}
    how: dict[str, str] = {}
    group = chain[0]
    for index, placement in enumerate(chain):
        anchor, reading = placement.anchor, placement.reading
        if reading.node not in tree.leaf_at or anchor.top_level:
            group = placement
        following = chain[index + 1] if index + 1 < len(chain) else None
        end = total
        if following is not None and following.anchor.line > anchor.line:
            end = following.anchor.line - 1
        elif following is not None:
            continue  # an alternative reading of the same line
        start = anchor.line
        if reading.node not in tree.leaf_at and following is not None and not anchor.has_text:
            successor = following.reading.node
            if tree.leaf_of(successor) != tree.leaf_of(reading.node):
                continue  # "## 1.3" then "(b)": the group's own lines answer no single question
        for later in anchors:
            if start < later.line <= end and id(later) not in chosen and aligner.closes(later, placement, group):
                end = later.line - 1  # "2 Implementation": the answers stop here
                break
        question_ids = [tree.leaf_of(reading.node), *(tree.leaf_of(node) for node in reading.also)]
        for question_id in question_ids:
            spans = ranges.setdefault(question_id, [])
            if spans and spans[-1][1] + 1 >= start:
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            else:
                spans.append((start, end))
            openings.setdefault(question_id, []).append(anchor.line)
            if question_id not in how:
                how[question_id] = reading.how
                reason = _weak_evidence(placement, question_id, aligner)
                if reason:
                    result.uncertain[question_id] = reason
    for question_id in tree.leaves:
        if question_id in ranges:
            result.sections[question_id] = Section(
                question_id, tuple(ranges[question_id]), tuple(openings[question_id]), how[question_id]
            )
    if chain[0].anchor.line > 1:
        result.preamble = (1, chain[0].anchor.line - 1)


def _weak_evidence(placement: Placement, question_id: str, aligner: Aligner) -> str | None:
    """Why this placement is not sure, or None when numbering or content clearly supports it."""
    reading, anchor = placement.reading, placement.anchor
    label = anchor.label or anchor.title or f"line {anchor.line}"
    if reading.how in WEAK and reading.content < 0.1 and aligner.tree.is_leaf(reading.node):
        return (f"the answer was placed by its {_HOW[reading.how]} ({label!r} on line {anchor.line}); what it "
                "says does not confirm it")
    return None


_HOW = {"ordinal": "position", "implied": "position (a level left out)", "next-section": "position (letters restart "
        "in a new section)", "title": "title", "item": "position among the list items", "top-ordinal":
        "position among the sections"}
