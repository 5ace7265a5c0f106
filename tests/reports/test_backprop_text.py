from __future__ import annotations

from pathlib import Path

from chainrule.assignments.network import load_network
from chainrule.engine.mlp import trace_exact
from chainrule.engine.mlp_float import trace_float
from chainrule.reports.backprop_text import render_text

REPO = Path(__file__).resolve().parents[2]


def test_ama564_summary_leads_with_the_answers():
    text = render_text(trace_exact(load_network(REPO / "examples" / "ama564-net.yaml")))
    lines = text.splitlines()
    assert lines[0] == "network   3 -> 2 (ReLU) -> 1 (Identity)"
    assert "output    y_hat = 1.33" in lines and "loss      L = 0.5" in lines
    assert "  dL/dW1 = [[0, 0, 0], [1.1, 2.2, 3.3]]" in lines
    assert "  dL/db1 = [0, 1.1]" in lines
    assert "  dL/dW2 = [[0, 1.3]]" in lines
    assert "  dL/db2 = 1" in lines


def test_irrational_values_print_as_decimals_with_their_exact_form_when_short():
    problem = load_network(REPO / "examples" / "softmax-ce.yaml")
    text = render_text(trace_exact(problem))
    assert "L = log(exp(-301/100) + exp(-1/200) + 1) (≈0.715057)" in text
    assert "^{(" not in text  # named intermediates never reach the terminal
    assert "mode      float" in render_text(trace_float(problem))
