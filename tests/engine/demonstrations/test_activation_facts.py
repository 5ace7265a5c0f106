import numpy as np
import torch

from chainrule.engine.demonstrations import relu_idempotence_demonstration, softplus_lipschitz_demonstration


def test_relu_idempotence_and_leaky_counterexample_agree_with_torch():
    demo = relu_idempotence_demonstration()
    assert demo.passed and demo.catches_wrong_claims
    z = torch.linspace(-5, 5, 1001, dtype=torch.float64)
    assert torch.equal(torch.relu(torch.relu(z)), torch.relu(z))
    leaky = torch.nn.functional.leaky_relu
    assert not torch.equal(leaky(leaky(z, 0.01), 0.01), leaky(z, 0.01))


def test_softplus_lipschitz_constant_matches_autograd_second_derivative():
    demo = softplus_lipschitz_demonstration()
    assert demo.passed and demo.catches_wrong_claims
    assert demo.evidence_value("Lipschitz constant sup|softplus″|") == "1/4"
    z = torch.linspace(-10, 10, 20001, dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(torch.nn.functional.softplus(z).sum(), z, create_graph=True)
    (second,) = torch.autograd.grad(first.sum(), z)
    assert abs(second.max().item() - 0.25) < 1e-9


def test_relu_derivative_quotients_grow_without_bound():
    demo = softplus_lipschitz_demonstration(pairs=10)
    table = demo.evidence_value("ReLU′ quotients |ReLU′(ε) − ReLU′(−ε)|/(2ε)")
    relu_grad = lambda v: float(v > 0)  # noqa: E731
    for eps, quotient in table:
        assert quotient == abs(relu_grad(eps) - relu_grad(-eps)) / (2 * eps)
    assert np.all(np.diff([q for _, q in table]) > 0)
