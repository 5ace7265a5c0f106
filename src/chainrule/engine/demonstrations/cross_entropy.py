"""Ryu HW3 P3: 0 < ℓᶜᴱ(f, y) < ∞, and ℓᶜᴱ(λe_y, y) → 0 as λ → ∞.

ℓᶜᴱ(f, y) = log Σⱼ exp(fⱼ) − f_y = log(1 + Σ_{j≠y} exp(fⱼ − f_y)): a log of a finite number larger than 1
when k ≥ 2. Floats cannot show the strict inequality — for a margin of 50 the loss is about 10⁻²¹ and
rounds to 0.0 in float64 — so the check evaluates with 60-digit mpmath arithmetic. The limit in (b) is
computed by SymPy from the definition. The counterexamples are the edge the statement hides (k = 1 gives
ℓ ≡ 0) and the limit along a wrong class (λe_j with j ≠ y gives ∞).
"""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["ce_bounds_demonstration", "ce_limit_demonstration", "cross_entropy"]

_DIGITS = 60


def cross_entropy(logits: list[float] | np.ndarray, label: int) -> mpmath.mpf:
    """ℓᶜᴱ(f, y) = log1p(Σ_{j≠y} exp(fⱼ − f_y)) with 60-digit arithmetic (label is 0-based).

    mpmath's exponent range is unbounded, so exp(−1000) is a tiny positive number, not 0, and log1p keeps it.
    """
    with mpmath.workdps(_DIGITS):
        values = [mpmath.mpf(float(v)) for v in logits]
        others = sum((mpmath.exp(v - values[label]) for j, v in enumerate(values) if j != label), mpmath.mpf(0))
        return mpmath.log1p(others)


def ce_bounds_demonstration(k: int = 4, trials: int = 200, seed: int = 0) -> Demonstration:
    """Random and adversarial logits (margins up to 10³): every loss is > 0 and finite."""
    if not 2 <= k <= 1000 or not 1 <= trials <= 10_000:
        raise InputError("need 2 ≤ k ≤ 1000 and 1 ≤ trials ≤ 10000", "k/trials")
    rng = np.random.default_rng(seed)
    cases = [rng.standard_normal(k) * scale for scale in (1, 10, 100) for _ in range(trials // 3 + 1)]
    margin = np.zeros(k)
    margin[0] = 50.0
    cases += [margin, margin * 20, -margin * 20]
    losses = [cross_entropy(f, 0) for f in cases]
    smallest, largest = min(losses), max(losses)
    naive = float(-np.log(np.exp(margin[0]) / np.exp(margin).sum()))
    passed = bool(smallest > 0 and mpmath.isfinite(largest))
    one_class = [cross_entropy(rng.standard_normal(1) * 10, 0) for _ in range(5)]
    evidence = (
        Evidence("cases", len(cases)),
        Evidence("smallest loss", mpmath.nstr(smallest, 5), "positive: log of a number > 1"),
        Evidence("largest loss", mpmath.nstr(largest, 5), "finite"),
        Evidence("loss at margin 50 (60 digits)", mpmath.nstr(cross_entropy(margin, 0), 5)),
        Evidence("loss at margin 50 (float64, naive)", naive, "rounds to 0: floats cannot show the strict bound"),
    )
    counterexample = Counterexample(
        "0 < ℓᶜᴱ(f, y) also when there is a single class (k = 1)",
        bool(all(value == 0 for value in one_class)),
        (Evidence("losses with k = 1", [mpmath.nstr(v, 3) for v in one_class], "exactly 0: the claim needs k ≥ 2"),),
    )
    return Demonstration("ryu-hw3/3a", "0 < ℓᶜᴱ(f, y) < ∞ for every f ∈ Rᵏ (k ≥ 2) and label y", passed, evidence,
                         (counterexample,))


def _limits(k: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr, sympy.Expr]:
    lam = sympy.Symbol("lambda", positive=True)
    on_label = -sympy.log(sympy.exp(lam) / (sympy.exp(lam) + (k - 1)))  # f = λ e_y
    off_label = -sympy.log(1 / (sympy.exp(lam) + (k - 1)))  # f = λ e_j, j ≠ y
    return (sympy.simplify(on_label), sympy.limit(on_label, lam, sympy.oo),
            sympy.simplify(off_label), sympy.limit(off_label, lam, sympy.oo))


def ce_limit_demonstration(k: int = 4, timeout: float = 20.0) -> Demonstration:
    """ℓᶜᴱ(λe_y, y) = log(1 + (k − 1)e^{−λ}) → 0, derived and taken to the limit by SymPy."""
    if not 2 <= k <= 10**6:
        raise InputError("need 2 ≤ k ≤ 10⁶", "k")
    on_label, limit, off_label, off_limit = call_bounded(_limits, k, timeout=timeout)
    table = []
    for lam in (1, 5, 10, 50, 100):
        f = np.zeros(k)
        f[0] = lam
        table.append((lam, mpmath.nstr(cross_entropy(f, 0), 6)))
    decreasing = all(float(a[1]) > float(b[1]) for a, b in itertools.pairwise(table))
    passed = bool(limit == 0 and decreasing)
    evidence = (
        Evidence("loss at λe_y", sympy.sstr(on_label)),
        Evidence("limit λ → ∞", sympy.sstr(limit)),
        Evidence("values", table, "(λ, loss): decreasing to 0"),
    )
    counterexample = Counterexample(
        "ℓᶜᴱ(λe_j, y) → 0 for a class j ≠ y as well",
        bool(off_limit != 0),
        (Evidence("loss at λe_j", sympy.sstr(off_label)), Evidence("limit λ → ∞", sympy.sstr(off_limit))),
    )
    return Demonstration("ryu-hw3/3b", "ℓᶜᴱ(λe_y, y) → 0 as λ → ∞", passed, evidence, (counterexample,))
