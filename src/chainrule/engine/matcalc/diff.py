"""Symbolic gradients and Jacobians of matrix expressions, in either layout, with the worked steps.

Gradients of a scalar use reverse mode: every node receives the gradient of the output with respect to
itself (its *adjoint*, shaped like the node — denominator layout), and passes it to its children with one
rule per node type. Each pass is recorded as a :class:`Step` naming the intermediate, its value, its shape
and the rule, so a solution can show the chain and the shape check of every intermediate. Jacobians of a
vector use forward mode (``∂(Wu)/∂x = W ∂u/∂x``, ``∂f(u)/∂x = diag(f′(u)) ∂u/∂x``).

Layouts: in *denominator* layout the gradient of a scalar by an (r×c) matrix is (r×c); in *numerator*
layout it is the transpose (c×r), and ∂y/∂x for y∈Rᵖ, x∈R^q is (p×q). NYU's homework asks for numerator
layout; Prof. You's gradients ∇ₓf are columns (denominator layout).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import sympy

from chainrule.errors import InputError
from chainrule.shapes import Shape, same_shape

from .evaluate import evaluate, to_sympy
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
    walk,
)
from .functions import UnsupportedExpression, elementwise_fn
from .printing import symbol_latex, to_latex, to_text
from .simplify import simplify

__all__ = ["Derivative", "Layout", "Step", "depends_on", "gradient", "jacobian", "shape_trace", "substitute"]


class Layout(StrEnum):
    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"


@dataclass(frozen=True)
class Step:
    """One line of a worked solution: ``label = latex`` with its shape and the rule that produced it."""

    label: str
    latex: str
    shape: Shape | None
    rule: str
    text: str = ""


class ShowsValue:
    """The views of a result's ``value`` that every answer offers: shape, LaTeX, plain text and SymPy."""

    value: Expr

    @property
    def shape(self) -> Shape:
        return self.value.shape

    @property
    def latex(self) -> str:
        return to_latex(self.value)

    @property
    def text(self) -> str:
        return to_text(self.value)

    @property
    def sympy(self) -> sympy.Basic:
        """The value as SymPy matrix expressions (``MatrixSymbol('dl_dyhat', 1, K)`` and so on)."""
        return to_sympy(self.value)


@dataclass(frozen=True)
class Derivative(ShowsValue):
    """A derivative with its worked steps; ``value`` is already tidy and in ``layout``.

    ``kind`` is ``"gradient"`` (of a scalar) or ``"jacobian"`` (of a vector). ``latex``/``text`` print the
    answer, ``sympy`` gives it as SymPy matrix expressions and :meth:`evaluate` as numbers at a point.
    """

    of: Expr
    wrt: Symbol
    layout: Layout
    value: Expr
    steps: tuple[Step, ...]
    kind: str

    def evaluate(self, bindings: Mapping[str, np.ndarray]) -> np.ndarray:
        """The derivative's value at a point (sizes read off the bound arrays)."""
        return evaluate(self.value, bindings)

    def in_layout(self, layout: Layout) -> Derivative:
        """The same derivative in the other layout: the transpose, with a step saying so."""
        if layout == self.layout:
            return self
        value = simplify(Transpose(self.value))
        step = Step(
            label=_derivative_label(self.of, self.wrt, layout),
            latex=to_latex(value),
            shape=value.shape,
            rule=f"{layout.value} layout is the transpose of {self.layout.value} layout",
            text=to_text(value),
        )
        return Derivative(self.of, self.wrt, layout, value, (*self.steps, step), self.kind)


def depends_on(expr: Expr, symbol: Symbol) -> bool:
    return any(node == symbol for node in walk(expr))


def substitute(expr: Expr, replacements: Mapping[Symbol, Expr]) -> Expr:
    """Replace symbols by expressions of the same shape (e.g. ``z1 → W1 x + b1``)."""
    for symbol, value in replacements.items():
        if same_shape(symbol.shape, value.shape) is False:
            raise InputError(f"cannot substitute a {value.shape} expression for {symbol.name} {symbol.shape}")
    return _substitute(expr, dict(replacements))


def _substitute(node: Expr, replacements: dict[Symbol, Expr]) -> Expr:
    if isinstance(node, Symbol):
        return replacements.get(node, node)
    if isinstance(node, Identity | Ones | Zero):
        return node
    if isinstance(node, Scale):
        return Scale(node.coefficient, _substitute(node.arg, replacements))
    if isinstance(node, Add):
        return Add(tuple(_substitute(t, replacements) for t in node.terms))
    if isinstance(node, MatMul):
        return MatMul(tuple(_substitute(f, replacements) for f in node.factors))
    if isinstance(node, Hadamard):
        return Hadamard(_substitute(node.left, replacements), _substitute(node.right, replacements))
    if isinstance(node, Apply):
        return Apply(node.fn, _substitute(node.arg, replacements))
    if isinstance(node, Transpose | Diag | SqNorm):
        return type(node)(_substitute(node.arg, replacements))
    raise TypeError(f"unknown node {type(node).__name__}")


