"""The activation registry: one place to add an activation function.

An :class:`Activation` knows its SymPy definition and derivative (with the value PyTorch uses at a
kink) and evaluates itself exactly on SymPy vectors, in floats on NumPy arrays and differentiably on
PyTorch tensors. Vector-valued activations (softmax) implement the same interface with a full
Jacobian; elementwise ones get a diagonal Jacobian for free.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
import torch

from chainrule.errors import InputError

X = sympy.Symbol("x", real=True)


class Activation(ABC):
    """A (possibly parametrised) activation function, exact and numeric."""

    name: str
    title: str
    params: Mapping[str, sympy.Expr]

    @abstractmethod
    def value(self, z: sympy.Matrix) -> sympy.Matrix:
        """Exact value on a column vector."""

    @abstractmethod
    def jacobian(self, z: sympy.Matrix) -> sympy.Matrix:
        """Exact Jacobian ∂a/∂z (numerator layout) on a column vector, PyTorch's value at kinks."""

    def vjp(self, z: sympy.Matrix, upstream: sympy.Matrix) -> sympy.Matrix:
        """Exact ∂L/∂z as a column, given ∂L/∂a as a column."""
        return self.jacobian(z).T * upstream

    @abstractmethod
    def numpy(self, z: np.ndarray) -> np.ndarray:
        """Float value, applied along the last axis (so batches are rows)."""

    @abstractmethod
    def numpy_vjp(self, z: np.ndarray, upstream: np.ndarray) -> np.ndarray:
        """Float ∂L/∂z along the last axis, given ∂L/∂a of the same shape."""

    @abstractmethod
    def torch(self, z: torch.Tensor) -> torch.Tensor:
        """Differentiable PyTorch value along the last axis."""


@dataclass(frozen=True)
class ElementwiseActivation(Activation):
    """An activation applied entry by entry, defined by SymPy expressions in :data:`X`.

    ``derivative`` is the derivative as chainrule states it; at a kink it takes PyTorch's value
    (``kink_note`` says which). ``numpy_fn``/``numpy_grad``/``torch_fn`` are independent
    implementations that tests compare with the SymPy ones.
    """

    name: str
    title: str
    definition: sympy.Expr
    derivative: sympy.Expr
    numpy_fn: Callable[[np.ndarray], np.ndarray]
    numpy_grad: Callable[[np.ndarray], np.ndarray]
    torch_fn: Callable[[torch.Tensor], torch.Tensor]
    params: Mapping[str, sympy.Expr] = field(default_factory=dict)
    kink_note: str | None = None

    def value(self, z: sympy.Matrix) -> sympy.Matrix:
        return z.applyfunc(lambda entry: self.definition.subs(X, entry))

    def jacobian(self, z: sympy.Matrix) -> sympy.Matrix:
        return sympy.diag(*[self.derivative.subs(X, entry) for entry in z])

    def vjp(self, z: sympy.Matrix, upstream: sympy.Matrix) -> sympy.Matrix:
        return sympy.Matrix([self.derivative.subs(X, zi) * gi for zi, gi in zip(z, upstream, strict=True)])

    def numpy(self, z: np.ndarray) -> np.ndarray:
        return self.numpy_fn(np.asarray(z, dtype=float))

    def numpy_vjp(self, z: np.ndarray, upstream: np.ndarray) -> np.ndarray:
        return self.numpy_grad(np.asarray(z, dtype=float)) * upstream

    def torch(self, z: torch.Tensor) -> torch.Tensor:
        return self.torch_fn(z)


ActivationFactory = Callable[..., Activation]
_REGISTRY: dict[str, ActivationFactory] = {}
_ALIASES: dict[str, str] = {}


def register(name: str, *aliases: str) -> Callable[[ActivationFactory], ActivationFactory]:
    """Class or function decorator: make ``name`` (and its aliases) resolvable by :func:`get_activation`."""

    def decorator(factory: ActivationFactory) -> ActivationFactory:
        _REGISTRY[name] = factory
        for alias in aliases:
            _ALIASES[alias] = name
        return factory

    return decorator


def canonical_name(name: str) -> str:
    """Map an alias (``"ReLU"``, ``"logistic"``) to its registry key, or raise :class:`InputError`."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise InputError(f"unknown activation {name!r}; known: {known}")
    return key


def activation_names() -> list[str]:
    return sorted(_REGISTRY)


def get_activation(name: str, **params: Any) -> Activation:
    """Build the activation called ``name`` with parameter values (numbers or SymPy symbols)."""
    return _REGISTRY[canonical_name(name)](**params)


@register("identity", "linear", "id")
def identity() -> Activation:
    return ElementwiseActivation(
        name="identity",
        title="Identity",
        definition=X,
        derivative=sympy.Integer(1),
        numpy_fn=lambda z: z,
        numpy_grad=np.ones_like,
        torch_fn=lambda z: z,
    )


@register("relu")
def relu() -> Activation:
    return ElementwiseActivation(
        name="relu",
        title="ReLU",
        definition=sympy.Max(0, X),
        derivative=sympy.Piecewise((1, X > 0), (0, True)),
        numpy_fn=lambda z: np.maximum(z, 0.0),
        numpy_grad=lambda z: (z > 0).astype(float),
        torch_fn=torch.relu,
        kink_note="ReLU is not differentiable at 0; like PyTorch, chainrule uses ReLU'(0) = 0.",
    )


@register("sigmoid", "logistic", "sigma")
def sigmoid() -> Activation:
    def numpy_sigmoid(z: np.ndarray) -> np.ndarray:
        return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))

    s = 1 / (1 + sympy.exp(-X))
    return ElementwiseActivation(
        name="sigmoid",
        title="Sigmoid",
        definition=s,
        derivative=s * (1 - s),
        numpy_fn=numpy_sigmoid,
        numpy_grad=lambda z: numpy_sigmoid(z) * (1 - numpy_sigmoid(z)),
        torch_fn=torch.sigmoid,
    )


@register("tanh")
def tanh() -> Activation:
    return ElementwiseActivation(
        name="tanh",
        title="Tanh",
        definition=sympy.tanh(X),
        derivative=1 - sympy.tanh(X) ** 2,
        numpy_fn=np.tanh,
        numpy_grad=lambda z: 1 - np.tanh(z) ** 2,
        torch_fn=torch.tanh,
    )
