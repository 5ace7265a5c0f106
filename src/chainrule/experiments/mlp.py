"""Parameters of a sigmoid MLP with one scalar-or-vector input and output, in PyTorch's layout.

Both training routes (the plain ``nn.Module`` loop and the fused fast path) start from the same
:class:`MlpParams`, so the comparison between them is about the arithmetic, never the
initialisation. Weights are ``(out, in)`` and biases ``(out,)`` as in ``nn.Linear``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from chainrule.errors import InputError


@dataclass(frozen=True)
class MlpParams:
    """Weights and biases of every layer, first layer first (a leading seed axis is allowed)."""

    weights: tuple[torch.Tensor, ...]
    biases: tuple[torch.Tensor, ...]

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.weights[0].shape[-1], *(w.shape[-2] for w in self.weights))

    def seed(self, index: int) -> MlpParams:
        """The parameters of one seed out of a stacked ensemble."""
        return MlpParams(tuple(w[index] for w in self.weights), tuple(b[index] for b in self.biases))

    def to(self, device: torch.device | str) -> MlpParams:
        return MlpParams(tuple(w.to(device) for w in self.weights), tuple(b.to(device) for b in self.biases))

    def flat(self) -> torch.Tensor:
        """All parameters in one vector (per seed when stacked), layer by layer, weight before bias."""
        parts: list[torch.Tensor] = []
        for w, b in zip(self.weights, self.biases, strict=True):
            lead = w.shape[:-2]
            parts += [w.reshape(*lead, -1), b.reshape(*lead, -1)]
        return torch.cat(parts, dim=-1)


def check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    """Validate layer widths ``(n0, n1, ..., nL)``; a network needs at least one layer."""
    result = tuple(int(n) for n in widths)
    if len(result) < 2 or any(n < 1 or n > 4096 for n in result):
        raise InputError(f"layer widths must be 2 or more integers in 1..4096, got {list(widths)}", "widths")
    return result


def parameter_count(widths: Sequence[int]) -> int:
    """Trainable parameters of a fully connected network: n_l·n_{l-1} weights plus n_l biases per layer."""
    w = check_widths(widths)
    return sum(w[i] * w[i - 1] + w[i] for i in range(1, len(w)))


def init_params(widths: Sequence[int], generator: torch.Generator, bias_value: float = 0.03) -> MlpParams:
    """Weights IID N(0, 1) drawn layer by layer from ``generator``; every bias the constant ``bias_value``.

    This is the initialisation Ryu's HW3 prescribes (unit Gaussian weights, biases 0.03), not PyTorch's
    default Kaiming-uniform one.
    """
    w = check_widths(widths)
    weights = tuple(torch.normal(0.0, 1.0, (w[i], w[i - 1]), generator=generator) for i in range(1, len(w)))
    biases = tuple(torch.full((w[i],), float(bias_value)) for i in range(1, len(w)))
    return MlpParams(weights, biases)


def stack_params(params: Sequence[MlpParams]) -> MlpParams:
    """Stack per-seed parameters along a new leading seed axis."""
    return MlpParams(
        tuple(torch.stack(ws) for ws in zip(*(p.weights for p in params), strict=True)),
        tuple(torch.stack(bs) for bs in zip(*(p.biases for p in params), strict=True)),
    )


def sigmoid_mlp(params: MlpParams, x: torch.Tensor) -> torch.Tensor:
    """Evaluate the network on rows of ``x`` (``(..., M, n0)``, seed axis leading when stacked).

    Sigmoid on every hidden layer, identity on the output layer.
    """
    h = x
    last = len(params.weights) - 1
    for i, (w, b) in enumerate(zip(params.weights, params.biases, strict=True)):
        h = h @ w.transpose(-1, -2) + b.unsqueeze(-2)
        if i < last:
            h = torch.sigmoid(h)
    return h
