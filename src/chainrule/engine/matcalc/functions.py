"""Elementwise functions that may appear inside a matrix expression, each with its derivative.

The derivative of a function is another entry of this table (``relu`` → ``step``), so gradients stay
inside the same small language and print the way a course writes them: ``1 - tanh²`` rather than
``sech²``. A function whose derivative is not needed by any supported question has ``derivative=None``;
differentiating it raises :class:`UnsupportedExpression` instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from chainrule.errors import ChainruleError, InputError

__all__ = ["FUNCTIONS", "ElementwiseFn", "UnsupportedExpression", "elementwise_fn"]


class UnsupportedExpression(ChainruleError, NotImplementedError):
    """The expression uses a construct whose derivative chainrule does not know; nothing is guessed."""


def _lazy_torch(build: Callable[[Any], Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """A PyTorch implementation imported on first use, so matrix calculus does not pay for importing torch."""

    def call(z: Any) -> Any:
        import torch

        return build(torch)(z)

    return call


def _stable_sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@dataclass(frozen=True)
class ElementwiseFn:
    """A scalar function applied entry by entry.

    ``latex``/``text`` wrap an already-printed argument; ``definition`` is the scalar SymPy definition used by
    :func:`chainrule.engine.matcalc.to_sympy`; ``derivative`` names the table entry of f′ (``None``: not known).
    ``numpy`` and ``torch`` are the numeric implementations; tests compare them with autograd.
    """

    name: str
    latex: Callable[[str], str]
    text: Callable[[str], str]
    definition: Callable[[sympy.Expr], sympy.Expr]
    numpy: Callable[[np.ndarray], np.ndarray]
    torch: Callable[[Any], Any]
    derivative: str | None
    reads_as: str = "atom"  # "sum" or "product" when the printed form needs parentheses inside products


def _sigmoid_sym(t: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-t))


FUNCTIONS: dict[str, ElementwiseFn] = {
    fn.name: fn
    for fn in [
        ElementwiseFn("identity", lambda a: a, lambda a: a, lambda t: t, lambda z: z, lambda z: z, "one"),
        ElementwiseFn("one", lambda a: r"\mathbf{1}", lambda a: "1", lambda t: sympy.Integer(1),
                      np.ones_like, _lazy_torch(lambda t: t.ones_like), "zero"),
        ElementwiseFn("zero", lambda a: "0", lambda a: "0", lambda t: sympy.Integer(0),
                      np.zeros_like, _lazy_torch(lambda t: t.zeros_like), "zero"),
        ElementwiseFn("relu", lambda a: rf"\left({a}\right)^{{+}}", lambda a: f"({a})^+",
                      lambda t: sympy.Max(0, t), lambda z: np.maximum(z, 0.0), _lazy_torch(lambda t: t.relu), "step"),
        # ReLU'(0) is taken as 0, as PyTorch does; the kink has measure zero.
        ElementwiseFn("step", lambda a: rf"\mathbb{{1}}\left[{a} > 0\right]", lambda a: f"1[{a} > 0]",
                      lambda t: sympy.Piecewise((1, t > 0), (0, True)), lambda z: (z > 0).astype(float),
                      lambda z: (z > 0).to(z.dtype), "zero"),
        ElementwiseFn("tanh", lambda a: rf"\tanh\left({a}\right)", lambda a: f"tanh({a})", sympy.tanh,
                      np.tanh, _lazy_torch(lambda t: t.tanh), "tanh_prime"),
        ElementwiseFn("tanh_prime", lambda a: rf"1 - \tanh^{{2}}\left({a}\right)",
                      lambda a: f"1 - tanh^2({a})", lambda t: 1 - sympy.tanh(t) ** 2,
                      lambda z: 1 - np.tanh(z) ** 2, _lazy_torch(lambda t: lambda z: 1 - t.tanh(z) ** 2), None,
                      "sum"),
        ElementwiseFn("sigmoid", lambda a: rf"\sigma\left({a}\right)", lambda a: f"sigma({a})", _sigmoid_sym,
                      _stable_sigmoid, _lazy_torch(lambda t: t.sigmoid), "sigmoid_prime"),
        ElementwiseFn("sigmoid_prime", lambda a: rf"\sigma\left({a}\right)\left(1 - \sigma\left({a}\right)\right)",
                      lambda a: f"sigma({a})(1 - sigma({a}))", lambda t: _sigmoid_sym(t) * (1 - _sigmoid_sym(t)),
                      lambda z: _stable_sigmoid(z) * (1 - _stable_sigmoid(z)),
                      _lazy_torch(lambda t: lambda z: t.sigmoid(z) * (1 - t.sigmoid(z))), None, "product"),
        ElementwiseFn("log", lambda a: rf"\log\left({a}\right)", lambda a: f"log({a})", sympy.log, np.log,
                      _lazy_torch(lambda t: t.log), "reciprocal"),
        ElementwiseFn("reciprocal", lambda a: rf"\frac{{1}}{{{a}}}", lambda a: f"1/({a})", lambda t: 1 / t,
                      lambda z: 1.0 / z, _lazy_torch(lambda t: t.reciprocal), None),
        ElementwiseFn("sin", lambda a: rf"\sin\left({a}\right)", lambda a: f"sin({a})", sympy.sin, np.sin,
                      _lazy_torch(lambda t: t.sin), "cos"),
        ElementwiseFn("cos", lambda a: rf"\cos\left({a}\right)", lambda a: f"cos({a})", sympy.cos, np.cos,
                      _lazy_torch(lambda t: t.cos), "neg_sin"),
        ElementwiseFn("neg_sin", lambda a: rf"-\sin\left({a}\right)", lambda a: f"-sin({a})",
                      lambda t: -sympy.sin(t), lambda z: -np.sin(z), _lazy_torch(lambda t: lambda z: -t.sin(z)), None,
                      "sum"),
        ElementwiseFn("exp", lambda a: rf"\exp\left({a}\right)", lambda a: f"exp({a})", sympy.exp, np.exp,
                      _lazy_torch(lambda t: t.exp), "exp"),
    ]
}


def elementwise_fn(name: str) -> ElementwiseFn:
    """Look a function up by name; an unknown name is a user error listing the known ones."""
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise InputError(f"unknown elementwise function {name!r}; known: {', '.join(sorted(FUNCTIONS))}") from None
