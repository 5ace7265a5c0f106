"""Checker for :class:`IdentityStep` and :class:`MatrixStep`: symbolic equalities, derivatives included.

Derivatives are worked out first (bounded in time), then both sides are compared as functions by the engine's
three-valued :func:`~chainrule.engine.equivalence.decide_equal`: random points inside the parameters' domains
away from kinks, then bounded algebra. "Wrong" needs a confirmed witness point; functions the document never
defines make a claim undecided, never wrong.

Names the document defined by a formula earlier (``h1 = σ(z1)``) are compared both as free unknowns and with
their definitions put in: agreement either way is right; wrong needs disagreement both ways.
"""

from __future__ import annotations

import zlib

import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.equivalence import Decision, decide_equal
from chainrule.errors import ChainruleError
from chainrule.grading.checkers.printing import formula_text
from chainrule.grading.checkers.steps import Context, IdentityStep, MatrixStep, Step, checks
from chainrule.grading.checkers.terms import Term
from chainrule.grading.findings import Finding, Verdict

MAX_DEFINITION_DEPTH = 3


def worked_out(expr: sympy.Basic, timeout: float) -> sympy.Basic:
    """Carry out the derivatives a member writes (``d/dx tanh x`` → ``1 − tanh²x``), within a time bound."""
    if not expr.has(sympy.Derivative):
        return expr
    return call_bounded(_doit_derivatives, expr, timeout=timeout)


def _doit_derivatives(expr: sympy.Basic) -> sympy.Basic:
    return expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())


def _expands_to_zero(difference: sympy.Expr) -> bool:
    return difference == 0 or sympy.expand(difference) == 0


def with_definitions(expr: sympy.Basic, context: Context) -> sympy.Basic:
    """``expr`` with names defined by earlier formulas replaced by those formulas (a few levels deep)."""
    table = {}
    for name, term in context.env.definitions.items():
        value = term.value
        if isinstance(value, sympy.Expr) and not isinstance(value, sympy.MatrixBase):
            table[context.env.symbol(name)] = value
    for _ in range(MAX_DEFINITION_DEPTH):
        replaced = expr.xreplace(table)
        if replaced == expr:
            break
        expr = replaced
    return expr


def _stray_unknowns(left: sympy.Expr, right: sympy.Expr, context: Context) -> set[sympy.Symbol]:
    """Unknowns on one side only that are neither a derivative's or limit's variable nor a parameter.

    ``½(t1 − ŷ1)² = ½(0.01 − 0.7491)²`` puts in values the checker may not know: not an identity to test.
    """
    one_sided = left.free_symbols ^ right.free_symbols
    if not one_sided:
        return set()
    parameters = {context.env.symbol(name) for name in context.env.domains}
    if not left.free_symbols or not right.free_symbols:
        # a formula = a number (out_h1(1 − out_h1) = 0.5824(1 − 0.5824)): true or not at the value the names
        # have there, which the document may never have written; a definition of the names does not give it
        return {s for s in one_sided if s not in context.variables and s not in parameters}
    expanded = with_definitions(left, context).free_symbols ^ with_definitions(right, context).free_symbols
    return {s for s in one_sided & expanded if s not in context.variables and s not in parameters}


def _undefined(expr: sympy.Expr) -> bool:
    return bool(expr.atoms(sympy.core.function.AppliedUndef))


def _seed(step: Step) -> int:
    return zlib.crc32(step.written.encode("utf-8"))


def decide_pair(left: sympy.Expr, right: sympy.Expr, step: Step, context: Context) -> Decision:
    """Three-valued comparison of two scalar expressions, definitions considered (see the module docstring)."""
    if left.atoms(sympy.core.function.AppliedUndef) or right.atoms(sympy.core.function.AppliedUndef):
        try:
            same = call_bounded(_expands_to_zero, left - right, timeout=min(context.timeout, 1.0))
        except ChainruleError:
            same = False
        if same:
            return Decision("equal", "the two sides are the same expression", "symbolic")
        return Decision("undecided", "a side uses a quantity or function the document does not define")
    domains = context.domains()
    plain = decide_equal(left, right, domains=domains, timeout=context.timeout, seed=_seed(step))
    left_defined, right_defined = with_definitions(left, context), with_definitions(right, context)
    if left_defined == left and right_defined == right:
        return plain
    if plain.equal:
        return plain
    expanded = decide_equal(left_defined, right_defined, domains=domains, timeout=context.timeout, seed=_seed(step))
    if expanded.equal:
        return Decision("equal", f"{expanded.reason} (with the definitions written earlier)", expanded.method)
    if plain.different and expanded.different:
        return expanded
    return Decision("undecided", expanded.reason if not expanded.different else plain.reason)


# Ranges a constant often has without the document saying so: a leaky slope in (0, 1), a β or step size > 0.
_UNSTATED_RANGES = (sympy.Interval.open(0, 1), sympy.Interval.open(0, sympy.oo))
# Letters that name a function's variable, never a constant: a claim true only for x > 0 is a missing case.
_VARIABLE_LETTERS = frozenset("xyztuvs")


