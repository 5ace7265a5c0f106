"""The classic activations: identity, ReLU and its scaled and leaky forms, sigmoid, tanh, softplus, GELU (erf
form), ELU and softmax, each registered with its exact derivative and PyTorch's value at a kink."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import sympy
import torch
import torch.nn.functional as F

from chainrule.engine.activations.base import (
    POSITIVE,
    UNIT_OPEN,
    Activation,
    ElementwiseActivation,
    X,
    numeric,
    parameter,
    register,
)


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
