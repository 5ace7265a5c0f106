"""Exact values past Python's 4,300-digit int→str limit print as approximations with their digit count (11.7)."""

from __future__ import annotations

import json

import pytest
import sympy
from typer.testing import CliRunner

from chainrule.cli.app import app
from chainrule.engine.exact import format_exact, printable

runner = CliRunner()
# Sixteen layers of weights 10^300: the output and gradients have thousands of digits.
LAYERS = "".join(f"  - {{W: [[1e300{', 1e300' if i == 0 else ''}]], b: [0.1], activation: identity}}\n"
                 for i in range(16))
NET = f"layers:\n{LAYERS}input: [3, 7]\ntarget: [0.33]\nloss: half_squared_error\n"


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(NET, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("flag", [[], ["--md"], ["--json"]])
def test_every_format_prints_huge_exact_values(net, flag):
    result = runner.invoke(app, ["backprop", net, *flag])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Exceeds the limit" not in result.output
    assert "digits)" in result.output  # the digit count stands beside the approximation


def test_json_stays_strict_when_approximations_leave_float64(net):
    result = runner.invoke(app, ["backprop", net, "--json"])

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    data = json.loads(result.output, parse_constant=refuse)
    assert data["approx"]["gradients"]["W1"] == [[None, None]]  # beyond float64: null, never Infinity
    assert data["gradients"]["W1"][0][0].startswith("≈")


def test_expressions_with_huge_rationals_print():
    value = sympy.exp(sympy.Symbol("x")) * sympy.Rational(7) ** 6000
    assert "7**6000" not in format_exact(value) and len(format_exact(value)) < 100
    assert len(sympy.latex(printable(value))) < 100
