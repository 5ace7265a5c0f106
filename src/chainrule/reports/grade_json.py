"""Grades as JSON: the stable, documented shape other tools read (and the one that round-trips).

``{"assignment", "submission", "score", "max_score", "questions": [{"id", "verdict", "score", "max_score",
"findings": [{"verdict", "line", "written", "expected", "reason", ...}]}]}``
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from chainrule.errors import InputError
from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict
from chainrule.reports.grade_base import GradeRenderer
from chainrule.reports.jsonout import dumps


class JsonGradeRenderer(GradeRenderer):
    format_name = "json"
    settings: ClassVar[dict[str, Any]] = {"indent": 2, "include_text": False}

    def _render_SubmissionResult(self, result: SubmissionResult) -> dict[str, Any]:
        data: dict[str, Any] = {
            "assignment": result.assignment,
            "submission": result.submission,
            "score": result.score,
            "max_score": result.max_score,
            "questions": [self.render(question) for question in result.questions],
            "errors": list(result.errors),
        }
        if result.notes or result.format != "markdown":  # what reading the file said (an \\input not opened …)
            data.update(format=result.format, notes=list(result.notes))
        if self.options["include_text"]:
            data["text"] = result.text
        return data

    def _render_QuestionResult(self, question: QuestionResult) -> dict[str, Any]:
        return {
            "id": question.id,
            "verdict": question.verdict.value,
            "score": question.score,
            "max_score": question.max_score,
            "summary": question.summary,
            "lines": [list(span) for span in question.lines],
            "findings": [self.render(finding) for finding in question.findings],
        }

    def _render_Finding(self, finding: Finding) -> dict[str, Any]:
        data = finding.to_json()
        data["column"] = finding.column
        return data

    def dumps(self, result: SubmissionResult) -> str:
        return dumps(self.render(result), indent=self.options["indent"])


def to_json(result: SubmissionResult, **options: Any) -> str:
    return JsonGradeRenderer(**options).dumps(result)


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(
        verdict=Verdict(data["verdict"]),
        line=data.get("line"),
        written=data.get("written", ""),
        reason=data.get("reason", ""),
        expected=data.get("expected"),
        column=data.get("column"),
        kind=data.get("kind", "claim"),
        notes=tuple(data.get("notes", ())),
        answers=data.get("answers"),
        latex=data.get("latex"),
    )


def from_json(text: str) -> SubmissionResult:
    """Read back what :func:`to_json` wrote (the score is recomputed from the questions)."""
    try:
        data = json.loads(text)
        questions = [
            QuestionResult(
                id=item["id"],
                verdict=QuestionVerdict(item["verdict"]),
                score=item["score"],
                max_score=item["max_score"],
                findings=[_finding(finding) for finding in item.get("findings", [])],
                summary=item.get("summary", ""),
                lines=tuple((int(a), int(b)) for a, b in item.get("lines", [])),
            )
            for item in data["questions"]
        ]
        return SubmissionResult(
            assignment=data["assignment"],
            submission=data["submission"],
            questions=questions,
            errors=list(data.get("errors", [])),
            text=data.get("text", ""),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"not a chainrule grade report: {error}", "json") from None
