"""Ryu HW3 P5(a), (b): ReLU is idempotent; softplus′ is Lipschitz and ReLU′ is not.

(a) SymPy proves σ(σ(z)) = σ(z) for real z by cases (z ≥ 0 and z < 0); a grid of exact rationals confirms it.
Leaky ReLU, which is not idempotent, is put through the same check.
(b) softplus′ = sigmoid, whose derivative σ(1 − σ) peaks at z = 0 with value ¼ (solved with SymPy), so the
mean value theorem gives the Lipschitz constant ¼; random pairs never beat it. ReLU′ jumps at 0: the quotient
|ReLU′(ε) − ReLU′(−ε)| / 2ε = 1/(2ε) exceeds any proposed constant. Both wrong claims are caught.
"""

from __future__ import annotations

import numpy as np
import sympy

from chainrule.engine.exact import to_rational
from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["relu_idempotence_demonstration", "softplus_lipschitz_demonstration"]

Z = sympy.Symbol("z", real=True)


def _relu(v: sympy.Expr) -> sympy.Expr:
    return sympy.Max(0, v)


def _by_cases(expr: sympy.Expr) -> bool:
    """Whether expr(z) = 0 for z ≥ 0 and for z < 0, each case decided by SymPy with the sign assumed."""
    nonneg, neg = sympy.Symbol("z", nonnegative=True), sympy.Symbol("z", negative=True)
    return sympy.simplify(expr.subs(Z, nonneg)) == 0 and sympy.simplify(expr.subs(Z, neg)) == 0


def relu_idempotence_demonstration(alpha: str = "1/100") -> Demonstration:
    """σ(σ(z)) = σ(z) for ReLU, symbolically by cases and on an exact grid; leaky ReLU fails the same check."""
    a = to_rational(alpha, "alpha")
    if not 0 < a < 1:
        raise InputError("the leaky slope must lie in (0, 1)", "alpha")
    grid = [sympy.Rational(k, 4) for k in range(-20, 21)]
    relu_cases = _by_cases(_relu(_relu(Z)) - _relu(Z))
    relu_grid = all(_relu(_relu(v)) == _relu(v) for v in grid)

    def leaky(v: sympy.Expr) -> sympy.Expr:
        return sympy.Max(v, a * v)

    leaky_cases = _by_cases(leaky(leaky(Z)) - leaky(Z))
    witness = next(v for v in grid if leaky(leaky(v)) != leaky(v))
    evidence = (
        Evidence("cases z ≥ 0 and z < 0", relu_cases, "σ(σ(z)) − σ(z) simplifies to 0 in each case"),
        Evidence("grid of 41 rationals in [−5, 5]", relu_grid),
    )
    counterexample = Counterexample(
        f"leaky ReLU (slope {alpha}) is idempotent too",
        bool(not leaky_cases),
        (Evidence("witness z", str(witness)), Evidence("σ(σ(z))", str(leaky(leaky(witness)))),
         Evidence("σ(z)", str(leaky(witness)))),
    )
    return Demonstration("ryu-hw3/5a", "ReLU is idempotent: σ(σ(z)) = σ(z) for all real z",
                         bool(relu_cases and relu_grid), evidence, (counterexample,))


def softplus_lipschitz_demonstration(pairs: int = 2000, seed: int = 0) -> Demonstration:
    """softplus′ is ¼-Lipschitz (derived), random pairs respect it, ReLU′ has unbounded quotients at 0."""
    if not 1 <= pairs <= 10**6:
        raise InputError("pairs must be between 1 and 10⁶", "pairs")
    softplus = sympy.log(1 + sympy.exp(Z))
    first = sympy.simplify(sympy.diff(softplus, Z))
    second = sympy.simplify(sympy.diff(first, Z))
    third = sympy.simplify(sympy.diff(second, Z))
    fourth = sympy.diff(third, Z)
    critical = sympy.solve(sympy.Eq(third, 0), Z)
    peak = [c for c in critical if c.is_real and fourth.subs(Z, c) < 0]
    constant = sympy.simplify(second.subs(Z, peak[0])) if peak else None
    bounded_tails = sympy.limit(second, Z, sympy.oo) == 0 and sympy.limit(second, Z, -sympy.oo) == 0
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(pairs) * 4, rng.standard_normal(pairs) * 4
    a[: pairs // 4] = rng.uniform(-1e-3, 1e-3, pairs // 4)  # pairs near the steepest point
    b[: pairs // 4] = -a[: pairs // 4]

    def sigmoid(v: np.ndarray) -> np.ndarray:
        return 0.5 * (1 + np.tanh(v / 2))

    mask = a != b
    quotients = np.abs(sigmoid(a[mask]) - sigmoid(b[mask])) / np.abs(a[mask] - b[mask])
    passed = bool(constant == sympy.Rational(1, 4) and bounded_tails and quotients.max() <= 0.25 * (1 + 1e-12))
    relu_table = [(eps, 1 / (2 * eps)) for eps in (1e-1, 1e-3, 1e-6, 1e-9)]
    evidence = (
        Evidence("softplus′", sympy.sstr(first), "the sigmoid"),
        Evidence("softplus″", sympy.sstr(second)),
        Evidence("Lipschitz constant sup|softplus″|", sympy.sstr(constant), "attained at z = 0"),
        Evidence("largest quotient over random pairs", float(quotients.max())),
        Evidence("ReLU′ quotients |ReLU′(ε) − ReLU′(−ε)|/(2ε)", relu_table, "1/(2ε): unbounded as ε → 0"),
    )
    eighth = float(np.max(quotients))
    relu_claim = 1e6
    eps = 1 / (4 * relu_claim)
    counterexamples = (
        Counterexample("softplus′ is Lipschitz with constant ⅛", bool(eighth > 0.125),
                       (Evidence("a quotient above ⅛", eighth),)),
        Counterexample(f"ReLU′ is Lipschitz with constant {relu_claim:g}", bool(1 / (2 * eps) > relu_claim),
                       (Evidence("ε", eps), Evidence("quotient 1/(2ε)", 1 / (2 * eps))),),
    )
    return Demonstration("ryu-hw3/5b", "softplus has a Lipschitz derivative (constant ¼); ReLU does not", passed,
                         evidence, counterexamples)
