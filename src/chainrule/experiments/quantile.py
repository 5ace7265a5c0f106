"""Deep quantile regression (AMA564 A1 Q2) on a toy distribution whose conditional quantiles are known.

Q2 asks to prove that the minimiser of E ρ_τ(Y − f(X)), ρ_τ(a) = (τ − 1{a < 0})·a, is the conditional
τ-quantile of Y given X. Here the claim is tested empirically: Y | X = x ~ N(m(x), s(x)²) with
m(x) = sin(2x) + x/2 and s(x) = 0.2 + 0.3|x|, so q_τ(x) = m(x) + s(x)·Φ⁻¹(τ) exactly. One ReLU MLP per τ
is trained on the empirical check loss; the fitted curves are compared with q_τ on a grid, and the
fraction of fresh samples below each fitted curve is compared with τ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import torch
from torch import nn

from chainrule.errors import InputError
from chainrule.experiments import hw3
from chainrule.experiments.devices import resolve_device
from chainrule.experiments.fused import ProgressCallback
from chainrule.experiments.plots import lines_figure

TAUS = (0.1, 0.5, 0.9)
SUPPORT = (-2.0, 2.0)
COLORS = {0.1: "#1f77b4", 0.5: "#d62728", 0.9: "#2ca02c"}


@dataclass(frozen=True)
class QuantileConfig:
    n_data: int = 2000
    width: int = 64
    batch_size: int = 200
    epochs: int = 150
    step_size: float = 3e-3
    fresh_samples: int = 20000

    def __post_init__(self) -> None:
        if not 1 <= self.n_data <= 1_000_000 or not 1 <= self.epochs <= 100_000 or not 1 <= self.width <= 4096:
            raise InputError("N must be 1..1000000, epochs 1..100000, width 1..4096")
        if not 1 <= self.batch_size <= self.n_data or self.n_data % self.batch_size:
            raise InputError(f"batch size {self.batch_size} must divide N = {self.n_data}", "batch_size")


def conditional_mean(x: torch.Tensor) -> torch.Tensor:
    return torch.sin(2.0 * x) + 0.5 * x


def conditional_scale(x: torch.Tensor) -> torch.Tensor:
    return 0.2 + 0.3 * x.abs()


def true_quantile(x: torch.Tensor, tau: float) -> torch.Tensor:
    """q_τ(x) = m(x) + s(x)·Φ⁻¹(τ): the Gaussian's τ-quantile shifted and scaled."""
    return conditional_mean(x) + conditional_scale(x) * NormalDist().inv_cdf(tau)


