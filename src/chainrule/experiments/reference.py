"""The plain PyTorch route: ``nn.Module`` + autograd + ``torch.optim.SGD`` + ``nn.MSELoss``.

It is what a student writes for HW3 and it is the independent route the fused fast path is tested
against (same seed, same batch order → same final parameters to float32 tolerance) and timed against
in ``benchmarks/train_speed.py``. Keep it plain: no fusion, no preallocation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
from torch import nn

from chainrule.experiments.hw3 import Hw3Config, Hw3Data
from chainrule.experiments.mlp import MlpParams


class SigmoidMlp(nn.Module):
    """Linear layers with sigmoid between them and nothing after the last one."""

    def __init__(self, widths: tuple[int, ...]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(widths[i - 1], widths[i]) for i in range(1, len(widths)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers[:-1]:
            x = torch.sigmoid(layer(x))
        return self.layers[-1](x)

    def load(self, params: MlpParams) -> SigmoidMlp:
        with torch.no_grad():
            for layer, w, b in zip(self.layers, params.weights, params.biases, strict=True):
                layer.weight.copy_(w)
                layer.bias.copy_(b)
        return self

    def params(self) -> MlpParams:
        return MlpParams(
            tuple(layer.weight.detach().clone() for layer in self.layers),
            tuple(layer.bias.detach().clone() for layer in self.layers),
        )


@dataclass(frozen=True)
class TrainResult:
    """Final parameters and, per epoch, the mean of the minibatch losses met during that epoch."""

    params: MlpParams
    epoch_losses: torch.Tensor


def stated_loss(config: Hw3Config) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """``nn.MSELoss()`` (the hint) or ½·MSE (the loss as the assignment writes it)."""
    mse = nn.MSELoss()
    if config.loss == "mse":
        return mse
    return lambda prediction, target: 0.5 * mse(prediction, target)


def train_reference(
    data: Hw3Data,
    init: MlpParams,
    orders: Iterable[torch.Tensor],
    config: Hw3Config,
    device: torch.device | str = "cpu",
) -> TrainResult:
    """Shuffled cyclic minibatch SGD exactly as the assignment's starter loop does it."""
    model = SigmoidMlp(config.widths).to(device).load(init.to(device))
    optimizer = torch.optim.SGD(model.parameters(), lr=config.step_size)
    loss_function = stated_loss(config)
    x, y = data.x.to(device), data.y.to(device)
    batch = config.batch_size
    losses: list[torch.Tensor] = []
    for order in orders:
        order = order.to(device)
        for start in range(0, config.n_data, batch):
            index = order[start : start + batch]
            optimizer.zero_grad()
            loss = loss_function(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
    epoch_losses = torch.stack(losses).reshape(-1, config.steps_per_epoch).mean(dim=1).cpu()
    return TrainResult(model.params().to("cpu"), epoch_losses)
