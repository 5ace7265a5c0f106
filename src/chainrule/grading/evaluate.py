"""The numeric route: the value of a written expression at one random point of a question's truth.

An :class:`Evaluator` gives every node a NumPy value (always a 2-D array: a number is 1×1, a vector a column)
under a :class:`~chainrule.grading.truth.Truth`, with names placed by the question's resolver
(:mod:`.meaning`). One method per node type, as SymPy's printers dispatch: ``_eval_Mul``, ``_eval_Apply`` …
Anything without a value here (an unknown name, a tensor, an unbound index, a condition it cannot test) raises
:class:`Unevaluable` and the claim is left alone; a product or sum whose shapes do not fit raises
:class:`ShapeError`, which the comparison reports. Work is bounded by a step count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from chainrule.grading.meaning import (
    FunctionMeaning,
    Resolver,
    entry_indices,
    function_key,
    resolve_function,
    zero_based,
)
from chainrule.grading.truth import Truth
from chainrule.notation import nodes as n

__all__ = [
    "Evaluator", "Points", "ShapeError", "Unevaluable", "condition_holds", "entry_value", "numeric_function",
    "same_values",
]

MAX_STEPS = 20_000
RELATIVE_TOLERANCE = 1e-7


class Unevaluable(Exception):
    """A term that has no value here (an unknown name, a tensor, an unbound index)."""


class ShapeError(Unevaluable):
    """A product or sum whose operands' shapes do not fit."""

    def __init__(self, message: str, node: n.Node) -> None:
        super().__init__(message)
        self.node = node


class _Eye:
    """An identity matrix whose size comes from its neighbours (``I`` written without a size)."""


# The vocabulary's elementary functions (:data:`~chainrule.grading.meaning.ELEMENTARY`) in NumPy.
NUMPY_ELEMENTARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh,
    "sqrt": np.sqrt, "sech": lambda z: 1 / np.cosh(z), "abs": np.abs, "sign": np.sign,
}


def numeric_function(meaning: FunctionMeaning) -> Callable[[np.ndarray], np.ndarray]:
    """The NumPy form of a function's meaning: the engine's activation (scaled), or an elementary function."""
    if meaning.kind == "elementary":
        return NUMPY_ELEMENTARY[meaning.key]
    if meaning.kind != "activation":
        raise Unevaluable(f"{meaning.key} is not a function of one value")
    from chainrule.engine.activations import get_activation
    from chainrule.engine.exact import to_rational

    given = meaning.parameters()
    if any(isinstance(value, str) for value in given.values()) or isinstance(meaning.scale, str):
        raise Unevaluable(f"{meaning.key} with a parameter that has no value")
    params = {name: float(to_rational(value)) for name, value in given.items()}
    activation = get_activation(meaning.key, **params)
    scale = float(to_rational(meaning.scale))
    return lambda z: scale * activation.numpy(z)


