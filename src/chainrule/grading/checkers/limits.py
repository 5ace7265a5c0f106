"""Checker for :class:`LimitStep`: work the limit out, then compare it with the other side as a function of
the parameters (``lim_{x→+∞} d/dx LReLU(x) = a`` is wrong for every a in (0, 1): the limit is 1).

Piecewise bodies (ReLU, Leaky ReLU, ``max``, indicators) are where SymPy's ``limit`` fails, so the branch that
holds near the target is picked first — the same branch for every parameter value the document allows — and
only that branch's limit is taken. Every CAS call is bounded in time.
"""

from __future__ import annotations

import random
import zlib

import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.equivalence import decide_equal
from chainrule.errors import ChainruleError
from chainrule.grading.checkers.identity import _doit_derivatives
from chainrule.grading.checkers.printing import formula_text
from chainrule.grading.checkers.steps import Context, LimitStep, checks
from chainrule.grading.findings import Finding, Verdict

PARAMETER_SAMPLES = 6
PROBES = (sympy.Integer(10) ** 6, sympy.Integer(10) ** 9)


class LimitUnknown(ValueError):
    """The limit could not be worked out (the reason is the message)."""


def evaluate_limits(expr: sympy.Basic, domains: dict[sympy.Symbol, sympy.Set], timeout: float) -> sympy.Basic:
    """``expr`` with every :class:`sympy.Limit` in it replaced by its value; raises :class:`LimitUnknown`."""
    limits = sorted(expr.atoms(sympy.Limit), key=lambda e: e.count_ops())
    table = {}
    for limit in limits:
        table[limit] = evaluate_limit(limit, domains, timeout)
    return expr.xreplace(table)


def evaluate_limit(limit: sympy.Limit, domains: dict[sympy.Symbol, sympy.Set], timeout: float) -> sympy.Expr:
    body, variable, target, direction = limit.args
    try:
        body = call_bounded(_doit_derivatives, body, timeout=timeout)
        if body.atoms(sympy.core.function.AppliedUndef):
            raise LimitUnknown("the limit of a function the document does not define")
        body = call_bounded(_as_piecewise, body, timeout=timeout)
        if body.has(sympy.Piecewise):
            body = _branch_near(body, variable, target, str(direction), domains)
        value = call_bounded(sympy.limit, body, variable, target, str(direction), timeout=timeout)
    except ChainruleError as error:
        raise LimitUnknown(f"the limit was not worked out ({str(error).splitlines()[0]})") from error
    if not isinstance(value, sympy.Expr) or value.has(sympy.Limit, sympy.AccumBounds) or value is sympy.nan:
        raise LimitUnknown("the limit does not exist or was not found")
    return value


def _as_piecewise(body: sympy.Expr) -> sympy.Expr:
    rewritten = body.rewrite(sympy.Piecewise)
    return sympy.piecewise_fold(rewritten) if rewritten.has(sympy.Piecewise) else rewritten


def _branch_near(body: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr, direction: str,
                 domains: dict[sympy.Symbol, sympy.Set]) -> sympy.Expr:
    """The one branch of a (folded) piecewise body that holds as the variable approaches the target."""
    if not isinstance(body, sympy.Piecewise):
        raise LimitUnknown("a piecewise expression nested inside other operations")
    if target == sympy.oo:
        probes = list(PROBES)
    elif target == -sympy.oo:
        probes = [-p for p in PROBES]
    else:
        sign = -1 if direction == "-" else 1
        if direction not in ("+", "-"):
            raise LimitUnknown("a two-sided limit of a piecewise expression")
        probes = [target + sign / p for p in PROBES]
    rng = random.Random(zlib.crc32(sympy.srepr(body).encode()))
    parameters = sorted(body.free_symbols - {variable}, key=lambda s: s.name)
    chosen: int | None = None
    for _ in range(PARAMETER_SAMPLES):
        point = {p: _sample(domains.get(p), rng) for p in parameters}
        for probe in probes:
            index = _holding_branch(body, {**point, variable: probe})
            if chosen is None:
                chosen = index
            elif index != chosen:
                raise LimitUnknown("which branch holds near the target depends on the parameters")
    if chosen is None:
        raise LimitUnknown("no branch holds near the target")
    return body.args[chosen][0]


