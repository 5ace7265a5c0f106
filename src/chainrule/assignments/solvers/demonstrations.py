"""Numeric demonstrations beside proofs: each checks one instance of the statement, it proves nothing.

Every demonstration returns steps (what was computed) and answers (the numbers), so a report can show
"the statement holds here" next to the model proof. They are small (milliseconds) and seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

from chainrule.assignments.solution import Answer, Step
from chainrule.errors import InputError

Demo = tuple[list[Step], dict[str, Answer]]
DEMONSTRATIONS: dict[str, Callable[..., Demo]] = {}


def demonstration(name: str) -> Callable[[Callable[..., Demo]], Callable[..., Demo]]:
    def decorator(function: Callable[..., Demo]) -> Callable[..., Demo]:
        DEMONSTRATIONS[name] = function
        return function

    return decorator


def run_demonstration(name: str, params: dict[str, Any]) -> Demo:
    if name not in DEMONSTRATIONS:
        raise InputError(f"unknown demonstration {name!r}; known: {', '.join(sorted(DEMONSTRATIONS))}")
    try:
        return DEMONSTRATIONS[name](**params)
    except TypeError as error:
        raise InputError(f"bad parameters for demonstration {name!r}: {error}") from None


def _value(label: str, value: float | str, tex: str | None = None) -> Answer:
    text = value if isinstance(value, str) else f"{value:.6g}"
    return Answer(label=label, tex=tex or text, value=text)


def check_loss(residuals: np.ndarray, tau: float) -> np.ndarray:
    """ρ_τ(a) = (τ − I(a < 0))·a, elementwise."""
    return (tau - (residuals < 0)) * residuals


@demonstration("quantile_minimiser")
def quantile_minimiser(tau: float = 0.3, samples: int = 2001, seed: int = 0) -> Demo:
    """Minimise the empirical check risk of a skewed sample over c; compare with its τ-quantile."""
    rng = np.random.default_rng(seed)
    y = rng.exponential(1.0, samples)
    candidates = np.sort(y)  # the empirical risk is piecewise linear with kinks at the data
    risks = np.array([check_loss(y - c, tau).mean() for c in candidates])
    best = float(candidates[int(np.argmin(risks))])
    quantile = float(np.quantile(y, tau, method="inverted_cdf"))
    exact = -np.log(1 - tau)  # the Exp(1) quantile F^{-1}(τ)
    steps = [
        Step(
            text=f"Draw {samples} values of $Y\\sim\\mathrm{{Exp}}(1)$ (seed {seed}) and minimise "
            f"$c\\mapsto\\frac1n\\sum_i\\rho_{{{tau}}}(Y_i - c)$ over the sample points (the kinks)."
        ),
        Step(
            tex=rf"\arg\min_c = {best:.4f},\quad \hat F^{{-1}}({tau}) = {quantile:.4f},\quad "
            rf"F^{{-1}}({tau}) = -\ln(1-{tau}) = {exact:.4f}",
            text="The minimiser is the empirical quantile, close to the population quantile:",
        ),
    ]
    return steps, {
        "argmin": _value("argmin", best),
        "empirical_quantile": _value("quantile", quantile),
        "population_quantile": _value("F^{-1}(tau)", float(exact)),
    }


@demonstration("gd_smooth_bound")
def gd_smooth_bound(steps: int = 50) -> Demo:
    """GD with step 1/L on f(θ) = Σ log(1 + e^{θ_i}) (L = 1/4, inf f = 0 not attained): the bound for every T."""
    lipschitz = 0.25
    theta = np.array([3.0, 1.0, -0.5])
    f0 = float(np.sum(np.logaddexp(0.0, theta)))
    norms = []
    for _ in range(steps):
        theta = theta - sigmoid(theta) / lipschitz  # ∇f = σ(θ); f'' = σ(1 − σ) ≤ 1/4
        norms.append(float(np.sum(sigmoid(theta) ** 2)))
    slack = min(2 * lipschitz * f0 / t - min(norms[:t]) for t in range(1, steps + 1))
    lhs, rhs = min(norms), 2 * lipschitz * f0 / steps
    return [
        Step(
            text="Take $f(\\theta) = \\sum_i\\log(1 + e^{\\theta_i})$: $\\nabla f = \\sigma(\\theta)$ and "
            "$f'' = \\sigma(1-\\sigma) \\le \\frac14$, so $L = \\frac14$; $\\bar f = 0$ is a lower bound that is "
            "never attained. Start at $\\theta^0 = (3, 1, -0.5)$ and step $1/L = 4$."
        ),
        Step(
            tex=rf"T = {steps}:\quad \min_{{1\le k\le T}}\|\nabla f(\theta^k)\|^2 = {lhs:.4g} \le "
            rf"\frac{{2L(f(\theta^0) - \bar f)}}{{T}} = {rhs:.4g}",
            text=f"The bound holds for every $T \\le {steps}$ (smallest slack {slack:.3g}).",
        ),
    ], {"lhs": _value("min gradient norm", lhs), "rhs": _value("bound", rhs), "min_slack": _value("slack", slack)}


def cross_entropy(scores: np.ndarray, label: int) -> np.ndarray:
    """−log softmax(f)_y by log-sum-exp (stable for large scores)."""
    top = scores.max(axis=-1, keepdims=True)
    return (np.log(np.exp(scores - top).sum(axis=-1)) + top[..., 0]) - scores[..., label]


@demonstration("cross_entropy_bounds")
def cross_entropy_bounds(k: int = 5, samples: int = 200, seed: int = 0) -> Demo:
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, 10, (samples, k))
    losses = cross_entropy(scores, 0)
    return [
        Step(
            text=f"For {samples} random score vectors $f\\in\\mathbb R^{{{k}}}$ (entries with standard deviation 10) "
            f"and $y = 1$: the smallest loss is {losses.min():.3g} > 0 and the largest {losses.max():.3g} "
            "is finite."
        )
    ], {"min": _value("min loss", float(losses.min())), "max": _value("max loss", float(losses.max()))}


@demonstration("cross_entropy_limit")
def cross_entropy_limit() -> Demo:
    lam = sympy.Symbol("lambda", positive=True)
    k = sympy.Symbol("k", integer=True, positive=True)
    loss = -sympy.log(sympy.exp(lam) / (sympy.exp(lam) + (k - 1)))
    closed = sympy.log(1 + (k - 1) * sympy.exp(-lam))
    difference = sympy.simplify(sympy.expand_log(loss - closed, force=True))
    limit = sympy.limit(closed, lam, sympy.oo)
    return [
        Step(
            text="SymPy confirms the closed form and the limit:",
            tex=rf"-\log\frac{{e^\lambda}}{{e^\lambda + k - 1}} - \log\left(1 + (k-1)e^{{-\lambda}}\right) = "
            rf"{sympy.latex(difference)},\qquad \lim_{{\lambda\to\infty}}\log\left(1 + (k-1)e^{{-\lambda}}\right) "
            rf"= {sympy.latex(limit)}",
        ),
    ], {"limit": _value("limit", str(limit)), "difference": _value("difference", str(difference))}


@demonstration("max_derivative")
def max_derivative(x: float = 0.3) -> Demo:
    functions = [
        ("\\sin x", np.sin, np.cos),
        ("\\cos x", np.cos, lambda t: -np.sin(t)),
        ("x^2/2", lambda t: t**2 / 2, lambda t: t),
    ]
    values = [f(x) for _, f, _ in functions]
    best = int(np.argmax(values))
    h = 1e-6
    maximum = lambda t: max(f(t) for _, f, _ in functions)  # noqa: E731
    numeric = (maximum(x + h) - maximum(x - h)) / (2 * h)
    exact = functions[best][2](x)
    return [
        Step(
            text=f"With $f_1 = \\sin x$, $f_2 = \\cos x$, $f_3 = x^2/2$ at $x = {x}$ the maximum is attained only "
            f"by $f_{best + 1} = {functions[best][0]}$; the central difference of $\\max_i f_i$ is "
            f"{numeric:.6f} and $f_{best + 1}'(x) = {exact:.6f}$."
        )
    ], {"numeric": _value("difference quotient", float(numeric)), "exact": _value("f_I'(x)", float(exact))}


@demonstration("relu_idempotent")
def relu_idempotent() -> Demo:
    z = sympy.Symbol("z", real=True)
    composed = sympy.Max(0, sympy.Max(0, z))
    grid = [sympy.Rational(n, 4) for n in range(-12, 13)]
    holds = all(sympy.Max(0, sympy.Max(0, v)) == sympy.Max(0, v) for v in grid)
    return [
        Step(
            text="SymPy simplifies the composition itself, and the identity holds at every point of "
            "$\\{-3, -2.75, \\dots, 3\\}$:",
            tex=rf"\max\{{0, \max\{{0, z\}}\}} = {sympy.latex(composed)}",
        )
    ], {"composition": _value("composition", str(composed)), "grid": _value("grid check", str(holds))}


@demonstration("softplus_lipschitz")
def softplus_lipschitz() -> Demo:
    from chainrule.engine.activations import X, get_activation
    from chainrule.engine.lipschitz import lipschitz_fact

    softplus = get_activation("softplus", beta=1)
    relu = get_activation("relu")
    soft = lipschitz_fact(softplus.derivative, X, {})
    hard = lipschitz_fact(relu.derivative, X, {})
    constant = sympy.latex(soft.constant) if soft.constant is not None else "?"
    return [
        Step(
            text=f"chainrule's Lipschitz analysis of the derivatives: softplus′ is {soft.status} with constant "
            f"${constant}$; ReLU′ is {hard.status} ({hard.reason})."
        )
    ], {
        "softplus": _value("softplus' Lipschitz constant", str(soft.constant)),
        "relu": _value("ReLU' Lipschitz", hard.status),
    }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def tanh_weights(a: list[np.ndarray], b: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights of the tanh network equal to the sigmoid network (A, b): the construction of the model proof."""
    last = len(a) - 1
    c, d = [], []
    for index, (matrix, bias) in enumerate(zip(a, b, strict=True)):
        ones = np.ones(matrix.shape[1])
        if index == 0:
            c.append(matrix / 2)
            d.append(bias / 2)
        elif index < last:
            c.append(matrix / 4)
            d.append(bias / 2 + matrix @ ones / 4)
        else:
            c.append(matrix / 2)
            d.append(bias + matrix @ ones / 2)
    return c, d