class Evaluator:
    """Numeric value of a reader node under a :class:`Truth`; raises :class:`Unevaluable` when it has none."""

    def __init__(
        self,
        truth: Truth,
        resolve: Resolver,
        elementwise_dot: bool,
        functions: Mapping[str, FunctionMeaning | None] | None = None,
    ) -> None:
        self.truth = truth
        self.resolve = resolve
        self.functions = functions or {}  # what function names mean here (the question's f, g, σ …)
        self.elementwise_dot = elementwise_dot
        self.steps = 0
        self.indices: dict[str, int] = {}
        self.zero_based = False  # entries numbered from 0, as in code (``s_0``)

    def value(self, node: n.Node) -> np.ndarray:
        """The node's float64 value, never outside float64's range.

        An overflow (``inf``), an underflow (a nonzero value rounded to 0 or a denormal) or an invalid operation
        would make a claim right or wrong by accident: ``2^{-65536} = 0`` is not right, and two infinities are
        not a comparison. Such a term has no value here; the exact checks (or nobody) decide it.
        """
        with np.errstate(over="raise", under="raise", invalid="raise", divide="raise"):
            try:
                result = self.value_of(node)
            except (FloatingPointError, OverflowError) as error:
                raise Unevaluable(f"a value outside float64's range ({error})") from None
        if isinstance(result, _Eye):
            raise Unevaluable("an identity of unknown size")
        if isinstance(result, np.ndarray) and result.dtype.kind in "fc" and not np.all(np.isfinite(result)):
            raise Unevaluable("a value outside float64's range")
        return result

    def value_of(self, node: n.Node) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Unevaluable("the term is too large to evaluate")
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is None:
            raise Unevaluable(f"no value for {type(node).__name__}")
        return method(node)

    # atoms
    def _eval_Number(self, node: n.Number) -> np.ndarray:
        return np.array([[float(node.value)]])

    def _eval_Symbol(self, node: n.Symbol) -> Any:
        if node.name == "I" and not node.accent:
            size = [self.truth.sizes.get(c.name) for c in node.sub if isinstance(c, n.Symbol)]
            if len(size) == 1 and size[0]:
                return np.eye(size[0])
            if not node.sub:
                return _Eye()
        if node.name == "delta" and len(node.sub) == 2 and all(isinstance(i, n.Symbol) for i in node.sub):
            first, second = (self._index(index, np.zeros((1, 1))) for index in node.sub)
            return np.array([[1.0 if first == second else 0.0]])  # Kronecker's delta on bound indices
        name = self.resolve(node)
        if name is None and not node.sub and node.name in self.truth.sizes and node.layer is None:
            return np.array([[float(self.truth.sizes[node.name])]])
        if name is None or name not in self.truth.values:
            raise Unevaluable(f"no value for {node.name}")
        value = self.truth.values[name]
        indices = entry_indices(node)
        if not indices:
            return value
        return self._element(value, indices)

    def _element(self, value: np.ndarray, indices: tuple[n.Node, ...]) -> np.ndarray:
        if len(indices) == 1 and _two_digits(indices[0]) and value.ndim == 2 and max(value.shape) <= 9 \
                and (1 not in value.shape or int(indices[0].text) > value.size):  # type: ignore[attr-defined]
            text = indices[0].text  # type: ignore[attr-defined]
            indices = (n.Number(text[0]), n.Number(text[1]))  # w_{12}: row 1, column 2 (digits, not twelve)
        positions = [self._index(index, value) for index in indices]
        flat = value.reshape(-1) if 1 in value.shape and len(positions) == 1 else value
        try:
            return np.array([[flat[tuple(positions)] if len(positions) > 1 else flat[positions[0]]]])
        except IndexError:
            raise Unevaluable("index out of range") from None

    def _index(self, index: n.Node, value: np.ndarray) -> int:
        if isinstance(index, n.Number) and index.value.denominator == 1:
            return int(index.value) - (0 if self.zero_based else 1)
        if isinstance(index, n.Symbol) and not index.sub:
            if index.name in self.indices:
                return self.indices[index.name]
            if index.name in self.truth.sizes:
                return self.truth.sizes[index.name] - 1
        raise Unevaluable("an index without a value")

    def _eval_Indexed(self, node: n.Indexed) -> np.ndarray:
        base = node.base.items[0] if isinstance(node.base, n.Tuple) and len(node.base.items) == 1 else node.base
        return self._element(self.value(base), node.indices)

    def _entrywise(self, node: n.Node) -> np.ndarray:
        """``diag(1 − (z₁)_i²)``: a formula in one free index is the column of its entries over the index's range
        (the length of the vector it indexes); without a free index, the value itself."""
        free = self._free_index(node)
        if free is None:
            return self.value(node)
        name, size = free
        saved = dict(self.indices)
        entries = []
        try:
            for position in range(size):
                self.indices[name] = position
                entry = self.value(node)
                if entry.shape != (1, 1):
                    raise Unevaluable("an indexed formula that is not a number")
                entries.append(entry[0, 0])
        finally:
            self.indices = saved
        return np.array(entries).reshape(-1, 1)

    def _free_index(self, node: n.Node) -> tuple[str, int] | None:
        """The one index letter used in ``node`` that nothing binds, with the length of what it indexes."""
        found: dict[str, int] = {}
        for item in node.walk():
            if isinstance(item, n.Symbol):
                indices, base = entry_indices(item), item
            elif isinstance(item, n.Indexed):
                indices = item.indices
                base = item.base.items[0] if isinstance(item.base, n.Tuple) and len(item.base.items) == 1 \
                    else item.base
            else:
                continue
            letters = [i for i in indices if isinstance(i, n.Symbol) and not i.sub and i.name not in self.indices
                       and i.name not in self.truth.sizes]
            if len(letters) != 1 or len(indices) != 1:
                continue
            try:
                whole = self.value(replace(base, sub=base.sub[:1]) if isinstance(base, n.Symbol) and base.layer is None
                                   and base.sub and isinstance(base.sub[0], n.Number) else
                                   replace(base, sub=()) if isinstance(base, n.Symbol) else base)
            except Unevaluable:
                continue
            if 1 in whole.shape:
                found[letters[0].name] = max(whole.shape)
        return next(iter(found.items())) if len(found) == 1 else None

    def _eval_Boxed(self, node: n.Boxed) -> Any:
        return self.value_of(node.body)

    def _eval_Tuple(self, node: n.Tuple) -> Any:
        if len(node.items) == 1:
            return self.value_of(node.items[0])
        items = [self.value(item) for item in node.items]
        if all(item.shape == (1, 1) for item in items):
            return np.array([[item[0, 0]] for item in items])  # (a, b) read as a column, as students write it
        raise Unevaluable("a tuple of matrices")

    def _eval_Matrix(self, node: n.Matrix) -> np.ndarray:
        rows = []
        for row in node.rows:
            cells = []
            for cell in row:
                if isinstance(cell, n.Dots):
                    raise Unevaluable("a matrix written with dots")
                value = self.value(cell)
                if value.shape != (1, 1):
                    raise Unevaluable("a block matrix")
                cells.append(value[0, 0])
            rows.append(cells)
        if len({len(row) for row in rows}) != 1:
            raise Unevaluable("ragged matrix")
        return np.array(rows, dtype=float)

    def _eval_Derivative(self, node: n.Derivative) -> np.ndarray:
        if node.of is None or node.order != 1:
            raise Unevaluable("a derivative operator")
        of, wrt = self.resolve(node.of), self.resolve(node.wrt)
        if of is None or wrt is None:
            raise Unevaluable("a derivative of unknown quantities")
        if isinstance(node.of, n.Symbol) and entry_indices(node.of):
            raise Unevaluable("a derivative of one entry")
        value = self.truth.derivatives.get((of, wrt))
        if value is None:
            raise Unevaluable("a derivative the spec does not give")
        if isinstance(node.wrt, n.Symbol) and entry_indices(node.wrt):
            if of != "loss":
                raise Unevaluable("a derivative with respect to one entry")
            return self._element(value, entry_indices(node.wrt))
        return value

    def _eval_Gradient(self, node: n.Gradient) -> np.ndarray:
        if node.wrt is None:
            raise Unevaluable("a gradient without its variable")
        return self._eval_Derivative(n.Derivative(node.of, node.wrt, partial=True))

    # arithmetic
    def _eval_Neg(self, node: n.Neg) -> np.ndarray:
        return -self.value(node.operand)

    def _eval_Add(self, node: n.Add) -> np.ndarray:
        total = self.value(node.terms[0])
        for term in node.terms[1:]:
            value = self.value(term)
            if total.shape == value.shape or value.shape == (1, 1) or total.shape == (1, 1):
                total = total + value
            else:
                raise ShapeError(
                    f"adds a {self.truth.shape_text(total.shape)} and a {self.truth.shape_text(value.shape)}", term
                )
        return total

    def _eval_Mul(self, node: n.Mul) -> Any:
        result: Any = None
        for factor in node.factors:
            value = self.value_of(factor)
            if result is None or isinstance(result, _Eye):
                result = value
                continue
            if isinstance(value, _Eye):
                continue
            result = self._product(result, value, factor, node.op)
        return result

    def _product(self, left: np.ndarray, right: np.ndarray, at: n.Node, op: str) -> np.ndarray:
        if left.shape == (1, 1) or right.shape == (1, 1):
            return left * right
        if left.shape[1] == right.shape[0]:
            return left @ right
        if left.shape == right.shape and (self.elementwise_dot or 1 in left.shape):
            # "∂L/∂h · I(a > 0)", "diag(σ(z)(1 − σ(z)))": two vectors of one shape side by side have no matrix
            # product, so even a strict layout reads them entrywise (the values then decide)
            return left * right
        raise ShapeError(
            f"multiplies a {self.truth.shape_text(left.shape)} by a {self.truth.shape_text(right.shape)}", at
        )

    def _eval_Hadamard(self, node: n.Hadamard) -> np.ndarray:
        values = [self.value(factor) for factor in node.factors]
        result = values[0]
        for value in values[1:]:
            if value.shape != result.shape and (1, 1) not in (value.shape, result.shape):
                raise ShapeError("an entrywise product of different shapes", node)
            result = result * value
        return result

    def _eval_Div(self, node: n.Div) -> np.ndarray:
        top, bottom = self.value(node.numerator), self.value(node.denominator)
        if bottom.shape == (1, 1) or bottom.shape == top.shape:
            return top / bottom
        raise Unevaluable("a division by a matrix")

    def _eval_Power(self, node: n.Power) -> np.ndarray:
        if isinstance(node.base, n.Norm) and node.base.kind == "norm":
            inner = self.value(node.base.operand)
            exponent = self.value(node.exponent)
            return np.array([[float(np.sum(inner**2)) ** (float(exponent[0, 0]) / 2)]])
        base, exponent = self.value(node.base), self.value(node.exponent)
        if exponent.shape == (1, 1) and 1 in base.shape and isinstance(node.base, n.Apply) \
                and isinstance(node.base.func, n.Function):
            return base ** exponent[0, 0]  # tanh²(z₁) of a vector: the function's square, entry by entry
        if exponent.shape != (1, 1) or base.shape != (1, 1):
            raise Unevaluable("a power of a matrix")
        return base ** exponent[0, 0]

    def _eval_Root(self, node: n.Root) -> np.ndarray:
        radicand = self.value(node.radicand)
        index = 2.0 if node.index is None else float(self.value(node.index)[0, 0])
        return radicand ** (1 / index)

    def _eval_Norm(self, node: n.Norm) -> np.ndarray:
        inner = self.value(node.operand)
        if node.kind == "abs":
            return np.abs(inner)
        return np.array([[float(np.sqrt(np.sum(inner**2)))]])

    def _eval_Transpose(self, node: n.Transpose) -> np.ndarray:
        return self.value(node.operand).T

    def _eval_Apply(self, node: n.Apply) -> np.ndarray:
        func = node.func
        if not isinstance(func, n.Function | n.Symbol):
            raise Unevaluable("an application of something that is not a function name")
        meaning = resolve_function(func, self.functions)
        if meaning is None and isinstance(func, n.Symbol):
            # f(x; θ) where f names a computed quantity (the network's output): the arguments say what it
            # depends on, the value is the quantity's
            return self.value(func)
        if meaning is None:
            raise Unevaluable(f"no value for the function {function_key(func)}")
        if meaning.key == "indicator" and len(node.args) == 1:
            return self.truth_of(node.args[0])
        if meaning.key in ("max", "min") and len(node.args) == 2:
            left, right = self.value(node.args[0]), self.value(node.args[1])
            return np.maximum(left, right) if meaning.key == "max" else np.minimum(left, right)
        if meaning.key == "diag" and len(node.args) == 1:
            return np.diagflat(self._entrywise(node.args[0]))
        if meaning.kind == "structural" or len(node.args) != 1:
            raise Unevaluable(f"no value for {function_key(func)} written this way")
        return numeric_function(meaning)(self.value(node.args[0]))

    def truth_of(self, node: n.Node) -> np.ndarray:
        if isinstance(node, n.SetOf) and len(node.items) == 1:
            node = node.items[0]
        if isinstance(node, n.Chain) and len(node.terms) == 2:
            left, right = self.value(node.terms[0]), self.value(node.terms[1])
            compare = {">": np.greater, "<": np.less, "≥": np.greater_equal, "≤": np.less_equal}.get(node.ops[0].op)
            if compare is not None:
                return compare(left, right).astype(float)
        raise Unevaluable("a condition that cannot be evaluated")

    def _eval_BigOp(self, node: n.BigOp) -> np.ndarray:
        if node.op != "sum" or not isinstance(node.lower, n.Chain) or node.upper is None:
            raise Unevaluable("a sum without explicit bounds")
        index, start = node.lower.terms[0], node.lower.terms[-1]
        if not isinstance(index, n.Symbol) or node.lower.ops[0].op != "=":
            raise Unevaluable("a sum over an unusual index")
        first = int(self.value(start)[0, 0])
        last = (
            int(self.value(node.upper)[0, 0])
            if not isinstance(node.upper, n.Symbol)
            else self.truth.sizes.get(node.upper.name, 0)
        )
        if not last or last - first > 100:
            raise Unevaluable("a sum with unknown bounds")
        total: np.ndarray | None = None
        saved = dict(self.indices)
        try:
            for position in range(first, last + 1):
                self.indices[index.name] = position - 1
                value = self.value(node.body)
                total = value if total is None else total + value
        finally:
            self.indices = saved
        if total is None:
            raise Unevaluable("an empty sum")
        return total



