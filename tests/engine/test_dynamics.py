"""Gradient-descent dynamics checked by independent routes: closed forms, float iteration, autograd."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.dynamics import (
    Convention,
    Regime,
    classify,
    descent_bound_check,
    gd_quadratic,
    logistic_descent_bound_check,
    quadratic_thresholds,
    run_quadratic_gd,
    steps_to_tolerance,
)
from chainrule.errors import InputError

R = sympy.Rational


def test_prof_you_q4_runs_exactly_under_the_half_convention():
    result = gd_quadratic()
    assert result.convention == Convention.HALF
    half = {run.alpha: run for run in result.runs}
    assert [int(v) for v in half[R(1, 2)].iterates[:3]] == [0, 50, 75]
    assert half[R(3, 2)].iterates[:4] == (0, 150, 75, R(225, 2))
    assert half[R(5, 2)].iterates[:4] == (0, 250, -125, R(875, 2))
    assert [half[a].regime for a in (R(1, 2), R(3, 2), R(5, 2))] == [
        Regime.MONOTONE_CONVERGENCE, Regime.OSCILLATING_CONVERGENCE, Regime.OSCILLATING_DIVERGENCE]
    assert [half[a].steps_to_tolerance for a in (R(1, 2), R(3, 2), R(5, 2))] == [7, 7, None]


def test_the_plain_convention_is_reported_beside_it():
    result = gd_quadratic()
    plain = {run.alpha: run for run in result.other_runs}
    assert plain[R(1, 2)].regime == Regime.ONE_STEP and plain[R(1, 2)].iterates[1] == 100
    assert plain[R(3, 2)].regime == Regime.OSCILLATING_DIVERGENCE
    assert "½" in result.note


@pytest.mark.parametrize("alpha", ["0.5", "1.5", "2.5", "2", "1", "0.1", "-0.25"])
@pytest.mark.parametrize("convention", list(Convention))
def test_iterates_match_the_closed_form_and_float_iteration(alpha, convention):
    run = run_quadratic_gd(alpha, x=3, y=-7, w0=2, convention=convention, iterations=12)
    w_star, r = R(-7, 3), run.ratio
    for t, w in enumerate(run.iterates):
        assert w == w_star + r**t * (2 - w_star)  # exact closed form
    k = 0.5 if convention == Convention.HALF else 1.0
    w = 2.0
    for value in run.iterates[1:]:
        w = w - float(alpha) * 2 * k * 3 * (3 * w + 7)
        assert float(value) == pytest.approx(w, rel=1e-9, abs=1e-9)


def test_thresholds_are_derived_for_both_conventions_and_any_x():
    half, plain = quadratic_thresholds("half", 1), quadratic_thresholds("plain", 1)
    assert (half.at["one_step"], half.at["constant_oscillation"]) == (1, 2)
    assert (plain.at["one_step"], plain.at["constant_oscillation"]) == (R(1, 2), 1)
    x = sympy.Symbol("x", real=True)
    assert sympy.simplify(half.one_step - 1 / x**2) == 0
    assert sympy.simplify(plain.constant_oscillation - 1 / x**2) == 0
    assert any("0 < α < 2" in s for s in half.statements)
    assert [step.label for step in half.steps][:3] == ["L(w)", "L'(w)", "w^{*}"]
    assert half.steps[4].text == "-alpha*x**2 + 1"


def test_regimes_at_the_thresholds():
    assert run_quadratic_gd(1).regime == Regime.ONE_STEP
    two = run_quadratic_gd(2, iterations=4)
    assert two.regime == Regime.CONSTANT_OSCILLATION and two.iterates == (0, 200, 0, 200, 0)
    assert run_quadratic_gd(0).regime == Regime.STATIONARY
    assert run_quadratic_gd(1, w0=100).regime == Regime.AT_OPTIMUM
    assert classify(R(3, 2)) == Regime.MONOTONE_DIVERGENCE


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.fractions(min_value=Fraction(-3), max_value=Fraction(3), max_denominator=50),
       st.fractions(min_value=Fraction(1, 10), max_value=Fraction(1000), max_denominator=20))
def test_steps_to_tolerance_closed_form_agrees_with_brute_force(ratio, d0):
    r, d = R(ratio.numerator, ratio.denominator), R(d0.numerator, d0.denominator)
    answer = steps_to_tolerance(r, d, R(1))
    brute, distance = None, d
    for t in range(400):
        if distance < 1:
            brute = t
            break
        distance *= abs(r)
    if answer is None:
        assert brute is None
    elif answer <= 399:
        assert answer == brute


def test_plot_data_is_floats_of_the_right_length():
    run = run_quadratic_gd("1.5", iterations=6)
    assert set(run.plot) == {"t", "w", "loss", "distance", "w_star"}
    assert all(len(v) == 7 for v in run.plot.values()) and run.plot["w"][1] == 150.0
    assert run.lines[0] == "w_1 = w_0 − α L′(w_0) = 0 − 1.5·(-100) = 150"
    assert run.steps[0].latex == r"w_{1} = 0 - \frac{3}{2} \cdot \left(-100\right) = 150"


@pytest.mark.parametrize("bad", [{"alpha": "x"}, {"x": 0}, {"tolerance": -1}, {"iterations": 10**6}])
def test_bad_inputs_are_located_errors(bad):
    kwargs = {"alpha": 1, **bad}
    with pytest.raises(InputError):
        run_quadratic_gd(**kwargs)


def _numpy_quadratic_rows(step_scale, T=30):
    h = np.array([[52, 36], [36, 73]]) / 25
    b = np.array([1.0, 2.0])
    big_l = np.linalg.eigvalsh(h).max()
    theta = np.array([3.0, -2.0])
    f = lambda v: 0.5 * v @ h @ v - b @ v  # noqa: E731
    f0, f_bar = f(theta), f(np.linalg.solve(h, b))
    mins, best = [], np.inf
    for _ in range(T):
        theta = theta - step_scale / big_l * (h @ theta - b)
        g = h @ theta - b
        best = min(best, g @ g)
        mins.append(best)
    return big_l, mins, [2 * big_l * (f0 - f_bar) / t for t in range(1, T + 1)]


def test_descent_bound_holds_exactly_for_every_t_with_step_one_over_l():
    check = descent_bound_check(T=30)
    assert check.exact and check.L == 4 and check.all_hold and all(check.descent_holds)
    big_l, mins, bounds = _numpy_quadratic_rows(1.0)
    assert big_l == pytest.approx(4.0)
    for row, m, bound in zip(check.rows, mins, bounds, strict=True):
        assert float(row.min_grad_sq) == pytest.approx(m, rel=1e-9)
        assert float(row.bound) == pytest.approx(bound, rel=1e-12)


def test_descent_bound_fails_when_the_step_breaks_the_hypothesis():
    check = descent_bound_check(T=30, step_scale="2.5")
    assert not check.all_hold and check.first_violation is not None
    assert not all(check.descent_holds)
    _, mins, bounds = _numpy_quadratic_rows(2.5)
    first = next(t for t, (m, b) in enumerate(zip(mins, bounds, strict=True), start=1) if m > b)
    assert first == check.first_violation


def test_descent_bound_rejects_an_l_below_the_smoothness_constant():
    with pytest.raises(InputError, match="below"):
        descent_bound_check(L=3)
    assert descent_bound_check(L=5, T=5).all_hold


def test_logistic_descent_bound_holds_and_its_gradients_match_autograd():
    check = logistic_descent_bound_check(n=30, p=3, T=40)
    assert check.all_hold and all(check.descent_holds)
    x, y = (torch.tensor(a) for a in check.data)
    best = np.inf
    for row, theta in zip(check.rows, check.iterates[1:], strict=True):
        t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        torch.nn.functional.softplus(-y * (x @ t)).mean().backward()
        best = min(best, float(t.grad @ t.grad))
        assert row.min_grad_sq == pytest.approx(best, rel=1e-9)
    hessian_bound = torch.linalg.eigvalsh(x.T @ x / len(y)).max().item() / 4
    assert check.L == pytest.approx(hessian_bound)


def test_least_squares_gd_matches_float_iteration_and_numpy_eigenvalues():
    from chainrule.engine.dynamics import least_squares_gd

    x, y = [[1, 0], [0, 2], [1, 1]], [1, 2, 3]
    result = least_squares_gd(x, y, "0.5", [0, 0], iterations=10)
    xm, yv = np.array(x, dtype=float), np.array(y, dtype=float)
    rho = np.linalg.eigvalsh(xm.T @ xm).max()
    assert float(result.spectral_radius) == pytest.approx(rho)
    assert float(result.threshold) == pytest.approx(2 / rho)
    theta = np.zeros(2)
    for exact in result.iterates[1:]:
        theta = theta - 0.5 * xm.T @ (xm @ theta - yv)
        np.testing.assert_allclose([float(v) for v in exact], theta, rtol=1e-12)
    assert result.diverges and result.plot["distance"][-1] > 50 * result.plot["distance"][0]
    below = least_squares_gd(x, y, "0.3", [0, 0], iterations=40)
    assert not below.diverges and below.unstable == ()
    np.testing.assert_allclose([float(v) for v in below.theta_star], np.linalg.lstsq(xm, yv, rcond=None)[0])


def test_least_squares_gd_does_not_diverge_along_a_stable_eigenvector():
    from chainrule.engine.dynamics import least_squares_gd

    x, y = [[1, 0], [0, 2], [1, 0]], [1, 2, 3]  # XᵀX = diag(2, 4), θ* = (2, 1)
    assert least_squares_gd(x, y, "0.6", [3, 1]).diverges is False
    assert least_squares_gd(x, y, "0.6", [2, "1.001"]).diverges is True
    with pytest.raises(InputError):
        least_squares_gd([[1, 1], [1, 1]], [1, 2], "0.1", [0, 0])


def test_steps_to_tolerance_near_one_uses_high_precision_instead_of_huge_powers():
    r = 1 - R(1, 10**12)
    t = steps_to_tolerance(r, R(100), R(1))
    assert t == int(np.ceil(np.log(100) / -np.log1p(-1e-12)))


def test_long_runs_keep_all_iterates_but_write_out_the_first_steps():
    run = run_quadratic_gd("0.001", iterations=300)
    assert len(run.iterates) == 301 and len(run.steps) == 50
