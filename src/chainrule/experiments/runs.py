"""One HW3 experiment end to end: data, fused training (one seed or an ensemble), evaluation, files.

The result dictionary is exactly what is written to ``summary.json``; the CLI only renders it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch

from chainrule.errors import InputError
from chainrule.experiments import hw3
from chainrule.experiments.devices import resolve_device
from chainrule.experiments.fused import ProgressCallback, train_fused
from chainrule.experiments.mlp import MlpParams, parameter_count, sigmoid_mlp, stack_params
from chainrule.experiments.plots import fit_figure, loss_figure

TRUTH_GRID = (-2.0, 2.0, 401)  # where X ~ N(0, 1) puts 95% of the data; beyond it the fit is extrapolation
MAX_SEEDS = 1000
LOSS_NOTE = {
    "mse": (
        "nn.MSELoss() (the assignment's hint) is the mean of (f_θ(X_i) − Y_i)² without the ½ of the stated loss "
        "L(θ) = (1/N)Σ ½(f_θ(X_i) − Y_i)²: its gradient and every SGD step are twice the stated loss's. "
        "Use --loss half to train L(θ) exactly as stated."
    ),
    "half": "the loss as stated, L(θ) = (1/N)Σ ½(f_θ(X_i) − Y_i)², i.e. ½·nn.MSELoss().",
}


def check_seeds(seed: int, seeds: int) -> list[int]:
    hw3.check_seed(seed)
    if not 1 <= seeds <= MAX_SEEDS:
        raise InputError(f"--seeds must be in 1..{MAX_SEEDS}, got {seeds}", "--seeds")
    if seed + seeds > hw3.MAX_SEED:
        raise InputError("seed + seeds is out of range", "--seed")
    return list(range(seed, seed + seeds))


def _noise_finding(train_mse: float, truth_rms: float, noise_var: float, clean_rms: float) -> str:
    """Say, from the numbers, whether the network fitted the noise, the function, or not yet either."""
    versus = f"(the same seed on exact labels, Problem 1: {clean_rms:.3g})"
    if train_mse > 2.0 * noise_var:
        return (
            f"After these epochs the network has not yet fitted the data: its training MSE {train_mse:.3g} is well "
            f"above the label-noise variance {noise_var:.3g} (what f⋆ itself scores), and its RMS error against "
            f"f⋆ is {truth_rms:.3g} {versus}; SGD is still on a plateau over part of the range."
        )
    if train_mse >= 0.5 * noise_var:
        return (
            f"The network does not interpolate the noisy labels: its training MSE {train_mse:.3g} stays near the "
            f"label-noise variance {noise_var:.3g}, and its RMS error against f⋆ is {truth_rms:.3g} {versus}: with "
            f"p = 4353 > N = 512 parameters it still recovers the function rather than the noise."
        )
    return (
        f"The network fits part of the noise: its training MSE {train_mse:.3g} is well below the label-noise "
        f"variance {noise_var:.3g}; its RMS error against f⋆ is {truth_rms:.3g} {versus}."
    )


@dataclass(frozen=True)
class _Scores:
    """Per seed: training loss and MSE on its own labels, RMS and max error against f⋆ on the grid."""

    loss: torch.Tensor
    mse: torch.Tensor
    rms: torch.Tensor
    max_abs: torch.Tensor
    curves: torch.Tensor  # (S, G) the trained functions on the grid


def _score(params: MlpParams, x: torch.Tensor, y: torch.Tensor, config: hw3.Hw3Config) -> _Scores:
    with torch.no_grad():
        mse = (sigmoid_mlp(params, x) - y).square().mean(dim=(1, 2))
        grid = _grid().reshape(1, -1, 1)
        curves = sigmoid_mlp(params, grid.expand(x.shape[0], -1, -1)).squeeze(-1)
        error = curves - hw3.true_function(grid).squeeze(-1)
        return _Scores(
            mse if config.loss == "mse" else 0.5 * mse,
            mse,
            error.square().mean(dim=1).sqrt(),
            error.abs().amax(dim=1),
            curves,
        )


def _grid() -> torch.Tensor:
    return torch.linspace(TRUTH_GRID[0], TRUTH_GRID[1], TRUTH_GRID[2])


def run_hw3(
    problem: int,
    out_dir: Path,
    seed: int = 0,
    seeds: int = 1,
    device: str = "cpu",
    loss: str = "mse",
    epochs: int | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Train HW3 Problem 1 or 2 and write ``fit.png``, ``loss.png`` and ``summary.json`` into ``out_dir``.

    Problem 2 also trains each seed's Problem 1 twin (same inputs, initialisation and batch order, exact
    labels) in the same batched program, so "how are the results affected" is answered seed for seed.
    """
    overrides: dict[str, Any] = {"loss": loss}
    if epochs is not None:
        overrides["epochs"] = epochs
    config = hw3.problem_config(problem, **overrides)
    seed_list = check_seeds(seed, seeds)
    torch_device = resolve_device(device)
    out_dir.mkdir(parents=True, exist_ok=True)

    members = list(seed_list)
    data = [hw3.make_data(s, config) for s in seed_list]
    if config.noise_std:
        clean = replace(config, noise_std=0.0)
        data += [hw3.make_data(s, clean) for s in seed_list]
        members += seed_list
    x, y = torch.stack([d.x for d in data]), torch.stack([d.y for d in data])
    init = stack_params([hw3.initial_params(s, config) for s in members])
    started = time.perf_counter()
    result = train_fused(x, y, init, hw3.ensemble_orders(members, config), config, torch_device, progress)
    if torch_device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started

    count = len(seed_list)
    scores = _score(result.params, x, y, config)
    mine = _Scores(*(getattr(scores, f)[:count] for f in ("loss", "mse", "rms", "max_abs", "curves")))
    summary = _summary(problem, config, seed_list, torch_device, seconds, mine)
    twin = None
    if config.noise_std:
        twin = _Scores(*(getattr(scores, f)[count:] for f in ("loss", "mse", "rms", "max_abs", "curves")))
        noise_var = config.noise_std**2
        summary["label_noise_variance"] = noise_var
        summary["final_training_mse"] = _mean(mine.mse)
        summary["problem_1_twin"] = {
            "what": "each seed retrained on exact labels with the same inputs, initialisation and batch order",
            "final_training_loss": _mean(twin.loss),
            "error_vs_truth_rms": _mean(twin.rms),
            "error_vs_truth_max_abs": _mean(twin.max_abs),
        }
        summary["finding"] = _noise_finding(_mean(mine.mse), _mean(mine.rms), noise_var, _mean(twin.rms))
        summary["seconds_note"] = "seconds covers the Problem 2 seeds and their Problem 1 twins trained together"

    label = f"seed {seed_list[0]}" if count == 1 else f"seeds {seed_list[0]}–{seed_list[-1]}"
    fit_figure(
        out_dir / "fit.png",
        _grid().numpy(),
        hw3.true_function(_grid()).numpy(),
        data[0].x.flatten().numpy(),
        data[0].y.flatten().numpy(),
        mine.curves.numpy(),
        f"Ryu HW3 Problem {problem}: 1-64-64-1 sigmoid MLP, K = {config.epochs} epochs ({label})",
        data_label=("training data" if count == 1 else f"training data of seed {seed_list[0]}")
        + (" (labels + N(0, 0.5²) noise)" if config.noise_std else ""),
        twin=None
        if twin is None
        else (
            twin.curves.median(dim=0).values.numpy(),
            "same seed on exact labels (Problem 1)" if count == 1 else "same seeds on exact labels (P1, median)",
        ),
    )
    loss_name = "nn.MSELoss (no ½)" if config.loss == "mse" else "stated loss (with ½)"
    loss_figure(
        out_dir / "loss.png",
        result.epoch_losses[:count].numpy(),
        f"mean minibatch {loss_name}",
        f"Ryu HW3 Problem {problem}: training loss per epoch ({label})",
    )
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def _mean(t: torch.Tensor) -> float:
    return float(t.double().mean())


