"""Ryu, Mathematical Foundations of DNNs, HW3 Problems 1–2: fit f⋆(x) = (x − 2)·cos(4x) with a sigmoid MLP.

Everything random about one run comes from its seed through three independent streams (data, initial
weights, batch order) plus a fourth for label noise, so that Problem 1 and Problem 2 with the same seed
share inputs, initialisation and batch order and differ only in the noise, and so that a seed trained
inside an ensemble sees exactly what it sees when trained alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Literal

import torch

from chainrule.errors import InputError
from chainrule.experiments.mlp import MlpParams, check_widths, init_params

LossKind = Literal["mse", "half"]
MAX_SEED = 2**60


class Stream(IntEnum):
    """Which random stream of a seed a draw comes from."""

    DATA = 0
    INIT = 1
    ORDER = 2
    NOISE = 3


@dataclass(frozen=True)
class Hw3Config:
    """The training set-up of HW3; the defaults are the assignment's numbers.

    ``loss="mse"`` is ``nn.MSELoss()`` as the hint says: the mean of squared errors *without* the ½ of the
    stated loss L(θ) = (1/N)Σ ½(f_θ(X_i) − Y_i)², so its gradient, and hence every SGD step, is twice the
    stated one. ``loss="half"`` trains the loss exactly as stated.
    """

    widths: tuple[int, ...] = (1, 64, 64, 1)
    n_data: int = 512
    batch_size: int = 128
    epochs: int = 1000
    step_size: float = 0.1
    bias_init: float = 0.03
    noise_std: float = 0.0
    loss: LossKind = "mse"

    def __post_init__(self) -> None:
        widths = check_widths(self.widths)
        if len(widths) != 4 or widths[0] != 1 or widths[-1] != 1:
            raise InputError(f"HW3 uses a 3-layer MLP 1-n1-n2-1, got widths {list(widths)}", "widths")
        if not 1 <= self.n_data <= 1_000_000:
            raise InputError(f"N must be in 1..1000000, got {self.n_data}", "n_data")
        if not 1 <= self.batch_size <= self.n_data or self.n_data % self.batch_size:
            raise InputError(f"batch size {self.batch_size} must divide N = {self.n_data}", "batch_size")
        if not 1 <= self.epochs <= 100_000:
            raise InputError(f"epochs must be in 1..100000, got {self.epochs}", "epochs")
        if not 0.0 < self.step_size < 100.0:
            raise InputError(f"step size must be in (0, 100), got {self.step_size}", "step_size")
        if not 0.0 <= self.noise_std < 100.0:
            raise InputError(f"noise std must be in [0, 100), got {self.noise_std}", "noise_std")
        if self.loss not in ("mse", "half"):
            raise InputError(f"loss must be 'mse' or 'half', got {self.loss!r}", "loss")

    @property
    def steps_per_epoch(self) -> int:
        return self.n_data // self.batch_size

    @property
    def gradient_scale(self) -> float:
        """d(loss)/d(residual) per residual entry: 2/(B·n_out) for MSELoss, 1/(B·n_out) for the stated loss."""
        factor = 2.0 if self.loss == "mse" else 1.0
        return factor / (self.batch_size * self.widths[-1])


def problem_config(problem: int, **overrides: object) -> Hw3Config:
    """The configuration of HW3 Problem 1 (exact labels) or Problem 2 (labels + N(0, 0.5²) noise)."""
    if problem not in (1, 2):
        raise InputError(f"HW3 has training problems 1 and 2, got {problem}", "--problem")
    config = Hw3Config(noise_std=0.5 if problem == 2 else 0.0)
    return replace(config, **overrides) if overrides else config  # type: ignore[arg-type]


def true_function(x: torch.Tensor) -> torch.Tensor:
    """f⋆(x) = (x − 2)·cos(4x), the function HW3 asks the network to fit."""
    return (x - 2.0) * torch.cos(4.0 * x)


def check_seed(seed: int) -> int:
    if not 0 <= seed < MAX_SEED:
        raise InputError(f"seed must be an integer in 0..2^60-1, got {seed}", "--seed")
    return seed


def stream(seed: int, which: Stream) -> torch.Generator:
    """A CPU generator for one stream of one seed (CPU so that cpu and cuda runs draw the same numbers)."""
    return torch.Generator().manual_seed(check_seed(seed) * 4 + int(which))


@dataclass(frozen=True)
class Hw3Data:
    """Inputs ``x`` and labels ``y`` as ``(N, 1)`` float32 columns."""

    x: torch.Tensor
    y: torch.Tensor


def make_data(seed: int, config: Hw3Config) -> Hw3Data:
    """X_i IID N(0, 1), Y_i = f⋆(X_i) (+ N(0, σ²) noise in Problem 2)."""
    x = torch.normal(0.0, 1.0, (config.n_data, 1), generator=stream(seed, Stream.DATA))
    y = true_function(x)
    if config.noise_std > 0:
        y = y + torch.normal(0.0, config.noise_std, (config.n_data, 1), generator=stream(seed, Stream.NOISE))
    return Hw3Data(x, y)


def initial_params(seed: int, config: Hw3Config) -> MlpParams:
    return init_params(config.widths, stream(seed, Stream.INIT), config.bias_init)


def epoch_orders(seed: int, config: Hw3Config) -> Iterator[torch.Tensor]:
    """A fresh random permutation of 0..N−1 for every epoch: shuffled cyclic minibatch SGD."""
    generator = stream(seed, Stream.ORDER)
    for _ in range(config.epochs):
        yield torch.randperm(config.n_data, generator=generator)


def ensemble_orders(seeds: Sequence[int], config: Hw3Config) -> Iterator[torch.Tensor]:
    """Per epoch, the permutations of every seed stacked as ``(S, N)``; seed s's row is its solo order."""
    streams = [epoch_orders(seed, config) for seed in seeds]
    for _ in range(config.epochs):
        yield torch.stack([next(s) for s in streams])
