"""The activation registry: one place to add an activation function.

To add one, write a factory returning an :class:`ElementwiseActivation` (SymPy definition, derivative,
NumPy and PyTorch versions, parameter domains, kinks) and decorate it with :func:`register`; the tests
then check it against PyTorch autograd and finite differences, and ``chainrule derive`` can explain it.

An :class:`Activation` knows its SymPy definition and derivative (with the value PyTorch uses at a
kink) and evaluates itself exactly on SymPy vectors, in floats on NumPy arrays and differentiably on
PyTorch tensors. Vector-valued activations (softmax) implement the same interface with a full
Jacobian; elementwise ones get a diagonal Jacobian for free.
"""

from __future__ import annotations

import inspect
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
import torch
import torch.nn.functional as F

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
        kinks=(sympy.Integer(0),),
        kink_note="ReLU is not differentiable at 0; like PyTorch, chainrule uses ReLU'(0) = 0.",
        forms=(("I(x > 0)", sympy.Heaviside(X, 0)),),
    )


# An exact parameter such as 1e-9999 is a 10 000-digit integer that SymPy can neither print nor reason with
# in reasonable time; no activation in any assignment needs more than a handful of digits.
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


@register("scaled_relu", "c_relu", "scaledrelu")
def scaled_relu(c: object = None) -> Activation:
    """c·ReLU, e.g. NYU DL HW1 2022's 5·ReLU; c > 0 keeps it a rectifier."""
    scale = parameter("c", c, POSITIVE)
    return ElementwiseActivation(
        name="scaled_relu",
        title=f"{scale}·ReLU",
        definition=scale * sympy.Max(0, X),
        derivative=sympy.Piecewise((scale, X > 0), (0, True)),
        numpy_fn=lambda z: numeric(scale, "c") * np.maximum(z, 0.0),
        numpy_grad=lambda z: numeric(scale, "c") * (z > 0).astype(float),
        torch_fn=lambda z: numeric(scale, "c") * torch.relu(z),
        params={"c": scale},
        param_domains={"c": POSITIVE},
        kinks=(sympy.Integer(0),),
        kink_note="c·ReLU is not differentiable at 0; like PyTorch's relu, chainrule uses the derivative 0 there.",
        forms=(("c times the indicator of x > 0", scale * sympy.Heaviside(X, 0)),),
    )


@register("leaky_relu", "leakyrelu", "lrelu", "leaky")
def leaky_relu(a: object = None) -> Activation:
    """max{ax, x} with 0 < a < 1 (PyTorch's negative_slope); the slope is a for x < 0 and 1 for x > 0."""
    slope = parameter("a", a, UNIT_OPEN)
    return ElementwiseActivation(
        name="leaky_relu",
        title="Leaky ReLU",
        definition=sympy.Piecewise((X, X > 0), (slope * X, True)),
        derivative=sympy.Piecewise((1, X > 0), (slope, True)),
        numpy_fn=lambda z: np.where(z > 0, z, numeric(slope, "a") * z),
        numpy_grad=lambda z: np.where(z > 0, 1.0, numeric(slope, "a")),
        torch_fn=lambda z: F.leaky_relu(z, negative_slope=numeric(slope, "a")),
        params={"a": slope},
        param_domains={"a": UNIT_OPEN},
        kinks=(sympy.Integer(0),),
        kink_note="Leaky ReLU is not differentiable at 0; like PyTorch (negative_slope = a), chainrule uses "
        "the derivative a there.",
        forms=(
            ("a for x < 0, 1 for x >= 0 (differs only at the kink)", sympy.Piecewise((slope, X < 0), (1, True))),
            ("a + (1 - a)·I(x > 0)", slope + (1 - slope) * sympy.Heaviside(X, 0)),
        ),
    )


@register("sigmoid", "logistic", "sigma")
def sigmoid() -> Activation:
    def numpy_sigmoid(z: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(z))  # never overflows: the sign picks 1/(1+e^-z) or e^z/(1+e^z)
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def numpy_sigmoid_grad(z: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(z))  # σ'(z) = e^{-|z|}/(1+e^{-|z|})² is even, so no cancellation for z ≪ 0
        return e / (1 + e) ** 2

    s = 1 / (1 + sympy.exp(-X))
    return ElementwiseActivation(
        name="sigmoid",
        title="Sigmoid",
        definition=s,
        derivative=sympy.exp(-X) / (1 + sympy.exp(-X)) ** 2,
        numpy_fn=numpy_sigmoid,
        numpy_grad=numpy_sigmoid_grad,
        torch_fn=torch.sigmoid,
        forms=(
            ("σ(x)(1 − σ(x))", s * (1 - s)),
            ("e^x/(1 + e^x)²", sympy.exp(X) / (1 + sympy.exp(X)) ** 2),
            ("1/(4 cosh²(x/2))", 1 / (4 * sympy.cosh(X / 2) ** 2)),
        ),
    )


