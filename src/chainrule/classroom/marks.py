"""Marks as they stand: the grader's automatic marks, the marks people set, and what still awaits a person.

A total is only final when every question is settled. Until then the automatic and the reviewed marks are
shown apart, with the number of answers pending, so nobody mistakes a provisional total for a grade:

* a question the grader decided (right, wrong, partial, missing) is settled with its automatic marks, unless a
  person accepted or overrode it, which makes it *reviewed* (an accept keeps the marks the person saw);
* a question sent to review is *pending* until a person accepts or overrides it;
* a comment alone decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chainrule.classroom.session import Decision, Session
from chainrule.grading.findings import QuestionResult, QuestionVerdict


@dataclass(frozen=True)
class QuestionMark:
    question: str
    auto_verdict: str
    auto_score: float
    max_score: float
    score: float | None  # None while pending
    source: str  # "automatic", "reviewed" or "pending"
    comment: str = ""
    stale: bool = False  # decided on a grader verdict that has since changed


@dataclass
class StudentMarks:
    key: str
    student: str
    name: str
    status: str  # graded, failed, pending (not graded yet), absent
    failure: str | None = None
    questions: dict[str, QuestionMark] = field(default_factory=dict)

    @property
    def automatic(self) -> float:
        return sum(m.score or 0.0 for m in self.questions.values() if m.source == "automatic")

    @property
    def reviewed(self) -> float:
        return sum(m.score or 0.0 for m in self.questions.values() if m.source == "reviewed")

    @property
    def pending(self) -> int:
        return sum(m.source == "pending" for m in self.questions.values())

    @property
    def total(self) -> float:
        return self.automatic + self.reviewed

    @property
    def max_score(self) -> float:
        return sum(m.max_score for m in self.questions.values())

    @property
    def final(self) -> bool:
        return self.status == "graded" and self.pending == 0


def question_mark(question: QuestionResult, decision: Decision | None) -> QuestionMark:
    """One answer's standing mark from the grader's result and the person's decision, if any."""
    comment = decision.comment if decision else ""
    if decision is not None and decision.action in ("accept", "override"):
        stale = decision.auto_verdict != question.verdict.value or decision.auto_score != question.score
        return QuestionMark(question.id, question.verdict.value, question.score, question.max_score,
                            decision.score, "reviewed", comment, stale)
    if question.verdict is QuestionVerdict.REVIEW:
        return QuestionMark(question.id, question.verdict.value, question.score, question.max_score, None,
                            "pending", comment)
    return QuestionMark(question.id, question.verdict.value, question.score, question.max_score, question.score,
                        "automatic", comment)


def class_marks(session: Session) -> list[StudentMarks]:
    """Every submission's marks (and the roster's absent students), ordered by key."""
    decisions = session.decisions()
    marks: list[StudentMarks] = []
    for row in session.submission_rows():
        student = StudentMarks(row["key"], row["student"], row["name"], row["status"], row["failure"])
        if row["status"] == "graded":
            for question in session.result(row["key"]).questions:
                student.questions[question.id] = question_mark(question, decisions.get((row["key"], question.id)))
        marks.append(student)
    marks.extend(StudentMarks(s.id, s.id, s.name, "absent") for s in session.absent())
    return marks