def sample(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """X ~ Uniform(−2, 2), Y | X ~ N(m(X), s(X)²); both as (n,) float32."""
    x = torch.rand(n, generator=generator) * (SUPPORT[1] - SUPPORT[0]) + SUPPORT[0]
    noise = torch.normal(0.0, 1.0, (n,), generator=generator)
    return x, conditional_mean(x) + conditional_scale(x) * noise


def check_loss(residual: torch.Tensor, tau: float) -> torch.Tensor:
    """Mean of ρ_τ(r) = (τ − 1{r < 0})·r over residuals r = y − f(x)."""
    return torch.mean((tau - (residual < 0).to(residual.dtype)) * residual)


def quantile_net(width: int) -> nn.Module:
    return nn.Sequential(nn.Linear(1, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))


def fit_quantile(
    x: torch.Tensor,
    y: torch.Tensor,
    tau: float,
    config: QuantileConfig,
    seed: int,
    device: torch.device,
    progress: ProgressCallback | None = None,
) -> tuple[nn.Module, torch.Tensor]:
    """Adam on the empirical check loss with shuffled minibatches; returns the net and per-epoch losses."""
    torch.manual_seed(seed)  # nn.Linear's default initialisation draws from the global generator
    net = quantile_net(config.width).to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=config.step_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    order = hw3.stream(seed, hw3.Stream.ORDER)
    xs, ys = x.to(device)[:, None], y.to(device)
    losses = []
    for epoch in range(config.epochs):
        perm = torch.randperm(config.n_data, generator=order).to(device)
        total = torch.zeros((), device=device)
        for start in range(0, config.n_data, config.batch_size):
            index = perm[start : start + config.batch_size]
            loss = check_loss(ys[index] - net(xs[index]).squeeze(-1), tau)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.detach()
        schedule.step()
        losses.append(total / (config.n_data // config.batch_size))
        if progress is not None:
            progress(epoch + 1, config.epochs)
    return net, torch.stack(losses).cpu()


def run_quantile_regression(
    out_dir: Path,
    seed: int = 0,
    device: str = "cpu",
    epochs: int | None = None,
    progress: ProgressCallback | None = None,
    config: QuantileConfig | None = None,
) -> dict[str, Any]:
    """Fit τ ∈ {0.1, 0.5, 0.9}; write ``quantiles.png``, ``loss.png`` and ``summary.json``."""
    config = config or QuantileConfig()
    if epochs is not None:
        config = QuantileConfig(**{**config.__dict__, "epochs": epochs})
    hw3.check_seed(seed)
    torch_device = resolve_device(device)
    out_dir.mkdir(parents=True, exist_ok=True)
    x, y = sample(config.n_data, hw3.stream(seed, hw3.Stream.DATA))
    fresh_x, fresh_y = sample(config.fresh_samples, hw3.stream(seed, hw3.Stream.NOISE))
    grid = torch.linspace(*SUPPORT, 401)
    total_epochs = config.epochs * len(TAUS)
    results: dict[float, dict[str, Any]] = {}
    curves, losses = {}, {}
    for i, tau in enumerate(TAUS):
        report = (
            None if progress is None else (lambda done, _total, i=i: progress(i * config.epochs + done, total_epochs))
        )
        net, losses[tau] = fit_quantile(x, y, tau, config, seed * 3 + i, torch_device, report)
        with torch.no_grad():

            def predict(points: torch.Tensor, net: nn.Module = net) -> torch.Tensor:
                return net(points.to(torch_device)[:, None]).squeeze(-1).cpu()

            curves[tau] = predict(grid)
            error = curves[tau] - true_quantile(grid, tau)
            results[tau] = {
                "tau": tau,
                "rms_error_vs_true_quantile": float(error.square().mean().sqrt()),
                "max_abs_error_vs_true_quantile": float(error.abs().max()),
                "fraction_of_training_y_below_fit": float((y <= predict(x)).float().mean()),
                "fraction_of_fresh_y_below_fit": float((fresh_y <= predict(fresh_x)).float().mean()),
                "final_check_loss": float(losses[tau][-1]),
            }
    series = []
    for tau in TAUS:
        series.append((f"true q_{tau}(x)", true_quantile(grid, tau).numpy(), COLORS[tau], "--"))
        series.append((f"fitted τ = {tau}", curves[tau].numpy(), COLORS[tau], "-"))
    lines_figure(
        out_dir / "quantiles.png",
        grid.numpy(),
        series,
        "x",
        "y",
        "Deep quantile regression: Y | X=x ~ N(sin 2x + x/2, (0.2 + 0.3|x|)²)",
        scatter=(x.numpy(), y.numpy(), f"data (N = {config.n_data})"),
    )
    epochs_axis = np.arange(1, config.epochs + 1)
    lines_figure(
        out_dir / "loss.png",
        epochs_axis,
        [(f"τ = {tau}", losses[tau].numpy(), COLORS[tau], "-") for tau in TAUS],
        "epoch",
        "mean minibatch check loss ρ_τ",
        "Deep quantile regression: training check loss",
    )
    summary: dict[str, Any] = {
        "target": "quantile-regression",
        "source": "AMA564 Assignment 1, Q2: the check-loss minimiser is the conditional τ-quantile",
        "distribution": "X ~ Uniform(−2, 2); Y | X = x ~ N(sin(2x) + x/2, (0.2 + 0.3|x|)²); "
        "q_τ(x) = sin(2x) + x/2 + (0.2 + 0.3|x|)·Φ⁻¹(τ)",
        "network": f"1-{config.width}-{config.width}-1 ReLU MLP, one per τ",
        "training": {
            "loss": "mean check loss ρ_τ(y − f(x)), ρ_τ(a) = (τ − 1{a < 0})·a",
            "optimizer": "Adam with cosine-annealed step size, shuffled minibatches",
            "n_data": config.n_data,
            "epochs": config.epochs,
            "batch_size": config.batch_size,
            "step_size": config.step_size,
        },
        "seed": seed,
        "device": torch_device.type,
        "grid": {"from": SUPPORT[0], "to": SUPPORT[1], "points": 401},
        "quantiles": [results[tau] for tau in TAUS],
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary
