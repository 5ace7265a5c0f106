"""Is a scalar function Lipschitz, and with which (smallest) constant?

For a function ``g`` that is smooth on finitely many intervals (an activation or its derivative):

* ``g`` is Lipschitz only if it is continuous, so every breakpoint is checked first: the one-sided
  limits and the value there must agree. A jump that depends on a parameter (ELU's ``1 − α``) is solved
  for the parameter values that close it ("discontinuous unless α = 1"), and those values are studied too;
* a continuous, piecewise-C¹ ``g`` is Lipschitz exactly when ``sup |g'|`` is finite, and that supremum is
  the smallest constant. It is found from the critical points of ``g'`` (solved exactly) and the limits
  of ``g'`` at the ends of each piece. Without an exact answer and without parameters, a careful numeric
  search gives an approximate constant, marked as such.

All SymPy work runs inside :func:`~chainrule.engine.bounded.call_bounded`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.float_eval import NotEvaluable, float_function
from chainrule.engine.limits import LimitUndecided, agreed_limit, as_piecewise, reparametrise
from chainrule.errors import ChainruleError


@dataclass(frozen=True)
class Discontinuity:
    """A jump of the function at ``at``; ``unless`` lists parameter values that remove it."""

    at: sympy.Expr
    left: sympy.Expr
    right: sympy.Expr
    value: sympy.Expr
    unless: tuple[dict[sympy.Symbol, sympy.Expr], ...] = ()


@dataclass(frozen=True)
class LipschitzFact:
    """Whether a function is Lipschitz; ``constant`` is the smallest constant (``exact`` False: numeric)."""

    status: Literal["lipschitz", "not lipschitz", "undecided"]
    reason: str
    continuous: bool | None = None
    constant: sympy.Expr | None = None
    exact: bool = True
    discontinuities: tuple[Discontinuity, ...] = ()
    special_cases: tuple[tuple[dict[sympy.Symbol, sympy.Expr], LipschitzFact], ...] = ()


CRITICAL_POINTS_TIMEOUT_S = 8.0
"""How long the exact search for critical points may take before the numeric search (parameter-free only) takes
over; the whole analysis has its own, longer bound."""
END_LIMITS_TIMEOUT_S = 2.0
"""How long the numeric search waits for SymPy's limits at the ends before probing far-out values instead."""


class _Undecided(ChainruleError):
    pass


def lipschitz_fact(
    expr: sympy.Expr,
    variable: sympy.Symbol,
    domains: Mapping[sympy.Symbol, sympy.Interval] | None = None,
    *,
    timeout: float = 25.0,
) -> LipschitzFact:
    """Decide whether ``expr`` (a function of ``variable`` on all of ℝ) is Lipschitz, and its best constant."""
    try:
        return call_bounded(_lipschitz, expr, variable, dict(domains or {}), True, timeout=timeout)
    except ChainruleError as error:
        message = str(error).splitlines()[0]
        return LipschitzFact("undecided", f"could not decide: {message}")


def _lipschitz(
    expr: sympy.Expr, x: sympy.Symbol, domains: dict[sympy.Symbol, sympy.Interval], explore: bool
) -> LipschitzFact:
    function = sympy.piecewise_fold(as_piecewise(expr))
    try:
        pieces = _pieces(function, x)
        _require_smooth_inside(pieces, x)
    except _Undecided as error:
        return LipschitzFact("undecided", str(error))
    discontinuities = _discontinuities(function, pieces, x, domains)
    if discontinuities:
        where = ", ".join(f"x = {d.at} (from {d.left} to {d.right})" for d in discontinuities)
        special = []
        if explore:
            for fix in {tuple(sorted(u.items(), key=str)) for d in discontinuities for u in d.unless}:
                values = dict(fix)
                special.append((values, _lipschitz(expr.xreplace(values), x, domains, False)))
        return LipschitzFact(
            "not lipschitz",
            f"not continuous: it jumps at {where}",
            continuous=False,
            discontinuities=tuple(discontinuities),
            special_cases=tuple(special),
        )
    try:
        constant, exact = _sup_abs_derivative(pieces, x)
    except _Undecided as error:
        return LipschitzFact("undecided", f"continuous, but {error}", continuous=True)
    constant = _within_domains(constant, domains)
    if constant == sympy.oo:
        return LipschitzFact("not lipschitz", "its derivative is unbounded", continuous=True, constant=sympy.oo)
    how = "sup |derivative|" if exact else "sup |derivative| found numerically"
    return LipschitzFact("lipschitz", f"continuous and piecewise smooth; {how} = {constant}", True, constant, exact)


