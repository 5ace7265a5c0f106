"""``chainrule train TARGET``: run a training experiment, draw its plots, write summary.json.

Targets: ``ryu-mathdnn-hw3`` (``--problem 1|2``, one seed or a ``--seeds S`` ensemble), ``dead-relu``,
``leaky-relu`` and ``quantile-regression``. The library reports progress through a callback; this module
owns the progress bar and every printed line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainrule.errors import InputError

TARGETS = {
    "ryu-mathdnn-hw3": "Ryu MathDNN HW3 Problems 1–2: 1-64-64-1 sigmoid MLP fitting (x−2)·cos(4x) with SGD",
    "dead-relu": "Ryu HW3 Problem 6: a ReLU unit dead on all data never moves under SGD",
    "leaky-relu": "Ryu HW3 Problem 7: the same unit with leaky ReLU does move",
    "quantile-regression": "AMA564 A1 Q2: deep quantile regression, τ ∈ {0.1, 0.5, 0.9}, against known quantiles",
}
MAX_THREADS = 64


def train(
    target: Annotated[str, typer.Argument(help="ryu-mathdnn-hw3, dead-relu, leaky-relu or quantile-regression.")],
    problem: Annotated[
        int | None, typer.Option("--problem", help="HW3 problem: 1 (exact labels) or 2 (noisy).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Output folder (default chainrule-runs/...)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the run (first seed of an ensemble).")] = 0,
    seeds: Annotated[int, typer.Option("--seeds", help="HW3 only: train this many seeds in one batch.")] = 1,
    device: Annotated[str, typer.Option("--device", help="cpu or cuda.")] = "cpu",
    loss: Annotated[str, typer.Option("--loss", help="HW3 only: mse (nn.MSELoss, the hint) or half (½·MSE).")] = "mse",
    epochs: Annotated[int | None, typer.Option("--epochs", help="Override the number of epochs.")] = None,
    threads: Annotated[int, typer.Option("--threads", help="CPU threads for PyTorch.")] = 1,
    fmt: Annotated[
        Literal["text", "json"],
        typer.Option("--format", "-f", help="text, or json: print summary.json (the text goes to stderr)."),
    ] = "text",
    out_legacy: Annotated[Path | None, typer.Option("--out", hidden=True, help="Same as --output.")] = None,
) -> None:
    """Train an experiment; write its plots and summary.json and print what it found."""
    if out_legacy is not None:
        if out is not None and out != out_legacy:
            raise InputError("--out contradicts --output", "--out")
        out = out_legacy
    if target not in TARGETS:
        raise InputError(f"unknown target {target[:60]!r}; choose one of {', '.join(TARGETS)}", "TARGET")
    if target != "ryu-mathdnn-hw3":
        for given, name in ((problem is not None, "--problem"), (seeds != 1, "--seeds"), (loss != "mse", "--loss")):
            if given:
                raise InputError(f"{name} applies only to ryu-mathdnn-hw3", name)
    if problem is not None and problem not in (1, 2):
        raise InputError(f"HW3 has training problems 1 and 2, got {problem}", "--problem")
    if loss not in ("mse", "half"):
        raise InputError(f"loss must be 'mse' or 'half', got {loss[:40]!r}", "--loss")
    if epochs is not None and not 1 <= epochs <= 100_000:
        raise InputError(f"epochs must be in 1..100000, got {epochs}", "--epochs")
    if not 1 <= threads <= MAX_THREADS:
        raise InputError(f"threads must be in 1..{MAX_THREADS}, got {threads}", "--threads")

    import torch

    from chainrule.experiments.devices import resolve_device
    from chainrule.experiments.runs import check_seeds

    check_seeds(seed, seeds)  # every argument is checked before anything is printed or written
    resolve_device(device)
    _writable_folder(out)
    threads_before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        if fmt == "json":
            import contextlib
            import json
            import sys

            from chainrule.reports.jsonout import dumps

            with contextlib.redirect_stdout(sys.stderr):  # the person's lines; stdout carries the JSON only
                folder = _run(target, problem or 1, out, seed, seeds, device, loss, epochs)
            typer.echo(dumps(json.loads((folder / "summary.json").read_text(encoding="utf-8"))))
        else:
            _run(target, problem or 1, out, seed, seeds, device, loss, epochs)
    finally:
        torch.set_num_threads(threads_before)


def _writable_folder(out: Path | None) -> None:
    """Refuse an output folder that is a file, cannot be made or cannot be written, before training starts."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot make this folder ({error.strerror or error})", str(out)) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InputError("this folder is not writable", str(out))


