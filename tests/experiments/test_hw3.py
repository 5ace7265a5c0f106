"""HW3 set-up: the numbers the assignment states, and the seed streams both training routes rely on."""

from __future__ import annotations

import math

import pytest
import torch

from chainrule.errors import InputError
from chainrule.experiments import hw3
from chainrule.experiments.mlp import parameter_count


def test_parameter_count_of_the_assignment_network_counted_by_pytorch() -> None:
    from chainrule.experiments.reference import SigmoidMlp

    by_hand = parameter_count((1, 64, 64, 1))
    by_module = sum(p.numel() for p in SigmoidMlp((1, 64, 64, 1)).parameters())
    assert by_hand == by_module == 4353


def test_problem_configs_carry_the_assignment_numbers() -> None:
    one, two = hw3.problem_config(1), hw3.problem_config(2)
    assert (one.n_data, one.batch_size, one.epochs, one.step_size, one.bias_init) == (512, 128, 1000, 0.1, 0.03)
    assert one.noise_std == 0.0 and two.noise_std == 0.5
    assert one.gradient_scale == pytest.approx(2 / 128)  # nn.MSELoss: no ½
    assert hw3.problem_config(1, loss="half").gradient_scale == pytest.approx(1 / 128)


@pytest.mark.parametrize(
    "overrides",
    [{"batch_size": 100}, {"epochs": 0}, {"step_size": -1.0}, {"loss": "l1"}, {"widths": (2, 8, 1)}],
)
def test_bad_settings_are_input_errors(overrides: dict[str, object]) -> None:
    with pytest.raises(InputError):
        hw3.problem_config(1, **overrides)


def test_problem_number_and_seed_are_checked() -> None:
    with pytest.raises(InputError):
        hw3.problem_config(3)
    with pytest.raises(InputError):
        hw3.make_data(-1, hw3.problem_config(1))


def test_true_function_against_math_cos() -> None:
    xs = [-1.7, 0.0, 0.3, 2.0, 2.9]
    got = hw3.true_function(torch.tensor(xs, dtype=torch.float64)).tolist()
    assert got == pytest.approx([(x - 2) * math.cos(4 * x) for x in xs], rel=1e-12)


def test_problems_share_inputs_and_differ_only_by_noise() -> None:
    one = hw3.make_data(5, hw3.problem_config(1, n_data=2048))
    two = hw3.make_data(5, hw3.problem_config(2, n_data=2048))
    assert torch.equal(one.x, two.x)
    assert torch.equal(one.y, hw3.true_function(one.x))
    noise = two.y - one.y
    assert abs(noise.mean().item()) < 0.05 and noise.std().item() == pytest.approx(0.5, rel=0.08)


def test_initialisation_is_unit_gaussian_weights_and_constant_biases() -> None:
    params = hw3.initial_params(0, hw3.problem_config(1))
    assert [tuple(w.shape) for w in params.weights] == [(64, 1), (64, 64), (1, 64)]
    assert all(torch.all(b == 0.03) for b in params.biases)
    weights = torch.cat([w.flatten() for w in params.weights])
    assert abs(weights.mean().item()) < 0.1 and weights.std().item() == pytest.approx(1.0, rel=0.06)


def test_orders_are_fresh_permutations_each_epoch_and_reproducible() -> None:
    config = hw3.problem_config(1, n_data=32, batch_size=8, epochs=4)
    orders = list(hw3.epoch_orders(9, config))
    assert all(torch.equal(torch.sort(o).values, torch.arange(32)) for o in orders)
    assert not torch.equal(orders[0], orders[1])
    again = list(hw3.epoch_orders(9, config))
    assert all(torch.equal(a, b) for a, b in zip(orders, again, strict=True))
    stacked = list(hw3.ensemble_orders([9, 10], config))
    assert all(torch.equal(s[0], o) for s, o in zip(stacked, orders, strict=True))
