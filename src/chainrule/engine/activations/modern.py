"""The activations of current architectures: SiLU and Swish, Mish, SELU, Hardtanh, ReLU6, softsign and GELU's tanh
approximation, each registered with its exact derivative and PyTorch's value at a kink.

Where PyTorch fixes a constant (SELU's α and λ, GELU-tanh's 0.044715) the constant is the exact rational of the
decimal PyTorch documents, so every closed form agrees with ``torch.nn.functional`` to float64 precision.
"""

from __future__ import annotations

import math

import numpy as np
import sympy
import torch
import torch.nn.functional as F

from chainrule.engine.activations.base import POSITIVE, ElementwiseActivation, X, numeric, parameter, register
from chainrule.engine.exact import to_rational

# SELU's constants as PyTorch documents them (torch.nn.SELU): α ≈ 1.6733 and the scale λ ≈ 1.0507 that make
# zero mean and unit variance a fixed point of the layer map.
SELU_ALPHA = to_rational("1.6732632423543772848170429916717")
SELU_SCALE = to_rational("1.0507009873554804934193349852946")
GELU_TANH_CUBIC = sympy.Rational(44715, 1_000_000)  # the 0.044715 of Hendrycks & Gimpel's approximation


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # never overflows: the sign picks 1/(1+e^-z) or e^z/(1+e^z)
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_expr(argument: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-argument))


@register("silu", "sil")
def silu() -> ElementwiseActivation:
    """x·σ(x) (PyTorch's SiLU, Swish with β = 1); smooth, with a minimum of about −0.278 near x ≈ −1.278."""
    s = _sigmoid_expr(X)
    return ElementwiseActivation(
        name="silu",
        title="SiLU",
        definition=X * s,
        derivative=s * (1 + X * (1 - s)),
        numpy_fn=lambda z: z * _sigmoid(z),
        numpy_grad=lambda z: _sigmoid(z) * (1 + z * (1 - _sigmoid(z))),
        torch_fn=F.silu,
        forms=(
            ("σ(x) + x·σ(x)(1 − σ(x))", s + X * s * (1 - s)),
            ("(1 + e^{-x} + x e^{-x})/(1 + e^{-x})²",
             (1 + sympy.exp(-X) + X * sympy.exp(-X)) / (1 + sympy.exp(-X)) ** 2),
        ),
    )


@register("swish")
def swish(beta: object = None) -> ElementwiseActivation:
    """x·σ(βx) with β > 0 (Ramachandran et al.); β = 1 is SiLU, β → ∞ tends to ReLU."""
    b = parameter("beta", beta, POSITIVE)
    s = _sigmoid_expr(b * X)

    def numpy_grad(z: np.ndarray) -> np.ndarray:
        bv = numeric(b, "beta")
        sz = _sigmoid(bv * z)
        return sz * (1 + bv * z * (1 - sz))

    return ElementwiseActivation(
        name="swish",
        title="Swish",
        definition=X * s,
        derivative=s * (1 + b * X * (1 - s)),
        numpy_fn=lambda z: z * _sigmoid(numeric(b, "beta") * z),
        numpy_grad=numpy_grad,
        torch_fn=lambda z: z * torch.sigmoid(numeric(b, "beta") * z),
        params={"beta": b},
        param_domains={"beta": POSITIVE},
        forms=(("σ(βx) + βx·σ(βx)(1 − σ(βx))", s + b * X * s * (1 - s)),),
    )


@register("mish")
def mish() -> ElementwiseActivation:
    """x·tanh(softplus(x)) (Misra 2019): smooth, non-monotone, unbounded above and bounded below."""
    softplus = sympy.log(1 + sympy.exp(X))
    t = sympy.tanh(softplus)
    e = sympy.exp(X)
    omega = 4 * (X + 1) + 4 * e**2 + e**3 + e * (4 * X + 6)
    delta = 2 * e + e**2 + 2

    def numpy_mish(z: np.ndarray) -> np.ndarray:
        return z * np.tanh(np.logaddexp(0.0, z))

    def numpy_mish_grad(z: np.ndarray) -> np.ndarray:
        tz = np.tanh(np.logaddexp(0.0, z))
        return tz + z * (1 - tz**2) * _sigmoid(z)

    return ElementwiseActivation(
        name="mish",
        title="Mish",
        definition=X * t,
        derivative=t + X * (1 - t**2) * _sigmoid_expr(X),
        numpy_fn=numpy_mish,
        numpy_grad=numpy_mish_grad,
        torch_fn=F.mish,
        forms=(
            ("tanh(sp(x)) + x·sech²(sp(x))·σ(x), sp(x) = ln(1 + e^x)",
             t + X * sympy.sech(softplus) ** 2 * _sigmoid_expr(X)),
            ("e^x ω/δ², ω = 4(x+1) + 4e^{2x} + e^{3x} + e^x(4x+6), δ = 2e^x + e^{2x} + 2", e * omega / delta**2),
        ),
    )


