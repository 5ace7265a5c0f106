"""`chainrule derive`, in-process: JSON facts, exact parameters, one-line located errors with exit code 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    """Run ``chainrule derive ARGS``; while derive is the only registered command Typer runs it without its name."""
    command = typer.main.get_command(app)
    prefix = ["derive"] if hasattr(command, "commands") else []
    return runner.invoke(app, [*prefix, *args])


def test_json_for_leaky_relu_with_a_symbolic():
    result = invoke("leaky_relu", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "leaky_relu"
    assert data["limits"] == {"+oo": "1", "-oo": "a"}
    assert data["derivative"] == "(1 if x > 0 else a)"
    assert "cases" in data["derivative_latex"]
    assert data["kink"]["derivative_there"] == ["a"]
    assert data["lipschitz"]["derivative"]["lipschitz"] is False


def test_json_with_an_exact_parameter_and_pytorch_spelling():
    data = json.loads(invoke("LeakyReLU", "--param", "negative_slope=0.01", "--json").output)
    assert data["params"] == {"a": "1/100"}
    assert data["limits"] == {"+oo": "1", "-oo": "1/100"}


def test_text_output_names_every_fact():
    result = invoke("softplus", "-p", "beta=2")
    assert result.exit_code == 0, result.output
    assert "f'(x) = 1/(1 + exp(-2*x))" in result.output
    assert "x → +∞: 1;  x → −∞: 0" in result.output
    assert "smallest constant 1/2" in result.output


def test_plot_option_writes_the_file(tmp_path):
    target = tmp_path / "gelu.png"
    result = invoke("gelu", "--plot", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["plot"] == str(target)
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("swishy",), "NAME"),
        (("leaky_relu", "--param", "a=2"), "--param a"),
        (("leaky_relu", "--param", "a=__import__('os')"), "--param a=__import__"),
        (("leaky_relu", "--param", "a"), "--param a"),
        (("relu", "--param", "a=1"), "--param a=1"),
        (("elu", "--param", "alpha=1", "--param", "alpha=2"), "--param alpha=2"),
        (("elu", "--plot", "elu.png"), "--plot"),
        (("elu", "--param", "alpha=1e-9999"), "--param alpha"),
        (("softplus", "--param", "beta=1e9999", "--plot", "x.png"), "--param beta"),
        (("leaky_relu", "--param", "a=1e999999"), "--param a=1e999999"),
        (("leaky_relu", "--param", "a=10^{10^{10}}"), "--param a=10^"),
        (("leaky_relu", "--param", "a="), "--param a="),
        (("x" * 100,), "NAME"),
        (("elu", "--param", "alpha=1", "--plot", "/nonexistent-dir/elu.png"), "/nonexistent-dir/elu.png"),
    ],
)
def test_bad_arguments_are_one_line_errors_naming_the_argument(args, named):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {named}")
    assert "Traceback" not in result.output


def test_the_newer_activations_are_known_by_name_and_alias():
    result = invoke("Hard-Tanh", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "hardtanh"
    assert data["kink"]["points"] == ["-1", "1"] and data["kink"]["derivative_there"] == ["0", "0"]
    assert data["limits"] == {"+oo": "0", "-oo": "0"}
    text = invoke("selu", "--param", "alpha=1", "--param", "scale=2")
    assert text.exit_code == 0, text.output
    assert "f'(x) = (2 if x > 0 else 2*exp(x))" in text.output  # α = 1 closes the jump: no kink
    assert "kink" not in text.output
