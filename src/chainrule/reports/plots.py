"""Draw the plots a worked solution asks for (:class:`~chainrule.assignments.solution.PlotRequest`) as PNG files.

Matplotlib runs on the Agg canvas directly (no pyplot, no display, no global state). Activation plots are
drawn by ``chainrule.reports.activation_plot``; this module adds gradient-descent iterates, a trained fit
against its target, and a plain curve (a loss history).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from chainrule.assignments.solution import PlotRequest, Solution
from chainrule.errors import InputError

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.png")


def render_plots(solution: Solution, directory: str | Path) -> list[Path]:
    """Draw every plot of ``solution`` into ``directory`` (created if needed); return the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [render_plot(request, folder) for question in solution.questions for request in question.plots]


def render_plot(request: PlotRequest, directory: Path) -> Path:
    """Draw one plot into ``directory / request.filename``; the name must be a plain file name."""
    if not _SAFE_NAME.fullmatch(request.filename):
        raise InputError(f"plot file names are plain .png names, got {request.filename!r}", "plots")
    target = directory / request.filename
    drawer = {
        "activation_derivatives": _activation,
        "gd_iterates": _gd_iterates,
        "training_fit": _training_fit,
        "function_curve": _curve,
    }[request.kind]
    drawer(request.data, target)
    return target


def _figure(width: float = 7.0, height: float = 3.8) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained", dpi=110)
    FigureCanvasAgg(figure)
    return figure


def _save(figure: Any, target: Path) -> None:
    try:
        figure.savefig(target)
    except OSError as error:
        raise InputError(f"cannot write the plot: {error.strerror or error}", str(target)) from None


def _activation(data: dict[str, Any], target: Path) -> None:
    from chainrule.engine.activations import get_activation
    from chainrule.engine.exact import to_rational
    from chainrule.reports.activation_plot import plot_activation

    params = {key: to_rational(value, f"plot parameter {key}") for key, value in data.get("params", {}).items()}
    plot_activation(get_activation(data["name"], **params), target)


def _gd_iterates(data: dict[str, Any], target: Path) -> None:
    """Left: the iterates w_t of the runs that stay bounded. Right: |w_t − w*| of every run on a log scale,
    where geometric convergence and divergence are straight lines."""
    figure = _figure(9.0, 3.8)
    iterates, distances = figure.subplots(1, 2)
    optimum = data["optimum"]
    bounded = [run for run in data["runs"] if max(abs(w - optimum) for w in run["w"]) <= abs(run["w"][0] - optimum)]
    for run in data["runs"]:
        steps = list(range(len(run["w"])))
        line = distances.plot(
            steps, [abs(w - optimum) for w in run["w"]], marker="o", markersize=3.5, linewidth=1.3, label=run["label"]
        )[0]
        if run in bounded:
            iterates.plot(
                steps, run["w"], marker="o", markersize=3.5, linewidth=1.3, color=line.get_color(), label=run["label"]
            )
    iterates.axhline(optimum, color="0.35", linestyle="--", linewidth=1, label="optimum $w^*$")
    iterates.set_title("iterates (bounded runs)", fontsize=10)
    iterates.set_xlabel("step $t$")
    iterates.set_ylabel("$w_t$")
    distances.set_yscale("log")
    distances.set_title("distance to the optimum", fontsize=10)
    distances.set_xlabel("step $t$")
    distances.set_ylabel("$|w_t - w^*|$")
    for axes in (iterates, distances):
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
    _save(figure, target)


def _training_fit(data: dict[str, Any], target: Path) -> None:
    figure = _figure(7.0, 4.2)
    axes = figure.subplots()
    axes.scatter(data["x"], data["y"], s=5, color="0.65", label="training data", zorder=1)
    axes.plot(data["grid"], data["target"], "--", color="0.2", linewidth=1.3, label=r"$f_\star$", zorder=2)
    axes.plot(data["grid"], data["fitted"], color="tab:blue", linewidth=1.8, label=r"trained $f_\theta$", zorder=3)
    axes.set_xlabel("$x$")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=9)
    _save(figure, target)


def _curve(data: dict[str, Any], target: Path) -> None:
    figure = _figure(6.0, 3.2)
    axes = figure.subplots()
    axes.plot(data["x"], data["y"], color="tab:blue", linewidth=1.2)
    if data.get("log_y"):
        axes.set_yscale("log")
    axes.set_xlabel(data.get("xlabel", ""))
    axes.set_ylabel(data.get("ylabel", ""))
    axes.grid(alpha=0.3)
    _save(figure, target)
