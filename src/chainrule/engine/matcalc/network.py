"""Backpropagation through Linear₁ → f → Linear₂ → g in numerator layout (NYU DL HW1, 2021 and 2022).

The homework asks for the parameter gradients written with only ``x, y, W1, b1, W2, b2, ∂ℓ/∂ŷ, ∂z₂/∂z₁,
∂ŷ/∂z₃`` and for the elements of those three Jacobians. Those forms come from the chain rule in numerator
layout, layer by layer (:func:`_numerator_chain`): the running row ``δ = ∂ℓ/∂z`` is multiplied on the right
by each Jacobian, and an affine layer ``z = Wh + b`` gives ``∂ℓ/∂b = δ`` and ``∂ℓ/∂W = h δ`` (the transpose of
``δᵀhᵀ``, so (in×out): m×K for a K×m ``W``). Independently, each gradient is also derived by reverse mode from
the fully expanded loss (:attr:`Answer.expanded`); tests check both against PyTorch autograd.

Sizes: x ∈ Rⁿ, z₁, z₂ ∈ Rᵐ, z₃, ŷ ∈ Rᴷ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy

from chainrule.errors import InputError
from chainrule.shapes import Shape

from .compare import Comparison, compare_expressions
from .diff import Derivative, Layout, ShowsValue, Step, gradient, jacobian, substitute
from .evaluate import evaluate
from .expr import Apply, Expr, MatMul, Ones, Scale, SqNorm, Symbol, matrix, row_vector, symbols_in, vector
from .printing import entry_latex, reads_as_compound, to_latex, to_text
from .simplify import simplify

__all__ = [
    "NYU_VARIANTS",
    "ActivationChoice",
    "Answer",
    "Change",
    "LayerRow",
    "TwoLayerSolution",
    "allowed_only",
    "compare_variants",
    "parse_activation",
    "two_layer_network",
]

_ACTIVATION = re.compile(r"\s*(\d+)?\s*\*?\s*([A-Za-z_]+)\s*")
_NAMES = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "sigma": "sigmoid", "logistic": "sigmoid",
          "identity": "identity", "id": "identity", "linear": "identity"}
_TITLES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "σ", "identity": "identity"}

#: The activation/loss combinations the two NYU texts ask about, keyed by ``year/question``.
NYU_VARIANTS: dict[str, tuple[str, str, str]] = {
    "2022/1.2": ("5relu", "identity", "mse"),
    "2022/1.3a": ("tanh", "sigmoid", "mse"),
    "2022/1.3b": ("tanh", "sigmoid", "bce"),
    "2021/1.2": ("relu", "identity", "mse"),
    "2021/1.3a": ("sigmoid", "sigmoid", "mse"),
    "2021/1.3b": ("sigmoid", "sigmoid", "bce"),
}


@dataclass(frozen=True)
class ActivationChoice:
    """An elementwise activation times a positive integer scale (NYU 2022 uses f = 5·ReLU)."""

    name: str
    scale: int = 1

    def apply(self, u: Expr) -> Expr:
        value = Apply(self.name, u)
        return value if self.scale == 1 else Scale(sympy.Integer(self.scale), value)

    @property
    def title(self) -> str:
        return (f"{self.scale}·" if self.scale != 1 else "") + _TITLES[self.name]


def parse_activation(text: str) -> ActivationChoice:
    """Read ``"relu"``, ``"5relu"``, ``"5*ReLU"``, ``"tanh"``, ``"sigmoid"``/``"sigma"``, ``"identity"``."""
    if len(text or "") > 40:
        raise InputError("activation name too long")
    match = _ACTIVATION.fullmatch(text or "")
    name = _NAMES.get(match.group(2).lower()) if match else None
    if name is None:
        raise InputError(f"unknown activation {text!r}; use relu, 5relu, tanh, sigmoid or identity")
    scale = int(match.group(1)) if match.group(1) else 1
    if scale < 1 or scale > 10**6:
        raise InputError(f"activation scale out of range in {text!r}")
    return ActivationChoice(name, scale)


@dataclass(frozen=True)
class Answer(ShowsValue):
    """One asked-for quantity: its value in the allowed symbols beside the steps that produced it.

    ``value`` is in numerator layout. For a parameter gradient ``expanded`` is the same gradient derived
    independently by reverse mode from the expanded loss; for a Jacobian, ``value`` is written with the
    intermediates (z₁, z₃, ŷ), ``expanded`` with the inputs, and ``entries`` gives its elements.
    """

    key: str
    label: str
    value: Expr
    expanded: Expr
    steps: tuple[Step, ...]
    entries: str = ""


@dataclass(frozen=True)
class LayerRow:
    """One row of NYU 1.2(b)'s table: a layer, its inputs and its output, in x, y, W1, b1, W2, b2 only."""

    layer: str
    inputs: tuple[Expr, ...]
    output: Expr

    @property
    def latex(self) -> tuple[str, str]:
        return ", ".join(to_latex(e) for e in self.inputs), to_latex(self.output)

    @property
    def text(self) -> tuple[str, str]:
        return ", ".join(to_text(e) for e in self.inputs), to_text(self.output)


