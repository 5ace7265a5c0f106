"""NYU HW1 symbolic answers: evaluated at random points they equal PyTorch autograd in numerator layout."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from chainrule.assignments.loader import load_assignment
from chainrule.assignments.solvers.backprop import network

ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda t: t}
CASES = [("nyu-dl-hw1-2022", "1.2c", "relu", 5, "identity", "mse"),
         ("nyu-dl-hw1-2022", "1.3a", "tanh", 1, "sigmoid", "mse"),
         ("nyu-dl-hw1-2022", "1.3b", "tanh", 1, "sigmoid", "bce"),
         ("nyu-dl-hw1-2021", "1.2c", "relu", 1, "identity", "mse"),
         ("nyu-dl-hw1-2021", "1.3b", "sigmoid", 1, "sigmoid", "bce")]


def _autograd(point: dict[str, np.ndarray], f: str, scale: int, g: str, loss: str) -> dict[str, np.ndarray]:
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k in ("W1", "b1", "W2", "b2")) for k, v in point.items()}
    z1 = t["W1"] @ t["x"] + t["b1"]
    z2 = scale * ACT[f](z1)
    yhat = ACT[g](t["W2"] @ z2 + t["b2"])
    if loss == "mse":
        value = ((yhat - t["y"]) ** 2).sum()
    else:
        value = -(t["y"] * torch.log(yhat) + (1 - t["y"]) * torch.log(1 - yhat)).mean()
    value.backward()
    # numerator layout: the derivative by a K×m matrix is m×K, by a column vector a row
    return {"W1": t["W1"].grad.T.numpy(), "b1": t["b1"].grad.T.numpy(), "W2": t["W2"].grad.T.numpy(),
            "b2": t["b2"].grad.T.numpy()}


@pytest.mark.parametrize(("assignment", "question", "f", "scale", "g", "loss"), CASES)
def test_gradients_equal_autograd(assignment: str, question: str, f: str, scale: int, g: str, loss: str) -> None:
    net = network(load_assignment(assignment).question(question))
    rng = np.random.default_rng(7)
    for sizes in ({"n": 3, "m": 4, "K": 2}, {"n": 2, "m": 5, "K": 3}):
        point = net.random_point(sizes, rng)
        ours = net.evaluate(point)
        theirs = _autograd(point, f, scale, g, loss)
        for key in ("W1", "b1", "W2", "b2"):
            assert ours[key].shape == theirs[key].shape
            assert np.allclose(ours[key], theirs[key], atol=1e-10), key


def test_answers_use_allowed_symbols_and_numerator_shapes(solve_builtin) -> None:
    answers = solve_builtin("nyu-dl-hw1-2022").question("1.2c").answers
    assert answers["dl/dW1"].shape == "(n×m)" and answers["dl/dW2"].shape == "(m×K)"
    assert answers["dl/db1"].shape == "(1×m)" and answers["dl/db2"].shape == "(1×K)"
    assert answers["dl/dW1"].value == "x dl_dyhat dyhat_dz3 W2 dz2_dz1"
    assert answers["dl/dW2"].value == "5 (W1 x + b1)^+ dl_dyhat dyhat_dz3"


def test_jacobian_entries_2022(solve_builtin) -> None:
    d = solve_builtin("nyu-dl-hw1-2022").question("1.2d").answers
    assert d["dz2/dz1"].shape == "(m×m)" and d["dyhat/dz3"].value == "I_K"
    assert d["dl/dyhat"].value == "2 (yhat - y)^T" and d["dl/dyhat"].shape == "(1×K)"
    bce = solve_builtin("nyu-dl-hw1-2022").question("1.3b").answers["dl/dyhat"]
    assert bce.shape == "(1×K)" and "1/K" in bce.value


def test_forward_pass_2021_uses_plain_relu(solve_builtin) -> None:
    answers = solve_builtin("nyu-dl-hw1-2021").question("1.2b").answers
    assert answers["z2"].value == "(W1 x + b1)^+"
    assert answers["loss"].value == "||W2 (W1 x + b1)^+ + b2 - y||^2"


def test_backward_pass_shows_every_gradient_it_boxes(solve_builtin) -> None:
    # The worked steps once stopped at ∂ℓ/∂b⁽¹⁾, so the boxed ∂ℓ/∂W⁽¹⁾ appeared without a derivation.
    solution = solve_builtin("nyu-dl-hw1-2022").question("1.2c")
    shown = [step.tex.split(" = ")[0] for step in solution.steps if step.tex]
    for key in ("W1", "b1", "W2", "b2"):
        assert solution.answers[f"dl/d{key}"].label in shown, key
    assert len(shown) == len(set(shown))


def test_bce_gradient_entries_print_as_fractions_that_autograd_confirms(solve_builtin) -> None:
    steps = solve_builtin("nyu-dl-hw1-2022").question("1.3b").steps
    label = r"\left(\frac{\partial \ell}{\partial \hat{y}}\right)_{1i}"
    (entry,) = [s.tex for s in steps if s.tex and s.tex.startswith(label)]
    printed = r"\frac{1}{K} \left(\frac{1 - y_{i}}{1 - \hat{y}_{i}} - \frac{y_{i}}{\hat{y}_{i}}\right)"
    assert entry.endswith(printed)
    # The printed entry, read by hand, against autograd of the BCE mean over K = 4 outputs.
    y_hat = torch.tensor([0.2, 0.7, 0.55, 0.9], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
    torch.nn.functional.binary_cross_entropy(y_hat, y).backward()
    by_hand = ((1 - y) / (1 - y_hat.detach()) - y / y_hat.detach()) / 4
    assert torch.allclose(y_hat.grad, by_hand)
