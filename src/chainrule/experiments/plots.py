"""Figures for the training experiments, drawn on bare ``Figure`` objects (no pyplot state, no display)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

TRUTH_COLOR, MODEL_COLOR, DATA_COLOR = "#222222", "#d62728", "#1f77b4"


def _band(ax: Axes, x: np.ndarray, runs: np.ndarray, color: str, label: str) -> None:
    """One run: a line. Several: the median as a line, the min–max range across runs as a light band and,
    from four runs on, the middle half (25–75%) as a darker one."""
    if runs.shape[0] == 1:
        ax.plot(x, runs[0], color=color, lw=2, label=label)
        return
    count = runs.shape[0]
    ax.fill_between(
        x, runs.min(axis=0), runs.max(axis=0), color=color, alpha=0.15, lw=0, label=f"min–max over {count} seeds"
    )
    if count >= 4:
        low, high = np.percentile(runs, [25, 75], axis=0)
        ax.fill_between(x, low, high, color=color, alpha=0.3, lw=0, label="middle half of the seeds (25–75%)")
    ax.plot(x, np.median(runs, axis=0), color=color, lw=2, label=f"{label} (median over seeds)")


def fit_figure(
    path: Path,
    grid: np.ndarray,
    truth: np.ndarray,
    data_x: np.ndarray,
    data_y: np.ndarray,
    model: np.ndarray,
    title: str,
    data_label: str = "training data",
    twin: tuple[np.ndarray, str] | None = None,
) -> None:
    """True function, the data, the trained model(s) ``model`` of shape ``(S, len(grid))``, and optionally a
    comparison curve ``twin`` (e.g. the same seed trained on exact labels)."""
    fig = Figure(figsize=(8, 5.8), layout="constrained")
    ax = fig.subplots()
    ax.scatter(data_x, data_y, s=9, color=DATA_COLOR, alpha=0.45, lw=0, label=data_label)
    ax.plot(grid, truth, color=TRUTH_COLOR, lw=1.5, ls="--", label="true function f⋆(x) = (x−2)·cos(4x)")
    _band(ax, grid, model, MODEL_COLOR, "trained MLP f_θ(x)")
    if twin is not None:
        ax.plot(grid, twin[0], color="#9467bd", lw=1.2, ls="-.", label=twin[1])
    spread = float(np.ptp(np.concatenate([truth, model.ravel()])))
    ax.set_ylim(
        float(min(truth.min(), model.min())) - 0.15 * spread, float(max(truth.max(), model.max())) + 0.15 * spread
    )
    ax.set_xlim(float(grid[0]), float(grid[-1]))
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)  # below the axes: the data stay visible
    fig.savefig(path, dpi=120)


def loss_figure(path: Path, epoch_losses: np.ndarray, ylabel: str, title: str) -> None:
    """Training loss per epoch on a log scale, ``epoch_losses`` of shape ``(S, K)``."""
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.subplots()
    epochs = np.arange(1, epoch_losses.shape[1] + 1)
    _band(ax, epochs, epoch_losses, MODEL_COLOR, "training loss")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper right", fontsize=9)
    fig.savefig(path, dpi=120)


def lines_figure(
    path: Path,
    x: np.ndarray,
    series: Sequence[tuple[str, np.ndarray, str, str]],
    xlabel: str,
    ylabel: str,
    title: str,
    scatter: tuple[np.ndarray, np.ndarray, str] | None = None,
) -> None:
    """Generic figure: optional scatter of data, then ``(label, y, color, linestyle)`` lines over ``x``."""
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    if scatter is not None:
        ax.scatter(scatter[0], scatter[1], s=8, color="#7f7f7f", alpha=0.45, lw=0, label=scatter[2])
    for label, y, color, style in series:
        ax.plot(x, y, color=color, ls=style, lw=2 if style == "-" else 1.5, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.savefig(path, dpi=120)
