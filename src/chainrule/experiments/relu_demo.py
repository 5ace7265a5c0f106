"""Ryu HW3 Problems 6–7 as experiments: a ReLU unit dead on all data stays dead under SGD; a leaky one moves.

The network is f_θ(x) = Σ_j u_j σ(a_j x + b_j). Unit 0 starts dead: b_0 is set so that a_0 X_i + b_0 < 0
for every data point. With ReLU, σ'(z) = 0 there, so every minibatch gradient with respect to a_0, b_0
(and u_0, since σ(z) = 0) is exactly zero and the unit's parameters never change. With leaky ReLU,
σ'(z) = α there, so ∂L/∂a_0 = α·u_0·mean(ℓ'·X_i) and ∂L/∂b_0 = α·u_0·mean(ℓ') are not zero and the
parameters move. Both runs use the same data, initialisation and batch order; only σ differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from chainrule.errors import InputError
from chainrule.experiments import hw3
from chainrule.experiments.devices import resolve_device
from chainrule.experiments.fused import ProgressCallback
from chainrule.experiments.plots import lines_figure

Kind = Literal["relu", "leaky_relu"]
DEAD_UNIT = 0
DEAD_MARGIN = 0.5  # a_0 X_i + b_0 ≤ −0.5 for every i at initialisation


@dataclass(frozen=True)
class DemoConfig:
    units: int = 64
    n_data: int = 256
    batch_size: int = 32
    epochs: int = 300
    step_size: float = 0.05
    leak: float = 0.01

    def __post_init__(self) -> None:
        if not 2 <= self.units <= 1024 or not 1 <= self.n_data <= 100_000 or not 1 <= self.epochs <= 100_000:
            raise InputError("units must be 2..1024, N 1..100000 and epochs 1..100000")
        if not 1 <= self.batch_size <= self.n_data or self.n_data % self.batch_size:
            raise InputError(f"batch size {self.batch_size} must divide N = {self.n_data}", "batch_size")


@dataclass(frozen=True)
class DemoData:
    x: torch.Tensor  # (N,)
    y: torch.Tensor  # (N,)
    a: torch.Tensor  # (p,) initial parameters; unit DEAD_UNIT is dead on x
    b: torch.Tensor
    u: torch.Tensor


@dataclass(frozen=True)
class Trajectory:
    """Per SGD step (index 0 = before training): the watched unit's a, b, u and its largest pre-activation."""

    a: torch.Tensor
    b: torch.Tensor
    u: torch.Tensor
    max_preactivation: torch.Tensor
    others_moved: float  # largest change of any other unit's parameter: proof that training happened
    final: tuple[torch.Tensor, torch.Tensor, torch.Tensor]
    losses: torch.Tensor  # per epoch, mean minibatch loss


def make_demo_data(seed: int, config: DemoConfig) -> DemoData:
    """HW3's f⋆ on N(0, 1) inputs; Gaussian a, b, small u; unit 0 pushed below zero on every input."""
    x = torch.normal(0.0, 1.0, (config.n_data,), generator=hw3.stream(seed, hw3.Stream.DATA))
    init = hw3.stream(seed, hw3.Stream.INIT)
    a = torch.normal(0.0, 1.0, (config.units,), generator=init)
    b = torch.normal(0.0, 1.0, (config.units,), generator=init)
    u = torch.normal(0.0, 1.0 / config.units**0.5, (config.units,), generator=init)
    a[DEAD_UNIT] = 1.0
    b[DEAD_UNIT] = -float(x.max()) - DEAD_MARGIN
    return DemoData(x, hw3.true_function(x), a, b, u)


def activation(kind: Kind, leak: float) -> Any:
    if kind == "relu":
        return torch.relu
    return lambda z: torch.nn.functional.leaky_relu(z, negative_slope=leak)


