"""The loss registry: one place to add a loss function.

A :class:`Loss` compares a prediction ŷ with a target y for ONE sample (both length-K vectors). It knows
its value and its gradient ∂L/∂ŷ exactly (SymPy, rational where the inputs are), in floats (NumPy, along
the last axis so a batch is rows) and differentiably (PyTorch, an independent implementation that tests
compare with the other two). How per-sample losses combine over a batch (mean or sum) is the loss's
``batch_reduction``; a network spec may override it.

Conventions where a loss is not differentiable are those of its formula read literally, which is also
what PyTorch autograd computes for the formula as written; ``kink_note`` states them.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import sympy
import torch

from chainrule.engine.exact import format_exact, to_rational
from chainrule.errors import ChainruleError, InputError

Reduction = Literal["mean", "sum"]


def _entries(vector: sympy.Matrix) -> list[sympy.Expr]:
    return list(vector)


def _is_number(value: sympy.Expr) -> bool:
    return bool(getattr(value, "is_number", False))


class Loss(ABC):
    """A per-sample loss L(ŷ, y), exact and numeric, with the LaTeX a worked solution needs."""

    name: str
    title: str
    params: Mapping[str, sympy.Expr]
    batch_reduction: Reduction
    kink_note: str | None

    @abstractmethod
    def value(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Expr:
        """Exact loss of one sample (column vectors of equal length)."""

    @abstractmethod
    def gradient(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Matrix:
        """Exact ∂L/∂ŷ as a column of the prediction's shape."""

    @abstractmethod
    def numpy(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Float loss per sample, reducing the last axis (a batch is rows)."""

    @abstractmethod
    def numpy_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Float ∂L/∂ŷ per sample, same shape as the prediction."""

    @abstractmethod
    def torch(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Differentiable PyTorch loss per sample, reducing the last axis."""

    @abstractmethod
    def formula(self, prediction: str, target: str, size: int) -> str:
        """LaTeX of L with the given LaTeX for ŷ and y plugged in (symbols or numbers)."""

    @abstractmethod
    def gradient_formula(self, prediction: str, target: str, size: int) -> str:
        """LaTeX of ∂L/∂ŷ with the given LaTeX for ŷ and y plugged in."""

    @abstractmethod
    def expanded(self, prediction: Sequence[str], target: Sequence[str]) -> str:
        """LaTeX of L written out entry by entry, given LaTeX for each ŷᵢ and yᵢ (numbers in a worked pass)."""

    @abstractmethod
    def expanded_gradient(self, prediction: Sequence[str], target: Sequence[str]) -> list[str]:
        """LaTeX of each ∂L/∂ŷᵢ written out, given LaTeX for each ŷᵢ and yᵢ."""

    def check_target(self, target: sympy.Matrix) -> None:
        """Raise :class:`InputError` if ``target`` is not a valid target for this loss (default: any)."""
        return None

    def check_prediction(self, prediction: sympy.Matrix) -> None:
        """Raise :class:`InputError` if the loss is undefined at ``prediction`` (default: defined everywhere)."""
        return None


# --------------------------------------------------------------------------------------------- squared errors


@dataclass(frozen=True)
class SquaredError(Loss):
    """``scale · Σ (ŷᵢ − yᵢ)²``, divided by K when ``mean_over_entries`` (``nn.MSELoss``)."""

    name: str
    title: str
    scale: sympy.Rational
    mean_over_entries: bool
    params: Mapping[str, sympy.Expr] = field(default_factory=dict)
    batch_reduction: Reduction = "mean"
    kink_note: str | None = None

    def _factor(self, size: int) -> sympy.Rational:
        return self.scale / size if self.mean_over_entries else self.scale

    def value(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Expr:
        residuals = [p - t for p, t in zip(_entries(prediction), _entries(target), strict=True)]
        return self._factor(len(residuals)) * sympy.Add(*[r**2 for r in residuals])

    def gradient(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Matrix:
        factor = 2 * self._factor(len(prediction))
        return (prediction - target).applyfunc(lambda r: factor * r)

    def numpy(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        residual = np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float)
        return float(self._factor(residual.shape[-1])) * np.sum(residual**2, axis=-1)

    def numpy_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        residual = np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float)
        return 2 * float(self._factor(residual.shape[-1])) * residual

    def torch(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if self.mean_over_entries:
            return torch.nn.functional.mse_loss(prediction, target, reduction="none").mean(-1) * float(self.scale)
        return float(self.scale) * ((prediction - target) ** 2).sum(-1)

    def _prefix(self, size: int) -> str:
        factor = self._factor(size)
        if factor == 1:
            return ""
        return rf"\frac{{{factor.p}}}{{{factor.q}}}"

    def formula(self, prediction: str, target: str, size: int) -> str:
        if size == 1:
            return rf"{self._prefix(size)}\left({prediction} - {target}\right)^2"
        return rf"{self._prefix(size)}\left\lVert {prediction} - {target} \right\rVert^2"

    def gradient_formula(self, prediction: str, target: str, size: int) -> str:
        factor = 2 * self._factor(size)
        body = rf"{prediction} - {target}"
        return body if factor == 1 else rf"{_latex_number(factor)}\left({body}\right)"

    def expanded(self, prediction: Sequence[str], target: Sequence[str]) -> str:
        squares = " + ".join(rf"\left({p} - {t}\right)^2" for p, t in zip(prediction, target, strict=True))
        prefix = self._prefix(len(prediction))
        return rf"{prefix}\left[{squares}\right]" if prefix and len(prediction) > 1 else prefix + squares

    def expanded_gradient(self, prediction: Sequence[str], target: Sequence[str]) -> list[str]:
        factor = 2 * self._factor(len(prediction))
        if factor == 1:
            return [rf"{p} - {t}" for p, t in zip(prediction, target, strict=True)]
        return [rf"{_latex_number(factor)}\left({p} - {t}\right)" for p, t in zip(prediction, target, strict=True)]


# ------------------------------------------------------------------------------------------------- quantile


@dataclass(frozen=True)
class QuantileLoss(Loss):
    """Check (pinball) loss Σ ρ_τ(uᵢ), ρ_τ(u) = (τ − I(u < 0))·u with u = y − ŷ (AMA564 A1 Q2).

    Read literally, the formula's derivative at u = 0 uses I(0 < 0) = 0, so ∂L/∂ŷ = −τ there; PyTorch
    autograd on the same formula gives the same value.
    """

    tau: sympy.Expr
    name: str = "quantile"
    title: str = "Quantile (check) loss"
    batch_reduction: Reduction = "mean"
    kink_note: str | None = (
        "ρ_τ is not differentiable at u = y − ŷ = 0; reading I(u < 0) literally (I(0 < 0) = 0) gives ∂L/∂ŷ = −τ there."
    )

    @property
    def params(self) -> Mapping[str, sympy.Expr]:  # type: ignore[override]
        return {"tau": self.tau}

    def _negative(self, u: sympy.Expr) -> sympy.Expr:
        return sympy.Piecewise((1, u < 0), (0, True))

    def value(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Expr:
        us = [t - p for p, t in zip(_entries(prediction), _entries(target), strict=True)]
        return sympy.Add(*[(self.tau - self._negative(u)) * u for u in us])

    def gradient(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Matrix:
        return sympy.Matrix([self._negative(t - p) - self.tau for p, t in zip(prediction, target, strict=True)])

    def numpy(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        u = np.asarray(target, dtype=float) - np.asarray(prediction, dtype=float)
        return np.sum((float(self.tau) - (u < 0)) * u, axis=-1)

    def numpy_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        u = np.asarray(target, dtype=float) - np.asarray(prediction, dtype=float)
        return (u < 0).astype(float) - float(self.tau)

    def torch(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        u = target - prediction
        return ((float(self.tau) - (u < 0).to(u.dtype)) * u).sum(-1)

    def formula(self, prediction: str, target: str, size: int) -> str:
        tau = _latex_number(self.tau)
        u = rf"\left({target} - {prediction}\right)"
        body = rf"\left({tau} - I\!\left({target} - {prediction} < 0\right)\right){u}"
        return body if size == 1 else rf"\sum_i {body}_i"

    def gradient_formula(self, prediction: str, target: str, size: int) -> str:
        return rf"I\!\left({target} - {prediction} < 0\right) - {_latex_number(self.tau)}"

    def expanded(self, prediction: Sequence[str], target: Sequence[str]) -> str:
        tau = _latex_number(self.tau)
        return " + ".join(
            rf"\left({tau} - I\!\left({t} - {p} < 0\right)\right)\left({t} - {p}\right)"
            for p, t in zip(prediction, target, strict=True)
        )

    def expanded_gradient(self, prediction: Sequence[str], target: Sequence[str]) -> list[str]:
        tau = _latex_number(self.tau)
        return [rf"I\!\left({t} - {p} < 0\right) - {tau}" for p, t in zip(prediction, target, strict=True)]


# -------------------------------------------------------------------------------------------- cross-entropy


def _max(values: list[sympy.Expr]) -> sympy.Expr:
    return sympy.Max(*values) if len(values) > 1 else values[0]


@dataclass(frozen=True)
class CrossEntropyFromLogits(Loss):
    """Softmax cross-entropy of logits z against a probability (often one-hot) target y.

    L = −Σ yᵢ log softmax(z)ᵢ = (Σ yᵢ)·LSE(z) − Σ yᵢ zᵢ, with LSE(z) = m + log Σ exp(zⱼ − m), m = max z.
    The shift by m keeps every exponent ≤ 0, so nothing overflows, not even when the exact expression is
    later evaluated in floats. The gradient is (Σ yᵢ)·softmax(z) − y.
    """

    name: str = "cross_entropy"
    title: str = "Cross-entropy from logits"
    params: Mapping[str, sympy.Expr] = field(default_factory=dict)
    batch_reduction: Reduction = "mean"
    kink_note: str | None = None

    @staticmethod
    def log_sum_exp(logits: list[sympy.Expr]) -> sympy.Expr:
        shift = _max(logits)
        return shift + sympy.log(sympy.Add(*[sympy.exp(z - shift) for z in logits]))

    @staticmethod
    def softmax(logits: list[sympy.Expr]) -> list[sympy.Expr]:
        shift = _max(logits)
        weights = [sympy.exp(z - shift) for z in logits]
        total = sympy.Add(*weights)
        return [w / total for w in weights]

    def value(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Expr:
        logits, probabilities = _entries(prediction), _entries(target)
        mass = sympy.Add(*probabilities)
        return mass * self.log_sum_exp(logits) - sympy.Add(*[y * z for y, z in zip(probabilities, logits, strict=True)])

    def gradient(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Matrix:
        logits, probabilities = _entries(prediction), _entries(target)
        mass = sympy.Add(*probabilities)
        return sympy.Matrix([mass * s - y for s, y in zip(self.softmax(logits), probabilities, strict=True)])

    def numpy(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        z, y = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
        shift = np.max(z, axis=-1, keepdims=True)
        lse = shift[..., 0] + np.log(np.sum(np.exp(z - shift), axis=-1))
        return np.sum(y, axis=-1) * lse - np.sum(y * z, axis=-1)

    def numpy_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        z, y = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
        weights = np.exp(z - np.max(z, axis=-1, keepdims=True))
        softmax = weights / np.sum(weights, axis=-1, keepdims=True)
        return np.sum(y, axis=-1, keepdims=True) * softmax - y

    def torch(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if prediction.dim() == 1:
            return torch.nn.functional.cross_entropy(prediction, target, reduction="none")
        flat = prediction.reshape(-1, prediction.shape[-1])
        losses = torch.nn.functional.cross_entropy(flat, target.reshape(flat.shape), reduction="none")
        return losses.reshape(prediction.shape[:-1])

    def formula(self, prediction: str, target: str, size: int) -> str:
        return rf"-\sum_{{i=1}}^{{{size}}} {target}_i \log \operatorname{{softmax}}\!\left({prediction}\right)_i"

    def gradient_formula(self, prediction: str, target: str, size: int) -> str:
        return rf"\operatorname{{softmax}}\!\left({prediction}\right) - {target}"

    def expanded(self, prediction: Sequence[str], target: Sequence[str]) -> str:
        # written for Σ yᵢ = 1, which check_target enforces for numeric targets
        exps = " + ".join(rf"e^{{{z}}}" for z in prediction)
        dot = " + ".join(rf"{y}\cdot {z}" for z, y in zip(prediction, target, strict=True))
        return rf"\log\left({exps}\right) - \left({dot}\right)"

    def expanded_gradient(self, prediction: Sequence[str], target: Sequence[str]) -> list[str]:
        exps = " + ".join(rf"e^{{{z}}}" for z in prediction)
        return [rf"\frac{{e^{{{z}}}}}{{{exps}}} - {y}" for z, y in zip(prediction, target, strict=True)]

    def check_target(self, target: sympy.Matrix) -> None:
        for index, y in enumerate(target):
            if _is_number(y) and (y < 0 or y > 1):
                raise InputError(f"cross-entropy targets are probabilities in [0, 1]; entry {index} is {y}")
        total = sympy.Add(*_entries(target))
        if _is_number(total) and total != 1:
            raise InputError(f"cross-entropy target must sum to 1 (one-hot or probabilities); it sums to {total}")


# ---------------------------------------------------------------------------------------------------- BCE


@dataclass(frozen=True)
class BinaryCrossEntropy(Loss):
    """BCE on probabilities averaged over the K outputs (NYU DL HW1 1.3b, ``nn.BCELoss``).

    L = (1/K) Σ −[yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)], ∂L/∂ŷᵢ = (ŷᵢ − yᵢ) / (K ŷᵢ (1 − ŷᵢ)). Defined only for
    0 < ŷᵢ < 1, which a sigmoid output layer guarantees.
    """

    name: str = "bce"
    title: str = "Binary cross-entropy (mean over outputs)"
    params: Mapping[str, sympy.Expr] = field(default_factory=dict)
    batch_reduction: Reduction = "mean"
    kink_note: str | None = None

    def value(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Expr:
        terms = []
        for p, y in zip(_entries(prediction), _entries(target), strict=True):
            # skip terms whose coefficient is exactly 0, so that 0·log 0 never appears
            if y != 0:
                terms.append(y * sympy.log(p))
            if 1 - y != 0:
                terms.append((1 - y) * sympy.log(1 - p))
        return -sympy.Add(*terms) / len(prediction)

    def gradient(self, prediction: sympy.Matrix, target: sympy.Matrix) -> sympy.Matrix:
        size = len(prediction)
        return sympy.Matrix([(p - y) / (size * p * (1 - p)) for p, y in zip(prediction, target, strict=True)])

    def numpy(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        p, y = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
        return -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p), axis=-1)

    def numpy_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        p, y = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
        return (p - y) / (p.shape[-1] * p * (1 - p))

    def torch(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.binary_cross_entropy(prediction, target, reduction="none").mean(-1)

    def formula(self, prediction: str, target: str, size: int) -> str:
        if size == 1:
            return rf"-\left[{target}\log {prediction} + \left(1 - {target}\right)\log\left(1 - {prediction}\right)"  \
                r"\right]"
        return (
            rf"-\frac{{1}}{{{size}}}\sum_{{i=1}}^{{{size}}}\left[{target}_i \log {prediction}_i"
            rf" + \left(1 - {target}_i\right)\log\left(1 - {prediction}_i\right)\right]"
        )

    def gradient_formula(self, prediction: str, target: str, size: int) -> str:
        if size == 1:
            return rf"\frac{{{prediction} - {target}}}{{{prediction}\left(1 - {prediction}\right)}}"
        return (
            rf"\left[\frac{{{prediction}_i - {target}_i}}"
            rf"{{{size}\,{prediction}_i\left(1 - {prediction}_i\right)}}\right]_i"
        )

    def expanded(self, prediction: Sequence[str], target: Sequence[str]) -> str:
        terms = " + ".join(
            rf"{y}\log {p} + \left(1 - {y}\right)\log\left(1 - {p}\right)"
            for p, y in zip(prediction, target, strict=True)
        )
        size = len(prediction)
        return rf"-\left[{terms}\right]" if size == 1 else rf"-\frac{{1}}{{{size}}}\left[{terms}\right]"

    def expanded_gradient(self, prediction: Sequence[str], target: Sequence[str]) -> list[str]:
        size = len(prediction)
        scale = "" if size == 1 else rf"{size}\cdot "
        return [
            rf"\frac{{{p} - {y}}}{{{scale}{p}\left(1 - {p}\right)}}" for p, y in zip(prediction, target, strict=True)
        ]

    def check_target(self, target: sympy.Matrix) -> None:
        for index, y in enumerate(target):
            if _is_number(y) and (y < 0 or y > 1):
                raise InputError(f"BCE targets are in [0, 1]; entry {index} is {format_exact(y)}")

    def check_prediction(self, prediction: sympy.Matrix) -> None:
        for index, p in enumerate(prediction):
            if _is_number(p) and not _strictly_inside_unit_interval(p):
                raise InputError(
                    f"BCE needs predictions strictly between 0 and 1, but ŷ[{index}] = {format_exact(p)};"
                    " end the network with a sigmoid"
                )


def _strictly_inside_unit_interval(value: sympy.Expr) -> bool:
    """Decide 0 < value < 1 for an exact number, raising precision for a saturated sigmoid (1 − e⁻³²⁰)."""
    if value.is_Rational:
        return bool(0 < value < 1)
    for digits in (30, 300, 3000):
        number = value.evalf(digits)
        if not number.is_real:
            return False
        margin = sympy.Float(10) ** (-(digits // 2))
        if margin < number < 1 - margin:
            return True
        if number < -margin or number > 1 + margin:
            return False
    raise ChainruleError(f"could not decide whether {value} lies strictly between 0 and 1")


def _latex_number(value: sympy.Expr) -> str:
    """A number as a worked solution writes it: 0.25 and 2 as decimals, 1/3 as a fraction."""
    if isinstance(value, sympy.Rational) and "/" not in format_exact(value):
        return format_exact(value)
    return sympy.latex(value)


# ----------------------------------------------------------------------------------------------- registry

LossFactory = Callable[..., Loss]
_REGISTRY: dict[str, LossFactory] = {}
_ALIASES: dict[str, str] = {}


def register(name: str, *aliases: str) -> Callable[[LossFactory], LossFactory]:
    """Function decorator: make ``name`` (and its aliases) resolvable by :func:`get_loss`."""

    def decorator(factory: LossFactory) -> LossFactory:
        _REGISTRY[name] = factory
        for alias in aliases:
            _ALIASES[alias] = name
        return factory

    return decorator


def canonical_loss_name(name: str) -> str:
    """Map an alias (``"MSE"``, ``"pinball"``) to its registry key, or raise :class:`InputError`."""
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in _REGISTRY:
        raise InputError(f"unknown loss {name!r}; known: {', '.join(loss_names())}")
    return key


def loss_names() -> list[str]:
    return sorted(_REGISTRY)


def get_loss(name: str, **params: Any) -> Loss:
    """Build the loss called ``name``; parameters are numbers (read exactly) or SymPy symbols.

    A missing, unknown or out-of-range parameter raises :class:`InputError`.
    """
    key = canonical_loss_name(name)
    accepted = list(inspect.signature(_REGISTRY[key]).parameters)
    if set(params) != set(accepted):
        takes = f"parameter{'s' * (len(accepted) > 1)} {', '.join(accepted)}" if accepted else "no parameters"
        got = ", ".join(sorted(params)) or "none"
        raise InputError(f"loss {key!r} takes {takes}; got {got}")
    return _REGISTRY[key](**params)


def _exact_param(value: Any, name: str) -> sympy.Expr:
    if isinstance(value, sympy.Basic):
        return value
    return to_rational(value, where=f"loss parameter {name}")


@register("half_squared_error", "half_squared", "half_se", "half_sse")
def half_squared_error() -> Loss:
    return SquaredError("half_squared_error", "Half squared error", sympy.Rational(1, 2), mean_over_entries=False)


@register("squared_error", "se", "squared")
def squared_error() -> Loss:
    return SquaredError("squared_error", "Squared error", sympy.Integer(1), mean_over_entries=False)


@register("sum_squared_error", "sse", "sum_of_squares", "l2")
def sum_squared_error() -> Loss:
    return SquaredError("sum_squared_error", "Sum of squared errors", sympy.Integer(1), mean_over_entries=False)


@register("mse", "mean_squared_error", "mseloss")
def mean_squared_error() -> Loss:
    return SquaredError("mse", "Mean squared error", sympy.Integer(1), mean_over_entries=True)


@register("quantile", "pinball", "check", "check_loss", "quantile_loss")
def quantile(tau: Any) -> Loss:
    exact_tau = _exact_param(tau, "tau")
    if exact_tau.is_number and not (0 < exact_tau < 1):
        raise InputError(f"quantile loss needs 0 < tau < 1, got {exact_tau}")
    return QuantileLoss(tau=exact_tau)


@register("cross_entropy", "ce", "crossentropy", "softmax_cross_entropy", "cross_entropy_from_logits")
def cross_entropy() -> Loss:
    return CrossEntropyFromLogits()


@register("bce", "binary_cross_entropy", "bceloss")
def binary_cross_entropy() -> Loss:
    return BinaryCrossEntropy()
