"""Results show themselves in a notebook as the reports render them, with short reprs (no dumps)."""

from __future__ import annotations

from pathlib import Path

from chainrule.grading.findings import CheckResult, Finding, Verdict


def test_results_have_notebook_views_and_short_reprs():
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "reports"))
    from grade_sample import sample_result

    from chainrule.assignments.network import load_network
    from chainrule.engine.mlp import trace_exact

    check = CheckResult("hw.md", [Finding(Verdict.WRONG, 3, "x**2 = 3", "not so", expected="exp(x)")])
    trace = trace_exact(load_network(Path(__file__).parents[1] / "examples" / "ama564-net.yaml"))
    for result in (sample_result(), check, trace):
        html, markdown = result._repr_html_(), result._repr_markdown_()
        assert html.lstrip().startswith('<div class="chainrule">') and "<script" not in html
        assert markdown.strip() and len(repr(result)) < 200
    assert "x**2" not in check._repr_markdown_() and "exp(" not in check._repr_markdown_()
