"""AMA564 A1 Q1b: the solver's exact forward/backward numbers against PyTorch autograd in float64."""

from __future__ import annotations

import pytest
import sympy
import torch

W1 = [[-0.8, 0.5, -1.0], [1.2, -0.7, 0.2]]
B1 = [-0.4, 0.9]
W2 = [[0.6, 1.1]]
B2 = [-0.1]


def _torch_pass() -> dict[str, torch.Tensor]:
    params = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
              for name, value in (("W1", W1), ("b1", B1), ("W2", W2), ("b2", B2))}
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    f = params["W2"] @ torch.relu(params["W1"] @ x + params["b1"]) + params["b2"]
    loss = ((f - 0.33) ** 2 / 2).sum()
    loss.backward()
    return {"f": f.detach(), **{f"dL/d{k}": v.grad for k, v in params.items()}}


def _matrix(text: str) -> list[list[float]]:
    return [[float(sympy.Rational(entry)) for entry in row] for row in _rows(text)]


def _rows(text: str) -> list[list[str]]:
    if not text.startswith("["):
        return [[text]]
    return [row.strip("[] ").split(", ") for row in text[1:-1].split("], [")]


def test_forward_and_gradients_match_autograd(solve_builtin) -> None:
    answers = solve_builtin("ama564-a1").question("1b").answers
    expected = _torch_pass()
    assert float(sympy.Rational(answers["f"].value)) == pytest.approx(float(expected["f"]), abs=1e-12)
    for key in ("dL/dW1", "dL/dW2"):
        assert torch.allclose(torch.tensor(_matrix(answers[key].value), dtype=torch.float64), expected[key])
    for key in ("dL/db1", "dL/db2"):
        got = torch.tensor(_matrix(answers[key].value), dtype=torch.float64).reshape(-1)
        assert torch.allclose(got, expected[key].reshape(-1))


def test_exact_values_are_the_hand_checked_ones(solve_builtin) -> None:
    answers = solve_builtin("ama564-a1").question("1b").answers
    assert answers["f"].value == "1.33"
    assert answers["z1"].value == "[[-3.2], [1.3]]"
    assert answers["h1"].value == "[[0], [1.3]]"
    assert answers["dL/dW1"].value == "[[0, 0, 0], [1.1, 2.2, 3.3]]"
    assert answers["dL/dW2"].value == "[[0, 1.3]]" and answers["dL/db2"].value == "1"
    assert answers["dL/dw1_23"].value == "3.3" and not answers["dL/dw1_23"].boxed
