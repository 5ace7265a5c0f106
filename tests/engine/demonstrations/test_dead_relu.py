import numpy as np
import pytest
import torch

from chainrule.engine.demonstrations import (
    DEMONSTRATIONS,
    dead_relu_demonstration,
    demonstrate,
    leaky_relu_demonstration,
    train_two_layer,
)
from chainrule.engine.demonstrations.dead_relu import initial_parameters
from chainrule.errors import InputError


@pytest.mark.parametrize("activation", ["relu", "leaky"])
def test_first_sgd_gradient_matches_autograd(activation):
    trace = train_two_layer(activation, steps=1, seed=4)
    x, y = trace.data
    rng = np.random.default_rng(4)
    rng.standard_normal(len(x))  # replay the draws of train_two_layer: data, parameters, then the order
    params = initial_parameters(6, x, rng, 0)
    i = int(rng.integers(0, len(x), size=1)[0])
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    z = t["a"] * x[i] + t["b"]
    act = torch.relu(z) if activation == "relu" else torch.nn.functional.leaky_relu(z, 0.01)
    (0.5 * (act @ t["u"] - y[i]) ** 2).backward()
    expected = [t["a"].grad[0].item(), t["b"].grad[0].item(), t["u"].grad[0].item()]
    np.testing.assert_allclose(trace.unit_grads[0], expected, rtol=1e-12, atol=0)


def test_dead_relu_unit_never_moves_and_leaky_unit_does():
    relu = train_two_layer("relu", steps=200, seed=1)
    leaky = train_two_layer("leaky", steps=200, seed=1)
    assert (relu.unit_params == relu.unit_params[0]).all() and relu.max_preactivation.max() < 0
    assert not (leaky.unit_params == leaky.unit_params[0]).all()
    assert relu.losses[-1] < relu.losses[0]  # the rest of the network did train


def test_demonstrations_pass_and_catch_their_wrong_claims():
    for demo in (dead_relu_demonstration(), leaky_relu_demonstration()):
        assert demo.passed and demo.catches_wrong_claims


@pytest.mark.parametrize("question", list(DEMONSTRATIONS))
def test_every_registered_demonstration_passes_and_has_teeth(question):
    demo = demonstrate(question)
    assert demo.question.split("-population")[0] == question.split("-population")[0]
    assert demo.passed and demo.catches_wrong_claims and demo.evidence


def test_unknown_question_and_bad_options_are_input_errors():
    with pytest.raises(InputError):
        demonstrate("ryu-hw3/99")
    with pytest.raises(InputError):
        train_two_layer("gelu")


def test_unknown_options_are_input_errors_naming_the_allowed_ones():
    with pytest.raises(InputError, match="allowed: steps, seed"):
        demonstrate("ryu-hw3/6", epochs=3)
