"""Numeric demonstrations beside proofs, each checked by a separate computation."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.assignments.solvers import demonstrations as demos
from chainrule.errors import InputError


def test_quantile_minimiser_is_the_sample_quantile() -> None:
    _, answers = demos.quantile_minimiser(tau=0.3, samples=501, seed=1)
    y = np.random.default_rng(1).exponential(1.0, 501)
    assert float(answers["argmin"].value) == pytest.approx(np.quantile(y, 0.3, method="inverted_cdf"), rel=1e-5)


def test_gd_bound_holds() -> None:
    _, answers = demos.gd_smooth_bound(steps=30)
    assert float(answers["min_slack"].value) >= 0
    assert float(answers["lhs"].value) <= float(answers["rhs"].value)


def test_cross_entropy_facts() -> None:
    _, bounds = demos.cross_entropy_bounds(k=4, samples=50, seed=2)
    assert 0 < float(bounds["min"].value) and np.isfinite(float(bounds["max"].value))
    _, limit = demos.cross_entropy_limit()
    assert limit["limit"].value == "0" and limit["difference"].value == "0"
    scores = np.array([[30.0, 0.0, 0.0]])  # λ e_y with λ = 30, k = 3: log(1 + 2e^{-30})
    assert demos.cross_entropy(scores, 0)[0] == pytest.approx(np.log1p(2 * np.exp(-30.0)))


def test_tanh_construction_reproduces_the_sigmoid_network() -> None:
    _, answers = demos.sigmoid_tanh_equivalence(widths=[2, 3, 3, 4, 1], seed=5)
    assert float(answers["max_gap"].value) < 1e-12


def test_dead_relu_stays_dead_and_leaky_does_not() -> None:
    _, dead = demos.dead_relu(leaky=0.0)
    _, leaky = demos.dead_relu(leaky=0.01)
    assert float(dead["moved"].value) == 0.0
    assert float(leaky["moved"].value) > 0.0


def test_softplus_lipschitz_constant_is_a_quarter() -> None:
    _, answers = demos.softplus_lipschitz()
    z = np.linspace(-10, 10, 20001)
    s = 1 / (1 + np.exp(-z))
    assert float(np.max(np.abs(s * (1 - s)))) == pytest.approx(0.25)
    assert answers["softplus"].value == "1/4" and answers["relu"].value == "not lipschitz"


def test_max_derivative_and_relu_idempotence() -> None:
    _, answers = demos.max_derivative(x=0.3)
    assert float(answers["numeric"].value) == pytest.approx(-np.sin(0.3), abs=1e-6)
    _, relu = demos.relu_idempotent()
    assert relu["composition"].value == "Max(0, z)" and relu["grid"].value == "True"


def test_unknown_demonstration_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown demonstration"):
        demos.run_demonstration("nope", {})
    with pytest.raises(InputError, match="bad parameters"):
        demos.run_demonstration("dead_relu", {"colour": 1})
