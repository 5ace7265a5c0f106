"""Stage 4, decide: compare a submission's claims with the truth and return verdicts.

Public API (a notebook uses these directly; the CLI is a thin layer over them):

- :func:`check_document` ``(text, source) -> CheckResult`` — every claim of a document decided on its own,
  without a spec (``chainrule check``).
- :func:`grade_text` ``(assignment, text, source) -> SubmissionResult`` and :func:`grade_file` — one
  submission against an assignment: a verdict, marks and located findings per question.
- :func:`grade_many` ``(assignment, submissions, jobs=…, progress=…) -> list[SubmissionResult]`` — many
  submissions, each in its own bounded process; N in, N out, in order.
- :func:`split_submission` ``(text, questions, sections) -> SplitResult`` and :func:`split_document` (the same
  for a :class:`~chainrule.documents.Document`) — which lines answer which question.
- The result model: :class:`Verdict` (right/wrong/undecided per claim), :class:`Finding`,
  :class:`CheckResult`, :class:`QuestionVerdict`, :class:`QuestionResult`, :class:`SubmissionResult`; and
  :class:`GradeOptions`, :class:`Submission`, :class:`Section`, :class:`SplitResult`.

The functions are loaded on first use, so importing the result model does not load the computer algebra.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from chainrule.grading.findings import (
    CheckResult,
    Finding,
    QuestionResult,
    QuestionVerdict,
    SubmissionResult,
    Verdict,
)

if TYPE_CHECKING:
    from chainrule.grading.batch import Submission, grade_many
    from chainrule.grading.check import check_document
    from chainrule.grading.grade import GradeOptions, grade_file, grade_text
    from chainrule.grading.split import Section, SplitResult, split_document, split_submission

_LAZY = {
    "check_document": "chainrule.grading.check",
    "grade_text": "chainrule.grading.grade",
    "grade_file": "chainrule.grading.grade",
    "GradeOptions": "chainrule.grading.grade",
    "grade_many": "chainrule.grading.batch",
    "Submission": "chainrule.grading.batch",
    "split_submission": "chainrule.grading.split",
    "split_document": "chainrule.grading.split",
    "SplitResult": "chainrule.grading.split",
    "Section": "chainrule.grading.split",
}

__all__ = [
    "CheckResult",
    "Finding",
    "GradeOptions",
    "QuestionResult",
    "QuestionVerdict",
    "Section",
    "SplitResult",
    "Submission",
    "SubmissionResult",
    "Verdict",
    "check_document",
    "grade_file",
    "grade_many",
    "grade_text",
    "split_document",
    "split_submission",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
