"""Numbers for a matrix expression: evaluate at a point, draw random points, convert to SymPy.

A grader decides whether a student's expression equals chainrule's by evaluating both at a few random points
with random concrete sizes (an identity of matrix expressions that holds at random points holds everywhere
with probability one). :func:`random_bindings` draws those points; :func:`evaluate` computes a tree on them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix

from chainrule.errors import InputError
from chainrule.shapes import Dim

from .expr import (
    Add,
    Apply,
    Diag,
    Expr,
    Hadamard,
    Identity,
    MatMul,
    Ones,
    Scale,
    SqNorm,
    Symbol,
    Transpose,
    Zero,
    size_symbol,
    symbols_in,
)
from .functions import elementwise_fn

__all__ = ["concrete_shape", "evaluate", "infer_sizes", "random_bindings", "random_sizes", "to_sympy"]


def random_sizes(names: list[str] | tuple[str, ...], rng: np.random.Generator, low: int = 2, high: int = 6) -> dict:
    """Distinct random concrete sizes for the size names (distinct, so a confused ``m`` and ``K`` shows)."""
    if high - low + 1 < len(names):
        raise InputError(f"cannot draw {len(names)} distinct sizes from {low}..{high}")
    values = rng.choice(np.arange(low, high + 1), size=len(names), replace=False)
    return {name: int(v) for name, v in zip(names, values, strict=True)}


def concrete_shape(shape_rows: Dim, shape_cols: Dim, sizes: Mapping[str, int]) -> tuple[int, int]:
    def one(dim: Dim) -> int:
        if isinstance(dim, int):
            return dim
        if isinstance(dim, str) and dim in sizes:
            return int(sizes[dim])
        raise InputError(f"no concrete value for size {dim!r}")

    return one(shape_rows), one(shape_cols)


def random_bindings(
    expr_or_symbols: Expr | list[Symbol], sizes: Mapping[str, int], rng: np.random.Generator, scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Standard-normal values (times ``scale``) for every symbol, as 2-D arrays of the concrete shapes."""
    symbols = symbols_in(expr_or_symbols) if isinstance(expr_or_symbols, Expr) else list(expr_or_symbols)
    return {s.name: scale * rng.standard_normal(concrete_shape(s.shape.rows, s.shape.cols, sizes)) for s in symbols}


def infer_sizes(expr: Expr, bindings: Mapping[str, np.ndarray]) -> dict[str, int]:
    """Read the concrete value of every size name off the bound arrays; inconsistent arrays are an error."""
    sizes: dict[str, int] = {}
    for symbol in symbols_in(expr):
        if symbol.name not in bindings:
            raise InputError(f"no value bound for {symbol.name!r}")
        array = np.atleast_2d(np.asarray(bindings[symbol.name], dtype=float))
        for dim, actual in zip((symbol.shape.rows, symbol.shape.cols), array.shape, strict=True):
            expected = sizes.setdefault(dim, actual) if isinstance(dim, str) else dim
            if expected != actual:
                raise InputError(f"{symbol.name!r} is bound to a {array.shape} array; it must fit {symbol.shape}")
    return sizes


def evaluate(expr: Expr, bindings: Mapping[str, np.ndarray], sizes: Mapping[str, int] | None = None) -> np.ndarray:
    """The value of ``expr`` as a 2-D float array; sizes are inferred from the bindings unless given."""
    sizes = dict(sizes) if sizes is not None else infer_sizes(expr, bindings)
    size_values = {size_symbol(name): value for name, value in sizes.items()}
    return _Evaluator(bindings, sizes, size_values).value(expr)


class _Evaluator:
    def __init__(self, bindings: Mapping[str, np.ndarray], sizes: dict[str, int], size_values: dict) -> None:
        self.bindings = bindings
        self.sizes = sizes
        self.size_values = size_values

    def dims(self, node: Expr) -> tuple[int, int]:
        return concrete_shape(node.shape.rows, node.shape.cols, self.sizes)

    def value(self, node: Expr) -> np.ndarray:
        if isinstance(node, Symbol):
            return np.atleast_2d(np.asarray(self.bindings[node.name], dtype=float)).reshape(self.dims(node))
        if isinstance(node, Identity):
            return np.eye(self.dims(node)[0])
        if isinstance(node, Ones):
            return np.ones(self.dims(node))
        if isinstance(node, Zero):
            return np.zeros(self.dims(node))
        if isinstance(node, Scale):
            coefficient = node.coefficient.subs(self.size_values)
            if coefficient.free_symbols:
                names = ", ".join(sorted(str(s) for s in coefficient.free_symbols))
                raise InputError(f"no concrete value for size {names} in the coefficient {node.coefficient}")
            return float(coefficient) * self.value(node.arg)
        if isinstance(node, Add):
            return sum((self.value(t) for t in node.terms[1:]), self.value(node.terms[0]))
        if isinstance(node, MatMul):
            result = self.value(node.factors[0])
            for factor in node.factors[1:]:
                right = self.value(factor)
                result = result * right if result.shape == (1, 1) or right.shape == (1, 1) else result @ right
            return result
        if isinstance(node, Transpose):
            return self.value(node.arg).T
        if isinstance(node, Hadamard):
            return self.value(node.left) * self.value(node.right)
        if isinstance(node, Apply):
            return elementwise_fn(node.fn).numpy(self.value(node.arg))
        if isinstance(node, Diag):
            return np.diag(self.value(node.arg)[:, 0])
        if isinstance(node, SqNorm):
            v = self.value(node.arg)
            return np.array([[float(np.sum(v * v))]])
        raise TypeError(f"unknown node {type(node).__name__}")


def to_sympy(expr: Expr) -> sympy.Basic:
    """The same expression as SymPy matrix expressions with symbolic sizes (``MatrixSymbol('W1', K, m)``)."""
    if isinstance(expr, Symbol):
        return sympy.MatrixSymbol(expr.name, size_symbol(expr.shape.rows), size_symbol(expr.shape.cols))
    if isinstance(expr, Identity):
        return sympy.Identity(size_symbol(expr.size))
    if isinstance(expr, Ones):
        return sympy.OneMatrix(size_symbol(expr.size), 1)
    if isinstance(expr, Zero):
        return sympy.ZeroMatrix(size_symbol(expr.shape.rows), size_symbol(expr.shape.cols))
    if isinstance(expr, Scale):
        return sympy.MatMul(expr.coefficient, to_sympy(expr.arg))
    if isinstance(expr, Add):
        return sympy.MatAdd(*[to_sympy(t) for t in expr.terms])
    if isinstance(expr, MatMul):
        return sympy.MatMul(*[to_sympy(f) for f in expr.factors])
    if isinstance(expr, Transpose):
        return sympy.Transpose(to_sympy(expr.arg))
    if isinstance(expr, Hadamard):
        return sympy.HadamardProduct(to_sympy(expr.left), to_sympy(expr.right))
    if isinstance(expr, Apply):
        t = sympy.Dummy("t", real=True)
        return ElementwiseApplyFunction(sympy.Lambda(t, elementwise_fn(expr.fn).definition(t)), to_sympy(expr.arg))
    if isinstance(expr, Diag):
        return DiagMatrix(to_sympy(expr.arg))
    if isinstance(expr, SqNorm):
        v = to_sympy(expr.arg)
        return sympy.MatMul(sympy.Transpose(v), v)
    raise TypeError(f"unknown node {type(expr).__name__}")
