"""Activation answers against PyTorch autograd (derivatives) and floating-point evaluation far out (limits)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
import torch

from chainrule.engine.activations import X, get_activation

POINTS = [-3.0, -0.7, 0.4, 2.5]


def _autograd(function, x: float) -> float:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    function(t).backward()
    return float(t.grad)


def _stated(answer_value: str, name: str, **params: float) -> sympy.Expr:
    """The registry derivative the answer states (its text must be exactly that expression), parameters set."""
    symbols = {k: sympy.Symbol(k, positive=True) for k in params}
    derivative = get_activation(name, **symbols).derivative
    assert answer_value == str(derivative)
    return derivative.subs({symbols[k]: v for k, v in params.items()})


@pytest.mark.parametrize(
    ("question", "name", "function"),
    [
        ("1a.1", "sigmoid", lambda t: 1 / (1 + torch.exp(-t))),
        ("1a.2", "tanh", lambda t: (torch.exp(2 * t) - 1) / (torch.exp(2 * t) + 1)),
    ],
)
def test_ama564_derivatives_match_autograd(solve_builtin, question: str, name: str, function) -> None:
    answer = solve_builtin("ama564-a1").question(question).answers["derivative"].value
    derivative = _stated(answer, name)
    for x in POINTS:
        assert float(derivative.subs(X, x)) == pytest.approx(_autograd(function, x), rel=1e-12)


def test_leaky_relu_derivative_and_limits(solve_builtin) -> None:
    answers = solve_builtin("ama564-a1").question("1a.3").answers
    a = 0.3
    derivative = _stated(answers["derivative"].value, "leaky_relu", a=a)
    for x in POINTS:
        expected = _autograd(lambda t: torch.maximum(a * t, t), x)
        assert float(derivative.subs(X, x)) == pytest.approx(expected)
    # labels.yaml: the limit at +oo is 1 and at -oo is a (a student swapped them)
    assert answers["limit_pos_inf"].value == "1"
    assert answers["limit_neg_inf"].value == "a"


@pytest.mark.parametrize(("question", "name"), [("1a.1", "sigmoid"), ("1a.2", "tanh")])
def test_limits_agree_with_evaluation_far_out(solve_builtin, question: str, name: str) -> None:
    answers = solve_builtin("ama564-a1").question(question).answers
    derivative = _stated(answers["derivative"].value, name)
    for key, x in (("limit_pos_inf", 40.0), ("limit_neg_inf", -40.0)):
        assert abs(float(derivative.subs(X, x)) - _number(answers[key].value)) < 1e-12


def test_softplus_derivative_is_sigmoid_of_beta_x(solve_builtin) -> None:
    answers = solve_builtin("you-nndl-hw1").question("1.3").answers
    beta = 2.5
    derivative = _stated(answers["derivative"].value, "softplus", beta=beta)
    for x in POINTS:
        expected = _autograd(lambda t: torch.nn.functional.softplus(t, beta=beta), x)
        assert float(derivative.subs(X, x)) == pytest.approx(expected, rel=1e-9)
    assert (answers["limit_pos_inf"].value, answers["limit_neg_inf"].value) == ("1", "0")


def test_softmax_jacobian_pattern_matches_autograd(solve_builtin) -> None:
    answer = solve_builtin("you-nndl-hw1").question("1.2").answers["jacobian"]
    assert "s_i(\\delta_{ij} - s_j)" in answer.tex and answer.shape == "(n×n)"
    z = torch.tensor([0.3, -1.2, 2.0, 0.1], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), z).numpy()
    s = torch.softmax(z, 0).numpy()
    assert np.allclose(jac, np.diag(s) - np.outer(s, s))  # the stated J = diag(s) - s s^T


def test_sigmoid_for_you_hw1(solve_builtin) -> None:
    derivative = _stated(solve_builtin("you-nndl-hw1").question("1.1").answers["derivative"].value, "sigmoid")
    assert float(derivative.subs(X, 0)) == pytest.approx(0.25)


def test_nyu_derivative_plots_and_answers(solve_builtin) -> None:
    question = solve_builtin("nyu-dl-hw1-2022").question("1.4c")
    assert {p.data["name"] for p in question.plots} == {"relu", "leaky_relu", "softplus", "gelu"}
    gelu = _stated(question.answers["gelu:derivative"].value, "gelu")
    for x in POINTS:
        assert float(gelu.subs(X, x)) == pytest.approx(_autograd(torch.nn.functional.gelu, x), rel=1e-9)
    leaky = get_activation("leaky_relu", a=sympy.Rational(1, 100)).derivative
    assert question.answers["leaky_relu:derivative"].value == str(leaky)
    assert float(leaky.subs(X, -1)) == pytest.approx(0.01) and float(leaky.subs(X, 1)) == 1
    softplus = get_activation("softplus", beta=1).derivative
    assert question.answers["softplus:derivative"].value == str(softplus)
    assert math.isclose(float(softplus.subs(X, 0)), 0.5)


def _number(text: str) -> float:
    return float(sympy.Integer(int(text)))


def test_equivalent_forms_are_shown_once_and_read_naturally(solve_builtin) -> None:
    # softplus' σ(βx) and GELU's Φ(x) + xφ(x) print exactly as the derivative: no "Equivalently" repeat;
    # leaky ReLU's alternative form once read "a for x < ax" (SymPy's rewriting of ax > x).
    steps = solve_builtin("nyu-dl-hw1-2022").question("1.4c").steps
    texts = [step.tex for step in steps if step.tex and step.tex.startswith("f'(x)")]
    assert len(texts) == len(set(texts))
    assert not any("x < \\frac{x}{100}" in text for text in texts)
    assert any("x < 0" in text for text in texts)
