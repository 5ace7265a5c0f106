"""Grades as Markdown: a score table, then each question's findings with their lines."""

from __future__ import annotations

from typing import Any, ClassVar

from chainrule.grading.findings import Finding, QuestionResult, SubmissionResult
from chainrule.reports.grade_base import VERDICT_SYMBOL, GradeRenderer, format_score, ordered
from chainrule.reports.terminal import terminal_safe
from chainrule.reports.words import formula_latex, sentence


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _formula(text: str | None, latex: str | None = None) -> str:
    """A formula as ``$LaTeX$`` (Markdown viewers render it), or as code where it cannot be read."""
    source = latex or (formula_latex(text) if text else None)
    if source:
        return "$" + _cell(" ".join(source.split())) + "$"
    return f"`{_cell(text or '').replace('`', 'ˋ')}`"


class MarkdownGradeRenderer(GradeRenderer):
    format_name = "md"
    settings: ClassVar[dict[str, Any]] = {"show_right": True}

    def _render_SubmissionResult(self, result: SubmissionResult) -> str:
        parts = [
            f"# {result.submission} — {result.assignment}",
            "",
            f"**Score: {format_score(result.score)} / {format_score(result.max_score)}**",
            "",
            "| Question | Verdict | Score |",
            "| --- | --- | --- |",
        ]
        for question in result.questions:
            parts.append(
                f"| {question.id} | {VERDICT_SYMBOL[question.verdict]} {question.verdict.value} "
                f"| {format_score(question.score)} / {format_score(question.max_score)} |"
            )
        for question in result.questions:
            parts.extend(["", self.render(question)])
        if result.errors:
            parts.extend(["", "## Could not read", ""])
            parts.extend(f"- {_cell(error)}" for error in result.errors)
        return "\n".join(parts).rstrip() + "\n"

    def _render_QuestionResult(self, question: QuestionResult) -> str:
        where = ", ".join(f"lines {a}–{b}" if a != b else f"line {a}" for a, b in question.lines)
        parts = [
            f"## {question.id}: {question.verdict.value} ({format_score(question.score)}/"
            f"{format_score(question.max_score)})"
        ]
        if where:
            parts.append(f"*{where}*")
        if question.summary:
            parts.extend(["", _cell(sentence(question.summary))])
        findings = [f for f in ordered(question.findings) if self.options["show_right"] or f.verdict.value != "right"]
        if findings:
            parts.append("")
            parts.extend(self.render(finding) for finding in findings)
        return "\n".join(parts)

    def _render_Finding(self, finding: Finding) -> str:
        where = f"{finding.place}: " if finding.line is not None else ""
        text = f"- {VERDICT_SYMBOL[finding.verdict]} **{finding.verdict.value}** {where}"
        text += f"{_formula(finding.written, finding.latex)} — {_cell(sentence(finding.reason))}"
        if finding.expected:
            text += f" Expected: {_formula(finding.expected)}."
        for note in finding.notes:
            text += f"\n  - note: {_cell(sentence(note))}"
        return text


def to_markdown(result: SubmissionResult, **options: Any) -> str:
    return terminal_safe(MarkdownGradeRenderer(**options).render(result))
