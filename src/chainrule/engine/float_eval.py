"""Evaluate a SymPy expression in float64 on NumPy arrays by walking its tree.

``sympy.lambdify`` would be faster to write but generates source code and ``exec``s it; the expressions here can
come from a spec's structured trees, and chainrule never executes generated code. Walking the tree once into
nested closures costs a few microseconds per node and evaluates a whole grid of points in one NumPy pass, which
is what numeric searches (a supremum, a gradient-descent run on a formula) need: ``evalf`` at 20 digits is a
thousand times slower per point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import sympy

from chainrule.errors import ChainruleError

FloatFunction = Callable[[Mapping[sympy.Symbol, np.ndarray]], np.ndarray]


class NotEvaluable(ChainruleError):
    """The expression uses a function this evaluator does not know; nothing is guessed."""


_UNARY: dict[type, Callable[[np.ndarray], np.ndarray]] = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.tanh: np.tanh,
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.sech: lambda z: 1 / np.cosh(z),
    sympy.atan: np.arctan,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,
    sympy.erf: np.vectorize(math.erf, otypes=[float]),
    sympy.erfc: np.vectorize(math.erfc, otypes=[float]),
}


def float_function(expr: sympy.Expr) -> FloatFunction:
    """A function of ``{symbol: array}`` giving the expression's float64 values (broadcast over the arrays)."""
    with np.errstate(all="ignore"):
        return _compile(sympy.sympify(expr, strict=True))  # safe: strict mode never parses text


def _compile(node: sympy.Basic) -> FloatFunction:
    if isinstance(node, sympy.Symbol):
        return lambda values: np.asarray(values[node], dtype=float)
    if node.is_number and not node.has(sympy.Symbol):
        value = complex(node.evalf(20))
        if value.imag:
            raise NotEvaluable(f"{node} is not real")
        constant = value.real
        return lambda values: np.float64(constant)
    if isinstance(node, sympy.Add | sympy.Mul):
        parts = [_compile(arg) for arg in node.args]
        combine = np.add if isinstance(node, sympy.Add) else np.multiply

        def fold(values: Mapping[sympy.Symbol, np.ndarray]) -> np.ndarray:
            result = parts[0](values)
            for part in parts[1:]:
                result = combine(result, part(values))
            return result

        return fold
    if isinstance(node, sympy.Pow):
        base, exponent = _compile(node.args[0]), _compile(node.args[1])
        return lambda values: np.power(base(values), exponent(values))
    if isinstance(node, sympy.Piecewise):
        branches = [(_compile(value), _condition(condition)) for value, condition in node.args]

        def piecewise(values: Mapping[sympy.Symbol, np.ndarray]) -> np.ndarray:
            result, decided = None, None
            for value, condition in branches:
                holds = np.asarray(condition(values), dtype=bool)
                branch = np.broadcast_to(np.asarray(value(values), dtype=float), np.shape(holds) or ())
                if result is None:
                    result, decided = np.where(holds, branch, np.nan), holds
                else:
                    result = np.where(~decided & holds, branch, result)
                    decided = decided | holds
            return result

        return piecewise
    if isinstance(node, sympy.Max | sympy.Min):
        parts = [_compile(arg) for arg in node.args]
        pick = np.maximum if isinstance(node, sympy.Max) else np.minimum

        def extreme(values: Mapping[sympy.Symbol, np.ndarray]) -> np.ndarray:
            result = parts[0](values)
            for part in parts[1:]:
                result = pick(result, part(values))
            return result

        return extreme
    if isinstance(node, sympy.Heaviside):
        inner = _compile(node.args[0])
        at_zero = float(node.args[1]) if len(node.args) > 1 else 0.5
        return lambda values: np.heaviside(inner(values), at_zero)
    for kind, function in _UNARY.items():
        if isinstance(node, kind):
            inner = _compile(node.args[0])
            return lambda values, f=function: f(inner(values))
    raise NotEvaluable(f"cannot evaluate {type(node).__name__} in floats")


def _condition(condition: sympy.Basic) -> Callable[[Mapping[sympy.Symbol, np.ndarray]], np.ndarray]:
    if condition is sympy.true:
        return lambda values: np.True_
    if condition is sympy.false:
        return lambda values: np.False_
    if isinstance(condition, sympy.And | sympy.Or):
        parts = [_condition(arg) for arg in condition.args]
        combine = np.logical_and if isinstance(condition, sympy.And) else np.logical_or

        def joined(values: Mapping[sympy.Symbol, np.ndarray]) -> np.ndarray:
            result = parts[0](values)
            for part in parts[1:]:
                result = combine(result, part(values))
            return result

        return joined
    if isinstance(condition, sympy.Not):
        inner = _condition(condition.args[0])
        return lambda values: np.logical_not(inner(values))
    comparisons = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
                   "==": np.equal, "!=": np.not_equal}
    if isinstance(condition, sympy.core.relational.Relational) and condition.rel_op in comparisons:
        left, right, compare = _compile(condition.lhs), _compile(condition.rhs), comparisons[condition.rel_op]
        return lambda values: compare(left(values), right(values))
    raise NotEvaluable(f"cannot evaluate the condition {condition} in floats")
