"""The end-of-run table of a class: one row per submission (and per roster student who handed nothing in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.classroom.marks import StudentMarks
from chainrule.classroom.roster import Student
from chainrule.classroom.run import ClassOutcome
from chainrule.grading.findings import QuestionVerdict


@dataclass(frozen=True)
class SummaryRow:
    key: str
    name: str
    score: str  # "7.5/10", "not graded", "no submission"
    counts: dict[str, int]  # verdict → number of questions
    note: str = ""


def summary_rows(outcomes: Sequence[ClassOutcome], absent: Sequence[Student] = ()) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for outcome in sorted(outcomes, key=lambda o: o.submission.key):
        if not outcome.graded:
            rows.append(SummaryRow(outcome.submission.key, outcome.submission.name, "not graded", {},
                                   outcome.failure or ""))
            continue
        counts = {verdict.value: 0 for verdict in QuestionVerdict}
        for question in outcome.result.questions:
            counts[question.verdict.value] += 1
        result = outcome.result
        pending = counts[QuestionVerdict.REVIEW.value]
        note = f"{pending} to review; total provisional" if pending else ""
        rows.append(SummaryRow(outcome.submission.key, outcome.submission.name,
                               f"{result.score:g}/{result.max_score:g}", counts, note))
    rows.extend(SummaryRow(s.id, s.name, "no submission", {}, "on the roster, nothing handed in") for s in absent)
    return rows


def totals_line(outcomes: Sequence[ClassOutcome], absent: Sequence[Student] = ()) -> str:
    graded = sum(outcome.graded for outcome in outcomes)
    pending = sum(outcome.pending for outcome in outcomes if outcome.graded)
    parts = [f"{len(outcomes)} submissions: {graded} graded"]
    if graded < len(outcomes):
        parts.append(f"{len(outcomes) - graded} not graded")
    if pending:
        parts.append(f"{pending} answers await a person")
    if absent:
        parts.append(f"{len(absent)} on the roster handed nothing in")
    return "; ".join(parts)


def session_rows(marks: Sequence[StudentMarks]) -> list[SummaryRow]:
    """The same table from a session: marks as they stand, reviewers' decisions included."""
    rows: list[SummaryRow] = []
    for student in marks:
        if student.status == "absent":
            rows.append(SummaryRow(student.key, student.name, "no submission", {}, "on the roster, nothing handed in"))
            continue
        if student.status != "graded":
            rows.append(SummaryRow(student.key, student.name, "not graded", {}, student.failure or student.status))
            continue
        counts = {verdict.value: 0 for verdict in QuestionVerdict}
        for mark in student.questions.values():
            counts[mark.auto_verdict] += 1
        note = (f"{student.automatic:g} automatic + {student.reviewed:g} reviewed; {student.pending} to review"
                if student.pending else ("final" if student.reviewed else ""))
        rows.append(SummaryRow(student.key, student.name, f"{student.total:g}/{student.max_score:g}", counts, note))
    return rows
