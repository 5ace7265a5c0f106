"""Ryu HW1 P2 and P3: gradient descent diverges for step sizes above 2 (resp. 2/ρ(XᵀX)).

P2 is the 1-D quadratic θ²/2 (x = 1, y = 0 in :func:`chainrule.engine.dynamics.run_quadratic_gd`): θₖ = (1 − α)ᵏθ₀.
The wrong claim checked beside it is divergence at α = 2 itself, where GD oscillates with constant size.
P3 runs exact GD on ½‖Xθ − Y‖² with XᵀX = diag(2, 4) (ρ = 4, threshold ½); the wrong claim is divergence from
*every* start, refuted by a start whose error lies along the stable eigenvector — the measure-zero exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from chainrule.engine.dynamics import Regime, least_squares_gd, run_quadratic_gd
from chainrule.engine.exact import format_exact

from .base import Counterexample, Demonstration, Evidence

__all__ = ["least_squares_divergence_demonstration", "univariate_divergence_demonstration"]


def univariate_divergence_demonstration(alphas: tuple[Any, ...] = ("2.5", "3", "10"), theta0: Any = 1,
                                        iterations: int = 12) -> Demonstration:
    """θ_{k+1} = θ_k − αθ_k diverges for every α > 2 tried (exact iterates, |θₖ| = |1 − α|ᵏ|θ₀|)."""
    runs = [run_quadratic_gd(a, x=1, y=0, w0=theta0, iterations=iterations) for a in alphas]
    growing = [all(abs(b) > abs(a) for a, b in zip(r.iterates, r.iterates[1:], strict=False)) for r in runs]
    passed = all(r.regime == Regime.OSCILLATING_DIVERGENCE for r in runs) and all(growing)
    evidence = tuple(
        Evidence(f"α = {format_exact(r.alpha)}", f"1 − α = {format_exact(r.ratio)}; |θ_{iterations}| = "
                 f"{format_exact(abs(r.iterates[-1]))}", r.regime.value)
        for r in runs
    )
    edge = run_quadratic_gd(2, x=1, y=0, w0=theta0, iterations=iterations)
    counterexample = Counterexample(
        "GD on θ²/2 diverges at α = 2 as well",
        bool(edge.regime != Regime.OSCILLATING_DIVERGENCE and len(set(map(abs, edge.iterates))) == 1),
        (Evidence("iterates at α = 2", [format_exact(v) for v in edge.iterates[:5]], edge.regime.value),),
    )
    return Demonstration("ryu-hw1/2", "GD on f(θ) = θ²/2 with θ⁰ ≠ 0 diverges if α > 2", bool(passed), evidence,
                         (counterexample,), runs[0].plot)


def least_squares_divergence_demonstration(alpha: Any = "0.6", starts: int = 5, seed: int = 0,
                                           iterations: int = 15) -> Demonstration:
    """Random rational starts all diverge for α > 2/ρ; a start along the stable eigenvector does not."""
    x, y = [[1, 0], [0, 2], [1, 0]], [1, 2, 3]
    rng = np.random.default_rng(seed)
    # Integers plus ⅓ never land on the exceptional line θ₂ = θ*₂ = 1, so every start must diverge.
    runs = [least_squares_gd(x, y, alpha, [sympy.Integer(int(v)) + sympy.Rational(1, 3)
                                           for v in rng.integers(-9, 10, size=2)], iterations)
            for _ in range(starts)]
    first = runs[0]
    above = bool(first.alpha > first.threshold)
    growing = [r.plot["distance"][-1] > 10 * r.plot["distance"][1] for r in runs if r.diverges]
    passed = above and all(r.diverges for r in runs) and all(growing)
    evidence = (
        Evidence("ρ(XᵀX)", sympy.sstr(first.spectral_radius)),
        Evidence("2/ρ", sympy.sstr(first.threshold)),
        Evidence("α", format_exact(first.alpha)),
        Evidence("factors 1 − αλ", {sympy.sstr(k): sympy.sstr(v) for k, v in first.factors.items()}),
        Evidence("random starts that diverge", f"{sum(r.diverges for r in runs)}/{len(runs)}"),
    )
    star = first.theta_star
    stable = least_squares_gd(x, y, alpha, [star[0] + 1, star[1]], iterations)  # error along the λ = 2 axis
    counterexample = Counterexample(
        "GD diverges from every starting point when α > 2/ρ",
        bool(not stable.diverges and stable.plot["distance"][-1] < stable.plot["distance"][0]),
        (Evidence("start", [format_exact(v) for v in stable.iterates[0]], "θ* + e₁: error along the stable direction"),
         Evidence("distance to θ* after the run", stable.plot["distance"][-1])),
    )
    return Demonstration("ryu-hw1/3", "GD on ½‖Xθ − Y‖² with α > 2/ρ(XᵀX) diverges for almost every θ⁰", passed,
                         evidence, (counterexample,), first.plot)
