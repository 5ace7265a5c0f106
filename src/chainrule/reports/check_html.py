"""``chainrule check --format html``: each claim's verdict beside the line it is on, as one safe page."""

from __future__ import annotations

from typing import Any

from chainrule.grading.findings import CheckResult, Finding, QuestionResult, QuestionVerdict, Verdict
from chainrule.reports.grade_base import ordered
from chainrule.reports.grade_html import _rows_for, finding_view
from chainrule.reports.page import FontMode, render_fragment, render_page
from chainrule.reports.source_rows import source_rows


def shown(finding: Finding, show: str) -> bool:
    """``show``: ``wrong`` lists only wrong claims, ``undecided`` adds the undecided ones, ``all`` every claim."""
    if show == "all":
        return True
    return finding.verdict is Verdict.WRONG or (show == "undecided" and finding.verdict is not Verdict.RIGHT)


def check_view(result: CheckResult, text: str = "", show: str = "all") -> dict[str, Any]:
    findings = [f for f in ordered(result.findings) if shown(f, show)]
    rows, elsewhere = [], [finding_view(f) for f in findings]
    if text:
        lines = text.splitlines()
        marked = {f.line for f in findings if f.line is not None}
        whole = QuestionResult("document", QuestionVerdict.REVIEW, 0, 0, findings, "",
                               tuple((line, line) for line in sorted(marked)))
        rows, elsewhere = _rows_for(whole, source_rows(lines), findings)
    counts = {verdict.value: result.count(verdict) for verdict in Verdict}
    verdict = f"{counts['wrong']} wrong" if counts["wrong"] else "nothing wrong found"
    return {
        "heading": f"{result.source} — checked",
        "tally": f"{verdict}; {counts['right']} right, {counts['undecided']} undecided",
        "counts": counts,
        "rows": rows,
        "elsewhere": elsewhere,
        "errors": list(result.errors),
    }


def render_check_html(result: CheckResult, *, text: str = "", show: str = "all", font: FontMode = "embed") -> str:
    view = check_view(result, text, show)
    return render_page("check.html.j2", title=view["heading"], font=font, **view)


def render_check_html_fragment(result: CheckResult, *, text: str = "", show: str = "all") -> str:
    return render_fragment("check.html.j2", **check_view(result, text, show))
