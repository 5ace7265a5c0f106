"""Grades as one self-contained HTML page: the submission's lines, each finding beside its line, math as MathML.

The page is a Jinja2 template (``templates/grade.html.j2``) filled with a plain view of the result; every
string from the submission is escaped by the template engine, formulas are MathML rebuilt from an allow-list,
and the page's Content-Security-Policy allows no script. A formula written over several lines is one row.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from chainrule.grading.findings import Finding, QuestionResult, SubmissionResult
from chainrule.reports.grade_base import VERDICT_SYMBOL, format_score, ordered
from chainrule.reports.mathml import MAX_TEX_CHARS
from chainrule.reports.page import FontMode, inline_prose, math_html, render_fragment, render_page
from chainrule.reports.source_rows import SourceRow, source_rows
from chainrule.reports.words import formula_html, sentence

MAX_MATH = MAX_TEX_CHARS
# The math a submission line can hold: $$…$$, \[…\], \(…\), $…$ and LaTeX display environments.
_MATH_SPAN = re.compile(
    r"\$\$(?P<dd>.+?)\$\$|\\\[(?P<db>.+?)\\\]|\\\((?P<ip>.+?)\\\)|(?<![\\$])\$(?P<id>[^$]+?)(?<!\\)\$(?!\$)"
    r"|(?P<env>\\begin\{(?P<name>equation|align|gather|multline|eqnarray|flalign)\*?\}.*?\\end\{(?P=name)\*?\})",
    re.DOTALL)


def math_to_mathml(latex: str, display: bool = False) -> Markup:
    """One formula as MathML, or its escaped source in ``<code>`` where it cannot be rendered faithfully."""
    if len(latex) > MAX_MATH:
        return Markup("<code>{}</code>").format(latex)
    return math_html(latex, display=display)


def text_with_math(text: str) -> Markup:
    """One row of a submission: prose as Markdown (escaped), each formula in it as MathML.

    Formulas are found here, not by the Markdown parser, so one written over several lines (blank lines
    included) is still one formula.
    """
    parts: list[Markup] = []
    position = 0
    for match in _MATH_SPAN.finditer(text):
        parts.append(inline_prose(text[position : match.start()], as_written=True))
        display = match.lastgroup in ("dd", "db", "env", "name")
        latex = match.group("env") or match.group(match.lastgroup if match.lastgroup != "name" else "env")
        parts.append(math_to_mathml(latex, display=display))
        position = match.end()
    parts.append(inline_prose(text[position:], as_written=True))
    return Markup("").join(parts)


def finding_view(finding: Finding) -> dict[str, Any]:
    """What the page shows of one finding: the claim as math, the reason in words, what was expected."""
    claim = math_to_mathml(finding.latex) if finding.latex else formula_html(finding.written)
    return {
        "verdict": finding.verdict.value,
        "symbol": VERDICT_SYMBOL[finding.verdict],
        "line": finding.line,
        "place": finding.place,
        "claim": claim,
        "reason": sentence(finding.reason),
        "expected": formula_html(finding.expected) if finding.expected else None,
        "notes": [sentence(note) for note in finding.notes],
    }


def _rows_for(question: QuestionResult, rows: list[SourceRow], findings: list[Finding]) -> tuple[list, list]:
    by_line: dict[int | None, list[Finding]] = {}
    for finding in findings:
        by_line.setdefault(finding.line, []).append(finding)
    shown_rows: list[dict[str, Any]] = []
    shown: set[int] = set()
    for row in rows:
        if not any(first <= row.last and row.first <= last for first, last in question.lines):
            continue
        here = [f for number in range(row.first, row.last + 1) for f in by_line.get(number, [])]
        shown.update(range(row.first, row.last + 1))
        verdicts = {f.verdict.value for f in here}
        shown_rows.append({
            "label": row.label,
            "html": text_with_math(row.text),
            "marker": "has-wrong" if "wrong" in verdicts else "has-undecided" if "undecided" in verdicts else "",
            "findings": [finding_view(f) for f in here],
        })
    elsewhere = [finding_view(f) for line, group in by_line.items() if line not in shown for f in group]
    return shown_rows, elsewhere


def grade_view(result: SubmissionResult, *, title: str | None = None, show_right: bool = True) -> dict[str, Any]:
    """The template's data for a graded submission."""
    rows = source_rows(result.text.splitlines())
    questions = []
    for question in result.questions:
        findings = [f for f in ordered(question.findings) if show_right or f.verdict.value != "right"]
        shown_rows, elsewhere = _rows_for(question, rows, findings)
        questions.append({
            "id": question.id,
            "anchor": re.sub(r"[^A-Za-z0-9_.-]", "-", question.id),
            "verdict": question.verdict.value,
            "symbol": VERDICT_SYMBOL[question.verdict],
            "score": format_score(question.score),
            "max_score": format_score(question.max_score),
            "summary": sentence(question.summary),
            "rows": shown_rows,
            "elsewhere": elsewhere,
        })
    return {
        "heading": title or f"{result.submission} — {result.assignment}",
        "score": format_score(result.score),
        "max_score": format_score(result.max_score),
        "questions": questions,
        "errors": list(result.errors),
    }


def to_html(result: SubmissionResult, *, title: str | None = None, show_right: bool = True,
            font: FontMode = "embed", asset_prefix: str = "", font_href: str | None = None) -> str:
    """The whole page; ``font`` embeds the math font (default) or links it (see :func:`.page.write_font`)."""
    view = grade_view(result, title=title, show_right=show_right)
    return render_page("grade.html.j2", title=view["heading"], font=font, asset_prefix=asset_prefix,
                       font_href=font_href, **view)


def to_html_fragment(result: SubmissionResult, **options: Any) -> str:
    """The same report for a notebook cell."""
    return render_fragment("grade.html.j2", **grade_view(result, **options))
