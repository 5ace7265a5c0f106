"""Lipschitz facts of activation derivatives, each constant checked against torch's second derivative on a grid."""

from __future__ import annotations

import pytest
import sympy
import torch

from chainrule.engine.activations import X, get_activation
from chainrule.engine.lipschitz import lipschitz_fact

SQRT3 = sympy.sqrt(3)


def _sup_second_derivative(act, low=-30.0, high=30.0, points=60001) -> float:
    """sup |f''| by torch double-backward on a fine grid: an independent route to the constant."""
    x = torch.linspace(low, high, points, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(act.torch(x).sum(), x, create_graph=True)
    if not slope.requires_grad:  # a constant slope (the identity) has no graph left: f'' = 0
        return 0.0
    (curvature,) = torch.autograd.grad(slope.sum(), x)
    return float(curvature.abs().max())


@pytest.mark.parametrize(
    ("name", "params", "constant"),
    [
        ("sigmoid", {}, 1 / (6 * SQRT3)),
        ("tanh", {}, 4 / (3 * SQRT3)),
        ("softplus", {"beta": 1}, sympy.Rational(1, 4)),  # Ryu HW3 5b: softplus has a Lipschitz derivative
        ("softplus", {"beta": 2}, sympy.Rational(1, 2)),
        ("gelu", {}, sympy.sqrt(2 / sympy.pi)),
        ("elu", {"alpha": 1}, sympy.Integer(1)),
        ("identity", {}, sympy.Integer(0)),
    ],
)
def test_lipschitz_constants_of_derivatives(name, params, constant):
    act = get_activation(name, **params)
    fact = lipschitz_fact(act.derivative, X, act.symbol_domains)
    assert fact.status == "lipschitz", fact.reason
    assert fact.exact
    assert sympy.simplify(fact.constant - constant) == 0
    grid = _sup_second_derivative(act)
    # The grid's sup approaches the constant from below (ELU's sup e^x → 1 is approached as x → 0⁻).
    assert grid <= float(constant) + 1e-9
    assert grid == pytest.approx(float(constant), rel=1e-3, abs=1e-12)


def test_softplus_beta_symbolic_gives_beta_over_four():
    act = get_activation("softplus")
    fact = lipschitz_fact(act.derivative, X, act.symbol_domains)
    assert fact.constant == act.params["beta"] / 4


@pytest.mark.parametrize(
    ("name", "params", "left", "right"),
    [
        ("relu", {}, 0, 1),
        ("leaky_relu", {"a": "0.01"}, sympy.Rational(1, 100), 1),
        ("scaled_relu", {"c": 5}, 0, 5),
        ("elu", {"alpha": 2}, 2, 1),
    ],
)
def test_kinked_derivatives_are_not_even_continuous(name, params, left, right):
    act = get_activation(name, **params)
    fact = lipschitz_fact(act.derivative, X, act.symbol_domains)
    assert fact.status == "not lipschitz"
    assert fact.continuous is False
    (jump,) = fact.discontinuities
    assert (jump.at, jump.left, jump.right) == (0, left, right)
    # Independent: the one-sided slopes torch computes just left and right of 0 jump by the same amount.
    x = torch.tensor([-1e-9, 1e-9], dtype=torch.float64, requires_grad=True)
    (slopes,) = torch.autograd.grad(act.torch(x).sum(), x)
    assert slopes.tolist() == pytest.approx([float(left), float(right)], abs=1e-8)


def test_elu_derivative_is_continuous_only_for_alpha_one():
    act = get_activation("elu")
    fact = lipschitz_fact(act.derivative, X, act.symbol_domains)
    assert fact.status == "not lipschitz"
    (jump,) = fact.discontinuities
    alpha = act.params["alpha"]
    assert jump.unless == ({alpha: 1},)
    ((when, special),) = fact.special_cases
    assert when == {alpha: 1}
    assert special.status == "lipschitz" and special.constant == 1


def test_leaky_relu_symbolic_jump_has_no_closing_value_inside_the_domain():
    act = get_activation("leaky_relu")
    fact = lipschitz_fact(act.derivative, X, act.symbol_domains)
    (jump,) = fact.discontinuities
    assert jump.unless == ()  # a = 1 would close it, but 0 < a < 1


@pytest.mark.parametrize(
    ("name", "params", "constant"),
    [("relu", {}, 1), ("sigmoid", {}, sympy.Rational(1, 4)), ("tanh", {}, 1), ("leaky_relu", {}, 1)],
)
def test_lipschitz_constants_of_the_functions(name, params, constant):
    act = get_activation(name, **params)
    fact = lipschitz_fact(act.definition, X, act.symbol_domains)
    assert fact.status == "lipschitz"
    assert fact.constant == constant


def test_unbounded_derivative_is_not_lipschitz():
    fact = lipschitz_fact(X**2, X)
    assert fact.status == "not lipschitz"
    assert fact.constant == sympy.oo


def test_a_value_off_the_pieces_is_a_discontinuity():
    fact = lipschitz_fact(sympy.Piecewise((0, sympy.Eq(X, 0)), (1, True)), X)
    assert fact.status == "not lipschitz"


@pytest.mark.parametrize(
    ("expr", "status", "constant"),
    [
        (1 / X, "undecided", None),  # a pole hidden inside one piece must not pass for smooth
        (sympy.sqrt(sympy.Abs(X)), "not lipschitz", sympy.oo),
        (
            sympy.Piecewise((sympy.sqrt(X), X > 1), (X / 2 + sympy.Rational(1, 2), True)),
            "lipschitz",
            sympy.Rational(1, 2),
        ),
        (1 / (1 + X**2), "lipschitz", 3 * sympy.sqrt(3) / 8),
        (sympy.atan(X), "lipschitz", 1),
    ],
    ids=["pole", "square root cusp", "glued square root", "Cauchy bump", "arctangent"],
)
def test_general_functions(expr, status, constant):
    fact = lipschitz_fact(expr, X)
    assert fact.status == status, fact.reason
    assert fact.constant == constant


def test_numeric_fallback_is_marked_approximate_and_matches_a_torch_grid():
    """Critical points of sin(3x)e^{-x²}'s slope are transcendental: the constant is found numerically."""
    fact = lipschitz_fact(sympy.sin(3 * X) * sympy.exp(-(X**2)), X)
    assert fact.status == "lipschitz" and not fact.exact
    x = torch.linspace(-10, 10, 200001, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad((torch.sin(3 * x) * torch.exp(-(x**2))).sum(), x)
    assert float(fact.constant) == pytest.approx(float(slope.abs().max()), rel=1e-6)
