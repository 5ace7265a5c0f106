"""The truth of a question, built from its spec: the value of every quantity its answers may name.

Grading compares what a student wrote with these values, never with another submission. Each builder draws
random inputs and parameters (sizes ``n``, ``m``, ``K`` distinct, so a transposed or mis-sized answer cannot
agree by accident) and runs the assignment's network, or its given numbers, forward and backward:

* :func:`network_truth` — ``Linear1 → f → Linear2 → g → loss`` of a ``symbolic_backprop`` question;
* :func:`mlp_truth` — the exact network of an ``mlp_numeric`` question at its given numbers;
* :func:`matrix_truth` — a ``matrix_gradient`` question's expression and the engine's gradient.

Derivatives are computed in numerator layout and transposed when the assignment asks for denominator layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chainrule.assignments.spec import Assignment

SIZES = {"n": 3, "m": 4, "K": 5}
POINTS = 2


class NoTruth(Exception):
    """The spec asks for something this comparison does not model (a loss it has no formula for)."""


@dataclass
class Truth:
    """Values of every name the question's answers may use, at one random point, and the layout."""

    values: dict[str, np.ndarray] = field(default_factory=dict)
    derivatives: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    layout: str = "numerator"
    diagonal: set[tuple[str, str]] = field(default_factory=set)

    def size_name(self, size: int) -> str:
        for name, value in self.sizes.items():
            if value == size:
                return name
        return str(size)

    def shape_text(self, shape: tuple[int, ...]) -> str:
        return "×".join(self.size_name(size) for size in shape)


def _activation(ref: Any, symbols: Mapping[str, Any] | None = None) -> tuple[Callable, Callable]:
    from chainrule.engine.activations import get_activation
    from chainrule.engine.exact import to_rational

    params = {key: float(to_rational(value)) for key, value in ref.params.items()}
    activation = get_activation(ref.name, **params)
    scale = float(to_rational(ref.scale))
    return (lambda z: scale * activation.numpy(z)), (lambda z: scale * activation.numpy_grad(z))


def _numerator_to_layout(truth: Truth) -> None:
    if truth.layout == "denominator":
        truth.derivatives = {key: value.T.copy() for key, value in truth.derivatives.items()}


def network_truth(question: Any, layout: str, rng: np.random.Generator) -> Truth:
    """Forward and backward pass of ``Linear1 → f → Linear2 → g → loss`` at random values (numerator layout
    first, transposed for denominator layout)."""
    sizes = dict(SIZES)
    n_, m_, k_ = sizes["n"], sizes["m"], sizes["K"]
    f, f_grad = _activation(question.f)
    g, g_grad = _activation(question.g)
    x = rng.normal(size=(n_, 1))
    w1, b1 = rng.normal(size=(m_, n_)), rng.normal(size=(m_, 1))
    w2, b2 = rng.normal(size=(k_, m_)) / 2, rng.normal(size=(k_, 1)) / 2
    bce = question.loss == "bce_mean"
    y = rng.uniform(0.1, 0.9, size=(k_, 1)) if bce else rng.normal(size=(k_, 1))
    z1 = w1 @ x + b1
    z2 = f(z1)
    z3 = w2 @ z2 + b2
    yhat = g(z3)
    if bce:
        loss = np.mean(-(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)))
        dl_dyhat = ((-(y / yhat) + (1 - y) / (1 - yhat)) / k_).T
    else:
        loss = float(np.sum((yhat - y) ** 2))
        dl_dyhat = 2 * (yhat - y).T
    dyhat_dz3 = np.diagflat(g_grad(z3))
    dz2_dz1 = np.diagflat(f_grad(z1))
    dl_dz3 = dl_dyhat @ dyhat_dz3
    dl_dz2 = dl_dz3 @ w2
    dl_dz1 = dl_dz2 @ dz2_dz1
    truth = Truth(sizes=sizes, layout=layout)
    truth.values = {
        "x": x,
        "y": y,
        "W1": w1,
        "b1": b1,
        "W2": w2,
        "b2": b2,
        "z1": z1,
        "z2": z2,
        "z3": z3,
        "yhat": yhat,
        "loss": np.array([[loss]]),
    }
    truth.derivatives = {
        ("loss", "yhat"): dl_dyhat,
        ("yhat", "z3"): dyhat_dz3,
        ("z2", "z1"): dz2_dz1,
        ("z3", "z2"): w2,
        ("z1", "x"): w1,
        ("loss", "z3"): dl_dz3,
        ("loss", "z2"): dl_dz2,
        ("loss", "z1"): dl_dz1,
        ("loss", "x"): dl_dz1 @ w1,
        ("loss", "W2"): z2 @ dl_dz3,
        ("loss", "b2"): dl_dz3,
        ("loss", "W1"): x @ dl_dz1,
        ("loss", "b1"): dl_dz1,
        ("z3", "b2"): np.eye(k_),
        ("z1", "b1"): np.eye(m_),
        ("yhat", "yhat"): np.eye(k_),
    }
    truth.diagonal = {("yhat", "z3"), ("z2", "z1")}
    _numerator_to_layout(truth)
    return truth


