"""Ryu HW3 P6 and P7: a dead ReLU unit stays dead under SGD; a leaky one receives gradient and moves.

The network is f(x) = Σⱼ uⱼ σ(aⱼx + bⱼ) with the loss ½(f − y)², trained by SGD on one sample per step. For unit
j the gradients are r·σ(zⱼ), r·uⱼσ′(zⱼ)x and r·uⱼσ′(zⱼ) (r = f − y, zⱼ = aⱼx + bⱼ). If zⱼ < 0 on every
sample, ReLU gives σ(zⱼ) = σ′(zⱼ) = 0, so all three are exactly 0 and the unit's parameters never change —
checked bit for bit. Leaky ReLU has σ′ = α on the negative side, so the same unit's (aⱼ, bⱼ) gradient is
r·uⱼ·α·(x, 1), non-zero whenever r ≠ 0 and uⱼ ≠ 0, and its parameters move. Both runs start from the same
initialisation and see the same sample order, so the two claims are each other's counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["SGDTrace", "dead_relu_demonstration", "leaky_relu_demonstration", "train_two_layer"]


@dataclass(frozen=True)
class SGDTrace:
    """One SGD run: the watched unit's parameters and gradients at every step, plus the loss curve."""

    activation: str
    unit: int
    initial: dict[str, np.ndarray] = field(repr=False)
    final: dict[str, np.ndarray] = field(repr=False)
    unit_params: np.ndarray = field(repr=False)  # (steps + 1, 3): a_j, b_j, u_j
    unit_grads: np.ndarray = field(repr=False)  # (steps, 3)
    max_preactivation: np.ndarray = field(repr=False)  # (steps + 1,): max_i a_j X_i + b_j
    losses: np.ndarray = field(repr=False)  # (steps + 1,): full-data loss
    data: tuple[np.ndarray, np.ndarray] = field(repr=False)


def _activation(name: str, slope: float) -> tuple:
    if name == "relu":
        return (lambda z: np.maximum(z, 0.0)), (lambda z: (z > 0).astype(float))
    if name == "leaky":
        return (lambda z: np.where(z >= 0, z, slope * z)), (lambda z: np.where(z >= 0, 1.0, slope))
    raise InputError(f"unknown activation {name!r}; use relu or leaky", "activation")


def initial_parameters(p: int, x: np.ndarray, rng: np.random.Generator, unit: int) -> dict[str, np.ndarray]:
    """Random a, b, u with unit ``unit`` made dead on every sample: a_j·X_i + b_j ≤ −½ for all i."""
    params = {"a": rng.standard_normal(p), "b": rng.standard_normal(p), "u": rng.standard_normal(p)}
    params["b"][unit] = -np.max(params["a"][unit] * x) - 0.5
    return params


def train_two_layer(
    activation: str = "relu", slope: float = 0.01, p: int = 6, n: int = 20, steps: int = 300, lr: float = 0.05,
    seed: int = 0, unit: int = 0,
) -> SGDTrace:
    """SGD on ½(f(Xᵢ) − Yᵢ)² with Yᵢ = sin(2Xᵢ); unit ``unit`` starts dead (the same start for every activation)."""
    if not (1 <= p <= 1000 and 1 <= n <= 100_000 and 0 <= steps <= 100_000 and 0 <= unit < p and lr > 0):
        raise InputError("p, n, steps, lr or unit out of range", "train_two_layer")
    sigma, dsigma = _activation(activation, slope)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = np.sin(2 * x)
    params = initial_parameters(p, x, rng, unit)
    initial = {k: v.copy() for k, v in params.items()}
    order = rng.integers(0, n, size=steps)

    def loss() -> float:
        z = np.outer(x, params["a"]) + params["b"]
        return float(np.mean(0.5 * (sigma(z) @ params["u"] - y) ** 2))

    def watch() -> tuple[np.ndarray, float]:
        return (np.array([params["a"][unit], params["b"][unit], params["u"][unit]]),
                float(np.max(params["a"][unit] * x + params["b"][unit])))

    history, pre, grads, losses = [watch()[0]], [watch()[1]], [], [loss()]
    for i in order:
        z = params["a"] * x[i] + params["b"]
        r = float(sigma(z) @ params["u"] - y[i])
        g = {"u": r * sigma(z), "a": r * params["u"] * dsigma(z) * x[i], "b": r * params["u"] * dsigma(z)}
        grads.append(np.array([g["a"][unit], g["b"][unit], g["u"][unit]]))
        for key in params:
            params[key] = params[key] - lr * g[key]
        watched, highest = watch()
        history.append(watched)
        pre.append(highest)
        losses.append(loss())
    return SGDTrace(activation, unit, initial, {k: v.copy() for k, v in params.items()}, np.array(history),
                    np.array(grads).reshape(-1, 3), np.array(pre), np.array(losses), (x, y))


