"""`chainrule backprop`, in-process: JSON, Markdown, terminal text, float mode, and one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainrule.cli.app import app

REPO = Path(__file__).resolve().parents[2]
AMA564 = str(REPO / "examples" / "ama564-net.yaml")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["backprop", *args])


def test_json_for_ama564_is_exact():
    result = invoke(AMA564, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["output"] == ["1.33"]
    assert data["gradients"]["W1"] == [["0", "0", "0"], ["1.1", "2.2", "3.3"]]
    assert data["gradients"]["b1"] == ["0", "1.1"]
    assert data["gradients"]["W2"] == [["0", "1.3"]]
    assert data["gradients"]["b2"] == ["1"]
    assert data["forward"]["h1"] == ["0", "1.3"]


def test_markdown_is_the_worked_pass():
    result = invoke(AMA564, "--md")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Backpropagation, worked exactly")
    assert r"\frac{1}{2}\left(1.33 - 0.33\right)^2 = 0.5" in result.output
    assert r"\delta^{(1)} = \frac{\partial L}{\partial z^{(1)}}" in result.output


def test_terminal_summary_and_float_mode():
    result = invoke(AMA564)
    assert result.exit_code == 0, result.output
    assert "y_hat = 1.33" in result.output and "dL/dW1 = [[0, 0, 0], [1.1, 2.2, 3.3]]" in result.output
    floats = invoke(AMA564, "--float", "--json")
    assert floats.exit_code == 0, floats.output
    assert json.loads(floats.output)["gradients"]["b1"] == [0.0, 1.1]


def test_every_example_runs_in_every_format():
    for example in sorted((REPO / "examples").glob("*.yaml")):
        for flags in ([], ["--json"], ["--md"], ["--float"]):
            result = invoke(str(example), *flags)
            assert result.exit_code == 0, (example.name, flags, result.output)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "net.yaml"
    path.write_text(text)
    return str(path)


def test_shape_mismatch_is_one_located_line_with_exit_code_2(tmp_path):
    path = write(tmp_path, "layers:\n  - {W: [[1, 2], [3, 4]], b: [0, 0], activation: relu}\n"
                           "  - {W: [[1, 2, 3]], b: [0]}\ninput: [1, 2]\ntarget: [1]\n")
    result = invoke(path, "--json")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: net.yaml: layers[1].W: expected 1 row of 2 entries to match layer 0's 2 outputs, got a row of 3"
    )
    assert "Traceback" not in result.output


def test_unknown_activation_non_number_and_missing_file_exit_2(tmp_path):
    cases = [
        ("layers: [{W: [[1]], b: [0], activation: swishy}]\ninput: [1]\ntarget: [1]", "layers[0].activation"),
        ("layers: [{W: [[1]], b: [0]}]\ninput: [__import__('os')]\ntarget: [1]", "input[0]"),
        ("layers: [{W: [[1]], b: [0]}]\ninput: [1]\ntarget: [1]\nloss: hinge", "net.yaml: loss"),
    ]
    for text, where in cases:
        result = invoke(write(tmp_path, text))
        assert result.exit_code == 2, result.output
        assert where in result.output and result.output.count("\n") == 1
    missing = invoke(str(tmp_path / "absent.yaml"))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_bce_on_an_unbounded_output_is_an_input_error(tmp_path):
    result = invoke(write(tmp_path, "layers: [{W: [[2]], b: [0]}]\ninput: [1]\ntarget: [1]\nloss: bce\n"))
    assert result.exit_code == 2
    assert "strictly between 0 and 1" in result.output


def test_conflicting_flags_are_refused():
    result = invoke(AMA564, "--json", "--md")
    assert result.exit_code == 2 and "--json/--md" in result.output


def test_a_wide_sigmoid_network_stops_at_the_timeout_printing_included(tmp_path):
    # 24 sigmoid units in two layers: the exact pass itself is quick, but its entries are long expressions in
    # named intermediates, and printing them used to run unbounded after the pass had finished.
    width = 24
    row = "[" + ", ".join(f"0.{(7 * i) % 10 + 1}" for i in range(width)) + "]"
    layer = "  - {W: [" + ", ".join([row] * width) + "], b: " + row + ", activation: sigmoid}\n"
    net = tmp_path / "wide.yaml"
    net.write_text("layers:\n" + layer * 2 + f"input: {row}\ntarget: {row}\nloss: half_squared_error\n")
    result = invoke(str(net), "--timeout", "0.3")
    assert result.exit_code == 3, result.output  # could not finish
    assert result.output.strip().splitlines() == [
        f"error: {net}: the exact pass took longer than 0.3 s; run with --float (or a larger --timeout)"]
    assert invoke(str(net), "--float").exit_code == 0


def test_a_directory_is_refused_in_one_line(tmp_path):
    result = invoke(str(tmp_path))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {tmp_path}: is a directory, not a file"]


def test_float_overflow_never_prints_infinity(tmp_path):
    net = tmp_path / "huge.yaml"
    net.write_text("layers:\n  - {W: [[1e200]], b: [0], activation: identity}\n"
                   "  - {W: [[1e200]], b: [0], activation: identity}\ninput: [1e10]\ntarget: [1]\n"
                   "loss: half_squared_error\n")
    result = invoke(str(net), "--float", "--format", "json")
    assert "Infinity" not in result.output and "NaN" not in result.output
    assert result.exit_code == 3 and len(result.output.strip().splitlines()) == 1, result.output


def test_the_json_writer_is_strict():
    from chainrule.reports.jsonout import dumps

    text = dumps({"a": float("inf"), "b": [float("nan"), 1.5], "c": "\u202e\x9b"})
    assert json.loads(text, parse_constant=lambda name: pytest.fail(name)) == {"a": None, "b": [None, 1.5],
                                                                             "c": "\u202e\x9b"}
    assert "\u202e" not in text and "\x9b" not in text
