"""The activation plot: curves from the tested NumPy code, a real image file, located errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from chainrule.engine.activations import get_activation
from chainrule.errors import InputError
from chainrule.reports.activation_plot import activation_curves, plot_activation

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_curves_match_torch_autograd():
    act = get_activation("leaky_relu", a="0.2")
    curves = activation_curves(act, -3, 3, 61)
    x = torch.tensor(curves["x"], requires_grad=True)
    (slope,) = torch.autograd.grad(act.torch(x).sum(), x)
    assert np.allclose(curves["value"], act.torch(x).detach().numpy())
    assert np.allclose(curves["derivative"], slope.numpy())


def test_softmax_curves_are_the_first_coordinate_and_its_partial():
    curves = activation_curves(get_activation("softmax"), -4, 4, 9)
    s = 1 / (1 + np.exp(-curves["x"]))  # softmax([x, 0])_1 is the sigmoid of x
    assert np.allclose(curves["value"], s)
    assert np.allclose(curves["derivative"], s * (1 - s))


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_an_image(tmp_path, suffix):
    path = plot_activation(get_activation("elu", alpha=2), tmp_path / f"elu{suffix}")
    content = path.read_bytes()
    assert content.startswith(PNG_MAGIC) if suffix == ".png" else b"<svg" in content


def test_bad_suffix_and_symbolic_parameters_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="must end in"):
        plot_activation(get_activation("relu"), tmp_path / "relu.txt")
    with pytest.raises(InputError, match="symbolic"):
        plot_activation(get_activation("softplus"), tmp_path / "softplus.png")


def test_unwritable_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot write"):
        plot_activation(get_activation("relu"), tmp_path / "missing" / "relu.png")


@pytest.mark.parametrize(
    ("name", "params"),
    [("relu", {}), ("leaky_relu", {"a": "0.01"}), ("softplus", {"beta": 1}), ("gelu", {})],
)
def test_nyu_hw1_1_4c_derivative_graphs(tmp_path, name, params):
    """NYU DL HW1 (2022) 1.4c asks for the derivative graphs of exactly these four."""
    act = get_activation(name, **params)
    assert plot_activation(act, tmp_path / f"{name}.png").read_bytes().startswith(PNG_MAGIC)
    curves = activation_curves(act, -5, 5, 101)
    x = torch.tensor(curves["x"], requires_grad=True)
    (slope,) = torch.autograd.grad(act.torch(x).sum(), x)
    assert np.allclose(curves["derivative"], slope.numpy(), atol=1e-12)
