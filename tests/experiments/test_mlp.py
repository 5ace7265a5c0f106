"""MLP parameters: counts and evaluation against nn.Module, stacking per seed."""

from __future__ import annotations

import pytest
import torch

from chainrule.errors import InputError
from chainrule.experiments.mlp import init_params, parameter_count, sigmoid_mlp, stack_params
from chainrule.experiments.reference import SigmoidMlp


@pytest.mark.parametrize("widths", [(1, 64, 64, 1), (3, 5, 2), (2, 7, 7, 7, 4)])
def test_parameter_count_matches_nn_module(widths: tuple[int, ...]) -> None:
    assert parameter_count(widths) == sum(p.numel() for p in SigmoidMlp(widths).parameters())


def test_bad_widths_are_input_errors() -> None:
    with pytest.raises(InputError):
        parameter_count((4,))
    with pytest.raises(InputError):
        parameter_count((1, 0, 1))


def test_sigmoid_mlp_matches_the_module_and_stacks_per_seed() -> None:
    widths = (1, 6, 5, 1)
    params = [init_params(widths, torch.Generator().manual_seed(s)) for s in (0, 1)]
    x = torch.linspace(-2, 2, 9).reshape(-1, 1)
    for p in params:
        torch.testing.assert_close(sigmoid_mlp(p, x), SigmoidMlp(widths).load(p)(x).detach())
    stacked = stack_params(params)
    both = sigmoid_mlp(stacked, x.expand(2, -1, -1))
    torch.testing.assert_close(both[1], sigmoid_mlp(params[1], x))
    assert torch.equal(stacked.seed(1).flat(), params[1].flat())
