"""Matrix-calculus gradients with a shape check, through ``chainrule.engine.matcalc``.

The spec's structured tree (never text) becomes a matcalc expression whose shapes are checked as it is
built; ``matcalc.gradient`` differentiates it by reverse mode, recording each rule, and the question's
layout decides whether the answer is the gradient (shape of the variable) or its transpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.spec import Assignment, MatrixGradientQuestion
from chainrule.engine.exact import to_rational
from chainrule.engine.matcalc.diff import Layout, gradient, shape_trace
from chainrule.engine.matcalc.expr import Apply, Expr, MatMul, Scale, SqNorm, Symbol, size_symbol
from chainrule.errors import InputError
from chainrule.shapes import Shape

_FUNCTIONS = {"exp": "exp", "log": "log", "tanh": "tanh"}


class _Converter:
    """Spec tree → matcalc expression; scalar constants (numbers, size names) stay SymPy coefficients."""

    def __init__(self, symbols: Mapping[str, Symbol], sizes: set[str], where: str) -> None:
        self.symbols, self.sizes, self.where = symbols, sizes, where

    def convert(self, tree: Any) -> Expr | sympy.Expr:
        if isinstance(tree, bool):
            raise InputError("booleans are not expressions", self.where)
        if isinstance(tree, int | float):
            return to_rational(tree, self.where)
        if isinstance(tree, str):
            if tree in self.symbols:
                return self.symbols[tree]
            if tree in self.sizes:
                return size_symbol(tree)
            raise InputError(f"symbol {tree!r} has no entry in shapes", self.where)
        op, args = tree[0], [self.convert(a) for a in tree[1:]]
        return getattr(self, f"_op_{op}")(*args)

    def expression(self, value: Expr | sympy.Expr) -> Expr:
        if not isinstance(value, Expr):
            raise InputError("a constant alone is not a matrix expression here", self.where)
        return value

    def _op_add(self, *terms: Any) -> Expr:
        result = self.expression(terms[0])
        for term in terms[1:]:
            result = result + self.expression(term)
        return result

    def _op_sub(self, left: Any, right: Any) -> Expr:
        return self.expression(left) - self.expression(right)

    def _op_neg(self, arg: Any) -> Expr:
        return -self.expression(arg)

    def _op_T(self, arg: Any) -> Expr:
        return self.expression(arg).T

    def _op_matmul(self, *factors: Any) -> Expr:
        return MatMul(tuple(self.expression(f) for f in factors))

    def _op_mul(self, *factors: Any) -> Expr | sympy.Expr:
        coefficient = sympy.Integer(1)
        parts: list[Expr] = []
        for factor in factors:
            if isinstance(factor, Expr):
                parts.append(factor)
            else:
                coefficient *= factor
        if not parts:
            return coefficient
        product = parts[0] if len(parts) == 1 else MatMul(tuple(parts))
        return product if coefficient == 1 else Scale(coefficient, product)

    def _op_div(self, numerator: Any, denominator: Any) -> Expr | sympy.Expr:
        if isinstance(denominator, Expr):
            raise InputError("only division by a constant is supported", self.where)
        if denominator == 0:
            raise InputError("division by zero", self.where)
        if isinstance(numerator, Expr):
            return Scale(1 / denominator, numerator)
        return numerator / denominator

    def _op_pow(self, base: Any, exponent: Any) -> Expr:
        base = self.expression(base)
        if exponent != 2 or not base.shape.is_scalar:
            raise InputError("only the square of a scalar is supported (write norm2 for vectors)", self.where)
        return SqNorm(base)

    def _op_norm2(self, arg: Any) -> Expr:
        return SqNorm(self.expression(arg))

    def _function(self, name: str, arg: Any) -> Expr:
        if name not in _FUNCTIONS:
            raise InputError(f"{name} is not supported in matrix expressions", self.where)
        return Apply(_FUNCTIONS[name], self.expression(arg))

    def _op_exp(self, arg: Any) -> Expr:
        return self._function("exp", arg)

    def _op_log(self, arg: Any) -> Expr:
        return self._function("log", arg)

    def _op_tanh(self, arg: Any) -> Expr:
        return self._function("tanh", arg)

    def _op_cos(self, arg: Any) -> Expr:
        return self._function("cos", arg)

    def _op_sin(self, arg: Any) -> Expr:
        return self._function("sin", arg)


def build(question: MatrixGradientQuestion, assignment: Assignment) -> tuple[Expr, Symbol, dict[str, Symbol]]:
    """The function as a matcalc expression, the variable, and every symbol (with the assignment's LaTeX)."""
    tex = {symbol.name: symbol.tex for symbol in assignment.conventions.symbols}
    # A (1×1) symbol is a scalar: written plainly even where the assignment bolds its vector namesake (y).
    symbols = {
        name: Symbol(name, Shape(*shape), None if tuple(shape) == (1, 1) else tex.get(name))
        for name, shape in question.shapes.items()
    }
    sizes = {dim for shape in question.shapes.values() for dim in shape if isinstance(dim, str)}
    expression = _Converter(symbols, sizes, f"questions[{question.id}].function.tree").convert(question.function.tree)
    if not isinstance(expression, Expr) or not expression.shape.is_scalar:
        raise InputError("the function must be a scalar expression", f"questions[{question.id}].function.tree")
    return expression, symbols[question.with_respect_to], symbols


def solve(question: MatrixGradientQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    expression, variable, symbols = build(question, assignment)
    layout = Layout(assignment.conventions.layout)
    name = Symbol(question.output, Shape(1, 1))
    derivative = gradient(expression, variable, layout, name=name)
    solution = QuestionSolution.of(question)
    shapes = ", ".join(f"${symbols[s].latex()}$ is {symbols[s].shape}" for s in question.shapes)
    solution.steps.append(
        Step(title="Shapes", text=f"{shapes}; ${question.output} = {question.function.tex}$ is (1×1).")
    )
    solution.steps.append(Step(title="Shape trace", text="Every intermediate, innermost first:"))
    for step in shape_trace(expression):
        solution.steps.append(Step(tex=step.label, shape=str(step.shape)))
    solution.steps.append(
        Step(
            title="Reverse mode",
            text="Start from $\\partial "
            + question.output
            + "/\\partial "
            + question.output
            + " = 1$ and pass the gradient down the expression:",
        )
    )
    for step in derivative.steps:
        solution.steps.append(
            Step(
                tex=f"{step.label} = {step.latex}" if step.label != "shape check" else None,
                text=f"Shape check: {step.latex}." if step.label == "shape check" else None,
                rule=step.rule,
                shape=str(step.shape) if step.shape else None,
            )
        )
    label = (
        rf"\nabla_{{{variable.latex()}}} {question.output}"
        if layout == Layout.DENOMINATOR
        else (rf"\frac{{\partial {question.output}}}{{\partial {variable.latex()}}}")
    )
    solution.answers[f"d{question.output}/d{variable.name}"] = Answer(
        label=label,
        tex=f"{label} = {derivative.latex}",
        value=derivative.text,
        shape=str(derivative.shape),
    )
    return solution
