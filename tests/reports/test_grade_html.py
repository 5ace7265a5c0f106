from grade_sample import sample_result

from chainrule.reports.grade_html import math_to_mathml, text_with_math, to_html


def test_page_is_self_contained_with_lines_and_findings():
    page = to_html(sample_result())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/1998/Math/MathML", "")
    assert "<td class='no'>3</td>" in page
    row = page[page.index("<td class='no'>3</td>") :].split("</tr>")[0]
    assert "finding wrong" in row and "<math" in row  # the finding sits beside its line, math as MathML
    assert "note: read as ^+ instead of ^⊤ it would be right" in row


def test_text_is_escaped_and_math_converted():
    html = text_with_math("a < b and $x^2$")
    assert html.startswith("a &lt; b and <math") and "<msup>" in html


def test_unreadable_math_falls_back_to_source():
    assert math_to_mathml("\\frac{" * 2000).startswith("<code>")


def test_a_finding_with_latex_is_shown_as_math():
    from dataclasses import replace

    from chainrule.grading.findings import Finding, Verdict
    from chainrule.reports.grade_html import HtmlGradeRenderer

    finding = Finding(Verdict.RIGHT, 3, "∂ℓ/∂z₃ = ŷ − y", "agrees", latex="\\frac{\\partial \\ell}{\\partial z_3} = y")
    shown = HtmlGradeRenderer().render(finding)
    assert "<mfrac>" in shown and "∂ℓ/∂z₃" not in shown
    plain = HtmlGradeRenderer().render(replace(finding, latex=None))
    assert "∂ℓ/∂z₃ = ŷ − y" in plain and "<math" not in plain
