"""Limits of derivatives at ±∞: AMA564 A1 Q1a, Prof. You's softplus, forms students write, and refusals."""

from __future__ import annotations

import pytest
import sympy

from chainrule.engine.activations import X, get_activation
from chainrule.engine.equivalence import decide_equal
from chainrule.engine.limits import limit_at_infinity

a = sympy.Symbol("a", positive=True)
UNIT = {a: sympy.Interval.open(0, 1)}


def _both(expr, domains=None):
    return [limit_at_infinity(expr, X, point, domains) for point in ("+oo", "-oo")]


@pytest.mark.parametrize(
    ("name", "plus", "minus"),
    [
        ("sigmoid", 0, 0),  # AMA564 A1 Q1a(1)
        ("tanh", 0, 0),  # Q1a(2)
        ("relu", 1, 0),  # the worked example
        ("identity", 1, 1),
        ("gelu", 1, 0),
        ("elu", 1, 0),
        ("softplus", 1, 0),
    ],
)
def test_limits_of_registered_derivatives(name, plus, minus):
    act = get_activation(name)
    at_plus, at_minus = _both(act.derivative, act.symbol_domains)
    assert (at_plus.status, at_minus.status) == ("exists", "exists")
    assert (at_plus.value, at_minus.value) == (plus, minus)


def test_leaky_relu_limits_are_one_and_a_with_a_symbolic():
    """AMA564 A1 Q1a(3): 1 at +∞ and a at −∞ (seed 001 swapped them)."""
    act = get_activation("leaky_relu")
    at_plus, at_minus = _both(act.derivative, act.symbol_domains)
    assert at_plus.value == 1
    assert at_minus.value == act.params["a"]
    assert decide_equal(act.params["a"], at_plus.value, domains=act.symbol_domains).verdict == "different"


def test_leaky_relu_limits_with_a_number():
    act = get_activation("leaky_relu", a="0.01")
    assert [fact.value for fact in _both(act.derivative)] == [1, sympy.Rational(1, 100)]


@pytest.mark.parametrize(
    "student_form",
    [
        sympy.Piecewise((a, a * X > X), (1, True)),  # seed 001's own form
        sympy.diff(sympy.Max(a * X, X), X),  # Heaviside form SymPy gives for d/dx max{ax, x}
        a + (1 - a) * sympy.Heaviside(X),
    ],
    ids=["piecewise in ax > x", "heaviside from max", "indicator"],
)
def test_forms_with_conditions_on_the_parameter_use_its_domain(student_form):
    at_plus, at_minus = _both(student_form, UNIT)
    assert at_plus.value == 1
    assert at_minus.value == a


def test_without_a_lt_1_the_branch_at_infinity_is_undecided_not_guessed():
    at_plus, _ = _both(sympy.diff(sympy.Max(a * X, X), X), {})
    assert at_plus.status == "undecided"
    assert at_plus.value is None


def test_the_student_tanh_form_has_the_same_limits():
    e2x = sympy.exp(2 * X)
    assert [fact.value for fact in _both(4 * e2x / (e2x + 1) ** 2)] == [0, 0]


def test_softplus_with_beta_symbolic():
    act = get_activation("softplus")
    assert [fact.value for fact in _both(act.derivative, act.symbol_domains)] == [1, 0]


def test_a_parameter_in_a_shifted_interval_is_rewritten_back():
    b = sympy.Symbol("b", positive=True)
    at_plus, at_minus = _both(sympy.Piecewise((b, X > 0), (b - 2, True)), {b: sympy.Interval.open(2, 5)})
    assert at_plus.value == b
    assert sympy.simplify(at_minus.value - (b - 2)) == 0


def test_oscillation_has_no_limit():
    assert limit_at_infinity(sympy.sin(X), X, "+oo").status == "does not exist"


def test_infinite_limits():
    assert limit_at_infinity(sympy.Max(X, 0), X, "+oo").value == sympy.oo


def test_direction_must_be_plus_or_minus_infinity():
    with pytest.raises(ValueError):
        limit_at_infinity(X, X, "0")
