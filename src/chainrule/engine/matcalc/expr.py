"""A small expression tree for matrix calculus with symbolic sizes.

Why not SymPy's ``MatrixSymbol``: its derivatives come back in one fixed layout, reordered and without the
intermediate results a worked solution needs, and its printer does not write ``(Wx+b-y)x^T`` the way a
course does. Here every node is an immutable value whose shape is checked when it is built (through
:mod:`chainrule.shapes`, so a bad product raises ``ShapeMismatch: (1×K)·(1×m)``); the differentiator in
:mod:`.diff` walks these nodes and records each rule it applies. :func:`.to_sympy` converts any tree to
SymPy matrix expressions when a caller wants them.

Everything is a matrix: a scalar is (1×1), a vector a column. Sizes are ints or size names (``"n"``); the
scalar coefficient of :class:`Scale` is a SymPy number that may involve size names (``1/(2m)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy

from chainrule.errors import InputError
from chainrule.shapes import SCALAR, Dim, Shape, ShapeMismatch, elementwise, matmul, same_shape

from .functions import elementwise_fn

__all__ = [
    "Add",
    "Apply",
    "Diag",
    "Expr",
    "Hadamard",
    "Identity",
    "MatMul",
    "NotAColumn",
    "Ones",
    "Scale",
    "SqNorm",
    "Symbol",
    "Transpose",
    "Zero",
    "as_coefficient",
    "matrix",
    "row_vector",
    "scalar",
    "size_symbol",
    "symbols_in",
    "vector",
    "walk",
]

MAX_DEPTH = 200


def size_symbol(dim: Dim) -> sympy.Expr:
    """The SymPy value of a size: an Integer for a known size, a positive integer Symbol for a name."""
    if isinstance(dim, int):
        return sympy.Integer(dim)
    if isinstance(dim, str):
        return sympy.Symbol(dim, integer=True, positive=True)
    raise InputError("a size must be a number or a name, not unknown")


def as_coefficient(value: Any) -> sympy.Expr:
    """A scalar coefficient as a SymPy expression: ints and Fractions exactly, size names as symbols."""
    if isinstance(value, sympy.Expr):
        return value
    if isinstance(value, str):
        return size_symbol(value)
    from chainrule.engine.exact import to_rational

    return to_rational(value)


class NotAColumn(ShapeMismatch):
    """An operation that needs a column vector (‖·‖², diag) got another shape; still a ``ShapeMismatch``."""

    def __init__(self, operation: str, shape: Shape) -> None:
        self.operation, self.left, self.right = operation, shape, Shape(shape.rows, 1)
        ValueError.__init__(self, f"{operation} needs a column vector, not {shape}")


class Expr:
    """Base of every node. Subclasses are frozen dataclasses; ``shape`` is computed and checked at construction."""

    shape: Shape

    def children(self) -> tuple[Expr, ...]:
        return ()

    # Operators make trees easy to write in Python: ``x.T @ (A @ x + z)``.
    def __add__(self, other: Expr) -> Expr:
        return Add((self, other))

    def __sub__(self, other: Expr) -> Expr:
        return Add((self, Scale(sympy.Integer(-1), other)))

    def __neg__(self) -> Expr:
        return Scale(sympy.Integer(-1), self)

    def __matmul__(self, other: Expr) -> Expr:
        return MatMul((self, other))

    def __rmul__(self, coefficient: Any) -> Expr:
        return Scale(as_coefficient(coefficient), self)

    def __mul__(self, coefficient: Any) -> Expr:
        return Scale(as_coefficient(coefficient), self)

    @property
    def T(self) -> Expr:
        return Transpose(self)

    def latex(self) -> str:
        from .printing import to_latex

        return to_latex(self)

    def __str__(self) -> str:
        from .printing import to_text

        return to_text(self)


def _check_depth(node: Expr) -> None:
    depth = 1 + max((getattr(child, "_depth", 0) for child in node.children()), default=0)
    if depth > MAX_DEPTH:
        raise InputError(f"expression nested more than {MAX_DEPTH} levels deep")
    object.__setattr__(node, "_depth", depth)


@dataclass(frozen=True)
class Symbol(Expr):
    """A named matrix; ``tex`` is how it prints in LaTeX (``W^{(1)}``), ``name`` how it is bound numerically."""

    name: str
    shape: Shape
    tex: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("a symbol needs a name")
        if not self.shape.is_known:
            raise InputError(f"symbol {self.name!r} needs both sizes, got {self.shape}")
        object.__setattr__(self, "_depth", 1)


@dataclass(frozen=True)
class Identity(Expr):
    size: Dim

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", Shape(self.size, self.size))
        object.__setattr__(self, "_depth", 1)


@dataclass(frozen=True)
class Ones(Expr):
    """The column of ones ``1_size``."""

    size: Dim

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", Shape(self.size, 1))
        object.__setattr__(self, "_depth", 1)


@dataclass(frozen=True)
class Zero(Expr):
    shape: Shape

    def __post_init__(self) -> None:
        object.__setattr__(self, "_depth", 1)


@dataclass(frozen=True)
class Scale(Expr):
    """``coefficient · arg`` for a scalar coefficient that is a number, not a (1×1) expression."""

    coefficient: sympy.Expr
    arg: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "coefficient", as_coefficient(self.coefficient))
        object.__setattr__(self, "shape", self.arg.shape)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.terms) < 2:
            raise InputError("a sum needs at least two terms")
        shape = self.terms[0].shape
        for term in self.terms[1:]:
            if same_shape(shape, term.shape) is False:
                raise ShapeMismatch("add", shape, term.shape)
            shape = elementwise("add", shape, term.shape)
        object.__setattr__(self, "shape", shape)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return self.terms


@dataclass(frozen=True)
class MatMul(Expr):
    """A product of factors; a (1×1) factor scales anything, as in ``(wᵀx - y) x``."""

    factors: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.factors) < 2:
            raise InputError("a product needs at least two factors")
        shape = self.factors[0].shape
        for factor in self.factors[1:]:
            shape = matmul(shape, factor.shape)
        object.__setattr__(self, "shape", shape)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return self.factors


@dataclass(frozen=True)
class Transpose(Expr):
    arg: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", self.arg.shape.T)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Hadamard(Expr):
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if same_shape(self.left.shape, self.right.shape) is False:
            raise ShapeMismatch("hadamard", self.left.shape, self.right.shape)
        object.__setattr__(self, "shape", self.left.shape)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Apply(Expr):
    """An elementwise function (a name in :data:`.functions.FUNCTIONS`) applied to every entry of ``arg``."""

    fn: str
    arg: Expr

    def __post_init__(self) -> None:
        elementwise_fn(self.fn)
        object.__setattr__(self, "shape", self.arg.shape)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Diag(Expr):
    """``diag(v)``: the square matrix with the column ``v`` on its diagonal (an elementwise Jacobian)."""

    arg: Expr

    def __post_init__(self) -> None:
        if self.arg.shape.cols != 1:
            raise NotAColumn("diag", self.arg.shape)
        object.__setattr__(self, "shape", Shape(self.arg.shape.rows, self.arg.shape.rows))
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class SqNorm(Expr):
    """``‖v‖² = vᵀv`` of a column (for a scalar it prints as a square)."""

    arg: Expr

    def __post_init__(self) -> None:
        if self.arg.shape.cols != 1:
            raise NotAColumn("‖·‖²", self.arg.shape)
        object.__setattr__(self, "shape", SCALAR)
        _check_depth(self)

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)


def scalar(name: str, tex: str | None = None) -> Symbol:
    return Symbol(name, SCALAR, tex)


def vector(name: str, size: Dim, tex: str | None = None) -> Symbol:
    return Symbol(name, Shape(size, 1), tex)


def row_vector(name: str, size: Dim, tex: str | None = None) -> Symbol:
    return Symbol(name, Shape(1, size), tex)


def matrix(name: str, rows: Dim, cols: Dim, tex: str | None = None) -> Symbol:
    return Symbol(name, Shape(rows, cols), tex)


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of ``expr``, parents before children."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def symbols_in(expr: Expr) -> list[Symbol]:
    """The distinct symbols of ``expr`` in order of first appearance."""
    seen: dict[Symbol, None] = {}
    for node in walk(expr):
        if isinstance(node, Symbol):
            seen.setdefault(node, None)
    return list(seen)