def _run(
    target: str, problem: int, out: Path | None, seed: int, seeds: int, device: str, loss: str, epochs: int | None
) -> Path:
    """Train ``target``, print what it found, and return the folder its files went to."""
    folder = out or Path("chainrule-runs") / (f"{target}-p{problem}" if target == "ryu-mathdnn-hw3" else target)
    typer.echo(TARGETS[target])
    if target == "ryu-mathdnn-hw3":
        _train_hw3(problem, folder, seed, seeds, device, loss, epochs)
    elif target in ("dead-relu", "leaky-relu"):
        from chainrule.experiments.relu_demo import run_relu_demo

        kind = "relu" if target == "dead-relu" else "leaky_relu"
        with _progress("training") as report:
            summary = run_relu_demo(kind, folder, seed, device, epochs, report)
        unit = summary["watched_unit"]
        typer.echo(summary["finding"])
        typer.echo(
            f"unit 0: a {unit['initial']['a']:.6g} → {unit['final']['a']:.6g}, "
            f"b {unit['initial']['b']:.6g} → {unit['final']['b']:.6g}; other units moved up to "
            f"{summary['other_units_max_abs_change']:.3g}"
        )
        _wrote(folder, ["unit.png", "fit.png", "summary.json"])
    else:
        from chainrule.experiments.quantile import run_quantile_regression

        with _progress("training 3 quantile nets") as report:
            summary = run_quantile_regression(folder, seed, device, epochs, report)
        for row in summary["quantiles"]:
            typer.echo(
                f"τ = {row['tau']}: RMS error vs true quantile {row['rms_error_vs_true_quantile']:.3f}, "
                f"fresh samples below the fit {row['fraction_of_fresh_y_below_fit']:.3f} (target {row['tau']})"
            )
        _wrote(folder, ["quantiles.png", "loss.png", "summary.json"])
    return folder


def _train_hw3(problem: int, folder: Path, seed: int, seeds: int, device: str, loss: str, epochs: int | None) -> None:
    from chainrule.experiments.runs import LOSS_NOTE, run_hw3

    typer.echo(f"Problem {problem}: 1-64-64-1 sigmoid MLP, 4353 trainable parameters (p = 4353 > N = 512)")
    typer.echo(f"loss: {LOSS_NOTE[loss]}")
    label = "training" if seeds == 1 else f"training {seeds} seeds"
    with _progress(label) as report:
        summary = run_hw3(problem, folder, seed, seeds, device, loss, epochs, report)
    error = summary["error_vs_truth"]
    typer.echo(
        f"trainable parameters: {summary['network']['parameters']}; final training loss "
        f"{summary['final_training_loss']:.4g}; RMS error vs f⋆ on [{error['grid']['from']}, {error['grid']['to']}] "
        f"{error['rms']:.4g} (max {error['max_abs']:.3g})" + (" — means over seeds" if seeds > 1 else "")
    )
    if "finding" in summary:
        typer.echo(summary["finding"])
    typer.echo(f"{summary['seconds']:.2f} s on {summary['device']}")
    _wrote(folder, ["fit.png", "loss.png", "summary.json"])


def _wrote(folder: Path, names: list[str]) -> None:
    typer.echo("wrote " + ", ".join(str(folder / name) for name in names))


def _progress(label: str) -> Any:
    """The shared progress bar (stderr, a terminal only), driven by the (done, total) callback the library calls."""
    from chainrule.cli.progress import progress_bar

    return progress_bar(label)