def mlp(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, activation: Callable) -> np.ndarray:
    h = x
    for index, (matrix, bias) in enumerate(zip(weights, biases, strict=True)):
        h = matrix @ h + bias
        if index < len(weights) - 1:
            h = activation(h)
    return h


@demonstration("sigmoid_tanh_equivalence")
def sigmoid_tanh_equivalence(widths: list[int] | None = None, seed: int = 0) -> Demo:
    widths = widths or [3, 4, 5, 2]
    rng = np.random.default_rng(seed)
    a = [rng.normal(size=(widths[i + 1], widths[i])) for i in range(len(widths) - 1)]
    b = [rng.normal(size=widths[i + 1]) for i in range(len(widths) - 1)]
    c, d = tanh_weights(a, b)
    x = rng.normal(size=(widths[0], 50))
    gap = float(np.abs(mlp(a, [v[:, None] for v in b], x, sigmoid) - mlp(c, [v[:, None] for v in d], x, np.tanh)).max())
    return [
        Step(
            text=f"Random sigmoid network with widths {widths} (seed {seed}); the tanh network built by the "
            f"construction agrees on 50 random inputs to within {gap:.1e}."
        )
    ], {"max_gap": _value("gap", gap)}


@demonstration("dead_relu")
def dead_relu(p: int = 8, samples: int = 32, steps: int = 200, seed: int = 0, leaky: float = 0.0) -> Demo:
    """SGD on f(x) = Σ u_j σ(a_j x + b_j) with unit 0 dead at the start; report how far its a_0, b_0 move."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, samples)
    y = np.sin(3 * x)
    a, b, u = rng.normal(size=p), rng.normal(size=p), rng.normal(size=p)
    a[0], b[0] = 0.5, -2.0  # a_0 x + b_0 ≤ −1.5 < 0 on [−1, 1]: dead on every sample
    start = (a[0], b[0])
    slope = leaky
    for step in range(steps):
        i = rng.integers(samples)
        pre = a * x[i] + b
        act = np.where(pre > 0, pre, slope * pre)
        grad_act = np.where(pre > 0, 1.0, slope)
        residual = u @ act - y[i]  # ℓ = ½ residual²
        grad_u, grad_pre = residual * act, residual * u * grad_act
        if step == 0:
            first = (float(grad_pre[0] * x[i]), float(grad_pre[0]))
        a, b, u = a - 0.1 * grad_pre * x[i], b - 0.1 * grad_pre, u - 0.1 * grad_u
    moved = float(abs(a[0] - start[0]) + abs(b[0] - start[1]))
    kind = "ReLU" if slope == 0 else f"leaky ReLU (α = {slope})"
    return [
        Step(
            text=f"{steps} SGD steps (step 0.1, squared loss, seed {seed}) on a {p}-unit {kind} network whose unit 1 "
            f"starts dead ($a_1 = 0.5$, $b_1 = -2$, inputs in $[-1, 1]$). First-step gradient "
            f"$(\\partial_{{a_1}}, \\partial_{{b_1}}) = ({first[0]:.3g}, {first[1]:.3g})$; "
            f"$|\\Delta a_1| + |\\Delta b_1| = {moved:.3g}$ after training."
        )
    ], {"moved": _value("change of a_1, b_1", moved), "first_gradient_b": _value("first d/db_1", first[1])}
