"""``chainrule check --format json``: the findings of a check as one JSON object, and back.

``{"source", "counts": {"right", "wrong", "undecided"}, "findings": [{"verdict", "line", "column", "written",
"expected", "reason", "kind", "notes"}], "errors": [...]}``
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.reports.grade_base import GradeRenderer, ordered
from chainrule.reports.jsonout import dumps


class JsonCheckRenderer(GradeRenderer):
    format_name = "json"
    settings: ClassVar[dict[str, Any]] = {"indent": 2}

    def _render_CheckResult(self, result: CheckResult) -> dict[str, Any]:
        return {
            "source": result.source,
            "counts": {verdict.value: result.count(verdict) for verdict in Verdict},
            "findings": [self.render(finding) for finding in ordered(result.findings)],
            "errors": list(result.errors),
            **({"notes": list(result.notes)} if result.notes else {}),
        }

    def _render_Finding(self, finding: Finding) -> dict[str, Any]:
        return {**finding.to_json(), "column": finding.column}


def render_check_json(result: CheckResult, **options: Any) -> str:
    renderer = JsonCheckRenderer(**options)
    return dumps(renderer.render(result), indent=renderer.options["indent"])


def check_result_from_json(text: str) -> CheckResult:
    """Read back what :func:`render_check_json` wrote (for tools that store checks)."""
    try:
        data = json.loads(text)
        findings = [
            Finding(verdict=Verdict(item["verdict"]), line=item["line"], written=item["written"],
                    reason=item["reason"], expected=item.get("expected"), column=item.get("column"),
                    kind=item.get("kind", "claim"), notes=tuple(item.get("notes", ())),
                    answers=item.get("answers"), latex=item.get("latex"))
            for item in data["findings"]
        ]
        return CheckResult(source=data["source"], findings=findings, errors=list(data.get("errors", [])))
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"not a chainrule check result ({error})", "json") from error