@register("tanh")
def tanh() -> Activation:
    e2 = sympy.exp(2 * X)
    return ElementwiseActivation(
        name="tanh",
        title="Tanh",
        definition=sympy.tanh(X),
        derivative=1 - sympy.tanh(X) ** 2,
        numpy_fn=np.tanh,
        numpy_grad=lambda z: 1 / np.cosh(np.clip(z, -350, 350)) ** 2,
        torch_fn=torch.tanh,
        forms=(
            ("sech²(x)", sympy.sech(X) ** 2),
            ("4e^{2x}/(e^{2x} + 1)²", 4 * e2 / (e2 + 1) ** 2),
            ("4σ(2x)(1 − σ(2x))", 4 / (1 + sympy.exp(-2 * X)) * (1 - 1 / (1 + sympy.exp(-2 * X)))),
        ),
    )


@register("softplus", "soft_plus")
def softplus(beta: object = None) -> Activation:
    """(1/β) ln(1 + e^{βx}), a smooth ReLU; its derivative is exactly σ(βx)."""
    b = parameter("beta", beta, POSITIVE)

    def numpy_softplus(z: np.ndarray) -> np.ndarray:
        bv = numeric(b, "beta")
        return np.logaddexp(0.0, bv * z) / bv

    def numpy_softplus_grad(z: np.ndarray) -> np.ndarray:
        bz = numeric(b, "beta") * z
        e = np.exp(-np.abs(bz))
        return np.where(bz >= 0, 1 / (1 + e), e / (1 + e))

    return ElementwiseActivation(
        name="softplus",
        title="Softplus",
        definition=sympy.log(1 + sympy.exp(b * X)) / b,
        derivative=1 / (1 + sympy.exp(-b * X)),
        numpy_fn=numpy_softplus,
        numpy_grad=numpy_softplus_grad,
        torch_fn=lambda z: F.softplus(z, beta=numeric(b, "beta")),
        params={"beta": b},
        param_domains={"beta": POSITIVE},
        forms=(
            ("σ(βx)", 1 / (1 + sympy.exp(-b * X))),
            ("e^{βx}/(1 + e^{βx})", sympy.exp(b * X) / (1 + sympy.exp(b * X))),
        ),
    )


@register("gelu")
def gelu() -> Activation:
    """x·Φ(x) with the exact erf form (PyTorch's default, approximate='none')."""
    cdf = (1 + sympy.erf(X / sympy.sqrt(2))) / 2
    pdf = sympy.exp(-(X**2) / 2) / sympy.sqrt(2 * sympy.pi)
    erf = np.vectorize(math.erf, otypes=[float])

    def numpy_gelu(z: np.ndarray) -> np.ndarray:
        return z * (1 + erf(z / math.sqrt(2))) / 2

    def numpy_gelu_grad(z: np.ndarray) -> np.ndarray:
        return (1 + erf(z / math.sqrt(2))) / 2 + z * np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)

    return ElementwiseActivation(
        name="gelu",
        title="GELU",
        definition=X * cdf,
        derivative=cdf + X * pdf,
        numpy_fn=numpy_gelu,
        numpy_grad=numpy_gelu_grad,
        torch_fn=F.gelu,
        forms=(("Φ(x) + x·φ(x)", cdf + X * pdf),),
    )


@register("elu")
def elu(alpha: object = None) -> Activation:
    """x for x > 0, α(e^x − 1) otherwise; differentiable at 0 only when α = 1."""
    a = parameter("alpha", alpha, POSITIVE)
    return ElementwiseActivation(
        name="elu",
        title="ELU",
        definition=sympy.Piecewise((X, X > 0), (a * (sympy.exp(X) - 1), True)),
        derivative=sympy.Piecewise((1, X > 0), (a * sympy.exp(X), True)),
        numpy_fn=lambda z: np.where(z > 0, z, numeric(a, "alpha") * np.expm1(np.minimum(z, 0.0))),
        numpy_grad=lambda z: np.where(z > 0, 1.0, numeric(a, "alpha") * np.exp(np.minimum(z, 0.0))),
        torch_fn=lambda z: F.elu(z, alpha=numeric(a, "alpha")),
        params={"alpha": a},
        param_domains={"alpha": POSITIVE},
        kinks=() if a == 1 else (sympy.Integer(0),),
        kink_note=None
        if a == 1
        else "ELU is not differentiable at 0 unless alpha = 1; like PyTorch, chainrule uses the derivative "
        "alpha there (the value from the left).",
    )


@register("softmax", "softargmax")
def softmax() -> Activation:
    return Softmax()


class Softmax(Activation):
    """s_i = e^{z_i}/Σ_j e^{z_j}: vector-valued, so its Jacobian diag(s) − s sᵀ is full."""

    name = "softmax"
    title = "Softmax"
    params: Mapping[str, sympy.Expr] = {}

    def value(self, z: sympy.Matrix) -> sympy.Matrix:
        exps = z.applyfunc(sympy.exp)
        total = sum(exps)
        return exps.applyfunc(lambda e: e / total)

    def jacobian(self, z: sympy.Matrix) -> sympy.Matrix:
        s = self.value(z)
        return sympy.diag(*s) - s * s.T

    def numpy(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))  # shifting by the max cannot overflow
        return shifted / np.sum(shifted, axis=-1, keepdims=True)

    def numpy_vjp(self, z: np.ndarray, upstream: np.ndarray) -> np.ndarray:
        s = self.numpy(z)
        upstream = np.asarray(upstream, dtype=float)
        return s * (upstream - np.sum(upstream * s, axis=-1, keepdims=True))

    def torch(self, z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z, dim=-1)
