"""A picture of an activation and its derivative (what NYU DL HW1 1.4c asks students to draw).

The curves come from the activation's NumPy implementation and its vector-Jacobian product, the same
code the tests compare with PyTorch autograd. At a kink the derivative is drawn as two separate pieces
with a dot at the value PyTorch uses there. Matplotlib runs on the Agg canvas directly (no pyplot), so
plotting never touches a display or global figure state.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from chainrule.engine.activations import Activation, ElementwiseActivation
from chainrule.errors import InputError

SUFFIXES = (".png", ".svg", ".pdf")


def activation_curves(
    act: Activation, low: float = -5.0, high: float = 5.0, points: int = 801
) -> dict[str, np.ndarray]:
    """Sample x, f(x) and f'(x); for softmax, the first coordinate of softmax([x, 0]) and ∂s₁/∂x₁."""
    x = np.linspace(low, high, points)
    if isinstance(act, ElementwiseActivation):
        return {"x": x, "value": act.numpy(x), "derivative": act.numpy_vjp(x, np.ones_like(x))}
    pairs = np.stack([x, np.zeros_like(x)], axis=-1)
    first = np.zeros_like(pairs)
    first[:, 0] = 1.0
    return {"x": x, "value": act.numpy(pairs)[:, 0], "derivative": act.numpy_vjp(pairs, first)[:, 0]}


def plot_activation(act: Activation, path: str | Path, *, low: float = -5.0, high: float = 5.0) -> Path:
    """Draw ``act`` and its derivative side by side into ``path`` (.png, .svg or .pdf); return the path."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise InputError(f"plot file must end in one of {', '.join(SUFFIXES)}", str(path))
    if not low < high:
        raise InputError(f"empty plot range [{low}, {high}]", "range")
    curves = activation_curves(act, low, high)
    kinks = [float(k) for k in getattr(act, "kinks", ()) if k.is_number and low < float(k) < high]
    figure = Figure(figsize=(9, 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    value_axes, derivative_axes = figure.subplots(1, 2)
    label = "softmax([x, 0])₁" if act.name == "softmax" else "f(x)"
    value_axes.plot(curves["x"], curves["value"], color="tab:blue")
    value_axes.set_title(f"{act.title}: {label}")
    derivative = curves["derivative"].copy()
    for kink in kinks:  # break the line at a jump instead of drawing a vertical segment
        nearest = int(np.argmin(np.abs(curves["x"] - kink)))
        derivative[nearest] = np.nan
    derivative_axes.plot(curves["x"], derivative, color="tab:orange")
    for kink in kinks:
        at_kink = act.numpy_vjp(np.array([kink]), np.ones(1))[0]
        derivative_axes.plot([kink], [at_kink], "o", color="tab:orange")
        derivative_axes.annotate(
            f"PyTorch uses {at_kink:g} at x = {kink:g}", (kink, at_kink), textcoords="offset points", xytext=(6, -14)
        )
    derivative_axes.set_title("∂s₁/∂x₁" if act.name == "softmax" else "f′(x)")
    for axes in (value_axes, derivative_axes):
        axes.axhline(0, color="0.8", linewidth=0.8)
        axes.axvline(0, color="0.8", linewidth=0.8)
        axes.set_xlabel("x")
        axes.grid(alpha=0.3)
    try:
        figure.savefig(target)
    except OSError as error:
        raise InputError(f"cannot write the plot: {error.strerror or error}", str(path)) from None
    return target
