"""Reports opened in a real browser (headless Debian chromium): no script from a submission or spec ever runs.

Each page is opened twice: as a TA would (its Content-Security-Policy on), and with the policy ignored, which
shows that escaping alone already keeps every payload inert — the policy is a second lock, not the only one.
"""

from __future__ import annotations

import pytest

from chainrule.grading.findings import CheckResult, Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict

PAYLOADS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
    "[click](javascript:alert('link'))",
    "<a href=\"javascript:alert('href')\">x</a>",
    "<iframe src=\"javascript:alert('frame')\"></iframe>",
    "$\\text{<img src=x onerror=alert('math-text')>}$",
    "$$\\text{</math><script>alert('math-close')</script>}$$",
    "$\\mathrm{<b onmouseover=alert('mathrm')>}$",
    "\\(\\text{<svg/onload=alert('paren')>}\\)",
]
SUBMISSION = "\n".join(["## 1a.1", *PAYLOADS, "$$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$$", "## 1b", "f(x) = 1.33"])

# What a page may never contain, whatever a submission holds (the report's own images have no handlers).
INERT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + '[' + attr.name + ']');
      if (/^\\s*javascript:/i.test(attr.value)) bad.push(el.tagName + '[' + attr.name + '=javascript:]');
    }
  }
  for (const el of document.querySelectorAll('script, iframe, object, embed, svg, foreignObject')) bad.push(el.tagName);
  return bad;
}"""


def hostile_result() -> SubmissionResult:
    payload = " ".join(PAYLOADS)
    finding = Finding(Verdict.WRONG, 3, payload, payload, expected=payload, notes=(payload,), latex=PAYLOADS[6][1:-1])
    return SubmissionResult(
        assignment="ama564-a1", submission=f"{PAYLOADS[1]}.md", text=SUBMISSION, errors=[payload],
        questions=[QuestionResult(PAYLOADS[2], QuestionVerdict.WRONG, 0, 1, [finding], payload, ((1, 12),))],
    )


def assert_inert(page) -> None:
    assert page.dialogs == [], page.dialogs
    assert page.errors == [], page.errors
    assert page.evaluate(INERT) == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in page.requests), page.requests


@pytest.fixture(scope="module")
def graded_pages():
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.check import check_document
    from chainrule.grading.grade import grade_text
    from chainrule.reports.check_html import render_check_html
    from chainrule.reports.grade_html import to_html

    graded = grade_text(load_assignment("ama564-a1"), SUBMISSION, f"{PAYLOADS[0]}.md")
    checked = check_document(SUBMISSION, "hostile.md")
    return {
        "graded by chainrule": to_html(graded),
        "built by hand": to_html(hostile_result()),
        "checked": render_check_html(checked, text=SUBMISSION),
        "check by hand": render_check_html(CheckResult("x.md", hostile_result().questions[0].findings, [PAYLOADS[0]]),
                                           text=SUBMISSION),
    }


@pytest.mark.parametrize("which", ["graded by chainrule", "built by hand", "checked", "check by hand"])
def test_no_script_in_a_report_runs(graded_pages, browser_page, browser_page_without_csp, which):
    html = graded_pages[which]
    assert "Content-Security-Policy" in html and "script-src &#39;none&#39;" in html
    for page in (browser_page, browser_page_without_csp):
        page.open_html(html)
        assert_inert(page)
    if which != "checked":  # a check lists only the lines with findings
        text = browser_page.evaluate("document.body.innerText")
        assert "onerror=alert('img')" in text  # the payload is shown to the TA as what it is: text


HOSTILE_SPEC = """
id: hostile
title: "Hostile <script>alert('title')</script>"
source: "<img src=x onerror=alert('source')>"
questions:
  - id: "1"
    title: "<svg onload=alert('question title')>"
    type: conceptual
    prompt: >-
      Click [here](javascript:alert('link')) <script>alert('prompt')</script>
      $\\text{<img src=x onerror=alert('math')>}$
    rubric: ["<iframe src=javascript:alert('rubric')>", "[x](javascript:alert('rubric link'))"]
    model_answer: "<b onmouseover=alert('model')>x</b>"
"""


def test_no_script_in_spec_text_runs_in_solve_html(tmp_path, browser_page, browser_page_without_csp):
    from typer.testing import CliRunner

    from chainrule.cli.app import app

    spec = tmp_path / "hostile.yaml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(spec), "--format", "html", "-o", str(out), "--no-train"])
    assert result.exit_code == 0, result.output
    page_file = out / "hostile.html"
    for page in (browser_page, browser_page_without_csp):
        page.open_file(page_file)
        assert_inert(page)
    assert "alert('prompt')" in browser_page.evaluate("document.body.innerText")
