"""Size bounds on exact computation (issue 11.5): estimated before anything is built, numeric past the bound."""

from __future__ import annotations

import math

import pytest
import sympy

from chainrule.engine.exact_bounds import (
    MAX_EXACT_BITS,
    TooLarge,
    compare_closed,
    estimate,
    evaluate_closed,
    size_problem,
    substitute,
)

x, y, z = sympy.Dummy("x"), sympy.Dummy("y"), sympy.Dummy("z")
R, I = sympy.Rational, sympy.Integer


def test_exponent_times_digits_bounds_a_power():
    # (1.0000001)^{10^9}: 8 digits over 8 digits, a billion times
    bound = estimate(x**y, {x: R(10000001, 10**7), y: I(10**9)})
    assert bound.bits > 10**10 and not bound.exact_ok
    assert estimate(x**y, {x: I(2), y: I(-65536)}).exact_ok  # 65 536 bits is affordable


def test_nested_powers_are_measured_innermost_first():
    assert estimate(x ** (y**z), {x: I(2), y: I(2), z: I(40)}).bits == pytest.approx(2.0**40)
    tower = estimate(x ** (y ** (z**z)), {x: I(2), y: I(2), z: I(10)})
    assert math.isinf(tower.bits) and not tower.numeric_ok


@pytest.mark.parametrize(("expr", "values", "affordable"), [
    (sympy.factorial(x), {x: I(100)}, True),
    (sympy.factorial(x), {x: I(10**6)}, False),
    (sympy.binomial(x, y), {x: I(10**7), y: I(5 * 10**6)}, False),
    (sympy.Sum(x**2, (x, 1, y)), {y: I(10**9)}, False),
    (sympy.Sum(x**2, (x, 1, y)), {y: I(10)}, True),
    ((2 * sympy.Symbol("t")) ** x, {x: I(10**6)}, False),  # SymPy distributes the power: 2^{10^6} is built
    (sympy.exp(x) ** y, {x: I(1), y: I(10**9)}, False),
])
def test_factorials_binomials_sums_and_symbolic_powers_are_bounded(expr, values, affordable):
    assert estimate(expr, values).exact_ok is affordable
    assert (size_problem(expr, values) is None) is affordable


def test_substitute_refuses_before_building():
    with pytest.raises(TooLarge, match="bits"):
        substitute(x**y, {x: R(10000001, 10**7), y: I(10**9)})
    assert substitute(x**y, {x: I(2), y: I(10)}) == 1024


def test_past_the_bound_the_value_is_numeric_with_a_stated_error():
    closed = evaluate_closed(x**y, {x: R(10000001, 10**7), y: I(10**9)})
    assert not closed.is_exact and "significant digits" in closed.note
    # (1 + 10^-7)^{10^9} = e^{10^9 log(1 + 10^-7)}, independently through mpmath's log
    import mpmath
    with mpmath.workdps(60):
        reference = mpmath.exp(10**9 * mpmath.log1p(mpmath.mpf(10) ** -7))
        assert abs(mpmath.mpf(closed.value._mpf_) - reference) <= mpmath.mpf(closed.error._mpf_)
    assert closed.error < abs(closed.value) * sympy.Float("1e-30")


def test_no_overflow_or_underflow_to_float64_limits():
    huge = evaluate_closed(x**y, {x: I(10), y: I(10**10)})
    assert huge.value > 0 and sympy.Float(huge.value).is_finite and "e+10000000000" in str(huge.value)
    tiny = evaluate_closed(x**y, {x: R(1, 10), y: I(100000)})
    assert tiny.value > 0  # 10^-100000, not 0


def test_a_difference_keeps_digits_that_cancel():
    assert compare_closed(x**y + 1, x**y, {x: I(10), y: I(40)}).exact == 1
    close = compare_closed(sympy.tanh(sympy.log(x)), y / z, {x: I(2), y: I(3), z: I(5)})
    assert not close.is_exact and close.error < sympy.Float("1e-1000")  # equal to over a thousand digits


def test_towers_are_refused_even_numerically():
    with pytest.raises(TooLarge, match="astronomical"):
        evaluate_closed(sympy.tanh(x ** (y**z)), {x: I(2), y: I(2), z: I(40)})


def test_the_bound_is_the_documented_one():
    assert size_problem(x**y, {x: I(2), y: I(MAX_EXACT_BITS + 10)}) is not None
    assert size_problem(x**y, {x: I(2), y: I(MAX_EXACT_BITS - 10)}) is None
