"""Decide whether two matrix expressions are equal: shapes first, then values at random points.

Two expressions that agree at a few random points with random concrete sizes are equal with probability one
(they are analytic in their entries, ReLU aside: its kink has measure zero). Distinct sizes are drawn for
distinct size names, so a confused ``m`` and ``K`` cannot agree by accident. The answer is three-valued: a
point where either side cannot be evaluated (a log of a negative number, say) gives ``None``, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from chainrule.errors import ChainruleError
from chainrule.shapes import Shape, same_shape

from .evaluate import evaluate, random_bindings, random_sizes
from .expr import Expr, symbols_in

__all__ = ["Comparison", "compare_expressions"]

BindingsFactory = Callable[[Mapping[str, int], np.random.Generator], Mapping[str, np.ndarray]]


@dataclass(frozen=True)
class Comparison:
    """``equal`` is True, False or None (undecided), with the reason in words."""

    equal: bool | None
    reason: str
    candidate_shape: Shape
    expected_shape: Shape
    max_abs_error: float | None = None
    trials: int = 0


def _size_names(*exprs: Expr) -> list[str]:
    names: dict[str, None] = {}
    for expr in exprs:
        for node in [expr, *symbols_in(expr)]:
            for dim in (node.shape.rows, node.shape.cols):
                if isinstance(dim, str):
                    names.setdefault(dim, None)
    return list(names)


def compare_expressions(
    candidate: Expr, expected: Expr, trials: int = 3, seed: int = 0, rtol: float = 1e-9, atol: float = 1e-12,
    bindings: BindingsFactory | None = None,
) -> Comparison:
    """Compare ``candidate`` with ``expected``; ``bindings(sizes, rng)`` may supply consistent values.

    Without ``bindings`` every symbol gets independent standard-normal entries; with it (e.g.
    :meth:`TwoLayerSolution.bindings` of a random point) symbols such as ∂ℓ/∂ŷ take their true values.
    """
    shapes = (candidate.shape, expected.shape)
    if same_shape(*shapes) is False:
        hint = " (it is the transpose: the other layout?)" if same_shape(candidate.shape, expected.shape.T) else ""
        return Comparison(False, f"shape {candidate.shape} where {expected.shape} is expected{hint}", *shapes)
    rng = np.random.default_rng(seed)
    names = _size_names(candidate, expected)
    worst = 0.0
    for trial in range(1, trials + 1):
        sizes = random_sizes(names, rng)
        values = bindings(sizes, rng) if bindings else random_bindings(
            list(dict.fromkeys(symbols_in(candidate) + symbols_in(expected))), sizes, rng)
        try:
            with np.errstate(all="ignore"):
                got, want = evaluate(candidate, values, sizes), evaluate(expected, values, sizes)
        except (ChainruleError, KeyError, ValueError) as error:
            return Comparison(None, f"could not evaluate at a random point: {error}", *shapes, None, trial)
        if got.shape != want.shape:
            return Comparison(False, f"at sizes {sizes} the values are {got.shape} and {want.shape}", *shapes,
                              None, trial)
        if not (np.all(np.isfinite(got)) and np.all(np.isfinite(want))):
            return Comparison(None, "a value is not finite at a random point", *shapes, None, trial)
        error = float(np.max(np.abs(got - want))) if got.size else 0.0
        worst = max(worst, error)
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            return Comparison(False, f"values differ at a random point with sizes {sizes} (max |Δ| = {error:.3g})",
                              *shapes, worst, trial)
    return Comparison(True, f"equal at {trials} random points with random sizes", *shapes, worst, trials)