# --- pieces and breakpoints ---------------------------------------------------------------------------


def _pieces(function: sympy.Expr, x: sympy.Symbol) -> list[tuple[sympy.Expr, sympy.Interval]]:
    """The function as (expression, interval) pairs covering ℝ (single points dropped: they are breakpoints)."""
    if not isinstance(function, sympy.Piecewise):
        if function.has(sympy.Piecewise):
            raise _Undecided("a branch condition sits inside the function; cannot split it into pieces")
        return [(function, sympy.Interval(-sympy.oo, sympy.oo))]
    remaining: sympy.Set = sympy.Reals
    pieces = []
    for branch, condition in function.args:
        if condition.free_symbols - {x}:
            raise _Undecided(f"the branch condition {condition} involves parameters")
        region = sympy.Intersection(condition.as_set(), remaining)
        remaining = sympy.Complement(remaining, region)
        for part in region.args if isinstance(region, sympy.Union) else (region,):
            if isinstance(part, sympy.Interval) and part.measure > 0:
                pieces.append((branch, part))
            elif not (isinstance(part, sympy.FiniteSet) or part is sympy.S.EmptySet):
                raise _Undecided(f"cannot describe the region {part} as intervals")
    return sorted(pieces, key=lambda piece: piece[1].start)


def _discontinuities(
    function: sympy.Expr,
    pieces: list[tuple[sympy.Expr, sympy.Interval]],
    x: sympy.Symbol,
    domains: Mapping[sympy.Symbol, sympy.Interval],
) -> list[Discontinuity]:
    found = []
    for (left_expr, left_set), (right_expr, right_set) in itertools.pairwise(pieces):
        at = left_set.end
        if at != right_set.start:
            raise _Undecided(f"the pieces do not meet ({left_set}, {right_set})")
        left = sympy.limit(left_expr, x, at, "-")
        right = sympy.limit(right_expr, x, at, "+")
        value = function.subs(x, at)
        jumps = [sympy.simplify(right - left), sympy.simplify(value - left)]
        if all(jump == 0 for jump in jumps):
            continue
        found.append(Discontinuity(at, left, right, value, _closing_values(jumps, domains)))
    return found


def _closing_values(
    jumps: list[sympy.Expr], domains: Mapping[sympy.Symbol, sympy.Interval]
) -> tuple[dict[sympy.Symbol, sympy.Expr], ...]:
    """Parameter values (inside their domains) for which every jump is zero."""
    parameters = sorted(set().union(*(jump.free_symbols for jump in jumps)), key=str)
    if not parameters:
        return ()
    solutions = sympy.solve([jump for jump in jumps if jump != 0], parameters, dict=True)
    closing = []
    for solution in solutions:
        inside = all(
            value.is_number
            and (symbol not in domains or domains[symbol].contains(value) is sympy.true)
            and (not symbol.is_positive or value.is_positive)
            for symbol, value in solution.items()
        )
        if inside and len(solution) == len(parameters):
            closing.append(solution)
    return tuple(closing)


# --- sup |g'| ----------------------------------------------------------------------------------------------


def _sup_abs_derivative(pieces: list[tuple[sympy.Expr, sympy.Interval]], x: sympy.Symbol) -> tuple[sympy.Expr, bool]:
    values: list[sympy.Expr] = []
    exact = True
    for branch, interval in pieces:
        slope = sympy.diff(branch, x)
        try:
            values.extend(_extreme_candidates(slope, x, interval))
        except _Undecided:
            if slope.free_symbols - {x}:
                raise
            ends = _ends_for_search(slope, x, interval)  # a grid cannot see growth beyond its ends; these can
            values.extend([*ends, _numeric_sup(slope, x, interval)])
            exact = False
    if any(value.has(sympy.oo, -sympy.oo, sympy.zoo) for value in values):
        return sympy.oo, exact
    best = sympy.Max(*[_tidy(sympy.Abs(value)) for value in values]) if values else sympy.Integer(0)
    return _tidy(best), exact


