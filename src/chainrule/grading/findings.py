"""The result model of grading: findings about claims, verdicts per question, a report per submission.

A wrong claim is a value here, never an exception. Every finding says where (line), what was written,
what was expected when that is known, and why — so a person can check the grader in one look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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

    def to_json(self) -> dict[str, object]:
        """The finding as JSON; ``answers`` and ``latex`` only where set, so older readers see what they knew."""
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
        return data


@dataclass
class CheckResult:
    """What ``chainrule check`` learns from a document on its own, without a spec."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # located reader errors; the check went on past them

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


@dataclass
class SubmissionResult:
    """One submission graded against one assignment."""

    assignment: str
    submission: str
    questions: list[QuestionResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""  # the submission as read, so a report can show each finding beside its line

    @property
    def score(self) -> float:
        return sum(question.score for question in self.questions)

    @property
    def max_score(self) -> float:
        return sum(question.max_score for question in self.questions)