@dataclass(frozen=True)
class Change:
    """One answer that differs between two variants (NYU 1.3(a)/(b): "what do you need to change")."""

    part: str
    key: str
    before: str
    after: str


@dataclass(frozen=True)
class TwoLayerSolution:
    """NYU HW1 1.2(b)–(d) / 1.3(a)–(b) for one choice of f, g and loss, symbolic and numeric."""

    f: ActivationChoice
    g: ActivationChoice
    loss: str
    symbols: Mapping[str, Symbol]
    forward: tuple[Step, ...]
    loss_expr: Expr
    gradients: Mapping[str, Answer]
    jacobians: Mapping[str, Answer]
    table: tuple[LayerRow, ...] = ()

    @property
    def allowed(self) -> tuple[Symbol, ...]:
        """The symbols NYU allows in 1.2(c): inputs, parameters and the three Jacobians."""
        names = ("x", "y", "W1", "b1", "W2", "b2", "dl_dyhat", "dz2_dz1", "dyhat_dz3")
        return tuple(self.symbols[n] for n in names)

    def random_point(self, sizes: Mapping[str, int], rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Random x, y, W1, b1, W2, b2 of the given sizes ``{"n", "m", "K"}``; a BCE target lies in (0, 1)."""
        n, m, k = (int(sizes[s]) for s in ("n", "m", "K"))
        point = {
            "x": rng.standard_normal((n, 1)),
            "W1": rng.standard_normal((m, n)),
            "b1": rng.standard_normal((m, 1)),
            "W2": rng.standard_normal((k, m)),
            "b2": rng.standard_normal((k, 1)),
        }
        point["y"] = rng.uniform(0.05, 0.95, (k, 1)) if self.loss == "bce" else rng.standard_normal((k, 1))
        return point

    @staticmethod
    def sizes(point: Mapping[str, np.ndarray]) -> dict[str, int]:
        """The concrete n, m, K of a point, read off W1 (m×n) and W2 (K×m)."""
        w1, w2 = np.atleast_2d(point["W1"]), np.atleast_2d(point["W2"])
        if w2.shape[1] != w1.shape[0]:
            raise InputError(f"W1 is {w1.shape} and W2 is {w2.shape}: the hidden sizes differ")
        return {"n": w1.shape[1], "m": w1.shape[0], "K": w2.shape[0]}

    def bindings(self, point: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Values of every symbol at a point: inputs, intermediates (z1, z2, z3, yhat) and the three Jacobians."""
        values = {k: np.atleast_2d(np.asarray(v, dtype=float)) for k, v in point.items()}
        values["x"], values["y"] = values["x"].reshape(-1, 1), values["y"].reshape(-1, 1)
        values["b1"], values["b2"] = values["b1"].reshape(-1, 1), values["b2"].reshape(-1, 1)
        s, sizes = self.symbols, self.sizes(values)
        values["z1"] = values["W1"] @ values["x"] + values["b1"]
        values["z2"] = evaluate(self.f.apply(s["z1"]), values, sizes)
        values["z3"] = values["W2"] @ values["z2"] + values["b2"]
        values["yhat"] = evaluate(self.g.apply(s["z3"]), values, sizes)
        for key, answer in self.jacobians.items():
            values[key] = evaluate(answer.value, values, sizes)
        return values

    def compare(self, candidate: Expr, key: str, trials: int = 3, seed: int = 0) -> Comparison:
        """Is ``candidate`` (in the allowed symbols, numerator layout) equal to the answer ``key``?

        Each trial draws distinct random n, m, K and a random point; the Jacobian symbols take their true
        values there, so ``x dl_dyhat dyhat_dz3 W2 dz2_dz1`` and its expanded form both compare equal.
        """
        answers = {**self.gradients, **self.jacobians}
        if key not in answers:
            raise InputError(f"unknown answer {key!r}; known: {', '.join(answers)}")

        def bindings(sizes: Mapping[str, int], rng: np.random.Generator) -> dict[str, np.ndarray]:
            return self.bindings(self.random_point(sizes, rng))

        return compare_expressions(candidate, answers[key].value, trials, seed, bindings=bindings)

    def evaluate(self, point: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every answer (numerator layout) at a point, keyed ``W1, b1, W2, b2, dl_dyhat, dz2_dz1, dyhat_dz3``."""
        values, sizes = self.bindings(point), self.sizes(point)
        result = {key: evaluate(answer.value, values, sizes) for key, answer in self.gradients.items()}
        result.update({key: values[key] for key in self.jacobians})
        result["loss"] = evaluate(self.loss_expr, values, sizes)
        return result


def _symbols() -> dict[str, Symbol]:
    return {
        "x": vector("x", "n"),
        "y": vector("y", "K"),
        "W1": matrix("W1", "m", "n", "W^{(1)}"),
        "b1": vector("b1", "m", "b^{(1)}"),
        "W2": matrix("W2", "K", "m", "W^{(2)}"),
        "b2": vector("b2", "K", "b^{(2)}"),
        "z1": vector("z1", "m", "z_{1}"),
        "z2": vector("z2", "m", "z_{2}"),
        "z3": vector("z3", "K", "z_{3}"),
        "yhat": vector("yhat", "K", r"\hat{y}"),
        "dl_dyhat": row_vector("dl_dyhat", "K", r"\frac{\partial \ell}{\partial \hat{y}}"),
        "dz2_dz1": matrix("dz2_dz1", "m", "m", r"\frac{\partial z_{2}}{\partial z_{1}}"),
        "dyhat_dz3": matrix("dyhat_dz3", "K", "K", r"\frac{\partial \hat{y}}{\partial z_{3}}"),
        "loss": Symbol("loss", Shape(1, 1), r"\ell"),
    }


def _loss(kind: str, yhat: Expr, y: Expr) -> Expr:
    if kind == "mse":
        return SqNorm(yhat - y)
    if kind == "bce":
        ones = Ones("K")
        k = sympy.Symbol("K", integer=True, positive=True)
        cross = MatMul((y.T, Apply("log", yhat))) + MatMul(((ones - y).T, Apply("log", ones - yhat)))
        return Scale(-1 / k, cross)
    raise InputError(f"unknown loss {kind!r}; use mse or bce")


def two_layer_network(f: str = "5relu", g: str = "identity", loss: str = "mse") -> TwoLayerSolution:
    """Solve NYU HW1's two-layer network for activations ``f``, ``g`` and loss ``"mse"`` (‖ŷ−y‖²) or
    ``"bce"`` (averaged over K). See :data:`NYU_VARIANTS` for the combinations each year asks about."""
    fa, ga = parse_activation(f), parse_activation(g)
    s = _symbols()
    x, y, w1, b1, w2, b2 = (s[k] for k in ("x", "y", "W1", "b1", "W2", "b2"))
    z1_in = w1 @ x + b1
    z2_in = fa.apply(z1_in)
    z3_in = w2 @ z2_in + b2
    yhat_in = ga.apply(z3_in)
    loss_in = _loss(loss, yhat_in, y)
    forward = (
        _forward_step("Linear_1", x, z1_in, "z_{1}"),
        _forward_step("f", z1_in, z2_in, "z_{2}", fa.title),
        _forward_step("Linear_2", z2_in, z3_in, "z_{3}"),
        _forward_step("g", z3_in, yhat_in, r"\hat{y}", ga.title),
        Step(r"\ell", to_latex(simplify(loss_in)), loss_in.shape, f"loss: {loss.upper()} of (ŷ, y)",
             to_text(simplify(loss_in))),
    )
    jacobians = _jacobians(s, fa, ga, loss, z1_in, z3_in, yhat_in)
    gradients = _numerator_chain(s, z2_in, loss_in)
    table = (
        LayerRow("Linear_1", (x,), simplify(z1_in)),
        LayerRow("f", (simplify(z1_in),), simplify(z2_in)),
        LayerRow("Linear_2", (simplify(z2_in),), simplify(z3_in)),
        LayerRow("g", (simplify(z3_in),), simplify(yhat_in)),
        LayerRow("Loss", (simplify(yhat_in), y), simplify(loss_in)),
    )
    return TwoLayerSolution(fa, ga, loss, s, forward, loss_in, gradients, jacobians, table)


def compare_variants(before: TwoLayerSolution, after: TwoLayerSolution) -> list[Change]:
    """The forward-table rows, gradients and Jacobians whose written form differs between two variants."""
    changes: list[Change] = []
    for old, new in zip(before.table, after.table, strict=True):
        if old.text != new.text:
            changes.append(Change("forward", old.layer, " → ".join(old.text), " → ".join(new.text)))
    for part, old_answers, new_answers in (("gradient", before.gradients, after.gradients),
                                           ("jacobian", before.jacobians, after.jacobians)):
        for key, answer in old_answers.items():
            if answer.text != new_answers[key].text:
                changes.append(Change(part, key, answer.text, new_answers[key].text))
    return changes


def _forward_step(layer: str, given: Expr, output: Expr, name: str, title: str = "") -> Step:
    given, output = simplify(given), simplify(output)
    rule = f"{layer}{f' = {title}' if title else ''}: input {to_text(given)}, output {to_text(output)}"
    return Step(name, to_latex(output), output.shape, rule, to_text(output))


def _jacobians(s: Mapping[str, Symbol], fa: ActivationChoice, ga: ActivationChoice, loss: str,
               z1_in: Expr, z3_in: Expr, yhat_in: Expr) -> dict[str, Answer]:
    result: dict[str, Answer] = {}
    specs: list[tuple[str, Derivative, dict[Symbol, Expr]]] = [
        ("dz2_dz1", jacobian(fa.apply(s["z1"]), s["z1"]), {s["z1"]: z1_in}),
        ("dyhat_dz3", jacobian(ga.apply(s["z3"]), s["z3"]), {s["z3"]: z3_in}),
        ("dl_dyhat", gradient(_loss(loss, s["yhat"], s["y"]), s["yhat"], Layout.NUMERATOR, name=s["loss"]),
         {s["yhat"]: yhat_in}),
    ]
    for key, derivative, replacements in specs:
        label = to_latex(s[key])
        expanded = substitute(derivative.value, replacements)
        result[key] = Answer(key, label, derivative.value, expanded, derivative.steps,
                             _entries(label, derivative.value))
    return result


def _entries(label: str, value: Expr) -> str:
    from .expr import Diag, Identity

    if isinstance(value, Identity):
        return rf"\left({label}\right)_{{ij}} = \delta_{{ij}}"
    if isinstance(value, Diag) or (isinstance(value, Scale) and isinstance(value.arg, Diag)):
        entry = entry_latex(value, "i")
        entry = rf"\left({entry}\right)" if reads_as_compound(value) else entry
        return rf"\left({label}\right)_{{ij}} = \delta_{{ij}}\, {entry}"
    return rf"\left({label}\right)_{{1i}} = {entry_latex(value, 'i')}"


def _numerator_chain(s: Mapping[str, Symbol], z2_in: Expr, loss_in: Expr) -> dict[str, Answer]:
    """Walk the layers backwards in numerator layout, keeping δ = ∂ℓ/∂z as a row."""
    steps: list[Step] = []

    def note(label: str, value: Expr, rule: str) -> Expr:
        value = simplify(value)
        steps.append(Step(label, to_latex(value), value.shape, rule, to_text(value)))
        return value

    answers: dict[str, Answer] = {}
    delta = note(r"\frac{\partial \ell}{\partial z_{3}}", MatMul((s["dl_dyhat"], s["dyhat_dz3"])),
                 "chain rule in numerator layout: the (1×K) row ∂ℓ/∂ŷ times the (K×K) Jacobian of g")
    for index, h_in in (("2", z2_in), ("1", s["x"])):
        gradients = {
            f"b{index}": (delta, f"z = W{index} h + b{index} has ∂z/∂b{index} = I, so ∂ℓ/∂b{index} = ∂ℓ/∂z"),
            f"W{index}": (MatMul((h_in, delta)),
                          f"∂ℓ/∂(W{index})_ij = (∂ℓ/∂z)_i h_j, so in numerator layout ∂ℓ/∂W{index} = h ∂ℓ/∂z "
                          f"with h = {to_text(h_in)}"),
        }
        for key, (value, rule) in gradients.items():
            label = rf"\frac{{\partial \ell}}{{\partial {to_latex(s[key])}}}"
            value = note(label, value, rule)
            expanded = gradient(loss_in, s[key], Layout.NUMERATOR).value
            answers[key] = Answer(key, label, value, expanded, tuple(steps))
        if index == "2":
            delta = note(r"\frac{\partial \ell}{\partial z_{2}}", MatMul((delta, s["W2"])),
                         "z₃ = W₂ z₂ + b₂ has the (K×m) Jacobian W₂")
            delta = note(r"\frac{\partial \ell}{\partial z_{1}}", MatMul((delta, s["dz2_dz1"])),
                         "z₂ = f(z₁) has the (m×m) Jacobian ∂z₂/∂z₁")
    return {key: answers[key] for key in ("W1", "b1", "W2", "b2")}


def allowed_only(expr: Expr, allowed: tuple[Symbol, ...]) -> bool:
    """Whether ``expr`` uses only the allowed symbols (NYU 1.2(c)'s restriction)."""
    return set(symbols_in(expr)) <= set(allowed)
