"""What a checker sees: one translated member of a relation chain, and what the document has declared so far.

A :class:`Term` is a written expression turned into SymPy (or the reason it could not be), with its shape and
the number literals it contains kept apart as placeholders, so a checker can tell how precise each written
number is. An :class:`Environment` collects what earlier lines established: declared shapes (``x ∈ ℝⁿ``),
parameter domains (``a ∈ (0, 1)``), numeric bindings (``z1 = 0.3275``), the layout convention, and what
function names mean in this document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import sympy

from chainrule.engine.exact_bounds import size_problem
from chainrule.grading.checkers.numbers import WrittenNumber
from chainrule.grading.checkers.printing import display_name
from chainrule.shapes import SCALAR, UNKNOWN_SHAPE, Shape

if TYPE_CHECKING:
    from chainrule.grading.meaning.functions import FunctionMeaning


@dataclass(frozen=True)
class Term:
    """One member of a relation chain, translated.

    ``template`` holds a :class:`sympy.Dummy` for every number literal (``literals`` maps each to the
    number as written); ``value`` is the template with the exact numbers put in. Both are ``None`` when the
    member could not be translated, and ``reason`` says why. Matrix-valued members with explicit entries are
    :class:`sympy.ImmutableMatrix`; products of declared matrices without entries keep only their shape.
    """

    text: str
    line: int | None = None
    column: int | None = None
    template: sympy.Basic | None = None
    literals: tuple[tuple[sympy.Dummy, WrittenNumber], ...] = ()
    shape: Shape = SCALAR
    shape_certain: bool = False  # the shape follows from declarations, the layout or explicit entries
    reason: str | None = None
    mismatch: str | None = None  # the first product or sum inside whose shapes do not fit

    @property
    def numbers(self) -> dict[sympy.Dummy, sympy.Rational]:
        """Each placeholder's exact number, as :func:`~chainrule.engine.exact_bounds.estimate` takes them."""
        return {dummy: number.value for dummy, number in self.literals}

    @cached_property
    def size_problem(self) -> str | None:
        """Why the exact value must not be computed (``(1.0000001)^{10^9}`` has billions of digits), or None.

        Bounded before anything is built; such a member is only ever evaluated numerically, at a stated
        precision, by the numeric checks.
        """
        if self.template is None:
            return None
        return size_problem(self.template, self.numbers)

    @property
    def value(self) -> sympy.Basic | None:
        """The template with the exact numbers put in; None when untranslated or too large to compute exactly."""
        if self.template is None or self.size_problem:
            return None
        return self.template.xreplace(self.numbers)

    @property
    def is_bare_number(self) -> bool:
        """The member is one written number (possibly negated), e.g. the ``0.5812`` that ends a chain."""
        return len(self.literals) == 1 and self.template in (self.literals[0][0], -self.literals[0][0])

    @property
    def is_written_result(self) -> bool:
        """One written number, or a matrix of written numbers: a result, not a formula with numbers put in."""
        if self.is_bare_number:
            return True
        if not isinstance(self.template, sympy.MatrixBase):
            return False
        dummies = {dummy for dummy, _ in self.literals}
        return all(entry in dummies or -entry in dummies or entry == 0 for entry in self.template)

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.template, sympy.MatrixBase)

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        """The unknowns left once the literals are numbers."""
        if self.template is None:
            return set()
        dummies = {dummy for dummy, _ in self.literals}
        return {s for s in self.template.free_symbols if s not in dummies}


def untranslatable(text: str, reason: str, line: int | None = None, column: int | None = None,
                   shape: Shape = UNKNOWN_SHAPE, mismatch: str | None = None, shape_certain: bool = False) -> Term:
    return Term(text=text, line=line, column=column, reason=reason, shape=shape, mismatch=mismatch,
                shape_certain=shape_certain)


@dataclass
class Binding:
    """A name given a number (or a matrix of numbers) by an earlier line, as the student wrote it."""

    name: str
    term: Term
    line: int | None


@dataclass
class Environment:
    """What the document has established up to the current line; checkers only read it."""

    shapes: dict[str, Shape] = field(default_factory=dict)
    domains: dict[str, sympy.Set] = field(default_factory=dict)
    bindings: dict[str, Binding] = field(default_factory=dict)
    definitions: dict[str, Term] = field(default_factory=dict)  # names defined by a formula (h1 = σ(z1))
    # functions the document defines (σ(x) = max{0, x}): name → (parameters, body)
    function_defs: dict[str, tuple[tuple[sympy.Symbol, ...], Term]] = field(default_factory=dict)
    # functions written as formulas of their argument node (L_1(x) = W x + b), kept even when not translatable
    node_functions: dict[str, tuple[str, object]] = field(default_factory=dict)
    # elementwise activations the document names (f(L_1(x)) = tanh(W x + b) makes f = tanh): f → form in T
    activation_forms: dict[str, sympy.Expr] = field(default_factory=dict)
    # names defined as a function applied to a name, latest last: z_2 → [(f, z_1, epoch, inline)]; an inline
    # activation (z_2 = 5 ReLU(z_1)) holds only in the epoch it was written in, a named one (z_2 = f(z_1))
    # follows whatever f currently is
    applications: dict[str, list[tuple[str, str, int, bool]]] = field(default_factory=dict)
    activation_epoch: int = 0  # grows whenever a named function gets a different activation: a new network
    seen_forms: list[tuple[str, sympy.Expr]] = field(default_factory=list)  # every activation named so far

    def application(self, name: str) -> tuple[str, str] | None:
        """(function, argument) that ``name`` currently stands for, or None."""
        for function, argument, epoch, inline in reversed(self.applications.get(name, [])):
            if not inline or epoch == self.activation_epoch:
                return function, argument
        return None
    # what function names mean here by the document's own declarations (σ = ReLU; None: an unknown function) …
    functions: dict[str, FunctionMeaning | None] = field(default_factory=dict)
    # … and by the assignment at the line being read (the question's f, g, σ), which the document's override
    assigned: dict[str, FunctionMeaning | None] = field(default_factory=dict)
    numerator_layout: bool = False
    earlier_results: set[sympy.Rational] = field(default_factory=set)
    symbols: dict[str, sympy.Symbol] = field(default_factory=dict)

    def function_meanings(self) -> dict[str, FunctionMeaning | None]:
        """What function names mean at the current line: the document's declarations over the assignment's."""
        return {**self.assigned, **self.functions} if self.assigned else self.functions

    def symbol(self, name: str) -> sympy.Symbol:
        """The one SymPy symbol for ``name`` in this document; its domain is used when sampling it."""
        if name not in self.symbols:
            shown = display_name(name)
            taken = any(symbol.name == shown for symbol in self.symbols.values())
            self.symbols[name] = sympy.Symbol(name if taken else shown, real=True)
        return self.symbols[name]

    def domain_of(self, symbol: sympy.Symbol) -> sympy.Set | None:
        return self.domains.get(symbol.name)


def soften(left: Shape, right: Shape) -> tuple[Shape, Shape]:
    """Shapes to compare when one uses numbers and the other names: a size 3 may be the document's n.

    Sizes above 1 become unknown next to a named size; 1 stays (a K-vector is not a 1-vector in general).
    """
    named = any(isinstance(d, str) for d in (left.rows, left.cols, right.rows, right.cols))
    if not named:
        return left, right

    def loosen(shape: Shape) -> Shape:
        return Shape(*(None if isinstance(d, int) and d > 1 else d for d in (shape.rows, shape.cols)))

    return loosen(left), loosen(right)
