from grade_sample import sample_result

from chainrule.reports.grade_md import to_markdown

EXPECTED_HEAD = """# alice.md — nyu-dl-hw1-2022

**Score: 2.5 / 9**

| Question | Verdict | Score |
| --- | --- | --- |
| 1.2a | ✓ right | 1 / 1 |
| 1.2c | ◐ partial | 1.5 / 6 |
| 1.2d | ∅ missing | 0 / 2 |
"""


def test_markdown_golden_head():
    assert to_markdown(sample_result()).startswith(EXPECTED_HEAD)


def test_markdown_question_section():
    text = to_markdown(sample_result())
    assert "## 1.2c: partial (1.5/6)\n*lines 3–4*" in text
    assert "- ✗ **wrong** line 3: $\\frac{\\partial \\ell}" in text  # formulas as LaTeX, which Markdown viewers render
    assert "  - note: read as ^+ instead of ^⊤ it would be right" in text
    assert "b = 1 \\| 2" in text  # table-breaking bars are escaped
    assert text.endswith("- line 9: unbalanced braces\n")


def test_markdown_can_hide_right_findings():
    assert "five steps" not in to_markdown(sample_result(), show_right=False)
