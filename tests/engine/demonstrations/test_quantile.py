from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.demonstrations import (
    empirical_quantile,
    empirical_risk,
    population_check_loss_minimiser,
    quantile_demonstration,
)
from chainrule.errors import InputError


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.integers(-30, 30), min_size=1, max_size=12),
       st.fractions(min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20))
def test_quantile_minimises_the_risk_against_a_brute_force_grid(values, tau):
    sample = [sympy.Rational(v, 2) for v in values]
    t = sympy.Rational(tau.numerator, tau.denominator)
    demo = quantile_demonstration(sample, t)
    assert demo.passed
    q = empirical_quantile(sample, t)
    grid = [sympy.Rational(k, 4) for k in range(-4 * 16, 4 * 16 + 1)]  # includes every sample point
    grid_min = min(empirical_risk(g, sample, t) for g in grid)
    assert empirical_risk(q, sample, t) == grid_min
    # numpy's inverted-CDF quantile is the same definition, computed independently
    assert float(q) == pytest.approx(np.quantile([float(s) for s in sample], float(t), method="inverted_cdf"))


def test_an_interval_of_minimisers_when_n_tau_is_an_integer():
    demo = quantile_demonstration(list(range(1, 11)), "0.3")
    assert demo.evidence_value("minimisers") == ["3", "4"]
    assert demo.evidence_value("empirical quantile") == "3"


def test_wrong_claims_are_caught_and_the_median_is_right_at_one_half():
    demo = quantile_demonstration(tau="0.3")
    assert demo.catches_wrong_claims and len(demo.counterexamples) == 2
    half = quantile_demonstration([1, 2, 3, 10, 20], "0.5")
    assert half.passed and [c.wrong_claim.split(" minimises")[0] for c in half.counterexamples] == ["the sample mean"]


def test_population_minimiser_agrees_with_numerical_integration():
    demo = population_check_loss_minimiser("0.3")
    assert demo.passed and demo.catches_wrong_claims
    y = np.linspace(0, 40, 80_001)
    density = np.exp(-y)
    qs = np.linspace(0.1, 0.7, 61)
    risks = [np.trapezoid(np.where(y - q < 0, -0.7, 0.3) * (y - q) * density, y) for q in qs]
    assert qs[int(np.argmin(risks))] == pytest.approx(-np.log(0.7), abs=0.011)


@pytest.mark.parametrize("tau", ["0", "1", "1.5", "x"])
def test_bad_tau_is_an_input_error(tau):
    with pytest.raises(InputError):
        quantile_demonstration([1, 2], tau)
