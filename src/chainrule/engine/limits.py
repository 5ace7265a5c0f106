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
    value = sympy.limit(eventual, variable, target)
    if isinstance(value, sympy.Limit) or value.has(sympy.Limit):
        raise LimitUndecided(f"SymPy could not evaluate the limit of {expr} as {variable} → {point}")
    if value.has(sympy.nan):
        raise LimitUndecided(f"the limit of {expr} as {variable} → {point} came out undefined")
    if backward:
        value = sympy.simplify(value.xreplace(backward))
    return value


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
