"""The shared base of the grade renderers: one result model, one renderer per format, dispatch on class.

As in SymPy's printers, :meth:`GradeRenderer.render` finds ``_render_<ClassName>`` for whatever it is given,
and renderers draw children only through :meth:`render`, so settings reach every level. Shared rules (the
order and symbols of verdicts) live here too, so every format shows the same thing the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

from chainrule.errors import InputError
from chainrule.grading.findings import Finding, QuestionVerdict, Verdict

VERDICT_SYMBOL: dict[str, str] = {
    Verdict.RIGHT: "✓",
    Verdict.WRONG: "✗",
    Verdict.UNDECIDED: "?",
    QuestionVerdict.RIGHT: "✓",
    QuestionVerdict.WRONG: "✗",
    QuestionVerdict.PARTIAL: "◐",
    QuestionVerdict.REVIEW: "☞",
    QuestionVerdict.MISSING: "∅",
}

# Which findings a reader should see first: wrong before undecided before right.
FINDING_ORDER: dict[Verdict, int] = {Verdict.WRONG: 0, Verdict.UNDECIDED: 1, Verdict.RIGHT: 2}


def ordered(findings: list[Finding]) -> list[Finding]:
    """Findings by line, and at one line the wrong ones first."""
    return sorted(findings, key=lambda f: (f.line if f.line is not None else 10**9, FINDING_ORDER[f.verdict]))


def format_score(value: float) -> str:
    """Marks without noise: ``3`` not ``3.0``, ``1.5`` stays."""
    return f"{value:g}"


class GradeRenderer:
    """Base of every grade renderer. Subclasses declare ``settings`` with defaults; unknown ones are rejected."""

    format_name: ClassVar[str] = ""
    settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, **options: Any) -> None:
        unknown = sorted(set(options) - set(self.settings))
        if unknown:
            allowed = ", ".join(sorted(self.settings)) or "none"
            raise InputError(f"unknown setting {', '.join(unknown)} (allowed: {allowed})", f"{self.format_name} report")
        self.options: dict[str, Any] = {**self.settings, **options}

    def render(self, item: Any) -> Any:
        for cls in type(item).__mro__:
            method = getattr(self, f"_render_{cls.__name__}", None)
            if method is not None:
                return method(item)
        return self.empty_render(item)

    def empty_render(self, item: Any) -> Any:
        return str(item)
