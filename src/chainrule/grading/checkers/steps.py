"""Steps of a relation chain, typed by what their members are, and the registry of one checker per type.

A relation chain ``a = b = c`` is cut into steps (``a = b``, ``b = c``); :func:`classify` gives each step a class
(:class:`NumericStep`, :class:`LimitStep`, :class:`IdentityStep`, :class:`MatrixStep`, :class:`ShapeStep`,
:class:`OpaqueStep`, :class:`OtherRelationStep`) and :func:`check_step` runs the checker registered for that
class. A checker that raises is wrapped into an undecided finding naming the claim and its line, so one bad
claim never stops a document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy

from chainrule.grading.checkers.terms import Environment, Term, soften
from chainrule.grading.findings import Finding, Verdict
from chainrule.shapes import same_shape

EQUALITIES = frozenset({"=", "≈", "\\approx", "≡", "≜", ":=", "=:", "\\triangleq", "\\coloneqq", "\\equiv"})
APPROXIMATE = frozenset({"≈", "\\approx"})


@dataclass(frozen=True)
class Step:
    """One link ``left op right`` of a chain, both members translated."""

    left: Term
    op: str
    right: Term
    line: int | None = None
    column: int | None = None

    @property
    def written(self) -> str:
        return f"{self.left.text} {self.op} {self.right.text}"


class NumericStep(Step):
    """Both members are closed numbers (or matrices of numbers): digit-tolerance rules."""


class LimitStep(Step):
    """A member is a limit: evaluate it, then compare."""


class IdentityStep(Step):
    """Scalar expressions with unknowns, derivatives included: random points first, algebra if cheap."""


class MatrixStep(Step):
    """Explicit matrices with symbolic entries: entry by entry."""


class ShapeStep(Step):
    """Only the shapes are known (declared vectors and matrices, derivative objects in a stated layout)."""


class OpaqueStep(Step):
    """A member could not be translated."""


class OtherRelationStep(Step):
    """Not an equality (≤, ⇒, →, ∈ …): not checked here."""


@dataclass
class Context:
    """What a checker may consult besides the step: domains of parameters, earlier written results."""

    env: Environment = field(default_factory=Environment)
    timeout: float = 3.0
    variables: frozenset[sympy.Symbol] = frozenset()  # the variables of derivatives and limits in this chain

    @property
    def earlier_results(self) -> frozenset[sympy.Rational]:
        return frozenset(self.env.earlier_results)

    def domains(self) -> dict[sympy.Symbol, sympy.Set]:
        return {self.env.symbol(name): domain for name, domain in self.env.domains.items()}


Checker = Callable[[Step, Context], Finding]
_CHECKERS: dict[type[Step], Checker] = {}


def checks(kind: type[Step]) -> Callable[[Checker], Checker]:
    """Register the checker for one class of step."""

    def decorator(function: Checker) -> Checker:
        _CHECKERS[kind] = function
        return function

    return decorator


def classify(step: Step) -> Step:
    """Re-type a step by what its members are, so :func:`check_step` can dispatch on the class."""
    kind: type[Step]
    left, right = step.left, step.right
    if step.op not in EQUALITIES:
        kind = OtherRelationStep
    elif left.template is None or right.template is None:
        kind = ShapeStep if _shapes_comparable(left, right) else OpaqueStep
    elif left.template.has(sympy.Limit) or right.template.has(sympy.Limit):
        kind = LimitStep
    elif left.is_matrix or right.is_matrix:
        kind = NumericStep if not (left.free_symbols or right.free_symbols) else MatrixStep
    elif not left.free_symbols and not right.free_symbols and not _has_unknown(left) and not _has_unknown(right):
        kind = NumericStep
    else:
        kind = IdentityStep
    return kind(step.left, step.op, step.right, step.line, step.column)


def _has_unknown(term: Term) -> bool:
    template = term.template
    return isinstance(template, sympy.Basic) and bool(template.atoms(sympy.core.function.AppliedUndef))


def _shapes_comparable(left: Term, right: Term) -> bool:
    return left.shape_certain and right.shape_certain and left.shape.is_known and right.shape.is_known


def _row_against_column(left: Term, right: Term) -> bool:
    """An explicit vector written as a row on one side and a column on the other: loose notation, not a proof."""
    if not (left.is_matrix or right.is_matrix):
        return False
    return left.shape == right.shape.T and 1 in (left.shape.rows, left.shape.cols)


def check_step(step: Step, context: Context) -> Finding:
    """The finding for one step: a shape conflict first, then the checker of the step's class."""
    typed = classify(step)
    if typed.op in EQUALITIES and _shapes_comparable(typed.left, typed.right) \
            and same_shape(*soften(typed.left.shape, typed.right.shape)) is False:
        if _row_against_column(typed.left, typed.right):
            return Finding(Verdict.UNDECIDED, typed.line, typed.written,
                           f"a row {typed.left.shape} written against a column {typed.right.shape} (or the other way "
                           "round): the same numbers, transposed", kind="shape", column=typed.column)
        return Finding(Verdict.WRONG, typed.line, typed.written,
                       f"the two sides have different shapes: {typed.left.shape} on the left, "
                       f"{typed.right.shape} on the right", kind="shape", column=typed.column)
    if typed.op in APPROXIMATE and not isinstance(typed, NumericStep):
        return Finding(Verdict.UNDECIDED, typed.line, typed.written, "an approximation between formulas (e^x ≈ 1 + x "
                       "near 0) holds only somewhere: not checked", column=typed.column)
    too_large = typed.left.size_problem or typed.right.size_problem
    if too_large and not isinstance(typed, NumericStep):  # only closed numbers have a numeric route past the bound
        return Finding(Verdict.UNDECIDED, typed.line, typed.written, f"too large to compute exactly: {too_large}",
                       column=typed.column)
    checker = _CHECKERS.get(type(typed), _fallback)
    try:
        return checker(typed, context)
    except Exception as error:
        return Finding(Verdict.UNDECIDED, typed.line, typed.written,
                       f"the checker failed on this claim ({type(error).__name__}: {error})", column=typed.column)


def _fallback(step: Step, context: Context) -> Finding:
    reason = step.left.reason or step.right.reason or "no checker for this kind of claim"
    return Finding(Verdict.UNDECIDED, step.line, step.written, reason, column=step.column)
