"""Golden output for AMA564 A1 Q1(b), and well-formed LaTeX for every example network in both modes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainrule.assignments.network import load_network, parse_network
from chainrule.engine.mlp import trace_exact
from chainrule.engine.mlp_float import trace_float
from chainrule.reports.backprop_markdown import BackpropMarkdown, render_markdown

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "backprop-ama564.md"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


def test_ama564_worked_pass_matches_the_golden_file():
    assert render_markdown(trace_exact(load_network(REPO / "examples" / "ama564-net.yaml"))) == GOLDEN.read_text()


def test_ama564_worked_pass_shows_the_student_steps():
    text = GOLDEN.read_text()
    # each intermediate with its formula, the numbers substituted, the result
    assert r"z^{(1)} = W^{(1)} x + b^{(1)} = \begin{bmatrix} -0.8 & 0.5 & -1 \\ 1.2 & -0.7 & 0.2 \end{bmatrix}" in text
    assert r"= \begin{bmatrix} -3.2 \\ 1.3 \end{bmatrix}$$" in text
    assert r"+ \left(-0.1\right) = 1.33$$" in text
    assert r"L = \frac{1}{2}\left(\hat y - y\right)^2 = \frac{1}{2}\left(1.33 - 0.33\right)^2 = 0.5$$" in text
    assert r"\operatorname{ReLU}'\left(-3.2\right)" in text
    assert r"= \begin{bmatrix} 0 & 0 & 0 \\ 1.1 & 2.2 & 3.3 \end{bmatrix}$$" in text
    assert "ReLU'(0) = 0" in text


def balanced(latex: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", latex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and latex.count(r"\left") == latex.count(r"\right") and \
        latex.count(r"\begin{bmatrix}") == latex.count(r"\end{bmatrix}")


@pytest.mark.parametrize("mode", ["exact", "float"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_renders_well_formed_math(example, mode):
    problem = load_network(example)
    text = render_markdown(trace_exact(problem) if mode == "exact" else trace_float(problem))
    blocks = re.findall(r"\$\$(.*?)\$\$", text, re.S) + re.findall(r"(?<!\$)\$([^$]+)\$(?!\$)", text)
    assert blocks
    for block in blocks:
        assert balanced(block), block
        assert "\x00" not in block and "+ -" not in block and "- -" not in block, block
        assert "^\\top^" not in block and "}^{(" not in block.replace("_{", ""), block
    assert "## Results" in text


def test_batches_print_one_column_per_sample():
    text = render_markdown(trace_exact(load_network(REPO / "examples" / "batch-net.yaml")))
    assert r"\mathbf{1}^\top" in text and "mean over 3 samples" in text
    assert r"\frac{1}{3}\left(" in text


def test_float_mode_prints_significant_digits():
    problem = parse_network("layers: [{W: [[1]], b: [0], activation: sigmoid}]\ninput: [1]\ntarget: [0]")
    text = BackpropMarkdown(float_digits=4).render(trace_float(problem))
    assert "0.7311" in text and "worked in floats" in text


def test_unknown_settings_are_rejected():
    with pytest.raises(TypeError, match="unknown settings"):
        BackpropMarkdown(colour=True)
