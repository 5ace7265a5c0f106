"""The activation registry and the classes every activation is built from.

To add an activation, write a factory returning an :class:`ElementwiseActivation` (SymPy definition, derivative,
NumPy and PyTorch versions, parameter domains, kinks) and decorate it with :func:`register`; the tests
then check it against PyTorch autograd and finite differences, and ``chainrule derive`` can explain it.

An :class:`Activation` knows its SymPy definition and derivative (with the value PyTorch uses at a
kink) and evaluates itself exactly on SymPy vectors, in floats on NumPy arrays and differentiably on
PyTorch tensors. Vector-valued activations (softmax) implement the same interface with a full
Jacobian; elementwise ones get a diagonal Jacobian for free.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
import torch

from chainrule.engine.exact import to_rational
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
    implementations that tests compare with the SymPy ones. ``param_domains`` states what each parameter
    is assumed to satisfy (``0 < a < 1``); ``kinks`` lists where the function is not differentiable;
    ``forms`` are other correct ways to write the derivative, each checked equal to it in the tests.
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
    param_domains: Mapping[str, sympy.Interval] = field(default_factory=dict)
    kinks: tuple[sympy.Expr, ...] = ()
    forms: tuple[tuple[str, sympy.Expr], ...] = ()

    @property
    def symbol_domains(self) -> dict[sympy.Symbol, sympy.Interval]:
        """The interval each still-symbolic parameter ranges over (what its assumptions allow)."""
        return {
            value: self.param_domains[key]
            for key, value in self.params.items()
            if isinstance(value, sympy.Symbol) and key in self.param_domains
        }

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


def parameter_names(name: str) -> list[str]:
    """The keyword parameters the activation called ``name`` accepts (``["a"]`` for leaky ReLU)."""
    factory = _REGISTRY[canonical_name(name)]
    return list(inspect.signature(factory).parameters)


def get_activation(name: str, **params: Any) -> Activation:
    """Build the activation called ``name`` with parameter values (numbers or SymPy symbols).

    An unknown parameter is an :class:`InputError` naming it, with the parameters that do exist.
    """
    key = canonical_name(name)
    accepted = parameter_names(key)
    for given in params:
        if given not in accepted:
            known = ", ".join(accepted) if accepted else "none"
            raise InputError(f"{key} has no parameter {given!r} (parameters: {known})", given)
    return _REGISTRY[key](**params)


MAX_PARAMETER_DIGITS = 30


def parameter(name: str, value: object, domain: sympy.Interval) -> sympy.Expr:
    """Read an activation parameter: ``None`` keeps it symbolic, numbers become exact rationals.

    Numbers go through :func:`to_rational` (never ``sympify``), so ``"0.01"`` is exactly 1/100. A number
    outside the parameter's domain is an :class:`InputError` naming the parameter, because every fact
    chainrule states (limits, Lipschitz constants) holds only under the domain's assumptions.
    """
    if value is None:
        return sympy.Symbol(name, positive=True)  # every parameter so far is positive; its domain says more
    if isinstance(value, sympy.Symbol):
        return value
    number = to_rational(value, where=name)
    if max(abs(int(number.p)), int(number.q)) >= 10**MAX_PARAMETER_DIGITS:
        raise InputError(
            f"too many digits (numerator and denominator of at most {MAX_PARAMETER_DIGITS} digits each)", name
        )
    if domain.contains(number) is not sympy.true:
        raise InputError(f"must satisfy {describe_domain(name, domain)}, got {value}", name)
    return number


def describe_domain(name: str, domain: sympy.Interval) -> str:
    """``0 < a < 1`` or ``beta > 0``: a parameter's domain the way an assignment states it."""
    lower = None if domain.start == -sympy.oo else f"{domain.start} {'<' if domain.left_open else '<='} "
    upper = None if domain.end == sympy.oo else f" {'<' if domain.right_open else '<='} {domain.end}"
    if lower and not upper:
        return f"{name} {'>' if domain.left_open else '>='} {domain.start}"
    return f"{lower or ''}{name}{upper or ''}"


def numeric(value: sympy.Expr, name: str) -> float:
    """A parameter as a float for NumPy/PyTorch; a still-symbolic one cannot be evaluated."""
    if not value.is_number:
        raise InputError(f"parameter {name} is symbolic ({value}); give it a number to evaluate numerically", name)
    return float(value)


POSITIVE = sympy.Interval.open(0, sympy.oo)
UNIT_OPEN = sympy.Interval.open(0, 1)
