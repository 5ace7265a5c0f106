"""The graded page: each finding beside its line, a formula over several lines as one row, all of it escaped."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from grade_sample import sample_result

from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict
from chainrule.reports.grade_html import math_to_mathml, text_with_math, to_html, to_html_fragment


def row_of(page: str, label: str) -> str:
    start = page.index(f'<td class="no">{label}</td>')
    return page[start : page.index("</tr>", start)]


def test_page_is_self_contained_with_a_policy_lines_and_findings():
    page = to_html(sample_result())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "script-src 'none'" in html.unescape(page)
    assert "@font-face" in page and "data:font/woff2;base64," in page  # the math font travels with the page
    row = row_of(page, "3")
    assert "finding wrong" in row and "<math" in row  # the finding sits beside its line, math as MathML
    assert "note: read as ^+ instead of ^⊤ it would be right" in row


def test_a_formula_over_several_lines_is_one_row():
    text = "## 1\n$$\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}$$\nafter"
    finding = Finding(Verdict.WRONG, 4, "c = d", "not so")
    result = SubmissionResult("a", "s.md", [QuestionResult("1", QuestionVerdict.WRONG, 0, 1, [finding], "",
                                                           ((1, 6),))], [], text)
    page = to_html(result, font="none")
    row = row_of(page, "2–5")
    assert row.count("<mtr>") == 2 and "\\begin" not in row and "&amp;" not in row and "finding wrong" in row


def test_text_is_escaped_and_math_converted():
    html = str(text_with_math("a < b and $x^2$ and \\(y\\)"))
    assert html.startswith("a &lt; b and <span class=\"math-scroll\"><math") and "<msup>" in html
    assert html.count("<math") == 2


def test_unreadable_math_falls_back_to_source():
    assert str(math_to_mathml("\\frac{" * 2000)).startswith("<code>")


def test_a_finding_with_latex_is_shown_as_math_and_sympy_text_as_notation():
    finding = Finding(Verdict.WRONG, 3, "∂ℓ/∂z₃ = ŷ − y", "agrees", expected="exp(-x)/(1 + exp(-x))**2",
                      latex="\\frac{\\partial \\ell}{\\partial z_3} = y")
    result = replace(sample_result(), questions=[QuestionResult("1", QuestionVerdict.WRONG, 0, 1, [finding], "",
                                                                ((3, 3),))])
    page = to_html(result, font="none")
    assert "<mfrac>" in page and "∂ℓ/∂z₃" not in page
    assert "**" not in page and "exp(" not in page


def test_the_notebook_fragment_is_the_same_body_without_the_page():
    fragment = to_html_fragment(sample_result())
    assert fragment.lstrip().startswith('<div class="chainrule">') and "<html" not in fragment
    assert ".chainrule table.lines" in fragment and "@font-face" not in fragment
    assert re.search(r"<td class=\"no\">3</td>", fragment)
