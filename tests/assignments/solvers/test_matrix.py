"""Prof. You HW1 Q2–Q3: the stated gradients, evaluated at random points, against PyTorch autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from chainrule.assignments.loader import load_assignment
from chainrule.assignments.solvers.matrix import build
from chainrule.engine.matcalc.diff import Layout, gradient

N, M = 4, 3


def _point(rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.normal(size=(N, 1)), "A": rng.normal(size=(N, N)), "z": rng.normal(size=(N, 1)),
            "w": rng.normal(size=(N, 1)), "y": rng.normal(size=(1, 1)), "X": rng.normal(size=(M, N)),
            "ym": rng.normal(size=(M, 1)), "W": rng.normal(size=(M, N)), "b": rng.normal(size=(M, 1))}


FUNCTIONS = {
    "2.1": ("x", lambda t: (t["x"].T @ (t["A"] @ t["x"] + t["z"])).sum()),
    "2.2": ("w", lambda t: ((t["w"].T @ t["x"] - t["y"]) ** 2).sum() / 2),
    "2.3": ("w", lambda t: ((t["X"] @ t["w"] - t["ym"]) ** 2).sum() / (2 * M)),
    "3": ("W", lambda t: ((t["W"] @ t["x"] + t["b"] - t["ym"]) ** 2).sum()),
}


@pytest.mark.parametrize("question_id", sorted(FUNCTIONS))
def test_gradient_matches_autograd(question_id: str) -> None:
    assignment = load_assignment("you-nndl-hw1")
    question = assignment.question(question_id)
    expression, variable, _ = build(question, assignment)
    derivative = gradient(expression, variable, Layout.DENOMINATOR)
    rng = np.random.default_rng(3)
    point = _point(rng)
    bindings = {k: v for k, v in point.items() if k != "ym"}
    if question_id in ("2.3", "3"):
        bindings["y"] = point["ym"]
    ours = derivative.evaluate(bindings)
    wrt, function = FUNCTIONS[question_id]
    tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k == wrt) for k, v in point.items()}
    function(tensors).backward()
    assert ours.shape == tuple(tensors[wrt].shape)
    assert np.allclose(ours, tensors[wrt].grad.numpy(), atol=1e-10)


def test_answers_and_shapes(solve_builtin) -> None:
    solution = solve_builtin("you-nndl-hw1")
    assert solution.question("2.1").answers["df/dx"].value == "(A + A^T) x + z"
    assert solution.question("2.3").answers["dL/dw"].value == "1/m X^T (X w - y)"
    answer = solution.question("3").answers["dL/dW"]
    assert (answer.value, answer.shape) == ("2 (W x + b - y) x^T", "(m×n)")
    assert any(step.text and step.text.startswith("Shape check") for step in solution.question("3").steps)