def unless_unstated_range(left: sympy.Expr, right: sympy.Expr, decision: Decision, step: Step,
                          context: Context) -> Decision:
    """A claim that is false only because a constant's range was never stated is undecided, not wrong.

    ``d/dx max{ax, x} = a·I(x<0) + I(x>0)`` holds exactly for ``a < 1``; a document that only says "leaky ReLU"
    leaves ``a`` free, and a witness at ``a = 3.5`` blames the reader's ignorance on the student. Each constant
    without a declared domain is tried in turn in the usual ranges, the other names kept free; one that makes
    the claim hold turns the verdict to undecided, with the range named.
    """
    if not decision.different:
        return decision
    variables = set(context.variables)
    for member in (step.left.value, step.right.value):
        if isinstance(member, sympy.Basic):
            for derivative in member.atoms(sympy.Derivative):
                variables.update(v for v in derivative.variables if isinstance(v, sympy.Symbol))
    free = sorted((left.free_symbols | right.free_symbols) - variables, key=lambda s: s.name)
    free = [s for s in free if s.name.split("_")[0].strip("{}") not in _VARIABLE_LETTERS]
    declared = context.domains()
    if len(left.free_symbols | right.free_symbols) < 2:
        return decision
    for symbol in free:
        if symbol in declared:
            continue
        for interval in _UNSTATED_RANGES:
            trial = decide_equal(left, right, domains={**declared, symbol: interval}, timeout=context.timeout,
                                 seed=_seed(step))
            if trial.equal:
                high = "∞" if interval.end is sympy.oo else str(interval.end)
                return Decision("undecided", f"true for {symbol.name} in (0, {high}) but not for every {symbol.name}; "
                                f"the document does not state its range ({decision.reason})")
    return decision


def _finding(step: Step, decision: Decision, kind: str, expected: str | None = None) -> Finding:
    verdict = {"equal": Verdict.RIGHT, "different": Verdict.WRONG}.get(decision.verdict, Verdict.UNDECIDED)
    reason = decision.reason
    if verdict is Verdict.WRONG:
        reason = f"the two sides are different functions: {decision.reason}"
    return Finding(verdict, step.line, step.written, reason, expected=expected if verdict is Verdict.WRONG else None,
                   column=step.column, kind=kind)


def _kind(term_left: Term, term_right: Term) -> str:
    has_derivative = any(isinstance(t.template, sympy.Basic) and t.template.has(sympy.Derivative)
                         for t in (term_left, term_right))
    return "derivative" if has_derivative else "identity"


@checks(IdentityStep)
def check_identity(step: IdentityStep, context: Context) -> Finding:
    kind = _kind(step.left, step.right)
    try:
        left = worked_out(step.left.value, context.timeout)
        right = worked_out(step.right.value, context.timeout)
    except ChainruleError as error:
        return Finding(Verdict.UNDECIDED, step.line, step.written, f"the derivative was not worked out in time "
                       f"({str(error).splitlines()[0]})", column=step.column, kind=kind)
    if not isinstance(left, sympy.Expr) or not isinstance(right, sympy.Expr):
        return Finding(Verdict.UNDECIDED, step.line, step.written, "a side is not a scalar expression",
                       column=step.column, kind=kind)
    stray = _stray_unknowns(left, right, context)
    if stray and not (_undefined(left) or _undefined(right)):
        names = ", ".join(sorted(s.name for s in stray))
        return Finding(Verdict.UNDECIDED, step.line, step.written, f"only one side uses {names}: values put in "
                       "from elsewhere cannot be checked", column=step.column, kind=kind)
    decision = unless_unstated_range(left, right, decide_pair(left, right, step, context), step, context)
    expected = None
    if decision.different and step.left.template is not None and step.left.template.has(sympy.Derivative):
        expected = formula_text(left)
    return _finding(step, decision, kind, expected)


@checks(MatrixStep)
def check_matrix(step: MatrixStep, context: Context) -> Finding:
    left, right = step.left.value, step.right.value
    if not (isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase)):
        return Finding(Verdict.UNDECIDED, step.line, step.written, "a matrix compared with something else",
                       column=step.column, kind="identity")
    if left.shape != right.shape:
        return Finding(Verdict.UNDECIDED, step.line, step.written,
                       f"the sides are {left.shape[0]}×{left.shape[1]} and {right.shape[0]}×{right.shape[1]}",
                       column=step.column, kind="shape")
    undecided: Finding | None = None
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        try:
            a, b = worked_out(a, context.timeout), worked_out(b, context.timeout)
        except ChainruleError:
            undecided = undecided or Finding(Verdict.UNDECIDED, step.line, step.written, "an entry's derivative was "
                                             "not worked out in time", column=step.column, kind="identity")
            continue
        row, col = divmod(index, left.shape[1])
        stray = _stray_unknowns(a, b, context)
        if stray and not (_undefined(a) or _undefined(b)):
            names = ", ".join(sorted(s.name for s in stray))
            undecided = undecided or Finding(Verdict.UNDECIDED, step.line, step.written,
                                             f"entry ({row + 1}, {col + 1}): only one side uses {names}: values "
                                             "given, not an identity to check", column=step.column, kind="identity")
            continue
        decision = decide_pair(a, b, step, context)
        if decision.different:
            return Finding(Verdict.WRONG, step.line, step.written, f"entry ({row + 1}, {col + 1}) differs: "
                           f"{decision.reason}", column=step.column, kind="identity")
        if not decision.equal and undecided is None:
            undecided = Finding(Verdict.UNDECIDED, step.line, step.written,
                                f"entry ({row + 1}, {col + 1}): {decision.reason}", column=step.column,
                                kind="identity")
    return undecided or Finding(Verdict.RIGHT, step.line, step.written, "every entry agrees", column=step.column,
                                kind="identity")
