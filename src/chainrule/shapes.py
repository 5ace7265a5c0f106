"""Shapes with symbolic sizes, shared by the reader (inferred shapes) and the engine (matrix calculus).

Everything is a matrix: a scalar is (1×1), a column vector (n×1), a row (1×n). A dimension is an int,
a size name such as ``"m"`` or ``"K"`` (distinct names are distinct sizes: ``K`` and ``m`` do not fit
in general), or :data:`UNKNOWN` when nothing is known; an unknown size never produces a mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.errors import ChainruleError

Dim = int | str | None
UNKNOWN: Dim = None


class ShapeMismatch(ChainruleError, ValueError):
    """Two operands whose shapes do not fit; the message shows them as people write them."""

    def __init__(self, operation: str, left: Shape, right: Shape) -> None:
        self.operation = operation
        self.left = left
        self.right = right
        symbol = {"matmul": "·", "add": "+", "hadamard": "⊙", "equal": "="}.get(operation, operation)
        super().__init__(f"{left}{symbol}{right} — the shapes do not fit")


def dim_text(dim: Dim) -> str:
    return "?" if dim is None else str(dim)


def dims_equal(a: Dim, b: Dim) -> bool | None:
    """True or False when the sizes are known; None when either is unknown."""
    if a is None or b is None:
        return None
    return a == b


@dataclass(frozen=True)
class Shape:
    rows: Dim
    cols: Dim

    def __str__(self) -> str:
        return f"({dim_text(self.rows)}×{dim_text(self.cols)})"

    @property
    def T(self) -> Shape:
        return Shape(self.cols, self.rows)

    @property
    def is_scalar(self) -> bool:
        return self.rows == 1 and self.cols == 1

    @property
    def is_known(self) -> bool:
        return self.rows is not None and self.cols is not None


SCALAR = Shape(1, 1)
UNKNOWN_SHAPE = Shape(None, None)


def column(size: Dim) -> Shape:
    return Shape(size, 1)


def row(size: Dim) -> Shape:
    return Shape(1, size)


def matmul(left: Shape, right: Shape) -> Shape:
    """Shape of ``left · right``; a (1×1) factor scales anything. Raises :class:`ShapeMismatch`."""
    if left.is_scalar:
        return right
    if right.is_scalar:
        return left
    if dims_equal(left.cols, right.rows) is False:
        raise ShapeMismatch("matmul", left, right)
    return Shape(left.rows, right.cols)


def elementwise(operation: str, left: Shape, right: Shape) -> Shape:
    """Shape of a sum or Hadamard product: equal shapes, or a scalar with anything."""
    if left.is_scalar and operation == "add":
        return right
    if right.is_scalar and operation == "add":
        return left
    rows, cols = dims_equal(left.rows, right.rows), dims_equal(left.cols, right.cols)
    if rows is False or cols is False:
        raise ShapeMismatch(operation, left, right)
    return Shape(left.rows if left.rows is not None else right.rows,
                 left.cols if left.cols is not None else right.cols)


def same_shape(left: Shape, right: Shape) -> bool | None:
    """Whether an equality ``left = right`` is shape-consistent: True, False, or None (unknown)."""
    rows, cols = dims_equal(left.rows, right.rows), dims_equal(left.cols, right.cols)
    if rows is False or cols is False:
        return False
    if rows is None or cols is None:
        return None
    return True