def _name(node: Expr) -> str:
    return symbol_latex(node) if isinstance(node, Symbol) else rf"\left({to_latex(node)}\right)"


def _derivative_label(of: Expr, wrt: Expr, layout: Layout | None = None) -> str:
    top = "f" if not isinstance(of, Symbol) else symbol_latex(of)
    suffix = f" \\;[\\text{{{layout.value} layout}}]" if layout else ""
    return rf"\frac{{\partial {top}}}{{\partial {_name(wrt)}}}" + suffix


def gradient(
    of: Expr, wrt: Symbol, layout: Layout = Layout.DENOMINATOR, name: Symbol | None = None
) -> Derivative:
    """The gradient of the scalar expression ``of`` with respect to the symbol ``wrt``.

    ``name`` is an optional symbol whose LaTeX labels the function in the steps (``L`` rather than ``f``).
    Raises ``InputError`` when ``of`` is not (1×1) and :class:`UnsupportedExpression` for constructs whose
    derivative is not implemented (never a guess).
    """
    if not of.shape.is_scalar:
        raise InputError(f"a gradient needs a scalar function; this one is {of.shape} (ask for a Jacobian)")
    if not isinstance(wrt, Symbol):
        raise InputError("differentiate with respect to a symbol")
    label_of = name if name is not None else of
    occurrences = sum(1 for node in walk(of) if node == wrt)
    steps: list[Step] = [
        Step(_derivative_label(label_of, label_of), "1", of.shape, "start: the output's gradient by itself is 1")
    ]
    contributions: list[Expr] = []
    _backward(of, Scale(sympy.Integer(1), _one_like(of)), wrt, label_of, steps, contributions, occurrences > 1)
    if not contributions:
        value: Expr = Zero(wrt.shape)
        steps.append(Step(_derivative_label(label_of, wrt), "0", wrt.shape, f"{wrt.name} does not occur"))
    else:
        value = simplify(contributions[0] if len(contributions) == 1 else Add(tuple(contributions)))
        if len(contributions) > 1:
            steps.append(
                Step(_derivative_label(label_of, wrt), to_latex(value), value.shape,
                     f"sum the contributions of the {len(contributions)} occurrences of {wrt.name}", to_text(value))
            )
    if same_shape(value.shape, wrt.shape) is False:  # pragma: no cover - the rules preserve shapes
        raise AssertionError(f"gradient has shape {value.shape}, expected {wrt.shape}")
    steps.append(Step("shape check", f"{value.shape} = {wrt.shape}", value.shape,
                      f"a denominator-layout gradient has the shape of {wrt.name}"))
    result = Derivative(of, wrt, Layout.DENOMINATOR, value, tuple(steps), "gradient")
    return result.in_layout(layout)


def _one_like(of: Expr) -> Expr:
    return Identity(1) if of.shape.is_scalar else Ones(of.shape.rows)


def _record(steps: list[Step], of: Expr, child: Expr, adjoint: Expr, rule: str, partial: bool) -> Expr:
    tidy = simplify(adjoint)
    label = _derivative_label(of, child)
    if partial:
        label += r" \;(\text{this occurrence})"
    steps.append(Step(label, to_latex(tidy), child.shape, rule, to_text(tidy)))
    return tidy


def _backward(
    node: Expr, upstream: Expr, wrt: Symbol, of: Expr, steps: list[Step], out: list[Expr], several: bool
) -> None:
    if node == wrt:
        out.append(upstream)
        return
    if not depends_on(node, wrt):
        return
    for child, adjoint, rule in _child_adjoints(node, upstream):
        if depends_on(child, wrt):
            tidy = _record(steps, of, child, adjoint, rule, several and child == wrt)
            _backward(child, tidy, wrt, of, steps, out, several)


def _child_adjoints(node: Expr, g: Expr) -> list[tuple[Expr, Expr, str]]:
    if isinstance(node, Add):
        return [(t, g, "sum rule: every term receives the upstream gradient") for t in node.terms]
    if isinstance(node, Scale):
        return [(node.arg, Scale(node.coefficient, g), "a constant factor carries through")]
    if isinstance(node, Transpose):
        return [(node.arg, Transpose(g), "transpose: the upstream gradient is transposed")]
    if isinstance(node, Hadamard):
        return [
            (node.left, Hadamard(g, node.right), "Hadamard product: multiply entrywise by the other factor"),
            (node.right, Hadamard(g, node.left), "Hadamard product: multiply entrywise by the other factor"),
        ]
    if isinstance(node, Apply):
        derivative = elementwise_fn(node.fn).derivative
        if derivative is None:
            raise UnsupportedExpression(f"the derivative of {node.fn} is not implemented")
        return [(node.arg, Hadamard(g, Apply(derivative, node.arg)),
                 f"elementwise chain rule: multiply by {node.fn}′ entrywise (= diag(f′(u)) times a column)")]
    if isinstance(node, SqNorm):
        return [(node.arg, Scale(sympy.Integer(2), MatMul((g, node.arg))), "∇‖v‖² = 2v")]
    if isinstance(node, MatMul):
        return [(f, _product_adjoint(node, i, g), "product rule: in L·F·R the factor F receives Lᵀ Ḡ Rᵀ")
                for i, f in enumerate(node.factors)]
    if isinstance(node, Diag):
        raise UnsupportedExpression("differentiating through diag(·) is not implemented")
    return []