def _holding_branch(body: sympy.Piecewise, point: dict[sympy.Symbol, sympy.Expr]) -> int:
    for index, (_, condition) in enumerate(body.args):
        truth = condition.subs(point) if condition is not sympy.true else sympy.true
        if truth is sympy.true:
            return index
        if truth is not sympy.false:
            raise LimitUnknown("a branch condition could not be evaluated")
    raise LimitUnknown("no branch holds near the target")


def _sample(domain: sympy.Set | None, rng: random.Random) -> sympy.Rational:
    if isinstance(domain, sympy.Interval) and domain.start.is_finite and domain.end.is_finite:
        value = float(domain.start) + rng.uniform(0.05, 0.95) * float(domain.end - domain.start)
    elif isinstance(domain, sympy.Interval) and domain.start.is_finite:
        value = float(domain.start) + rng.uniform(0.05, 5)
    elif isinstance(domain, sympy.Interval) and domain.end.is_finite:
        value = float(domain.end) - rng.uniform(0.05, 5)
    else:
        value = rng.uniform(-5, 5)
    return sympy.Rational(round(value * 2**20), 2**20)


@checks(LimitStep)
def check_limit(step: LimitStep, context: Context) -> Finding:
    domains = context.domains()
    try:
        left = evaluate_limits(step.left.value, domains, context.timeout)
        right = evaluate_limits(step.right.value, domains, context.timeout)
        left = call_bounded(_doit_derivatives, left, timeout=context.timeout)
        right = call_bounded(_doit_derivatives, right, timeout=context.timeout)
    except (LimitUnknown, ChainruleError) as error:
        return Finding(Verdict.UNDECIDED, step.line, step.written, str(error).splitlines()[0], column=step.column,
                       kind="limit")
    if left.atoms(sympy.core.function.AppliedUndef) or right.atoms(sympy.core.function.AppliedUndef):
        return Finding(Verdict.UNDECIDED, step.line, step.written, "a side uses a function the document does not "
                       "define", column=step.column, kind="limit")
    decision = decide_equal(left, right, domains=domains, timeout=context.timeout,
                            seed=zlib.crc32(step.written.encode()))
    limit_side, other = (left, right) if step.left.template.has(sympy.Limit) else (right, left)
    if decision.different:
        return Finding(Verdict.WRONG, step.line, step.written, f"the limit is {formula_text(limit_side)}, not "
                       f"{formula_text(other)}" + _for_parameters(limit_side, other, domains), expected=formula_text(
                           limit_side), column=step.column, kind="limit")
    if decision.equal:
        return Finding(Verdict.RIGHT, step.line, step.written, f"the limit is {formula_text(limit_side)}",
                       column=step.column, kind="limit")
    return Finding(Verdict.UNDECIDED, step.line, step.written, decision.reason, column=step.column, kind="limit")


def _for_parameters(a: sympy.Expr, b: sympy.Expr, domains: dict[sympy.Symbol, sympy.Set]) -> str:
    parameters = sorted((a.free_symbols | b.free_symbols) & set(domains), key=lambda s: s.name)
    if not parameters:
        return ""
    return " (" + ", ".join(f"{p} ∈ {interval_text(domains[p])}" for p in parameters) + ")"


def interval_text(domain: sympy.Set) -> str:
    """``(0, 1)``, ``[0, ∞)``: an interval the way an assignment writes it."""
    if not isinstance(domain, sympy.Interval):
        return str(domain)
    low = "−∞" if domain.start == -sympy.oo else sympy.sstr(domain.start)
    high = "∞" if domain.end == sympy.oo else sympy.sstr(domain.end)
    return f"{'(' if domain.left_open else '['}{low}, {high}{')' if domain.right_open else ']'}"
