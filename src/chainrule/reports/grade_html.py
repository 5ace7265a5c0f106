"""Grades as one self-contained HTML page: the submission's lines, each finding beside its line, math as MathML.

No scripts, no external files: the page opens the same offline, in a browser or an LMS. Math that
latex2mathml cannot read is shown as its LaTeX source rather than dropped.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

from chainrule.grading.findings import Finding, QuestionResult, SubmissionResult
from chainrule.reports.grade_base import VERDICT_SYMBOL, GradeRenderer, format_score, ordered
from chainrule.reports.html import html_page, latex_to_mathml

MAX_MATH = 2_000
_INLINE_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$")

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.5em}
table.summary td,table.summary th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
.v-right{color:#1a7f37}.v-wrong{color:#c62828;font-weight:bold}.v-undecided,.v-partial{color:#a36b00}
.v-review{color:#0b6a8f}.v-missing{color:#777}
table.lines{border-collapse:collapse;width:100%}
table.lines td{vertical-align:top;padding:.15em .5em;border-bottom:1px solid #f0f0f0}
td.no{color:#999;text-align:right;font-family:monospace;width:3em}
td.src{font-family:monospace;white-space:pre-wrap;word-break:break-word;width:55%}
tr.has-wrong td.src{background:#fdecea} tr.has-undecided td.src{background:#fff8e1}
div.finding{margin:.1em 0;padding:.2em .4em;border-left:3px solid #ccc;font-size:.92em}
div.finding.wrong{border-color:#c62828} div.finding.right{border-color:#1a7f37}
div.finding.undecided{border-color:#a36b00} .note{color:#555;font-size:.9em}
"""


def math_to_mathml(latex: str, display: bool = False) -> str:
    """MathML for one formula, or its escaped source where it cannot be converted (the shared page base)."""
    if len(latex) > MAX_MATH:
        return f"<code>{html.escape(latex)}</code>"
    return latex_to_mathml(latex, display=display)


def text_with_math(text: str) -> str:
    """Escape one submission line and turn its complete ``$…$``/``$$…$$`` spans into MathML."""
    out: list[str] = []
    position = 0
    for match in _INLINE_MATH.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        latex = match.group(1) if match.group(1) is not None else match.group(2)
        out.append(math_to_mathml(latex, display=match.group(1) is not None))
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _looks_like_latex(text: str) -> bool:
    """LaTeX source (a command such as ``\\frac``), not the grader's plain-text rendering of a formula."""
    return bool(re.search(r"\\[A-Za-z]+", text))


class HtmlGradeRenderer(GradeRenderer):
    format_name = "html"
    settings: ClassVar[dict[str, Any]] = {"title": None, "show_right": True}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lines: list[str] = []

    def _render_SubmissionResult(self, result: SubmissionResult) -> str:
        title = self.options["title"] or f"{result.submission} — {result.assignment}"
        rows = "".join(
            f"<tr><td><a href='#q-{html.escape(q.id)}'>{html.escape(q.id)}</a></td>"
            f"<td class='v-{q.verdict.value}'>{VERDICT_SYMBOL[q.verdict]} {q.verdict.value}</td>"
            f"<td>{format_score(q.score)} / {format_score(q.max_score)}</td></tr>"
            for q in result.questions
        )
        lines = result.text.splitlines()
        sections = "".join(self._question_section(question, lines) for question in result.questions)
        errors = "".join(f"<li>{html.escape(error)}</li>" for error in result.errors)
        return html_page(
            title,
            f"<h1>{html.escape(title)}</h1>"
            f"<p><strong>Score: {format_score(result.score)} / {format_score(result.max_score)}</strong></p>"
            f"<table class='summary'><tr><th>Question</th><th>Verdict</th><th>Score</th></tr>{rows}</table>"
            f"{sections}" + (f"<h2>Could not read</h2><ul>{errors}</ul>" if errors else ""),
            CSS,
        )

    def _question_section(self, question: QuestionResult, lines: list[str]) -> str:
        header = (
            f"<h2 id='q-{html.escape(question.id)}'>{html.escape(question.id)} "
            f"<span class='v-{question.verdict.value}'>{VERDICT_SYMBOL[question.verdict]} "
            f"{question.verdict.value}</span> ({format_score(question.score)}/{format_score(question.max_score)})</h2>"
        )
        if question.summary:
            header += f"<p>{text_with_math(question.summary)}</p>"
        return header + self.render(question)

    def _render_QuestionResult(self, question: QuestionResult) -> str:
        findings = [f for f in ordered(question.findings) if self.options["show_right"] or f.verdict.value != "right"]
        by_line: dict[int | None, list[Finding]] = {}
        for finding in findings:
            by_line.setdefault(finding.line, []).append(finding)
        lines = self._lines
        rows: list[str] = []
        shown: set[int] = set()
        for first, last in question.lines:
            for number in range(first, min(last, len(lines)) + 1):
                shown.add(number)
                here = by_line.get(number, [])
                verdicts = {f.verdict.value for f in here}
                marker = "has-wrong" if "wrong" in verdicts else "has-undecided" if "undecided" in verdicts else ""
                rows.append(
                    f"<tr class='{marker}'><td class='no'>{number}</td>"
                    f"<td class='src'>{text_with_math(lines[number - 1])}</td>"
                    f"<td>{''.join(self.render(f) for f in here)}</td></tr>"
                )
        elsewhere = [f for line, group in by_line.items() if line not in shown for f in group]
        table = f"<table class='lines'>{''.join(rows)}</table>" if rows else ""
        extra = "".join(self.render(f) for f in elsewhere)
        return table + extra

    def _render_Finding(self, finding: Finding) -> str:
        def show(text: str) -> str:
            return math_to_mathml(text) if _looks_like_latex(text) else html.escape(text)

        verdict = finding.verdict.value
        body = f"<strong class='v-{verdict}'>{VERDICT_SYMBOL[finding.verdict]} {verdict}</strong>"
        if finding.line is not None:
            body += f" <span class='note'>{html.escape(finding.place)}</span>"
        claim = math_to_mathml(finding.latex) if finding.latex else show(finding.written)
        body += f" {claim} — {html.escape(finding.reason)}"
        if finding.expected:
            body += f"<br>expected: {show(finding.expected)}"
        body += "".join(f"<div class='note'>note: {html.escape(note)}</div>" for note in finding.notes)
        return f"<div class='finding {finding.verdict.value}'>{body}</div>"

    def render(self, item: Any) -> Any:
        if isinstance(item, SubmissionResult):
            self._lines = item.text.splitlines()
        return super().render(item)


def to_html(result: SubmissionResult, **options: Any) -> str:
    return HtmlGradeRenderer(**options).render(result)