def _product(factors: tuple[Expr, ...]) -> Expr | None:
    if not factors:
        return None
    return factors[0] if len(factors) == 1 else MatMul(factors)


def _product_adjoint(node: MatMul, index: int, g: Expr) -> Expr:
    factor = node.factors[index]
    if factor.shape.is_scalar and not node.shape.is_scalar:
        # A scalar commutes: s·M with M the other factors in order; ∂/∂s = ⟨Ḡ, M⟩.
        others = node.factors[:index] + node.factors[index + 1:]
        rest = others[0] if len(others) == 1 else MatMul(others)
        if rest.shape.cols == 1:
            return MatMul((Transpose(g), rest))
        if rest.shape.rows == 1:
            return MatMul((rest, Transpose(g)))
        raise UnsupportedExpression("the gradient of a scalar factor of a matrix product needs a trace")
    left = _product(node.factors[:index])
    right = _product(node.factors[index + 1:])
    parts: list[Expr] = []
    if left is not None:
        parts.append(Transpose(left))
    parts.append(g)
    if right is not None:
        parts.append(Transpose(right))
    adjoint = parts[0] if len(parts) == 1 else MatMul(tuple(parts))
    if same_shape(adjoint.shape, factor.shape) is False:
        raise UnsupportedExpression(f"cannot pass a {adjoint.shape} gradient to a {factor.shape} factor")
    return adjoint


def jacobian(of: Expr, wrt: Symbol, layout: Layout = Layout.NUMERATOR) -> Derivative:
    """∂(of)/∂(wrt) of a column-vector expression by a column-vector symbol: (p×q) in numerator layout."""
    if of.shape.cols != 1 or wrt.shape.cols != 1:
        raise InputError(f"a Jacobian here needs column vectors, got {of.shape} by {wrt.shape}")
    steps: list[Step] = []
    value = simplify(_forward(of, wrt, steps))
    steps.append(Step(_derivative_label(of, wrt, Layout.NUMERATOR), to_latex(value), value.shape,
                      "numerator layout: one row per output entry, one column per input entry", to_text(value)))
    return Derivative(of, wrt, Layout.NUMERATOR, value, tuple(steps), "jacobian").in_layout(layout)


def _forward(node: Expr, wrt: Symbol, steps: list[Step]) -> Expr:
    shape = Shape(node.shape.rows, wrt.shape.rows)
    if node == wrt:
        return Identity(wrt.shape.rows)
    if not depends_on(node, wrt):
        return Zero(shape)
    if isinstance(node, Add):
        return Add(tuple(_forward(t, wrt, steps) for t in node.terms))
    if isinstance(node, Scale):
        return Scale(node.coefficient, _forward(node.arg, wrt, steps))
    if isinstance(node, Apply):
        derivative = elementwise_fn(node.fn).derivative
        if derivative is None:
            raise UnsupportedExpression(f"the derivative of {node.fn} is not implemented")
        local = simplify(Diag(Apply(derivative, node.arg)))
        steps.append(Step(_derivative_label(node, node.arg), to_latex(local), local.shape,
                          "an elementwise function has a diagonal Jacobian diag(f′(u))", to_text(local)))
        return MatMul((local, _forward(node.arg, wrt, steps)))
    if isinstance(node, Hadamard):
        for constant, varying in ((node.left, node.right), (node.right, node.left)):
            if not depends_on(constant, wrt):
                return MatMul((Diag(constant), _forward(varying, wrt, steps)))
    if isinstance(node, MatMul):
        dependent = [i for i, f in enumerate(node.factors) if depends_on(f, wrt)]
        if len(dependent) == 1:
            i = dependent[0]
            tail = node.factors[i + 1:]
            if node.factors[i].shape.cols == 1 and all(f.shape.is_scalar for f in tail):
                factors = (*node.factors[:i], _forward(node.factors[i], wrt, steps), *tail)
                return MatMul(factors) if len(factors) > 1 else factors[0]
    raise UnsupportedExpression(f"the Jacobian of {to_text(node)} is not implemented")


def shape_trace(expr: Expr) -> list[Step]:
    """The shape of every intermediate result, innermost first: Prof. You's "shape check" as data."""
    seen: dict[Expr, None] = {}

    def visit(node: Expr) -> None:
        for child in node.children():
            visit(child)
        if not isinstance(node, Symbol | Identity | Ones | Zero):
            seen.setdefault(node, None)

    visit(expr)
    return [Step(to_latex(node), str(node.shape), node.shape, f"shape of a {type(node).__name__}", to_text(node))
            for node in seen]