def _extreme_candidates(slope: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> list[sympy.Expr]:
    """Values of ``slope`` at its critical points inside ``interval`` and its limits at the interval's ends.

    The critical points come first: when they cannot be found exactly (Mish, GELU-tanh) the numeric search takes
    over, and the end limits, which SymPy may take many seconds over, are not computed twice.
    """
    if x not in slope.free_symbols:
        return [slope]
    try:  # a transcendental equation can keep simplify and solveset busy for minutes: bound them on their own
        critical = call_bounded(_critical_points, slope, x, interval, timeout=CRITICAL_POINTS_TIMEOUT_S)
    except ChainruleError:
        raise _Undecided(f"cannot find the critical points of {slope} exactly in time") from None
    if critical is None:
        return _end_limits(slope, x, interval)
    if not isinstance(critical, sympy.FiniteSet):
        raise _Undecided(f"cannot find the critical points of {slope} exactly")
    return [*_end_limits(slope, x, interval), *(slope.subs(x, point) for point in critical)]


def _critical_points(slope: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> sympy.Set | None:
    """Where ``slope``'s derivative vanishes inside ``interval`` (None: nowhere, by the signs of its factors)."""
    change = sympy.together(sympy.simplify(sympy.diff(slope, x).rewrite(sympy.exp)))
    numerator, _ = sympy.fraction(change)
    factors = sympy.Mul.make_args(sympy.factor(numerator))
    vanishing = [f for f in factors if not (f.is_positive or f.is_negative)]  # e^x or α > 0 never vanish
    if not vanishing:
        return None
    return _solve_inside(sympy.Mul(*vanishing), x, interval)


def _ends_for_search(slope: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> list[sympy.Expr]:
    """The slope's behaviour at the interval's ends for the numeric search: the limits when SymPy finds them
    quickly, otherwise the values far out (10² and 10³, beyond the grid), with growth between them read as
    unbounded. The search's answer is marked approximate either way."""
    try:
        return call_bounded(_end_limits, slope, x, interval, timeout=END_LIMITS_TIMEOUT_S)
    except ChainruleError:
        pass
    ends: list[sympy.Expr] = []
    for end, sign in ((interval.start, -1), (interval.end, 1)):
        if end.is_finite:
            ends.append(sympy.Abs(slope).subs(x, end).evalf(20))
            continue
        ends.append(_far_out(slope, x, sign))
    return ends


def _solve_inside(equation: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> sympy.Set:
    return sympy.solveset(equation, x, sympy.Interval.open(interval.start, interval.end))


def _within_domains(value: sympy.Expr, domains: Mapping[sympy.Symbol, sympy.Interval]) -> sympy.Expr:
    """Let the parameters' interval assumptions settle a ``Max`` (``Max(1, a)`` is 1 when a < 1)."""
    forward, backward = reparametrise(domains)
    if not forward or not value.has(sympy.Max, sympy.Min, sympy.Abs):
        return value
    return _tidy(sympy.simplify(value.xreplace(forward)).xreplace(backward))


def _end_limits(slope: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> list[sympy.Expr]:
    ends = [_limit_towards(slope, x, interval.start, "+"), _limit_towards(slope, x, interval.end, "-")]
    for end in ends:
        if isinstance(end, sympy.Limit) or end.has(sympy.Limit, sympy.nan) or isinstance(end, sympy.AccumBounds):
            raise _Undecided(f"cannot find the limits of {slope} at the ends of {interval}")
    return ends


def _far_out(slope: sympy.Expr, x: sympy.Symbol, sign: int) -> sympy.Expr:
    """|slope| far out on one side, in float64 (enough to tell growth from decay, and a thousand times faster
    than ``evalf`` through cancellations such as 1 − tanh²(1000)); growth between the two probes reads as ∞.
    Where e^{3x} overflows at 10³ (a NaN), the nearer pair 20 and 10² is used."""
    try:
        function = float_function(sympy.Abs(slope))
    except NotEvaluable:
        raise _Undecided(f"cannot evaluate {slope} far out") from None
    for near_at, far_at in ((100.0, 1000.0), (20.0, 100.0)):
        with np.errstate(all="ignore"):
            values = np.broadcast_to(function({x: np.array([sign * near_at, sign * far_at])}), (2,))
        near, far = float(values[0]), float(values[1])
        if not (np.isnan(near) or np.isnan(far)):
            return sympy.oo if not np.isfinite(far) or far > 2 * near + 1 else sympy.Float(far, 12)
    raise _Undecided(f"cannot evaluate {slope} far out")


def _limit_towards(slope: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: str) -> sympy.Expr:
    """A one-sided limit; at ±∞ one that two written forms agree on (SymPy's limit can be wrong there)."""
    if point.is_finite:
        return sympy.limit(slope, x, point, side)
    try:
        return agreed_limit(slope, x, point, f"the limit of {slope} as {x} → {point}")
    except LimitUndecided as error:
        raise _Undecided(str(error)) from None


# Functions that are continuous on all of ℝ, so only powers and logarithms can break continuity.
_CONTINUOUS_EVERYWHERE = (
    sympy.exp,
    sympy.sin,
    sympy.cos,
    sympy.atan,
    sympy.tanh,
    sympy.sinh,
    sympy.cosh,
    sympy.sech,
    sympy.erf,
    sympy.erfc,
    sympy.Abs,
    sympy.Max,
    sympy.Min,
)


def _require_smooth_inside(pieces: list[tuple[sympy.Expr, sympy.Interval]], x: sympy.Symbol) -> None:
    """Each piece and its slope must be continuous inside its open interval (no pole such as 1/x hidden there)."""
    for branch, interval in pieces:
        inside = sympy.Interval.open(interval.start, interval.end)
        for expr in (branch, sympy.diff(branch, x)):
            for node in sympy.preorder_traversal(expr):
                if x in getattr(node, "free_symbols", ()):
                    _check_continuous_node(node, x, inside)


def _check_continuous_node(node: sympy.Basic, x: sympy.Symbol, inside: sympy.Interval) -> None:
    if isinstance(node, sympy.Symbol | sympy.Add | sympy.Mul | sympy.Number) or isinstance(
        node, _CONTINUOUS_EVERYWHERE
    ):
        return
    if isinstance(node, sympy.Pow):
        base, power = node.args
        if power.is_integer and power.is_nonnegative:
            return
        if _positive_on(base, x, inside):
            return
        if power.is_integer and _has_no_zero(base, x, inside):
            return
        raise _Undecided(f"{node} may be undefined or unbounded on {inside}")
    if isinstance(node, sympy.log) and _positive_on(node.args[0], x, inside):
        return
    raise _Undecided(f"cannot check that {node} is continuous on {inside}")


def _positive_on(expr: sympy.Expr, x: sympy.Symbol, inside: sympy.Interval) -> bool:
    """Whether ``expr > 0`` for every x in the open interval, by writing x through a positive symbol."""
    if expr.is_positive:
        return True
    t = sympy.Dummy("t", positive=True)
    low, high = inside.start, inside.end
    if low.is_finite and high.is_finite:
        inner = low + (high - low) / (1 + t)
    elif low.is_finite:
        inner = low + t
    elif high.is_finite:
        inner = high - t
    else:
        return False
    return bool(sympy.simplify(expr.xreplace({x: inner})).is_positive)


def _has_no_zero(expr: sympy.Expr, x: sympy.Symbol, inside: sympy.Interval) -> bool:
    zeros = sympy.solveset(expr, x, inside)
    return zeros is sympy.S.EmptySet


def _tidy(value: sympy.Expr) -> sympy.Expr:
    """The shortest of a few equivalent forms: ``sqrt(3)/18`` rather than a tanh of a logarithm."""
    forms = [value]
    for transform in (sympy.simplify, lambda v: sympy.simplify(v.rewrite(sympy.exp)), sympy.radsimp):
        try:
            forms.append(transform(forms[-1] if transform is sympy.radsimp else value))
        except (TypeError, ValueError, NotImplementedError):
            continue
    return min(forms, key=lambda form: (sympy.count_ops(form), len(str(form))))


def _numeric_sup(slope: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval) -> sympy.Expr:
    """sup |slope| on the interval by a grid on [-40, 40] refined by golden-section search (approximate).

    The search runs in float64 (:mod:`chainrule.engine.float_eval`, a whole grid per NumPy pass); the value at
    the point it finds is then computed by ``evalf`` at 20 digits, so only the location is approximate.
    """
    low = max(float(interval.start), -40.0) if interval.start.is_finite else -40.0
    high = min(float(interval.end), 40.0) if interval.end.is_finite else 40.0

    def exact_size(t: float) -> float:
        value = sympy.Abs(slope).evalf(20, subs={x: sympy.Float(t, 20)})
        return float(value) if value.is_number and value.is_real else 0.0

    try:
        function = float_function(sympy.Abs(slope))

        def size(t: float | np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):
                values = np.asarray(function({x: np.asarray(t, dtype=float)}), dtype=float)
            return np.where(np.isfinite(values), values, 0.0)
    except NotEvaluable:
        def size(t: float | np.ndarray) -> np.ndarray:
            return np.vectorize(exact_size, otypes=[float])(t)

    steps = 640
    grid = np.linspace(low, high, steps + 1)
    values = size(grid)
    best = int(np.argmax(values))
    a, b = float(grid[max(best - 1, 0)]), float(grid[min(best + 1, steps)])
    ratio = (5**0.5 - 1) / 2
    for _ in range(60):
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        if float(size(c)) > float(size(d)):
            b = d
        else:
            a = c
    candidates = [(a + b) / 2, float(grid[best]), low, high]
    return sympy.Float(max(exact_size(t) for t in candidates), 12)
