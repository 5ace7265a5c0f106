"""The result model of grading: findings about claims, verdicts per question, a report per submission.

A wrong claim is a value here, never an exception. Every finding says where (line), what was written,
what was expected when that is known, and why — so a person can check the grader in one look.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from chainrule.display import Displayable
from chainrule.documents.model import Document, Location


class Verdict(StrEnum):
    """Three-valued verdict on one claim. ``UNDECIDED`` always comes with the reason it could not be decided."""

    RIGHT = "right"
    WRONG = "wrong"
    UNDECIDED = "undecided"


class QuestionVerdict(StrEnum):
    """Verdict on a whole question: a person takes over at ``REVIEW``."""

    RIGHT = "right"
    WRONG = "wrong"
    PARTIAL = "partial"
    REVIEW = "review"
    MISSING = "missing"


@dataclass(frozen=True)
class Finding:
    """One decided (or undecidable) claim, located in the submission."""

    verdict: Verdict
    line: int | None
    written: str
    reason: str
    expected: str | None = None
    column: int | None = None
    kind: str = "claim"  # numeric, identity, derivative, limit, shape, spec, misconception, ocr, ...
    notes: tuple[str, ...] = ()  # extra hints, e.g. an OCR one-symbol change that would make it right
    answers: str | None = None  # the asked-for truth item this claim states (``∂loss/∂W1``, ``yhat``), if any
    latex: str | None = None  # ``written`` as LaTeX, where the claim was read from a formula (HTML shows it as math)
    # Where a person finds ``line`` (a line of the document's rendition) in the file handed in: page, cell, line.
    location: Location | None = None

    @property
    def place(self) -> str:
        """Where to look, in words: "line 41", "page 2, line 14", "cell 3, line 2"."""
        if self.location is not None:
            return self.location.short
        return f"line {self.line}" if self.line is not None else "somewhere"

    def to_json(self) -> dict[str, object]:
        """The finding as JSON; ``answers`` and ``latex`` only where set, so older readers see what they knew.

        ``line`` is the line of the rendition (for Markdown and text, the file's own line); ``location`` and
        ``where`` say where a person looks in the file as handed in."""
        data: dict[str, object] = {
            "verdict": self.verdict.value,
            "line": self.line,
            "written": self.written,
            "expected": self.expected,
            "reason": self.reason,
            "kind": self.kind,
            "notes": list(self.notes),
        }
        data.update({key: value for key, value in (("answers", self.answers), ("latex", self.latex)) if value})
        if self.location is not None:
            data["location"] = self.location.to_json()
            data["where"] = self.location.short
        return data


def locate_findings(findings: list[Finding], document: Document) -> list[Finding]:
    """Each finding with the place in the original file of its rendition line."""
    return [replace(f, location=document.locate(f.line)) if f.line is not None else f for f in findings]


@dataclass(repr=False)
class CheckResult(Displayable):
    """What ``chainrule check`` learns from a document on its own, without a spec."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # located reader errors; the check went on past them
    notes: list[str] = field(default_factory=list)  # located remarks from reading the file (a file not opened …)

    def locate(self, document: Document) -> CheckResult:
        """This result with every finding located in ``document``'s original file, and its reading notes."""
        return replace(self, findings=locate_findings(self.findings, document),
                       notes=[*self.notes, *document.notes])

    def __repr__(self) -> str:
        counts = ", ".join(f"{self.count(v)} {v.value}" for v in Verdict)
        return f"<CheckResult {self.source}: {counts}>"

    def count(self, verdict: Verdict) -> int:
        return sum(1 for finding in self.findings if finding.verdict is verdict)


@dataclass
class QuestionResult:
    id: str
    verdict: QuestionVerdict
    score: float
    max_score: float
    findings: list[Finding] = field(default_factory=list)
    summary: str = ""
    lines: tuple[tuple[int, int], ...] = ()  # where the submission answers it (1-based, inclusive ranges)


@dataclass(repr=False)
class SubmissionResult(Displayable):
    """One submission graded against one assignment."""

    assignment: str
    submission: str
    questions: list[QuestionResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""  # the submission as read, so a report can show each finding beside its line
    notes: list[str] = field(default_factory=list)  # located remarks from reading the file (a file not opened …)
    format: str = "markdown"  # what the file was: markdown, latex, notebook, python, pdf, ocr

    def locate(self, document: Document) -> SubmissionResult:
        """This result with every finding located in ``document``'s original file, and its reading notes."""
        questions = [replace(q, findings=locate_findings(q.findings, document)) for q in self.questions]
        return replace(self, questions=questions, notes=[*self.notes, *document.notes], format=document.format)

    def __repr__(self) -> str:
        return (f"<SubmissionResult {self.submission} ({self.assignment}): {self.score:g}/{self.max_score:g}, "
                f"{len(self.questions)} questions>")

    @property
    def score(self) -> float:
        return sum(question.score for question in self.questions)

    @property
    def max_score(self) -> float:
        return sum(question.max_score for question in self.questions)
