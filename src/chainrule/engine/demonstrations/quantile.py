"""AMA564 A1 Q2: the check loss ρ_τ(a) = (τ − 1[a < 0])·a is minimised by the τ-quantile.

Empirically: the risk R(q) = (1/n) Σ ρ_τ(Yᵢ − q) is convex and piecewise linear with kinks at the sample
points, so its minimum over the reals is attained at a sample point; chainrule evaluates R exactly at every
sample point and checks that the empirical τ-quantile inf{q : Fₙ(q) ≥ τ} is among the minimisers, and that
0 lies in the subdifferential there (#{Y < Q}/n ≤ τ ≤ #{Y ≤ Q}/n). At the population level, for a continuous
Y (exponential, by default) the risk's derivative is F(q) − τ, computed symbolically, whose root is F⁻¹(τ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.exact import format_exact, to_rational
from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["check_loss", "empirical_quantile", "empirical_risk", "population_check_loss_minimiser",
           "quantile_demonstration"]


def check_loss(a: sympy.Rational, tau: sympy.Rational) -> sympy.Rational:
    """ρ_τ(a) = (τ − 1[a < 0])·a, exactly."""
    return (tau - (1 if a < 0 else 0)) * a


def empirical_risk(q: sympy.Rational, sample: Sequence[sympy.Rational], tau: sympy.Rational) -> sympy.Rational:
    return sum((check_loss(y - q, tau) for y in sample), sympy.Integer(0)) / len(sample)


def empirical_quantile(sample: Sequence[sympy.Rational], tau: sympy.Rational) -> sympy.Rational:
    """The lower empirical τ-quantile inf{q : Fₙ(q) ≥ τ} = Y₍⌈nτ⌉₎."""
    ordered = sorted(sample)
    index = math.ceil(tau * len(ordered))
    return ordered[max(index, 1) - 1]


def _sample(sample: Sequence[Any] | None, seed: int) -> list[sympy.Rational]:
    if sample is None:
        rng = np.random.default_rng(seed)
        return [sympy.Rational(int(v), 10) for v in rng.integers(-50, 50, size=11)]
    if not 1 <= len(sample) <= 5000:
        raise InputError("the sample needs between 1 and 5000 values", "sample")
    return [to_rational(v, f"sample[{i}]") for i, v in enumerate(sample)]


def quantile_demonstration(sample: Sequence[Any] | None = None, tau: Any = "0.3", seed: int = 0) -> Demonstration:
    """Demonstrate that the empirical τ-quantile minimises the empirical check-loss risk (exact rationals)."""
    t = to_rational(tau, "tau")
    if not 0 < t < 1:
        raise InputError("τ must lie strictly between 0 and 1", "tau")
    ys = _sample(sample, seed)
    n = len(ys)
    risks = {y: empirical_risk(y, ys, t) for y in sorted(set(ys))}
    best = min(risks.values())
    minimisers = [y for y, r in risks.items() if r == best]
    q = empirical_quantile(ys, t)
    below, at_most = sum(1 for y in ys if y < q), sum(1 for y in ys if y <= q)
    subgradient_ok = sympy.Rational(below, n) <= t <= sympy.Rational(at_most, n)
    lo, hi = min(ys) - 1, max(ys) + 1
    outside_ok = empirical_risk(lo, ys, t) > best and empirical_risk(hi, ys, t) > best
    evidence = (
        Evidence("n", n),
        Evidence("tau", format_exact(t)),
        Evidence("empirical quantile", format_exact(q), "Y_(⌈nτ⌉), the least q with F_n(q) ≥ τ"),
        Evidence("risk at quantile", format_exact(risks[q])),
        Evidence("minimum risk", format_exact(best), "over all sample points (where the kinks are)"),
        Evidence("minimisers", [format_exact(y) for y in minimisers],
                 "an interval of sample points when nτ is an integer, else one point"),
        Evidence("subgradient condition", f"{below}/{n} ≤ {format_exact(t)} ≤ {at_most}/{n}",
                 "0 ∈ ∂R(Q) ⇔ #{Y < Q}/n ≤ τ ≤ #{Y ≤ Q}/n"),
    )
    mean = sum(ys, sympy.Integer(0)) / n
    median = empirical_quantile(ys, sympy.Rational(1, 2))
    counterexamples = tuple(
        Counterexample(
            f"the {name} minimises the τ-check loss (τ = {format_exact(t)})",
            bool(empirical_risk(value, ys, t) > best),
            (Evidence(f"risk at the {name}", format_exact(empirical_risk(value, ys, t))),
             Evidence("minimum risk", format_exact(best))),
        )
        for name, value in (("sample mean", mean), ("sample median", median))
        if t != sympy.Rational(1, 2) or name == "sample mean"
    )
    grid = np.linspace(float(lo), float(hi), 201)
    plot = {"q": grid.tolist(),
            "risk": [float(empirical_risk(to_rational(float(v)), ys, t)) for v in grid],
            "quantile": [float(q)]}
    passed = bool(risks[q] == best and subgradient_ok and outside_ok)
    return Demonstration("ama564-a1/2", "the empirical τ-quantile minimises (1/n) Σ ρ_τ(Yᵢ − q)", passed, evidence,
                         counterexamples, plot)


def _population(tau: sympy.Rational, rate: sympy.Rational) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    y, q = sympy.symbols("y q", positive=True)
    density = rate * sympy.exp(-rate * y)
    above = sympy.integrate(tau * (y - q) * density, (y, q, sympy.oo))
    below = sympy.integrate((1 - tau) * (q - y) * density, (y, 0, q))
    risk = sympy.simplify(above + below)
    derivative = sympy.simplify(sympy.diff(risk, q))
    roots = sympy.solve(sympy.Eq(derivative, 0), q)
    return risk, derivative, roots[0]


def population_check_loss_minimiser(tau: Any = "0.3", rate: Any = 1, timeout: float = 20.0) -> Demonstration:
    """Y ~ Exp(rate) (a continuous conditional law): E ρ_τ(Y − q) has derivative F(q) − τ, root F⁻¹(τ)."""
    t, lam = to_rational(tau, "tau"), to_rational(rate, "rate")
    if not 0 < t < 1 or lam <= 0:
        raise InputError("need 0 < τ < 1 and a positive rate", "tau/rate")
    risk, derivative, root = call_bounded(_population, t, lam, timeout=timeout)
    q = sympy.Symbol("q", positive=True)
    cdf = 1 - sympy.exp(-lam * q)
    quantile = -sympy.log(1 - t) / lam
    derivative_is_cdf_minus_tau = sympy.simplify(derivative - (cdf - t)) == 0
    second = sympy.diff(derivative, q).subs(q, root)
    passed = bool(derivative_is_cdf_minus_tau and sympy.simplify(root - quantile) == 0 and second > 0)
    # The median claimed for every τ (or, at τ = ½ where the median is right, the mean).
    name, wrong = ("median", sympy.log(2) / lam) if t != sympy.Rational(1, 2) else ("mean", 1 / lam)
    slope_at_wrong = sympy.simplify(derivative.subs(q, wrong))
    evidence = (
        Evidence("risk", sympy.sstr(risk), "E ρ_τ(Y − q) for q > 0"),
        Evidence("derivative", sympy.sstr(derivative), "equals F(q) − τ"),
        Evidence("minimiser", sympy.sstr(root)),
        Evidence("τ-quantile", sympy.sstr(quantile), "F⁻¹(τ) = −log(1 − τ)/rate"),
    )
    counterexample = Counterexample(
        f"the {name} minimises E ρ_τ(Y − q) (τ = {format_exact(t)})",
        bool(slope_at_wrong != 0),
        (Evidence(f"risk slope at the {name}", sympy.sstr(slope_at_wrong), "non-zero: not a minimiser"),),
    )
    return Demonstration("ama564-a1/2", "f*(x) is the conditional τ-quantile of Y given X = x", passed, evidence,
                         (counterexample,))
