"""Grades for the terminal: a rich table of questions, then the findings that need attention.

The renderer returns rich renderables; :func:`to_text` turns them into plain text at a fixed width so tests
and files get the same output a terminal shows (without colour).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict
from chainrule.reports.grade_base import VERDICT_SYMBOL, GradeRenderer, format_score, ordered
from chainrule.reports.terminal import terminal_safe
from chainrule.reports.words import formula_text, sentence

STYLE = {
    Verdict.RIGHT: "green",
    Verdict.WRONG: "bold red",
    Verdict.UNDECIDED: "yellow",
    QuestionVerdict.RIGHT: "green",
    QuestionVerdict.WRONG: "bold red",
    QuestionVerdict.PARTIAL: "yellow",
    QuestionVerdict.REVIEW: "cyan",
    QuestionVerdict.MISSING: "dim",
}


class TextGradeRenderer(GradeRenderer):
    format_name = "text"
    settings: ClassVar[dict[str, Any]] = {"show_right": False, "width": 100}

    def _render_SubmissionResult(self, result: SubmissionResult) -> RenderableType:
        table = Table(title=f"{result.submission} — {result.assignment}", show_lines=False)
        table.add_column("Question")
        table.add_column("Verdict")
        table.add_column("Score", justify="right")
        table.add_column("Findings", justify="right")
        for question in result.questions:
            counts = " ".join(
                f"{VERDICT_SYMBOL[v]}{n}" for v in Verdict if (n := sum(f.verdict is v for f in question.findings))
            )
            table.add_row(
                question.id,
                Text(f"{VERDICT_SYMBOL[question.verdict]} {question.verdict.value}", style=STYLE[question.verdict]),
                f"{format_score(question.score)}/{format_score(question.max_score)}",
                counts,
            )
        parts: list[RenderableType] = [
            table,
            Text(f"Score: {format_score(result.score)}/{format_score(result.max_score)}", style="bold"),
        ]
        parts.extend(part for question in result.questions if (part := self.render(question)) is not None)
        parts.extend(Text(f"could not read: {error}", style="red") for error in result.errors)
        return Group(*parts)

    def _render_QuestionResult(self, question: QuestionResult) -> RenderableType | None:
        show_right = self.options["show_right"]
        findings = [f for f in ordered(question.findings) if show_right or f.verdict is not Verdict.RIGHT]
        if question.verdict is QuestionVerdict.MISSING or (not findings and not question.summary):
            return None
        header = Text(f"\n{question.id} ", style="bold")
        header.append(question.verdict.value, style=STYLE[question.verdict])
        if question.summary:
            header.append(f" — {sentence(question.summary)}")
        return Group(header, *(self.render(finding) for finding in findings))

    def _render_Finding(self, finding: Finding) -> RenderableType:
        line = Text("  ")
        line.append(VERDICT_SYMBOL[finding.verdict], style=STYLE[finding.verdict])
        line.append(f" {finding.place}: " if finding.line is not None else " ")
        line.append(formula_text(finding.written))
        line.append(f" — {sentence(finding.reason)}")
        if finding.expected:
            line.append(f" (expected {formula_text(finding.expected)})", style="italic")
        for note in finding.notes:
            line.append(f"\n      note: {sentence(note)}", style="dim")
        return line


def to_text(result: SubmissionResult, **options: Any) -> str:
    renderer = TextGradeRenderer(**options)
    console = Console(width=renderer.options["width"], record=True, color_system=None, file=_Sink())
    console.print(renderer.render(result))
    return terminal_safe(console.export_text())


class _Sink:
    """A file that discards what it is given: the text is taken from the console's record."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None
