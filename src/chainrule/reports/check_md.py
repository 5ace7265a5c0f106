"""``chainrule check --format md``: the findings as a Markdown list, formulas as LaTeX, reasons in words."""

from __future__ import annotations

from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.reports.grade_base import VERDICT_SYMBOL, ordered
from chainrule.reports.grade_md import _formula
from chainrule.reports.terminal import terminal_safe
from chainrule.reports.words import sentence


def _item(finding: Finding) -> str:
    where = f"line {finding.line}: " if finding.line is not None else ""
    claim = _formula(finding.written, finding.latex)
    text = f"- {VERDICT_SYMBOL[finding.verdict]} **{finding.verdict.value}** {where}{claim}"
    text += f" — {sentence(finding.reason)}"
    if finding.expected and finding.verdict is not Verdict.RIGHT:
        text += f" Expected: {_formula(finding.expected)}."
    return text + "".join(f"\n  - note: {sentence(note)}" for note in finding.notes)


def render_check_markdown(result: CheckResult, *, show: str = "all", text: str = "") -> str:
    from chainrule.reports.check_html import shown as is_shown

    shown = [f for f in ordered(result.findings) if is_shown(f, show)]
    wrong, right, undecided = (result.count(v) for v in (Verdict.WRONG, Verdict.RIGHT, Verdict.UNDECIDED))
    lines = [f"# {result.source} — checked", "",
             f"**{f'{wrong} wrong' if wrong else 'nothing wrong found'}; {right} right, {undecided} undecided**", ""]
    lines += [_item(finding) for finding in shown]
    if result.errors:
        lines += ["", "## Unreadable math", ""] + [f"- {error}" for error in result.errors]
    return terminal_safe("\n".join(lines).rstrip() + "\n")
