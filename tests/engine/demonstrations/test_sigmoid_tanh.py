from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.demonstrations import (
    random_network,
    sigmoid_tanh_demonstration,
    sigmoid_to_tanh,
    tanh_to_sigmoid,
)
from chainrule.errors import InputError


def torch_forward(layers, x, activation):
    act = torch.sigmoid if activation == "sigmoid" else torch.tanh
    y = torch.tensor(x, dtype=torch.float64)
    for index, (a, b) in enumerate(layers):
        linear = torch.nn.Linear(a.shape[1], a.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(np.asarray(a, dtype=float)))
            linear.bias.copy_(torch.tensor(np.asarray(b, dtype=float)))
        y = linear(y)
        if index < len(layers) - 1:
            y = act(y)
    return y.detach().numpy()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.integers(1, 5), min_size=3, max_size=7), st.integers(0, 2**31 - 1))
def test_converters_agree_with_torch_to_1e_12(widths, seed):
    rng = np.random.default_rng(seed)
    net = random_network(widths, rng)
    x = rng.standard_normal((8, widths[0])) * 3
    reference = torch_forward(net, x, "sigmoid")
    got = torch_forward(sigmoid_to_tanh(net), x, "tanh")
    assert np.abs(got - reference).max() <= 1e-12 * (1 + abs(reference).max())
    reference_t = torch_forward(net, x, "tanh")
    got = torch_forward(tanh_to_sigmoid(net), x, "sigmoid")
    assert np.abs(got - reference_t).max() <= 1e-12 * (1 + abs(reference_t).max())


def test_round_trip_is_exact_on_rational_parameters():
    rng = np.random.default_rng(3)
    net = []
    for n, m in [(2, 3), (3, 3), (3, 2), (2, 1)]:
        a = np.array([[Fraction(int(v), 7) for v in row] for row in rng.integers(-9, 9, (m, n))], dtype=object)
        b = np.array([Fraction(int(v), 5) for v in rng.integers(-9, 9, m)], dtype=object)
        net.append((a, b))
    for there_and_back in (tanh_to_sigmoid(sigmoid_to_tanh(net)), sigmoid_to_tanh(tanh_to_sigmoid(net))):
        for (a, b), (c, d) in zip(net, there_and_back, strict=True):
            assert (a == c).all() and (b == d).all()


def test_demonstration_passes_and_catches_the_naive_converter():
    demo = sigmoid_tanh_demonstration()
    assert demo.passed and demo.catches_wrong_claims


def test_one_layer_networks_and_mismatched_shapes_are_rejected():
    rng = np.random.default_rng(0)
    with pytest.raises(InputError):
        sigmoid_to_tanh(random_network([2, 3], rng))
    with pytest.raises(InputError):
        sigmoid_to_tanh([(np.ones((3, 2)), np.ones(3)), (np.ones((1, 4)), np.ones(1))])