def _summary(
    problem: int,
    config: hw3.Hw3Config,
    seeds: Sequence[int],
    device: torch.device,
    seconds: float,
    scores: _Scores,
) -> dict[str, Any]:
    mean = _mean
    summary: dict[str, Any] = {
        "target": "ryu-mathdnn-hw3",
        "problem": problem,
        "network": {
            "widths": list(config.widths),
            "activation": "sigmoid",
            "parameters": parameter_count(config.widths),
        },
        "training": {
            "data": f"N = {config.n_data} inputs X_i IID N(0, 1), labels Y_i = (X_i − 2)·cos(4·X_i)"
            + (f" + N(0, {config.noise_std}²) noise" if config.noise_std else ""),
            "initialisation": f"weights IID N(0, 1), biases {config.bias_init}",
            "optimizer": "shuffled cyclic minibatch SGD (a new permutation every epoch)",
            "epochs": config.epochs,
            "batch_size": config.batch_size,
            "step_size": config.step_size,
            "loss": config.loss,
            "loss_note": LOSS_NOTE[config.loss],
        },
        "seed": seeds[0],
        "seeds": list(seeds),
        "device": device.type,
        "seconds": round(seconds, 4),
        "final_training_loss": mean(scores.loss),
        "error_vs_truth": {
            "grid": {"from": TRUTH_GRID[0], "to": TRUTH_GRID[1], "points": TRUTH_GRID[2]},
            "rms": mean(scores.rms),
            "max_abs": mean(scores.max_abs),
        },
    }
    if len(seeds) > 1:
        summary["aggregate"] = "final_training_loss and error_vs_truth are means over seeds; per_seed has each"
        summary["per_seed"] = [
            {
                "seed": s,
                "final_training_loss": float(lo),
                "error_vs_truth_rms": float(r),
                "error_vs_truth_max_abs": float(m),
            }
            for s, lo, r, m in zip(seeds, scores.loss, scores.rms, scores.max_abs, strict=True)
        ]
    return summary