def entry_value(evaluator: Evaluator, term: n.Node) -> float | None:
    """One entry's value under the evaluator's bound indices; a case split takes the first piece that holds."""
    if isinstance(term, n.Cases):
        for piece in term.pieces:
            if piece.condition is None or condition_holds(evaluator, piece.condition):
                value = evaluator.value(piece.value)
                return float(value[0, 0]) if value.shape == (1, 1) else None
        return None
    value = evaluator.value(term)
    return float(value[0, 0]) if value.shape == (1, 1) else None


def condition_holds(evaluator: Evaluator, condition: n.Node) -> bool:
    """Whether a case condition holds: ``i = j``/``i ≠ j`` on bound indices, or a comparison of values."""
    if isinstance(condition, n.Chain) and len(condition.terms) == 2:
        left, right = condition.terms
        if (
            isinstance(left, n.Symbol)
            and isinstance(right, n.Symbol)
            and {left.name, right.name} <= set(evaluator.indices)
        ):
            equal = evaluator.indices[left.name] == evaluator.indices[right.name]
            return (
                equal if condition.ops[0].op == "=" else not equal if condition.ops[0].op in ("≠", "\\neq") else False
            )
        return bool(evaluator.truth_of(condition)[0, 0])
    raise Unevaluable("a condition that cannot be evaluated")


