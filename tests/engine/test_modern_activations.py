"""SiLU/Swish, Mish, SELU, Hardtanh, ReLU6, softsign and GELU-tanh: definitions against ``torch.nn.functional``,
kink values against autograd, and every fact ``derive`` states (limits of f′, Lipschitz constants of f and f′)
against an independent numeric route: autograd on a dense float64 grid and values far out."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from chainrule.engine.activation_facts import derive
from chainrule.engine.activations import X, get_activation

TORCH = {
    "silu": F.silu,
    "swish": lambda z: z * torch.sigmoid(1.5 * z),
    "mish": F.mish,
    "selu": F.selu,
    "hardtanh": F.hardtanh,
    "relu6": F.relu6,
    "softsign": F.softsign,
    "gelu_tanh": lambda z: F.gelu(z, approximate="tanh"),
}
PARAMS = {"swish": {"beta": "1.5"}}


def _grid(low: float = -30.0, high: float = 30.0, count: int = 600_001) -> torch.Tensor:
    return torch.linspace(low, high, count, dtype=torch.float64)


def _slopes(function, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f′ and f″ by autograd (twice), entry by entry over the grid."""
    z = z.clone().requires_grad_(True)
    (first,) = torch.autograd.grad(function(z).sum(), z, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), z)
    return first.detach(), second.detach()


@pytest.mark.parametrize("name", sorted(TORCH))
def test_values_and_slopes_are_torchs(name):
    act = get_activation(name, **PARAMS.get(name, {}))
    z = torch.linspace(-8, 8, 1601, dtype=torch.float64)
    assert np.allclose(act.numpy(z.numpy()), TORCH[name](z).numpy(), rtol=1e-12, atol=1e-13)
    first, _ = _slopes(TORCH[name], z)
    assert np.allclose(act.numpy_vjp(z.numpy(), np.ones(len(z))), first.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("name", "points"), [("selu", [0.0]), ("hardtanh", [-1.0, 1.0]), ("relu6", [0.0, 6.0])])
def test_kink_values_are_what_autograd_uses(name, points):
    act = get_activation(name)
    assert [float(p) for p in act.kinks] == points
    z = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(TORCH[name](z).sum(), z)
    assert [float(act.derivative.subs(X, p)) for p in act.kinks] == pytest.approx(slope.tolist(), rel=1e-15)


@pytest.mark.parametrize("name", sorted(TORCH))
def test_derive_states_limits_and_lipschitz_constants_that_autograd_confirms(name):
    act = get_activation(name, **PARAMS.get(name, {}))
    facts = derive(act)
    far = torch.tensor([-1000.0, 1000.0], dtype=torch.float64)
    at_minus, at_plus = _slopes(TORCH[name], far)[0].tolist()
    for point, far_value in (("+oo", at_plus), ("-oo", at_minus)):
        assert facts.limits[point].status == "exists"
        assert float(facts.limits[point].value) == pytest.approx(far_value, abs=1e-5)

    first, second = _slopes(TORCH[name], _grid())
    function_fact = facts.function_lipschitz
    assert function_fact.status == "lipschitz"
    assert float(function_fact.constant) == pytest.approx(float(first.abs().max()), rel=1e-6)
    derivative_fact = facts.lipschitz
    if act.kinks:  # f′ jumps at a kink: not continuous, so not Lipschitz
        assert derivative_fact.status == "not lipschitz" and derivative_fact.continuous is False
    else:
        assert derivative_fact.status == "lipschitz", derivative_fact.reason
        # softsign's f″ jumps at 0 (±2 on either side): the supremum is the one-sided limit the grid approaches
        assert float(derivative_fact.constant) == pytest.approx(float(second.abs().max()), rel=1e-4)


def test_selu_is_written_with_its_constants_as_letters():
    data = derive(get_activation("selu")).as_dict()
    assert data["derivative"] == "(scale if x > 0 else alpha*scale*exp(x))"
    assert data["params"]["scale"].startswith("1.05070098735548049")
    assert float(data["kink"]["derivative_there"][0]) == pytest.approx(1.0507009873554805 * 1.6732632423543772)
