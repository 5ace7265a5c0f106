"""Grades as Gradescope autograder ``results.json``: one test per question.

Gradescope reads ``{"score", "tests": [{"name", "score", "max_score", "output", "status"}]}``; ``status`` is
``passed`` or ``failed``. A question sent to review keeps the marks the grader could give (usually none) and
says in its output that a person must decide, so an instructor can adjust it in Gradescope.
"""

from __future__ import annotations

from typing import Any, ClassVar

from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult
from chainrule.reports.grade_base import VERDICT_SYMBOL, GradeRenderer, format_score, ordered
from chainrule.reports.jsonout import dumps
from chainrule.reports.words import formula_text, sentence


class GradescopeRenderer(GradeRenderer):
    format_name = "gradescope"
    settings: ClassVar[dict[str, Any]] = {"visibility": "after_published", "indent": 2}

    def _render_SubmissionResult(self, result: SubmissionResult) -> dict[str, Any]:
        return {
            "score": result.score,
            "visibility": self.options["visibility"],
            "output": f"{result.submission} graded against {result.assignment}: "
            f"{format_score(result.score)}/{format_score(result.max_score)}",
            "tests": [self.render(question) for question in result.questions],
        }

    def _render_QuestionResult(self, question: QuestionResult) -> dict[str, Any]:
        lines = [f"{question.verdict.value}: {sentence(question.summary)}".rstrip(": ")]
        lines.extend(self.render(finding) for finding in ordered(question.findings))
        return {
            "name": f"Question {question.id}",
            "number": question.id,
            "score": question.score,
            "max_score": question.max_score,
            "status": "passed" if question.verdict is QuestionVerdict.RIGHT else "failed",
            "output": "\n".join(lines),
        }

    def _render_Finding(self, finding: Finding) -> str:
        where = f"{finding.place}: " if finding.line is not None else ""
        text = f"{VERDICT_SYMBOL[finding.verdict]} {where}{formula_text(finding.written)} — {sentence(finding.reason)}"
        if finding.expected:
            text += f" (expected {formula_text(finding.expected)})"
        return text

    def dumps(self, result: SubmissionResult) -> str:
        return dumps(self.render(result), indent=self.options["indent"])


def to_gradescope(result: SubmissionResult, **options: Any) -> str:
    return GradescopeRenderer(**options).dumps(result)
