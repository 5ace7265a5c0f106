"""Ryu HW3 P4: where the maximiser I of f₁, …, f_N is unique, max is differentiable with derivative f_I′.

The check differentiates f = max fᵢ numerically with 50-digit arithmetic (symmetric difference quotient with
h = 10⁻²⁰, so the error is far below the tolerance) at points of a grid and compares with f_I′ from SymPy.
Counterexamples: at a crossing of the two largest functions (found by root-finding) the one-sided quotients
disagree, so the hypothesis "unique" cannot be dropped; and "f′ = maxᵢ fᵢ′" fails somewhere on the grid.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import mpmath
import sympy

from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["DEFAULT_FUNCTIONS", "max_derivative_demonstration"]

X = sympy.Symbol("x", real=True)
DEFAULT_FUNCTIONS: tuple[sympy.Expr, ...] = (sympy.sin(X), X**2 / 4 - 1, sympy.cos(2 * X) - sympy.Rational(1, 2))
_DIGITS = 50
_H = mpmath.mpf("1e-20")


def max_derivative_demonstration(
    functions: Sequence[sympy.Expr] = DEFAULT_FUNCTIONS, low: float = -3.0, high: float = 3.0, points: int = 61
) -> Demonstration:
    """Check f′ = f_I′ on a grid of points with a unique maximiser; show where the claim's hypothesis matters.

    ``functions`` are SymPy expressions in :data:`X` built by chainrule, never text: ``lambdify`` would turn a
    string into code and run it, so anything that is not a SymPy expression is refused before it gets there.
    """
    if isinstance(functions, str | bytes) or not all(isinstance(f, sympy.Expr) for f in functions):
        raise InputError("functions must be SymPy expressions in x", "functions")
    if not 2 <= len(functions) <= 20 or not 3 <= points <= 2000 or not low < high:
        raise InputError("need 2–20 functions, 3–2000 points and low < high", "functions/points")
    with mpmath.workdps(_DIGITS):
        fs = [sympy.lambdify(X, f, "mpmath") for f in functions]
        dfs = [sympy.lambdify(X, sympy.diff(f, X), "mpmath") for f in functions]

        def fmax(x: mpmath.mpf) -> mpmath.mpf:
            return max(f(x) for f in fs)

        checked, worst, skipped, wrong_rule = 0, mpmath.mpf(0), 0, []
        grid = [mpmath.mpf(low) + (mpmath.mpf(high) - low) * i / (points - 1) for i in range(points)]
        for x in grid:
            values = sorted(((f(x), i) for i, f in enumerate(fs)), reverse=True)
            if values[0][0] - values[1][0] < mpmath.mpf("1e-6"):
                skipped += 1
                continue
            index = values[0][1]
            quotient = (fmax(x + _H) - fmax(x - _H)) / (2 * _H)
            worst = max(worst, abs(quotient - dfs[index](x)))
            checked += 1
            largest_slope = max(df(x) for df in dfs)
            if abs(largest_slope - quotient) > mpmath.mpf("1e-6"):
                wrong_rule.append((float(x), float(quotient), float(largest_slope)))
        tie = _crossing(fs, grid)
        tie_evidence: tuple[Evidence, ...]
        if tie is not None:
            right = (fmax(tie + _H) - fmax(tie)) / _H
            left = (fmax(tie) - fmax(tie - _H)) / _H
            tie_caught = bool(abs(right - left) > mpmath.mpf("1e-6"))
            tie_evidence = (Evidence("tie at x", mpmath.nstr(tie, 15)),
                            Evidence("right derivative", mpmath.nstr(right, 10)),
                            Evidence("left derivative", mpmath.nstr(left, 10)))
        else:
            tie_caught, tie_evidence = False, (Evidence("tie", "no crossing of the two largest functions found"),)
    passed = bool(checked > 0 and worst < mpmath.mpf("1e-15"))
    evidence = (
        Evidence("functions", [sympy.sstr(f) for f in functions]),
        Evidence("points checked", checked, f"{skipped} skipped where the two largest are within 1e-6"),
        Evidence("largest |difference quotient − f_I′(x)|", mpmath.nstr(worst, 3)),
    )
    counterexamples = (
        Counterexample("max fᵢ is differentiable where the maximiser is not unique", tie_caught, tie_evidence),
        Counterexample("f′(x) = maxᵢ fᵢ′(x)", bool(wrong_rule),
                       (Evidence("points where it fails (x, f′, max fᵢ′)", wrong_rule[:5]),)),
    )
    return Demonstration("ryu-hw3/4", "if argmaxᵢ fᵢ(x) = I is unique, then f′(x) = f_I′(x)", passed, evidence,
                         counterexamples)


def _crossing(fs: list, grid: list) -> mpmath.mpf | None:
    """A point where the maximiser changes: the root of f_i − f_j between two grid points."""

    def leader(x: mpmath.mpf) -> int:
        return max(range(len(fs)), key=lambda i: fs[i](x))

    for a, b in itertools.pairwise(grid):
        i, j = leader(a), leader(b)
        if i != j:
            try:
                root = mpmath.findroot(lambda t, i=i, j=j: fs[i](t) - fs[j](t), (a, b), solver="anderson")
            except (ValueError, ZeroDivisionError):
                continue
            values = sorted((f(root) for f in fs), reverse=True)
            if a <= root <= b and abs(values[0] - values[1]) < mpmath.mpf("1e-30"):
                return root
    return None