def mlp_truth(question: Any, layout: str) -> Truth:
    """The exact network of an ``mlp_numeric`` question at its given numbers (floats suffice for comparing
    with the digits a student writes), with every intermediate under the names the assignment uses."""
    from chainrule.engine.exact import to_rational

    def matrix(rows: list[list[Any]]) -> np.ndarray:
        return np.array([[float(to_rational(v)) for v in row] for row in rows])

    a = np.array([[float(to_rational(v))] for v in question.x])
    y = np.array([[float(to_rational(v))] for v in question.y])
    truth = Truth(layout=layout)
    truth.values["x"] = a
    truth.values["y"] = y
    upstream: list[tuple[str, str, np.ndarray, np.ndarray, Callable | None]] = []
    for index, layer in enumerate(question.layers, start=1):
        w, b = matrix(layer.W), matrix([[v] for v in layer.b])
        z = w @ a + b
        truth.values.update({f"W{index}": w, f"b{index}": b, f"z{index}": z})
        if layer.activation is not None:
            act, act_grad = _activation(layer.activation)
            out = act(z)
        else:
            act_grad, out = None, z
        truth.values[f"a{index}"] = truth.values[f"h{index}"] = out  # both names engines use for a layer's output
        upstream.append((f"W{index}", f"b{index}", a, z, act_grad))
        a = out
    loss_scale = {"half_squared": 0.5, "squared": 1.0}.get(question.loss)
    if loss_scale is None:
        raise NoTruth(f"loss {question.loss} is not compared here")
    truth.values["yhat"] = a
    truth.values["loss"] = np.array([[loss_scale * float(np.sum((a - y) ** 2))]])
    grad = 2 * loss_scale * (a - y)  # column: denominator layout while going down
    truth.derivatives[("loss", "yhat")] = grad.T
    for index in range(len(question.layers), 0, -1):
        w_name, b_name, inp, z, act_grad = upstream[index - 1]
        truth.derivatives[("loss", f"a{index}")] = truth.derivatives[("loss", f"h{index}")] = grad.T
        dz = grad * act_grad(z) if act_grad is not None else grad
        truth.derivatives[("loss", f"z{index}")] = dz.T
        truth.derivatives[("loss", b_name)] = dz.T
        truth.derivatives[("loss", w_name)] = (dz @ inp.T).T
        grad = truth.values[w_name].T @ dz
    # The assignment's own names for intermediates (``{z1: a, a1: h}``) are aliases of these.
    _numerator_to_layout(truth)
    return truth


def matrix_truth(question: Any, assignment: Assignment, rng: np.random.Generator) -> Truth:
    """Random values of every symbol of a ``matrix_gradient`` question (sizes drawn distinct, so a transposed
    or mis-sized answer cannot agree by accident) and the engine's gradient there (``engine.matcalc``)."""
    from chainrule.assignments.solvers.matrix import build
    from chainrule.engine.matcalc import Layout, evaluate, gradient

    expression, variable, _symbols = build(question, assignment)
    names = sorted({dim for shape in question.shapes.values() for dim in shape if isinstance(dim, str)})
    sizes = {name: SIZES.get(name, 6 + index) for index, name in enumerate(names)}
    if len(set(sizes.values())) != len(sizes):
        sizes = {name: 3 + index for index, name in enumerate(names)}

    def dim(value: int | str) -> int:
        return sizes[value] if isinstance(value, str) else int(value)

    values = {name: rng.normal(size=(dim(rows), dim(cols))) for name, (rows, cols) in question.shapes.items()}
    grad = np.asarray(gradient(expression, variable, Layout.DENOMINATOR).evaluate(values), dtype=float)
    truth = Truth(sizes=sizes, layout=assignment.conventions.layout)
    truth.values = {**values, "loss": np.asarray(evaluate(expression, values), dtype=float).reshape(1, 1)}
    truth.derivatives = {("loss", question.with_respect_to): grad.T.copy()}  # numerator layout first
    _numerator_to_layout(truth)
    return truth

