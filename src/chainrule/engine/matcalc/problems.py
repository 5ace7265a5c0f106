"""Named gradient questions from the course material, each derived by the engine (nothing is stored).

Keys follow the assignments: ``you-hw1/2.1`` is Prof. You's HW1 Question 2 part 1, ``ryu-hw1/1b`` is Ryu's
HW1 Problem 1(b). :func:`solve_problem` returns a :class:`~.diff.Derivative` whose steps carry the shape of
every intermediate (the "shape check" Prof. You asks for).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from chainrule.errors import InputError

from .diff import Derivative, Layout, gradient
from .expr import Apply, Expr, MatMul, Scale, SqNorm, Symbol, matrix, scalar, size_symbol, vector

__all__ = ["PROBLEMS", "MatcalcProblem", "problem_keys", "solve_problem"]


@dataclass(frozen=True)
class MatcalcProblem:
    """A scalar function, the symbol to differentiate by and the layout the question expects."""

    key: str
    title: str
    function: Expr
    wrt: Symbol
    layout: Layout
    name: Symbol


def _you_quadratic_form() -> MatcalcProblem:
    x, a, z = vector("x", "n"), matrix("A", "n", "n"), vector("z", "n")
    return MatcalcProblem("you-hw1/2.1", "∇ₓ xᵀ(Ax + z)", x.T @ (a @ x + z), x, Layout.DENOMINATOR, scalar("f"))


def _you_l2_single() -> MatcalcProblem:
    w, x, y = vector("w", "n"), vector("x", "n"), scalar("y")
    f = Scale(sympy.Rational(1, 2), SqNorm(w.T @ x - y))
    return MatcalcProblem("you-hw1/2.2", "∇_w ½(wᵀx − y)²", f, w, Layout.DENOMINATOR, scalar("L"))


def _you_l2_multi() -> MatcalcProblem:
    w, x, y = vector("w", "n"), matrix("X", "m", "n"), vector("y", "m")
    f = Scale(1 / (2 * size_symbol("m")), SqNorm(x @ w - y))
    return MatcalcProblem("you-hw1/2.3", "∇_w (1/2m)‖Xw − y‖²", f, w, Layout.DENOMINATOR, scalar("L"))


def _you_linear_layer(layout: Layout) -> Callable[[], MatcalcProblem]:
    def build() -> MatcalcProblem:
        w, x, b, y = matrix("W", "p", "n"), vector("x", "n"), vector("b", "p"), vector("y", "p")
        key = "you-hw1/3" + ("" if layout == Layout.DENOMINATOR else "-numerator")
        return MatcalcProblem(key, f"∂‖Wx + b − y‖²/∂W ({layout.value} layout)", SqNorm(w @ x + b - y), w, layout,
                              scalar("L"))

    return build


def _ryu_least_squares_single() -> MatcalcProblem:
    theta, xi, yi = vector("theta", "p", r"\theta"), vector("X_i", "p", "X_{i}"), scalar("Y_i", "Y_{i}")
    f = Scale(sympy.Rational(1, 2), SqNorm(xi.T @ theta - yi))
    return MatcalcProblem("ryu-hw1/1a", "∇_θ ½(X_iᵀθ − Y_i)²", f, theta, Layout.DENOMINATOR, scalar("l_i", r"\ell_{i}"))


def _ryu_least_squares() -> MatcalcProblem:
    theta, x, y = vector("theta", "p", r"\theta"), matrix("X", "N", "p"), vector("Y", "N")
    f = Scale(sympy.Rational(1, 2), SqNorm(x @ theta - y))
    return MatcalcProblem("ryu-hw1/1b", "∇_θ ½‖Xθ − Y‖²", f, theta, Layout.DENOMINATOR, scalar("L"))


def _ryu_two_layer(which: str) -> Callable[[], MatcalcProblem]:
    def build() -> MatcalcProblem:
        u, a, b, x = vector("u", "p"), vector("a", "p"), vector("b", "p"), scalar("x")
        f = MatMul((u.T, Apply("sigmoid", MatMul((a, x)) + b)))
        wrt = {"u": u, "a": a, "b": b}[which]
        return MatcalcProblem(f"ryu-hw2/6{which}", f"∇_{which} uᵀσ(ax + b) (σ = sigmoid)", f, wrt,
                              Layout.DENOMINATOR, scalar("f_theta", r"f_{\theta}"))

    return build


PROBLEMS: dict[str, Callable[[], MatcalcProblem]] = {
    "you-hw1/2.1": _you_quadratic_form,
    "you-hw1/2.2": _you_l2_single,
    "you-hw1/2.3": _you_l2_multi,
    "you-hw1/3": _you_linear_layer(Layout.DENOMINATOR),
    "you-hw1/3-numerator": _you_linear_layer(Layout.NUMERATOR),
    "ryu-hw1/1a": _ryu_least_squares_single,
    "ryu-hw1/1b": _ryu_least_squares,
    "ryu-hw2/6u": _ryu_two_layer("u"),
    "ryu-hw2/6a": _ryu_two_layer("a"),
    "ryu-hw2/6b": _ryu_two_layer("b"),
}


def problem_keys() -> list[str]:
    return list(PROBLEMS)


def solve_problem(key: str) -> tuple[MatcalcProblem, Derivative]:
    """The problem called ``key`` and its derived gradient (in the layout the question expects)."""
    if key not in PROBLEMS:
        raise InputError(f"unknown matrix-calculus problem {key!r}; known: {', '.join(PROBLEMS)}")
    problem = PROBLEMS[key]()
    return problem, gradient(problem.function, problem.wrt, problem.layout, name=problem.name)
