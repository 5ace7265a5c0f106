"""Ryu HW3 P6/P7 as experiments: the dead ReLU unit never moves; the leaky one gets α times a real gradient."""

from __future__ import annotations

import pytest
import torch

from chainrule.experiments.relu_demo import (
    DEAD_MARGIN,
    DEAD_UNIT,
    DemoConfig,
    activation,
    make_demo_data,
    train_two_layer,
)

CONFIG = DemoConfig(units=8, n_data=64, batch_size=16, epochs=5, step_size=0.05)
CPU = torch.device("cpu")


def test_watched_unit_starts_dead_on_every_input() -> None:
    data = make_demo_data(1, CONFIG)
    pre = data.a[DEAD_UNIT] * data.x + data.b[DEAD_UNIT]
    assert pre.max().item() == pytest.approx(-DEAD_MARGIN, abs=1e-6)


def test_dead_relu_unit_is_bit_for_bit_unchanged_while_the_others_train() -> None:
    data = make_demo_data(1, CONFIG)
    track = train_two_layer("relu", data, 1, CONFIG, CPU)
    assert track.a.shape[0] == CONFIG.epochs * CONFIG.n_data // CONFIG.batch_size + 1
    for values in (track.a, track.b, track.u):
        assert torch.equal(values, values[0].expand_as(values))
    assert track.others_moved > 1e-3
    assert (track.max_preactivation < 0).all()


def test_leaky_unit_moves_from_the_same_start() -> None:
    data = make_demo_data(1, CONFIG)
    track = train_two_layer("leaky_relu", data, 1, CONFIG, CPU)
    assert (track.a - track.a[0]).abs().max() > 0 and (track.b - track.b[0]).abs().max() > 0


def test_leaky_gradient_of_the_dead_unit_is_alpha_times_the_closed_form() -> None:
    """∂L/∂a₀ = α·u₀·mean(r_i·X_i), ∂L/∂b₀ = α·u₀·mean(r_i) for L = ½·mean r², r = f(X) − Y, all X below the kink."""
    data = make_demo_data(2, CONFIG)
    a, b, u = (t.clone().double().requires_grad_(True) for t in (data.a, data.b, data.u))
    x, y = data.x.double(), data.y.double()
    sigma = activation("leaky_relu", CONFIG.leak)
    residual = sigma(x[:, None] * a + b) @ u - y
    (0.5 * residual.square().mean()).backward()
    alpha, u0 = CONFIG.leak, u[DEAD_UNIT].item()
    r = residual.detach()
    assert a.grad[DEAD_UNIT].item() == pytest.approx(alpha * u0 * (r * x).mean().item(), rel=1e-10)
    assert b.grad[DEAD_UNIT].item() == pytest.approx(alpha * u0 * r.mean().item(), rel=1e-10)
    assert a.grad[DEAD_UNIT].item() != 0.0

    a.grad = b.grad = u.grad = None
    relu_residual = activation("relu", CONFIG.leak)(x[:, None] * a + b) @ u - y
    (0.5 * relu_residual.square().mean()).backward()
    assert a.grad[DEAD_UNIT].item() == 0.0 and b.grad[DEAD_UNIT].item() == 0.0 and u.grad[DEAD_UNIT].item() == 0.0
