"""What leaves a session for the course: the gradebook CSV and each student's feedback page.

Both show the marks *as they stand* (:mod:`.marks`): a person's override wins over the grader, comments go
to the student, and anything still awaiting a person says so instead of posing as a zero.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

from chainrule.classroom.marks import StudentMarks, class_marks
from chainrule.classroom.session import Session
from chainrule.grading.findings import SubmissionResult


def gradebook_csv(session: Session) -> str:
    """One row per student, one column per question, then automatic, reviewed, pending, total, max, status.

    A pending question's cell is empty (not 0) and the status says ``provisional``; a student on the roster
    with no submission is ``no submission``; one whose files could not be read is ``not graded``.
    """
    marks = class_marks(session)
    questions = [question.id for question in session.assignment().questions]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", "submission", *questions, "automatic", "reviewed", "pending", "total",
                     "max", "status"])
    for student in sorted(marks, key=lambda m: (m.student or m.key, m.key)):
        cells = []
        for question in questions:
            mark = student.questions.get(question)
            cells.append("" if mark is None or mark.score is None else f"{mark.score:g}")
        writer.writerow([_safe_cell(student.student or student.key), _safe_cell(student.name),
                         "" if student.status == "absent" else student.key, *cells, f"{student.automatic:g}",
                         f"{student.reviewed:g}", student.pending, f"{student.total:g}",
                         f"{student.max_score:g}", _status(student)])
    return buffer.getvalue()


def _status(student: StudentMarks) -> str:
    if student.status == "absent":
        return "no submission"
    if student.status != "graded":
        return "not graded"
    return "final" if student.final else f"provisional ({student.pending} pending)"


def _safe_cell(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: such text is quoted with '."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def reviewed_result(session: Session, key: str, marks: StudentMarks) -> SubmissionResult:
    """The grader's result with people's decisions applied: their marks, their comments, pending said so."""
    result = session.result(key)
    questions = []
    for question in result.questions:
        mark = marks.questions.get(question.id)
        if mark is None:
            questions.append(question)
            continue
        summary = question.summary
        if mark.source == "reviewed":
            summary = f"reviewed by the course staff: {mark.score:g}/{mark.max_score:g}" + (
                f" (the grader said {question.verdict.value}: {question.summary})" if question.summary else "")
        elif mark.source == "pending":
            summary = f"awaiting review by the course staff; {question.summary}"
        if mark.comment:
            summary += f" — comment: {mark.comment}"
        questions.append(replace(question, score=mark.score or 0.0, summary=summary))
    return replace(result, questions=questions)


def feedback_pages(session: Session) -> Iterator[tuple[str, str]]:
    """``(key, html)`` per graded submission: the student's own work with the findings and decisions."""
    from chainrule.reports.grade import render_grade

    for student in class_marks(session):
        if student.status == "graded":
            yield student.key, render_grade(reviewed_result(session, student.key, student), "html")
