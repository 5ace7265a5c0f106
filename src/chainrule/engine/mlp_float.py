"""The float64 twin of :mod:`chainrule.engine.mlp`: the same pass in NumPy, for big batches and as a check.

:func:`float_pass` is the bare numeric routine (a batch is rows, as in NumPy and PyTorch); :func:`trace_float`
records it as a :class:`~chainrule.engine.mlp.Trace` in the same math layout as the exact pass (samples are
columns), so one renderer serves both modes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from chainrule.engine.activations import Activation
from chainrule.engine.losses import Loss, Reduction
from chainrule.engine.mlp import NetworkProblem, Trace, TraceBuilder, prepare
from chainrule.errors import ChainruleError, InputError


@dataclass(frozen=True)
class FloatPass:
    """Every intermediate of one float pass; arrays have a leading batch axis (N rows)."""

    pre_activations: list[np.ndarray]  # z⁽ˡ⁾, N × nₗ
    activations: list[np.ndarray]  # h⁽⁰⁾ = x, …, h⁽ᴸ⁾ = ŷ
    per_sample: np.ndarray  # N
    loss: float
    derivatives: list[np.ndarray | None]  # σₗ'(z⁽ˡ⁾) for entrywise activations, else None
    upstream: list[np.ndarray]  # ∂L/∂h⁽ˡ⁾ for l = 0..L
    deltas: list[np.ndarray]  # ∂L/∂z⁽ˡ⁾
    weight_gradients: list[np.ndarray]  # shaped like W⁽ˡ⁾
    bias_gradients: list[np.ndarray]  # shaped like b⁽ˡ⁾ (1-D)


def float_pass(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activations: Sequence[Activation],
    elementwise: Sequence[bool],
    inputs: np.ndarray,
    targets: np.ndarray,
    loss: Loss,
    reduction: Reduction,
) -> FloatPass:
    """Forward and backward pass in float64 for a batch given as rows (``inputs`` is N × n₀)."""
    h = np.asarray(inputs, dtype=float)
    zs, hs = [], [h]
    for w, b, activation in zip(weights, biases, activations, strict=True):
        z = h @ w.T + b
        h = activation.numpy(z)
        zs.append(z)
        hs.append(h)
    count = h.shape[0]
    scale = 1.0 / count if reduction == "mean" else 1.0
    per_sample = loss.numpy(h, targets)
    upstream = loss.numpy_gradient(h, targets) * scale
    depth = len(weights)
    derivatives: list[np.ndarray | None] = [None] * depth
    deltas: list[np.ndarray] = [np.empty(0)] * depth
    grad_w: list[np.ndarray] = [np.empty(0)] * depth
    grad_b: list[np.ndarray] = [np.empty(0)] * depth
    upstreams: list[np.ndarray] = [np.empty(0)] * (depth + 1)
    upstreams[depth] = upstream
    for index in range(depth - 1, -1, -1):
        if elementwise[index]:
            derivatives[index] = activations[index].numpy_vjp(zs[index], np.ones_like(zs[index]))
        delta = activations[index].numpy_vjp(zs[index], upstream)
        deltas[index] = delta
        grad_w[index] = delta.T @ hs[index]
        grad_b[index] = delta.sum(axis=0)
        upstream = delta @ weights[index]
        upstreams[index] = upstream
    return FloatPass(zs, hs, per_sample, float(per_sample.sum() * scale), derivatives, upstreams, deltas, grad_w,
                     grad_b)


def jacobian_float(activation: Activation, z: np.ndarray) -> np.ndarray:
    """∂h/∂z of one sample, built column by column from vector-Jacobian products with unit vectors."""
    size = z.shape[-1]
    transposed = np.stack([activation.numpy_vjp(z, unit) for unit in np.eye(size)], axis=1)
    return transposed.T


def _columns(matrix: sympy.MatrixBase) -> np.ndarray:
    return np.array(matrix.tolist(), dtype=float).reshape(matrix.shape)


def _check_finite(result: FloatPass) -> None:
    """Refuse a pass that left float64's range: an ``inf`` or ``nan`` printed as a gradient would be a false answer.

    The first quantity in pass order that is not finite is named, so the user sees where the range ran out.
    """
    named: list[tuple[str, Any]] = []
    for index, (z, h) in enumerate(zip(result.pre_activations, result.activations[1:], strict=True), start=1):
        named += [(f"z{index}", z), (f"h{index}", h)]
    named.append(("the loss", np.asarray(result.loss)))
    for index in range(len(result.deltas), 0, -1):
        named += [(f"delta{index}", result.deltas[index - 1]), (f"dW{index}", result.weight_gradients[index - 1]),
                  (f"db{index}", result.bias_gradients[index - 1]), (f"dh{index - 1}", result.upstream[index - 1])]
    for name, value in named:
        if not np.all(np.isfinite(value)):
            raise ChainruleError(f"float64 mode: {name} is outside float64's range (about ±1.8e308) or undefined; "
                                 "the exact mode (without --float) has no such limit")


def trace_float(problem: NetworkProblem) -> Trace:
    """Run the pass in float64 and record it in the exact pass's layout (samples are columns)."""
    activations, loss, infos = prepare(problem)
    weights = [_columns(layer.W) for layer in problem.layers]
    biases = [_columns(layer.b)[:, 0] for layer in problem.layers]
    inputs, targets = _columns(problem.inputs).T, _columns(problem.targets).T
    for sample in range(problem.batch_size):
        loss.check_target(problem.targets[:, sample])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = float_pass(weights, biases, activations, [info.elementwise for info in infos], inputs, targets,
                            loss, problem.batch_reduction())
    _check_finite(result)
    for sample in result.activations[-1]:
        try:
            loss.check_prediction(sympy.Matrix([sympy.Float(value) for value in sample]))
        except InputError as error:
            raise ChainruleError(f"float64 mode: {error.message} (rounded); the exact mode has no such limit") from None
    builder = TraceBuilder(problem, infos, loss, mode="float")
    builder.given(inputs.T, targets.T)
    for index in range(1, len(infos) + 1):
        builder.forward(index, result.pre_activations[index - 1].T, result.activations[index].T)
    builder.loss_step(result.per_sample[None, :], np.array([[result.loss]]))
    builder.loss_gradient_step(result.upstream[-1].T)
    for index in range(len(infos), 0, -1):
        info = infos[index - 1]
        derivative = result.derivatives[index - 1]
        if info.activation != "identity" and derivative is not None:
            builder.activation_derivative(index, derivative.T, activations[index - 1])
        elif not info.elementwise and problem.batch_size == 1:
            builder.activation_jacobian(index, jacobian_float(activations[index - 1],
                                                              result.pre_activations[index - 1][0]))
        builder.backward(index, result.deltas[index - 1].T, result.weight_gradients[index - 1],
                         result.bias_gradients[index - 1][:, None], result.upstream[index - 1].T)
    return builder.build()