def _two_digits(node: n.Node) -> bool:
    return isinstance(node, n.Number) and len(node.text) == 2 and node.text.isdigit()


def same_values(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Equal shapes and entries within ``tolerance`` plus a relative 1e-7 (floating-point noise)."""
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.all(np.abs(a - b) <= tolerance + RELATIVE_TOLERANCE * scale))


@dataclass
class Points:
    """A question's truth at each of its random points, with the names placed by its resolver.

    ``strict`` (numerator layout) reads two vectors side by side as a matrix product only; otherwise an entrywise
    product is allowed too. ``free`` is the one free index of the subject being compared (``∂ℓ/∂ŷ_i``) and its
    range: a term is then evaluated entry by entry into a column.
    """

    truths: list[Truth]
    resolve: Resolver
    strict: bool
    functions: Mapping[str, FunctionMeaning | None] = field(default_factory=dict)
    free: tuple[str, int] | None = None

    def evaluator(self, truth: Truth) -> Evaluator:
        """A fresh evaluator at one truth point (each keeps its own bound indices)."""
        return Evaluator(truth, self.resolve, not self.strict, self.functions)

    def evaluators(self) -> list[Evaluator]:
        """One evaluator per truth point (fresh: each keeps its own bound indices)."""
        return [Evaluator(truth, self.resolve, not self.strict, self.functions) for truth in self.truths]

    def evaluate_all(self, node: n.Node) -> list[np.ndarray]:
        """The node's value at each truth point; with a free index (``ŷ_i``) the column of its entries."""
        values = []
        for evaluator in self.evaluators():
            evaluator.zero_based = zero_based(node)
            if self.free is None:
                values.append(evaluator.value(node))
                continue
            name, size = self.free
            entries = []
            for position in range(size):
                evaluator.indices = {name: position}
                value = evaluator.value(node)
                if value.shape != (1, 1):
                    raise Unevaluable("an indexed term that is not a number")
                entries.append(value[0, 0])
            values.append(np.array(entries).reshape(-1, 1))
        return values

    def values_of(self, node: n.Node) -> list[np.ndarray] | None:
        """:meth:`evaluate_all`, or None where the node has no value."""
        try:
            return self.evaluate_all(node)
        except Unevaluable:
            return None