def train_two_layer(
    kind: Kind,
    data: DemoData,
    seed: int,
    config: DemoConfig,
    device: torch.device,
    progress: ProgressCallback | None = None,
) -> Trajectory:
    """Plain autograd + ``torch.optim.SGD`` on ½·mean squared error, shuffled minibatches."""
    sigma = activation(kind, config.leak)
    a, b, u = (t.clone().to(device).requires_grad_(True) for t in (data.a, data.b, data.u))
    x, y = data.x.to(device), data.y.to(device)
    optimizer = torch.optim.SGD([a, b, u], lr=config.step_size)
    order = hw3.stream(seed, hw3.Stream.ORDER)
    rows: list[torch.Tensor] = [torch.stack([a[DEAD_UNIT], b[DEAD_UNIT], u[DEAD_UNIT]]).detach().clone()]
    peaks: list[torch.Tensor] = [(a[DEAD_UNIT] * x + b[DEAD_UNIT]).max().detach()]
    losses: list[torch.Tensor] = []
    every = max(1, config.epochs // 50)
    for epoch in range(config.epochs):
        perm = torch.randperm(config.n_data, generator=order).to(device)
        for start in range(0, config.n_data, config.batch_size):
            index = perm[start : start + config.batch_size]
            xb, yb = x[index], y[index]
            prediction = sigma(xb[:, None] * a + b) @ u
            loss = 0.5 * torch.mean((prediction - yb) ** 2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
            with torch.no_grad():
                rows.append(torch.stack([a[DEAD_UNIT], b[DEAD_UNIT], u[DEAD_UNIT]]).clone())
                peaks.append((a[DEAD_UNIT] * x + b[DEAD_UNIT]).max())
        if progress is not None and ((epoch + 1) % every == 0 or epoch + 1 == config.epochs):
            progress(epoch + 1, config.epochs)
    track = torch.stack(rows).cpu()
    with torch.no_grad():
        others = [
            (p.detach().cpu() - p0)[torch.arange(config.units) != DEAD_UNIT].abs().max()
            for p, p0 in ((a, data.a), (b, data.b), (u, data.u))
        ]
    per_epoch = torch.stack(losses).cpu().reshape(config.epochs, -1).mean(dim=1)
    final = (a.detach().cpu(), b.detach().cpu(), u.detach().cpu())
    return Trajectory(
        track[:, 0], track[:, 1], track[:, 2], torch.stack(peaks).cpu(), float(max(others)), final, per_epoch
    )


def run_relu_demo(
    kind: Kind,
    out_dir: Path,
    seed: int = 0,
    device: str = "cpu",
    epochs: int | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Train once and write ``unit.png`` (the watched unit's parameters), ``fit.png`` and ``summary.json``."""
    config = DemoConfig() if epochs is None else DemoConfig(epochs=epochs)
    hw3.check_seed(seed)
    torch_device = resolve_device(device)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = make_demo_data(seed, config)
    track = train_two_layer(kind, data, seed, config, torch_device, progress)

    name = "ReLU" if kind == "relu" else f"leaky ReLU (α = {config.leak})"
    change = {
        key: float((values - values[0]).abs().max()) for key, values in (("a", track.a), ("b", track.b), ("u", track.u))
    }
    dead_now = bool(track.max_preactivation[-1] < 0)
    unchanged = all(v == 0.0 for v in change.values())
    steps = np.arange(track.a.shape[0])
    lines_figure(
        out_dir / "unit.png",
        steps,
        [
            ("a₀(t) − a₀(0)", (track.a - track.a[0]).numpy(), "#d62728", "-"),
            ("b₀(t) − b₀(0)", (track.b - track.b[0]).numpy(), "#1f77b4", "-"),
            ("u₀(t) − u₀(0)", (track.u - track.u[0]).numpy(), "#2ca02c", "--"),
        ],
        "SGD step",
        "change since initialisation",
        f"{name}: unit 0, dead on all data at start (max_i a₀X_i + b₀ = {float(track.max_preactivation[0]):.2f})",
    )
    grid = torch.linspace(float(data.x.min()), float(data.x.max()), 400)
    a, b, u = track.final
    fitted = activation(kind, config.leak)(grid[:, None] * a + b) @ u
    lines_figure(
        out_dir / "fit.png",
        grid.numpy(),
        [
            ("true function f⋆(x)", hw3.true_function(grid).numpy(), "#222222", "--"),
            (f"trained {config.units}-unit {name} network", fitted.detach().numpy(), "#d62728", "-"),
        ],
        "x",
        "y",
        f"{name} network after {config.epochs} epochs of SGD",
        scatter=(data.x.numpy(), data.y.numpy(), "data"),
    )
    summary: dict[str, Any] = {
        "target": "dead-relu" if kind == "relu" else "leaky-relu",
        "source": "Ryu MathDNN HW3 "
        + ("Problem 6 (vanishing gradients)" if kind == "relu" else "Problem 7 (leaky ReLU)"),
        "network": f"f(x) = Σ_j u_j σ(a_j x + b_j), p = {config.units} units, σ = {name}",
        "training": {
            "data": f"N = {config.n_data}, X_i IID N(0, 1), Y_i = (X_i − 2)·cos(4·X_i)",
            "loss": "½·mean squared error",
            "optimizer": "shuffled minibatch SGD",
            "epochs": config.epochs,
            "batch_size": config.batch_size,
            "step_size": config.step_size,
        },
        "seed": seed,
        "device": torch_device.type,
        "watched_unit": {
            "index": DEAD_UNIT,
            "initial": {"a": float(track.a[0]), "b": float(track.b[0]), "u": float(track.u[0])},
            "final": {"a": float(track.a[-1]), "b": float(track.b[-1]), "u": float(track.u[-1])},
            "max_abs_change": change,
            "max_preactivation_on_data": {
                "initial": float(track.max_preactivation[0]),
                "final": float(track.max_preactivation[-1]),
            },
            "parameters_never_changed": unchanged,
            "dead_at_end": dead_now,
        },
        "other_units_max_abs_change": track.others_moved,
        "final_epoch_loss": float(track.losses[-1]),
        "finding": _finding(kind, unchanged, change, dead_now),
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def _finding(kind: Kind, unchanged: bool, change: dict[str, float], dead_now: bool) -> str:
    if kind == "relu":
        if unchanged:
            return (
                "The dead ReLU unit's a₀, b₀ and u₀ are bit-for-bit unchanged after training: "
                "every gradient it received was exactly 0."
            )
        return f"Unexpected: the ReLU unit's parameters moved (max changes {change})."
    if unchanged:
        return "Unexpected: the leaky ReLU unit's parameters did not move."
    state = "still negative on all data" if dead_now else "now positive on some data (revived)"
    return (
        f"The leaky unit's parameters move (|Δa₀| up to {change['a']:.3g}, |Δb₀| up to {change['b']:.3g}): "
        f"its gradient is α times a non-zero quantity; its pre-activation is {state}."
    )