@register("selu")
def selu(alpha: object = None, scale: object = None) -> ElementwiseActivation:
    """λ·(x for x > 0, α(e^x − 1) otherwise); by default PyTorch's α ≈ 1.6733 and λ ≈ 1.0507."""
    a = SELU_ALPHA if alpha is None else parameter("alpha", alpha, POSITIVE)
    lam = SELU_SCALE if scale is None else parameter("scale", scale, POSITIVE)
    standard = alpha is None and scale is None

    def numpy_selu(z: np.ndarray) -> np.ndarray:
        av, lv = numeric(a, "alpha"), numeric(lam, "scale")
        return lv * np.where(z > 0, z, av * np.expm1(np.minimum(z, 0.0)))

    def numpy_selu_grad(z: np.ndarray) -> np.ndarray:
        av, lv = numeric(a, "alpha"), numeric(lam, "scale")
        return lv * np.where(z > 0, 1.0, av * np.exp(np.minimum(z, 0.0)))

    return ElementwiseActivation(
        name="selu",
        title="SELU",
        definition=sympy.Piecewise((lam * X, X > 0), (lam * a * (sympy.exp(X) - 1), True)),
        derivative=sympy.Piecewise((lam, X > 0), (lam * a * sympy.exp(X), True)),
        numpy_fn=numpy_selu,
        numpy_grad=numpy_selu_grad,
        torch_fn=F.selu if standard else (lambda z: numeric(lam, "scale") * F.elu(z, alpha=numeric(a, "alpha"))),
        params={"alpha": a, "scale": lam},
        param_domains={"alpha": POSITIVE, "scale": POSITIVE},
        kinks=() if a == 1 else (sympy.Integer(0),),
        kink_note=None
        if a == 1
        else "SELU is not differentiable at 0 (the slope jumps from λα to λ); like PyTorch, chainrule uses the "
        "derivative λα there (the value from the left).",
    )


@register("hardtanh", "hard_tanh")
def hardtanh() -> ElementwiseActivation:
    """Clip to [−1, 1] (PyTorch's defaults min_val = −1, max_val = 1)."""
    return ElementwiseActivation(
        name="hardtanh",
        title="Hardtanh",
        definition=sympy.Piecewise((-1, X < -1), (X, X <= 1), (1, True)),
        derivative=sympy.Piecewise((1, (X > -1) & (X < 1)), (0, True)),
        numpy_fn=lambda z: np.clip(z, -1.0, 1.0),
        numpy_grad=lambda z: ((z > -1) & (z < 1)).astype(float),
        torch_fn=F.hardtanh,
        kinks=(sympy.Integer(-1), sympy.Integer(1)),
        kink_note="Hardtanh is not differentiable at ±1; like PyTorch, chainrule uses the derivative 0 there.",
        forms=(("I(|x| < 1)", sympy.Piecewise((1, sympy.Abs(X) < 1), (0, True))),),
    )


@register("relu6", "relu_6")
def relu6() -> ElementwiseActivation:
    """min(max(0, x), 6) (MobileNet's bounded ReLU)."""
    return ElementwiseActivation(
        name="relu6",
        title="ReLU6",
        definition=sympy.Piecewise((0, X < 0), (X, X <= 6), (6, True)),
        derivative=sympy.Piecewise((1, (X > 0) & (X < 6)), (0, True)),
        numpy_fn=lambda z: np.clip(z, 0.0, 6.0),
        numpy_grad=lambda z: ((z > 0) & (z < 6)).astype(float),
        torch_fn=F.relu6,
        kinks=(sympy.Integer(0), sympy.Integer(6)),
        kink_note="ReLU6 is not differentiable at 0 and 6; like PyTorch, chainrule uses the derivative 0 at both.",
        forms=(("I(0 < x < 6)", sympy.Heaviside(X, 0) * sympy.Heaviside(6 - X, 0)),),
    )


@register("softsign", "soft_sign")
def softsign() -> ElementwiseActivation:
    """x/(1 + |x|): like tanh, but its tails approach ±1 polynomially, not exponentially."""
    return ElementwiseActivation(
        name="softsign",
        title="Softsign",
        definition=X / (1 + sympy.Abs(X)),
        derivative=1 / (1 + sympy.Abs(X)) ** 2,
        numpy_fn=lambda z: z / (1 + np.abs(z)),
        numpy_grad=lambda z: 1 / (1 + np.abs(z)) ** 2,
        torch_fn=F.softsign,
        forms=(("(1 − |f(x)|)²", (1 - sympy.Abs(X) / (1 + sympy.Abs(X))) ** 2),),
    )


@register("gelu_tanh", "gelu_approx", "gelu_approximate", "approximate_gelu")
def gelu_tanh() -> ElementwiseActivation:
    """½x(1 + tanh(√(2/π)(x + 0.044715x³))): PyTorch's ``gelu(approximate='tanh')``."""
    c = sympy.sqrt(2 / sympy.pi)
    inner = c * (X + GELU_TANH_CUBIC * X**3)
    t = sympy.tanh(inner)
    cv, kv = math.sqrt(2 / math.pi), float(GELU_TANH_CUBIC)

    def numpy_gelu(z: np.ndarray) -> np.ndarray:
        return z * (1 + np.tanh(cv * (z + kv * z**3))) / 2

    def numpy_gelu_grad(z: np.ndarray) -> np.ndarray:
        tz = np.tanh(cv * (z + kv * z**3))
        return (1 + tz) / 2 + z * (1 - tz**2) * cv * (1 + 3 * kv * z**2) / 2

    return ElementwiseActivation(
        name="gelu_tanh",
        title="GELU (tanh)",
        definition=X * (1 + t) / 2,
        derivative=(1 + t) / 2 + X * (1 - t**2) * c * (1 + 3 * GELU_TANH_CUBIC * X**2) / 2,
        numpy_fn=numpy_gelu,
        numpy_grad=numpy_gelu_grad,
        torch_fn=lambda z: F.gelu(z, approximate="tanh"),
        forms=(
            ("½(1 + tanh u) + ½x·sech²(u)·u′, u = √(2/π)(x + 0.044715x³)",
             (1 + t) / 2 + X * sympy.sech(inner) ** 2 * sympy.diff(inner, X) / 2),
        ),
    )
