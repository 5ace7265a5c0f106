"""Ryu HW3 P5(c): sigmoid and tanh MLPs are equivalent — an explicit converter in both directions.

From σ(z) = (1 + ρ(z/2))/2 (ρ = tanh): if yₗ = σ(Aₗyₗ₋₁ + bₗ) then uₗ = 2yₗ − 1 = ρ((Aₗyₗ₋₁ + bₗ)/2), and
substituting yₗ₋₁ = (1 + uₗ₋₁)/2 into each later layer absorbs the affine map:

    layer 1:            C₁ = A₁/2,   d₁ = b₁/2                 (the input x is not transformed)
    layers 2 … L−1:     Cₗ = Aₗ/4,   dₗ = Aₗ𝟙/4 + bₗ/2
    layer L (linear):   C_L = A_L/2,  d_L = A_L𝟙/2 + b_L

and back, from ρ(z) = 2σ(2z) − 1 (yₗ = (1 + uₗ)/2):

    layer 1:            A₁ = 2C₁,    b₁ = 2d₁
    layers 2 … L−1:     Aₗ = 4Cₗ,    bₗ = 2dₗ − 2Cₗ𝟙
    layer L:            A_L = 2C_L,   b_L = d_L − C_L𝟙

The two maps are inverse to each other (exactly, on rational parameters). The converters accept float arrays
or object arrays of :class:`fractions.Fraction` and never round.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from chainrule.errors import InputError

from .base import Counterexample, Demonstration, Evidence

__all__ = ["Layer", "forward", "random_network", "sigmoid_tanh_demonstration", "sigmoid_to_tanh", "tanh_to_sigmoid"]

Layer = tuple[np.ndarray, np.ndarray]


def _ones(a: np.ndarray) -> np.ndarray:
    return np.ones(a.shape[1], dtype=a.dtype)


def _check(layers: Sequence[Layer]) -> None:
    if len(layers) < 2:
        raise InputError("the equivalence is stated for L > 1 layers", "layers")
    for index, (a, b) in enumerate(layers):
        if a.ndim != 2 or b.shape != (a.shape[0],):
            raise InputError(f"layer {index + 1}: A must be a matrix and b a vector of its row count", "layers")
        if index and a.shape[1] != layers[index - 1][0].shape[0]:
            previous = layers[index - 1][0].shape[0]
            raise InputError(f"layer {index + 1}: A has {a.shape[1]} columns, the previous layer {previous} outputs",
                             "layers")


def sigmoid_to_tanh(layers: Sequence[Layer]) -> list[Layer]:
    """The (Cₗ, dₗ) of a tanh MLP computing the same map as the sigmoid MLP with layers (Aₗ, bₗ)."""
    _check(layers)
    last = len(layers) - 1
    result = []
    for index, (a, b) in enumerate(layers):
        if index == 0:
            result.append((a / 2, b / 2))
        elif index < last:
            result.append((a / 4, a @ _ones(a) / 4 + b / 2))
        else:
            result.append((a / 2, a @ _ones(a) / 2 + b))
    return result


def tanh_to_sigmoid(layers: Sequence[Layer]) -> list[Layer]:
    """The (Aₗ, bₗ) of a sigmoid MLP computing the same map as the tanh MLP with layers (Cₗ, dₗ)."""
    _check(layers)
    last = len(layers) - 1
    result = []
    for index, (c, d) in enumerate(layers):
        if index == 0:
            result.append((2 * c, 2 * d))
        elif index < last:
            result.append((4 * c, 2 * d - 2 * (c @ _ones(c))))
        else:
            result.append((2 * c, d - c @ _ones(c)))
    return result


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def forward(layers: Sequence[Layer], x: np.ndarray, activation: str) -> np.ndarray:
    """yₗ = act(Aₗyₗ₋₁ + bₗ) for hidden layers, y_L = A_L y_{L−1} + b_L; ``x`` may be a batch of rows."""
    act = {"sigmoid": _sigmoid, "tanh": np.tanh}[activation]
    y = np.asarray(x, dtype=float)
    for index, (a, b) in enumerate(layers):
        z = y @ np.asarray(a, dtype=float).T + np.asarray(b, dtype=float)
        y = z if index == len(layers) - 1 else act(z)
    return y


def random_network(widths: Sequence[int], rng: np.random.Generator, scale: float = 1.0) -> list[Layer]:
    return [(rng.standard_normal((m, n)) * scale, rng.standard_normal(m) * scale)
            for n, m in itertools.pairwise(widths)]


def _naive(layers: Sequence[Layer]) -> list[Layer]:
    """A tempting wrong converter: halve every layer and forget to absorb the affine map."""
    return [(a / 2, b / 2) for a, b in layers]


def sigmoid_tanh_demonstration(depths: Sequence[int] = (2, 3, 4, 5), seed: int = 0, tolerance: float = 1e-12,
                               ) -> Demonstration:
    """Random networks of several depths: both converters reproduce the map to ``tolerance`` (relative)."""
    if not depths or any(not 2 <= d <= 20 for d in depths):
        raise InputError("depths must lie between 2 and 20", "depths")
    rng = np.random.default_rng(seed)
    worst_forward, worst_backward, worst_naive, round_trip = 0.0, 0.0, 0.0, True
    for depth in depths:
        widths = [int(w) for w in rng.integers(1, 6, size=depth + 1)]
        x = rng.standard_normal((20, widths[0])) * 3
        sig = random_network(widths, rng)
        tan = random_network(widths, rng)
        reference = forward(sig, x, "sigmoid")
        size = 1 + np.abs(reference).max()
        worst_forward = max(worst_forward, np.abs(forward(sigmoid_to_tanh(sig), x, "tanh") - reference).max() / size)
        worst_naive = max(worst_naive, np.abs(forward(_naive(sig), x, "tanh") - reference).max() / size)
        reference_t = forward(tan, x, "tanh")
        size_t = 1 + np.abs(reference_t).max()
        worst_backward = max(worst_backward,
                             np.abs(forward(tanh_to_sigmoid(tan), x, "sigmoid") - reference_t).max() / size_t)
        back = tanh_to_sigmoid(sigmoid_to_tanh(sig))
        round_trip &= all(np.allclose(a, c, rtol=0, atol=1e-13) and np.allclose(b, d, rtol=0, atol=1e-13)
                          for (a, b), (c, d) in zip(sig, back, strict=True))
    passed = bool(worst_forward <= tolerance and worst_backward <= tolerance and round_trip)
    evidence = (
        Evidence("identity", "σ(z) = (1 + tanh(z/2))/2"),
        Evidence("sigmoid → tanh", "C₁ = A₁/2, d₁ = b₁/2; Cₗ = Aₗ/4, dₗ = Aₗ𝟙/4 + bₗ/2 (1 < l < L); "
                 "C_L = A_L/2, d_L = A_L𝟙/2 + b_L"),
        Evidence("tanh → sigmoid", "A₁ = 2C₁, b₁ = 2d₁; Aₗ = 4Cₗ, bₗ = 2dₗ − 2Cₗ𝟙 (1 < l < L); "
                 "A_L = 2C_L, b_L = d_L − C_L𝟙"),
        Evidence("depths", list(depths)),
        Evidence("largest relative error sigmoid → tanh", float(worst_forward)),
        Evidence("largest relative error tanh → sigmoid", float(worst_backward)),
        Evidence("round trip returns the parameters", bool(round_trip)),
    )
    counterexample = Counterexample(
        "Cₗ = Aₗ/2 and dₗ = bₗ/2 in every layer (no affine absorption)",
        bool(worst_naive > 1e-3),
        (Evidence("largest relative error of the naive converter", float(worst_naive)),),
    )
    return Demonstration("ryu-hw3/5c", "sigmoid and tanh MLPs represent the same maps, in both directions", passed,
                         evidence, (counterexample,))
