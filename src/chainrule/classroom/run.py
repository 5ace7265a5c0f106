"""Grade a class: every submission through the batch grader, each outcome handed on the moment it is ready.

The caller's ``on_done`` writes the report, records the row in the session, prints the progress line — so a
run stopped at 99 of 100 keeps 99. Per-student variants come in through ``assignment_for``: each student is
graded against the truth of their own numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chainrule.assignments.spec import Assignment
from chainrule.classroom.inputs import ClassSubmission
from chainrule.grading.batch import DEFAULT_SUBMISSION_TIMEOUT, BatchItem, FileSubmission, Submission, grade_stream
from chainrule.grading.findings import QuestionVerdict, SubmissionResult
from chainrule.grading.grade import GradeOptions


@dataclass(frozen=True)
class ClassOutcome:
    """One student's graded submission; ``failure`` says why it was not graded (no score then)."""

    submission: ClassSubmission
    result: SubmissionResult
    failure: str | None = None
    unreadable: bool = False  # not graded because the submission could not be read (bad input)

    @property
    def graded(self) -> bool:
        return self.failure is None

    @property
    def pending(self) -> int:
        """Questions a person still has to grade."""
        return sum(question.verdict is QuestionVerdict.REVIEW for question in self.result.questions)


OnDone = Callable[[ClassOutcome, int, int], None]


def grade_class(
    assignment: Assignment,
    submissions: Sequence[ClassSubmission],
    *,
    jobs: int = 1,
    timeout: float = DEFAULT_SUBMISSION_TIMEOUT,
    options: GradeOptions | None = None,
    assignment_for: Callable[[ClassSubmission], Assignment] | None = None,
    on_done: OnDone | None = None,
) -> list[ClassOutcome]:
    """Grade ``submissions``; returns the outcomes in input order, calling ``on_done(outcome, done, total)``."""
    items: list[BatchItem] = []
    for item in submissions:
        own = assignment_for(item) if assignment_for else None
        if item.text is not None:
            items.append(Submission(item.source, item.text, own))
        else:
            items.append(FileSubmission(item.source, item.files, own))
    outcomes: list[ClassOutcome | None] = [None] * len(items)
    stream = grade_stream(assignment, items, jobs=jobs, options=options, timeout=timeout)
    for done, graded in enumerate(stream, start=1):
        outcome = ClassOutcome(submissions[graded.index], graded.result, graded.failure, graded.unreadable)
        outcomes[graded.index] = outcome
        if on_done is not None:
            on_done(outcome, done, len(items))
    return [outcome for outcome in outcomes if outcome is not None]
