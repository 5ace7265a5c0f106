"""``chainrule check`` for the terminal: each wrong claim on its line, with why, then a one-line tally.

Undecided and right claims are only counted unless ``show="all"`` asks for them too; a student wants to see
what to fix first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.reports.grade_base import VERDICT_SYMBOL, GradeRenderer, ordered
from chainrule.reports.terminal import terminal_safe
from chainrule.reports.words import formula_text, sentence

SHOW = ("wrong", "undecided", "all")


class TextCheckRenderer(GradeRenderer):
    format_name = "text"
    settings: ClassVar[dict[str, Any]] = {"show": "wrong"}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if self.options["show"] not in SHOW:
            raise InputError(f"show must be one of {', '.join(SHOW)}", "text report")

    def _shown(self, finding: Finding) -> bool:
        show = self.options["show"]
        if show == "all":
            return True
        if show == "undecided":
            return finding.verdict is not Verdict.RIGHT
        return finding.verdict is Verdict.WRONG

    def _render_CheckResult(self, result: CheckResult) -> str:
        lines = [self.render(finding) for finding in ordered(result.findings) if self._shown(finding)]
        lines.extend(f"unreadable math: {error}" for error in result.errors)
        wrong, right, undecided = (result.count(v) for v in (Verdict.WRONG, Verdict.RIGHT, Verdict.UNDECIDED))
        verdict = "nothing wrong found" if not wrong else f"{wrong} wrong"
        lines.append(f"{result.source}: {verdict}; {right} right, {undecided} undecided")
        return "\n".join(lines) + "\n"

    def _render_Finding(self, finding: Finding) -> str:
        where = finding.place
        claim = formula_text(finding.written)
        text = f"{VERDICT_SYMBOL[finding.verdict]} {where}: {claim} — {sentence(finding.reason)}"
        if finding.expected and finding.verdict is not Verdict.RIGHT:
            text += f"\n    expected: {formula_text(finding.expected)}"
        text += "".join(f"\n    note: {sentence(note)}" for note in finding.notes)
        return text


def render_check_text(result: CheckResult, **options: Any) -> str:
    """The check for a terminal; control characters from the document are shown, never sent (see terminal)."""
    return terminal_safe(TextCheckRenderer(**options).render(result))