def _summary(trace: SGDTrace) -> dict[str, float | int | bool]:
    others = [k for k in range(len(trace.initial["a"])) if k != trace.unit]
    moved_others = float(max(np.abs(trace.final[k][others] - trace.initial[k][others]).max() for k in ("a", "b", "u")))
    return {
        "unit unchanged bit for bit": bool(np.array_equal(trace.unit_params[0], trace.unit_params[-1])
                                          and (trace.unit_params == trace.unit_params[0]).all()),
        "largest |gradient| of the unit": float(np.abs(trace.unit_grads).max()) if len(trace.unit_grads) else 0.0,
        "steps with a non-zero (a, b) gradient": int(np.count_nonzero(np.abs(trace.unit_grads[:, :2]).sum(axis=1))),
        "steps": len(trace.unit_grads),
        "largest pre-activation on the data, ever": float(trace.max_preactivation.max()),
        "largest change of the other units": moved_others,
        "loss before": float(trace.losses[0]),
        "loss after": float(trace.losses[-1]),
    }


def _evidence(summary: dict) -> tuple[Evidence, ...]:
    return tuple(Evidence(label, value) for label, value in summary.items())


def dead_relu_demonstration(steps: int = 300, seed: int = 0) -> Demonstration:
    """P6: the dead ReLU unit keeps its parameters exactly, while the rest of the network trains."""
    relu_trace, leaky_trace = (train_two_layer(name, steps=steps, seed=seed) for name in ("relu", "leaky"))
    relu, leaky = _summary(relu_trace), _summary(leaky_trace)
    passed = bool(relu["unit unchanged bit for bit"] and relu["largest |gradient| of the unit"] == 0.0
                  and relu["largest pre-activation on the data, ever"] < 0
                  and relu["largest change of the other units"] > 0)
    counterexample = Counterexample("a unit that starts dead stays frozen with leaky ReLU as well",
                                    bool(not leaky["unit unchanged bit for bit"]), _evidence(leaky))
    plot = {
        "step": [float(t) for t in range(steps + 1)],
        "relu_max_preactivation": relu_trace.max_preactivation.tolist(),
        "leaky_max_preactivation": leaky_trace.max_preactivation.tolist(),
        "relu_loss": relu_trace.losses.tolist(),
        "leaky_loss": leaky_trace.losses.tolist(),
    }
    return Demonstration("ryu-hw3/6", "a ReLU unit dead on every sample at initialisation stays dead under SGD",
                         passed, _evidence(relu), (counterexample,), plot)


def leaky_relu_demonstration(steps: int = 300, seed: int = 0, slope: float = 0.01) -> Demonstration:
    """P7: with leaky ReLU the same unit's gradient is non-zero (whenever r ≠ 0 and uⱼ ≠ 0) and it moves."""
    leaky_trace = train_two_layer("leaky", slope=slope, steps=steps, seed=seed)
    leaky = _summary(leaky_trace)
    relu = _summary(train_two_layer("relu", steps=steps, seed=seed))
    first = leaky_trace.unit_grads[0] if steps else np.zeros(3)
    expected_ratio = leaky_trace.data[0]  # a-gradient / b-gradient = x on the negative side
    passed = bool(leaky["steps with a non-zero (a, b) gradient"] == leaky["steps"] and steps > 0
                  and not leaky["unit unchanged bit for bit"])
    evidence = (*_evidence(leaky), Evidence("first (a, b, u) gradient of the unit", first.tolist(),
                                            "(r uⱼ α x, r uⱼ α, r σ(zⱼ))"),
                Evidence("data x range", [float(expected_ratio.min()), float(expected_ratio.max())]))
    counterexample = Counterexample("with plain ReLU the dead unit's gradient is non-zero too",
                                    bool(relu["largest |gradient| of the unit"] == 0.0), _evidence(relu))
    return Demonstration("ryu-hw3/7", "with leaky ReLU the dead unit's gradient no longer vanishes", passed,
                         evidence, (counterexample,))
