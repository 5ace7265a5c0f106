"""Limits at ±∞ of expressions with kinks and parameters under assumptions.

``sympy.limit`` leaves ``Piecewise``/``Max`` unevaluated or fails on them, and it cannot use an assumption
such as ``0 < a < 1`` (SymPy symbols only know signs). So before taking the limit:

* a parameter confined to a bounded interval ``(l, u)`` is written as ``l + (u − l)/(1 + t)`` with ``t > 0``
  (and ``(l, ∞)`` as ``l + t``), which SymPy's assumptions *can* express; the answer is rewritten back;
* ``Max``/``Min``/``Heaviside``/``Abs``/``sign`` become ``Piecewise``, and every ``Piecewise`` is replaced by
  the branch that holds for all large ``|x|``: each condition's sides are compared through their own limit.

Everything runs inside :func:`~chainrule.engine.bounded.call_bounded`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.errors import ChainruleError

Direction = Literal["+oo", "-oo"]


class LimitUndecided(ChainruleError):
    """The limit could not be decided (a condition's eventual truth or SymPy's limit was out of reach)."""


@dataclass(frozen=True)
class LimitFact:
    """``lim_{x → point} expr``: ``value`` when it exists; ``status`` says whether it does, or is undecided."""

    point: Direction
    status: Literal["exists", "does not exist", "undecided"]
    value: sympy.Expr | None
    reason: str = ""


def limit_at_infinity(
    expr: sympy.Expr,
    variable: sympy.Symbol,
    point: Direction,
    domains: Mapping[sympy.Symbol, sympy.Interval] | None = None,
    *,
    timeout: float = 8.0,
) -> LimitFact:
    """The limit of ``expr`` as ``variable → point``, with parameters ranging over ``domains``."""
    if point not in ("+oo", "-oo"):
        raise ValueError(f"point must be '+oo' or '-oo', not {point!r}")
    try:
        value = call_bounded(_limit, expr, variable, point, dict(domains or {}), timeout=timeout)
    except LimitUndecided as error:
        return LimitFact(point, "undecided", None, str(error))
    except ChainruleError as error:
        message = str(error).splitlines()[0]
        if "LimitUndecided" in message:
            message = message.split(":", 1)[1].strip()
        return LimitFact(point, "undecided", None, message)
    if isinstance(value, sympy.AccumBounds):
        return LimitFact(point, "does not exist", None, f"the expression keeps oscillating within {value}")
    return LimitFact(point, "exists", value)


def _limit(
    expr: sympy.Expr, variable: sympy.Symbol, point: Direction, domains: dict[sympy.Symbol, sympy.Interval]
) -> sympy.Expr:
    forward, backward = reparametrise(domains)
    target = sympy.oo if point == "+oo" else -sympy.oo
    rewritten = as_piecewise(expr.xreplace(forward))
    eventual = _eventual_branches(rewritten, variable, target)
    value = agreed_limit(eventual, variable, target, f"the limit of {expr} as {variable} → {point}")
    if backward:
        value = sympy.simplify(value.xreplace(backward))
    return value


def _one_limit(form: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr, what: str) -> sympy.Expr:
    value = sympy.limit(form, variable, target)
    if isinstance(value, sympy.Limit) or value.has(sympy.Limit):
        raise LimitUndecided(f"SymPy could not evaluate {what}")
    if value.has(sympy.nan):
        raise LimitUndecided(f"{what} came out undefined")
    return value


def _same(first: sympy.Expr, second: sympy.Expr) -> bool:
    if first == second:
        return True
    if isinstance(first, sympy.AccumBounds) or isinstance(second, sympy.AccumBounds):
        return False
    if first.has(sympy.oo, -sympy.oo, sympy.zoo) or second.has(sympy.oo, -sympy.oo, sympy.zoo):
        return False
    return sympy.simplify(first - second) == 0


def agreed_limit(expr: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr, what: str) -> sympy.Expr:
    """The limit on which two written forms of ``expr`` agree.

    SymPy's ``limit`` is not always right: for SiLU's derivative ``(x(1 − σ(x)) + 1)/(1 + e^{−x})`` it returns 0
    as x → +∞, while the same function over a common denominator gives the true 1. So the limit is taken of the
    expression as written; for a parameter-free expression a value at x = ±10⁴ close to it confirms it. Otherwise
    the limit of the ``together`` form is taken too; when the two disagree, a third form (``simplify``) and, for
    a parameter-free expression, the value at x = ±10⁴ decide, and without a clear decision the limit is
    undecided rather than guessed.
    """
    first = _one_limit(expr, variable, target, what)
    if expr.free_symbols == {variable}:  # parameter-free: a value far out that confirms it is enough
        probe = _probe(expr, variable, target)
        if probe is not None and _near(first, probe):
            return first
    second = _one_limit(sympy.together(expr), variable, target, what)
    if _same(first, second):
        return first
    candidates = [first, second, _one_limit(sympy.simplify(expr), variable, target, what)]
    if expr.free_symbols == {variable}:
        probe = _probe(expr, variable, target)
        close = [c for c in candidates if probe is not None and _near(c, probe)]
        if close and all(_same(close[0], c) for c in close):
            return close[0]
        raise LimitUndecided(f"{what}: SymPy's forms disagree ({', '.join(map(str, candidates))})")
    for candidate in candidates:
        if sum(_same(candidate, other) for other in candidates) >= 2:
            return candidate
    raise LimitUndecided(f"{what}: SymPy's forms disagree ({', '.join(map(str, candidates))})")


def _probe(expr: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr) -> float | None:
    """The value far out in float64 (at ±10⁴, or ±10³, ±10² where that overflows): ``evalf`` at 60 digits would
    need millions of digits to resolve 1 + erf(−7071), and a float 0 there is the right answer to compare with."""
    from chainrule.engine.float_eval import NotEvaluable, float_function

    try:
        function = float_function(expr)
    except NotEvaluable:
        return None
    sign = 1.0 if target == sympy.oo else -1.0
    for distance in (1e4, 1e3, 1e2):
        with np.errstate(all="ignore"):
            value = float(np.asarray(function({variable: np.float64(sign * distance)})))
        if np.isfinite(value):
            return value
    return None


def _near(candidate: sympy.Expr, probe: float) -> bool:
    if candidate in (sympy.oo, -sympy.oo):
        return bool(abs(probe) > 10**6 and (probe > 0) == (candidate == sympy.oo))
    if not (candidate.is_number and candidate.is_finite):
        return False
    return bool(abs(candidate - probe) < sympy.Float("1e-3") * (1 + abs(candidate)))


def reparametrise(
    domains: Mapping[sympy.Symbol, sympy.Interval],
) -> tuple[dict[sympy.Symbol, sympy.Expr], dict[sympy.Symbol, sympy.Expr]]:
    """Substitutions that turn interval assumptions into a positive symbol SymPy can reason with."""
    forward: dict[sympy.Symbol, sympy.Expr] = {}
    backward: dict[sympy.Symbol, sympy.Expr] = {}
    for symbol, domain in domains.items():
        low, high = domain.start, domain.end
        t = sympy.Dummy(f"t_{symbol.name}", positive=True)
        if low.is_finite and high.is_finite:
            forward[symbol] = low + (high - low) / (1 + t)
            backward[t] = (high - symbol) / (symbol - low)
        elif low.is_finite and not (low == 0 and symbol.is_positive):
            forward[symbol] = low + t
            backward[t] = symbol - low
        elif high.is_finite:
            forward[symbol] = high - t
            backward[t] = high - symbol
    return forward, backward


def as_piecewise(expr: sympy.Expr) -> sympy.Expr:
    """Write every kinked function as a Piecewise so one rule picks the branch at infinity."""
    kinked = (sympy.Max, sympy.Min, sympy.Heaviside, sympy.Abs, sympy.sign)
    return expr.replace(lambda node: isinstance(node, kinked), lambda node: node.rewrite(sympy.Piecewise))


def _eventual_branches(expr: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr) -> sympy.Expr:
    """Replace each Piecewise (innermost first) by the branch that holds for all large |variable|."""
    if not expr.has(sympy.Piecewise):
        return expr
    if isinstance(expr, sympy.Piecewise):
        branches = [(_eventual_branches(e, variable, target), c) for e, c in expr.args]
        for branch, condition in branches:
            truth = _eventually(condition, variable, target)
            if truth is None:
                raise LimitUndecided(f"cannot tell whether {condition} holds as {variable} → {target}")
            if truth:
                return branch
        raise LimitUndecided(f"no branch of {expr} holds as {variable} → {target}")
    return expr.func(*[_eventual_branches(arg, variable, target) for arg in expr.args])


def _eventually(condition: sympy.Basic, variable: sympy.Symbol, target: sympy.Expr) -> bool | None:
    """Whether ``condition`` holds for all large |variable| in the direction of ``target`` (None: unknown)."""
    if condition is sympy.true or condition is sympy.false:
        return bool(condition)
    if isinstance(condition, sympy.And | sympy.Or):
        truths = [_eventually(arg, variable, target) for arg in condition.args]
        if isinstance(condition, sympy.And):
            return False if False in truths else (None if None in truths else True)
        return True if True in truths else (None if None in truths else False)
    if isinstance(condition, sympy.Not):
        inner = _eventually(condition.args[0], variable, target)
        return None if inner is None else not inner
    if not isinstance(condition, sympy.Rel):
        return None
    difference = _eventual_branches(condition.lhs - condition.rhs, variable, target)
    sign = _eventual_sign(difference, variable, target)
    if sign is None:
        return None
    if isinstance(condition, sympy.Eq):
        return sign == 0
    if isinstance(condition, sympy.Ne):
        return sign != 0
    if sign == 0:
        return None
    if isinstance(condition, sympy.StrictGreaterThan | sympy.GreaterThan):
        return sign > 0
    return sign < 0


def _eventual_sign(difference: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr) -> int | None:
    if difference == 0:
        return 0
    value = sympy.limit(difference, variable, target) if variable in difference.free_symbols else difference
    if value in (sympy.oo, -sympy.oo):
        return 1 if value == sympy.oo else -1
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None
