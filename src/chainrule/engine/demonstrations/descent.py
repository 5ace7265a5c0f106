"""AMA564 A1 Q3 as a demonstration: the L-smooth descent bound on concrete examples, and where it breaks.

The numbers come from :mod:`chainrule.engine.dynamics`: exact GD on a quadratic with λ_max = L = 4 and
float GD on logistic regression. The wrong claim is the same bound for a step beyond 2/L, which the check
rejects at the first T where it fails.
"""

from __future__ import annotations

from typing import Any

from chainrule.engine.dynamics import descent_bound_check, logistic_descent_bound_check
from chainrule.engine.exact import format_exact

from .base import Counterexample, Demonstration, Evidence

__all__ = ["descent_bound_demonstration"]


def descent_bound_demonstration(T: int = 30, wrong_step_scale: Any = "2.5") -> Demonstration:
    """min_{1≤k≤T} ‖∇f(θᵏ)‖² ≤ 2L(f(θ⁰) − f̄)/T for GD with step 1/L, checked for every T on two examples."""
    quadratic = descent_bound_check(T=T)
    logistic = logistic_descent_bound_check(T=2 * T)
    broken = descent_bound_check(T=T, step_scale=wrong_step_scale)
    last = quadratic.rows[-1]
    evidence = (
        Evidence("quadratic: L", format_exact(quadratic.L), "λ_max(H), exact"),
        Evidence("quadratic: f(θ⁰) − f̄", format_exact(quadratic.f0 - quadratic.f_bar)),
        Evidence(f"quadratic: T = {last.T}", f"{float(last.min_grad_sq):.6g} ≤ {float(last.bound):.6g}",
                 "exact comparison for every T"),
        Evidence("quadratic: bound holds for every T", quadratic.all_hold),
        Evidence("quadratic: descent lemma holds at every step", all(quadratic.descent_holds)),
        Evidence("logistic regression: L", logistic.L, "λ_max(XᵀX)/(4n)"),
        Evidence("logistic regression: bound holds for every T", logistic.all_hold),
    )
    first = broken.first_violation
    counterexample = Counterexample(
        f"the bound also holds with step {wrong_step_scale}/L",
        bool(first is not None),
        (Evidence("first T where it fails", first),
         Evidence("at that T", None if first is None else
                  f"{float(broken.rows[first - 1].min_grad_sq):.6g} > {float(broken.rows[first - 1].bound):.6g}")),
    )
    passed = bool(quadratic.all_hold and all(quadratic.descent_holds) and logistic.all_hold)
    return Demonstration("ama564-a1/3", "GD with step 1/L on an L-smooth f ≥ f̄ has min_{1≤k≤T} ‖∇f(θᵏ)‖² ≤ "
                         "2L(f(θ⁰) − f̄)/T", passed, evidence, (counterexample,), quadratic.plot)
