"""Gradient-descent dynamics, exactly: a 1-D quadratic (Prof. You HW1 Q4) and the L-smooth descent bound (AMA564 A1 Q3).

Quadratic. For ``L(w) = k (xw − y)²`` (k = ½ or 1) the update ``w ← w − α L′(w)`` is an affine map, and
``w_{t+1} − w* = r (w_t − w*)`` with ``w* = y/x`` and ``r = 1 − 2kαx²``. Everything follows from ``r``: the sign
says monotone or oscillating, ``|r|`` says converging or diverging. The ratio and the thresholds on α are
derived with SymPy from the loss (not typed in), and the iterates are exact rationals.

Smooth descent bound. For an L-smooth f bounded below by f̄, GD with step 1/L satisfies
``min_{1≤k≤T} ‖∇f(θᵏ)‖² ≤ 2L(f(θ⁰) − f̄)/T``. :func:`descent_bound_check` runs GD on a concrete example and
tests the inequality for every T, exactly for a quadratic with rational data; a step beyond 2/L shows
the inequality failing once the hypothesis does.

Nothing here prints or plots: each result carries ``plot`` data (lists of floats) for a later stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import mpmath
import numpy as np
import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.exact import format_exact, to_rational
from chainrule.engine.matcalc.diff import Step
from chainrule.errors import InputError

__all__ = [
    "CONVENTION_NOTE",
    "BoundRow",
    "Convention",
    "DescentBoundCheck",
    "GDRun",
    "LeastSquaresGD",
    "QuadraticGD",
    "Regime",
    "Thresholds",
    "classify",
    "descent_bound_check",
    "gd_quadratic",
    "least_squares_gd",
    "logistic_descent_bound_check",
    "quadratic_thresholds",
    "run_quadratic_gd",
    "steps_to_tolerance",
]

MAX_ITERATIONS = 1000
MAX_WORKED_STEPS = 50  # iterations written out as steps; the iterates themselves are all kept
_EXACT_POWER_LIMIT = 100_000
ALPHA = sympy.Symbol("alpha", real=True)
_W, _X, _Y = sympy.symbols("w x y", real=True)

CONVENTION_NOTE = (
    "Prof. You's HW1 names ½(wᵀx − y)² the 'L2 loss' in Question 2.2 of the same homework, so the 'L2 loss' of "
    "Question 4 is read as L = ½(xw − y)² (the usual convention of that course). Without the ½, L = (xw − y)², "
    "the gradient doubles and every threshold on α halves."
)


class Convention(StrEnum):
    HALF = "half"  # L = ½ (xw − y)²
    PLAIN = "plain"  # L = (xw − y)²


class Regime(StrEnum):
    AT_OPTIMUM = "starts at the optimum"
    STATIONARY = "stationary (α = 0)"
    MONOTONE_DIVERGENCE = "monotone divergence"
    MONOTONE_CONVERGENCE = "monotone convergence"
    ONE_STEP = "convergence in one step"
    OSCILLATING_CONVERGENCE = "oscillating convergence"
    CONSTANT_OSCILLATION = "constant oscillation"
    OSCILLATING_DIVERGENCE = "oscillating divergence"


def _coefficient(convention: Convention) -> sympy.Rational:
    return sympy.Rational(1, 2) if Convention(convention) == Convention.HALF else sympy.Integer(1)


def _loss(convention: Convention) -> sympy.Expr:
    return _coefficient(convention) * (_X * _W - _Y) ** 2


@dataclass(frozen=True)
class Thresholds:
    """What the loss convention implies for α, derived symbolically (valid for any x ≠ 0).

    ``ratio`` is r(α) in ``w_{t+1} − w* = r (w_t − w*)``; ``one_step`` solves r = 0 (where oscillation starts:
    r < 0 for α above it); ``constant_oscillation`` solves r = −1 (GD converges for 0 < α below it).
    ``at`` holds the same values for the concrete x.
    """

    convention: Convention
    loss: sympy.Expr
    gradient: sympy.Expr
    update: sympy.Expr
    ratio: sympy.Expr
    one_step: sympy.Expr
    constant_oscillation: sympy.Expr
    at: dict[str, sympy.Expr]
    statements: tuple[str, ...]
    steps: tuple[Step, ...]


def quadratic_thresholds(convention: Convention | str = Convention.HALF, x: Any = 1) -> Thresholds:
    """Derive the update, its contraction ratio and the α thresholds from the loss with SymPy."""
    convention = Convention(convention)
    loss = _loss(convention)
    grad = sympy.diff(loss, _W)
    update = sympy.expand(_W - ALPHA * grad)
    w_star = sympy.solve(sympy.Eq(grad, 0), _W)[0]
    ratio = sympy.simplify((update.subs(_W, _W) - w_star) / (_W - w_star))
    if ratio.has(_W) or ratio.has(_Y):  # pragma: no cover - the update is affine in w
        raise AssertionError(f"unexpected non-affine update {update}")
    one_step = sympy.solve(sympy.Eq(ratio, 0), ALPHA)[0]
    constant = sympy.solve(sympy.Eq(ratio, -1), ALPHA)[0]
    xv = to_rational(x, "x")
    if xv == 0:
        raise InputError("x must be non-zero: with x = 0 the loss does not depend on w", "x")
    at = {"ratio": ratio.subs(_X, xv), "one_step": one_step.subs(_X, xv), "constant_oscillation": constant.subs(_X, xv)}
    a1, a2 = format_exact(at["one_step"]), format_exact(at["constant_oscillation"])
    statements = (
        f"w_(t+1) − w* = ({sympy.sstr(at['ratio'])})(w_t − w*), with w* = y/x",
        f"0 < α < {a1}: monotone convergence",
        f"α = {a1}: lands on w* in one step",
        f"α > {a1}: GD oscillates around w* (the sign of w − w* flips every step)",
        f"{a1} < α < {a2}: oscillating convergence",
        f"α = {a2}: constant oscillation between w₀ and 2w* − w₀",
        f"α > {a2}: divergence; GD converges exactly when 0 < α < {a2}",
    )
    steps = (
        Step("L(w)", sympy.latex(loss), None, f"the loss ({convention.value} convention)", sympy.sstr(loss)),
        Step("L'(w)", sympy.latex(sympy.factor(grad)), None, "differentiate in w", sympy.sstr(sympy.factor(grad))),
        Step("w^{*}", sympy.latex(w_star), None, "L′(w*) = 0", sympy.sstr(w_star)),
        Step("w_{t+1}", sympy.latex(update.subs(_W, sympy.Symbol("w_t"))), None, "w_t − α L′(w_t)",
             sympy.sstr(update.subs(_W, sympy.Symbol("w_t")))),
        Step("r", sympy.latex(ratio), None, "(w_{t+1} − w*)/(w_t − w*), independent of w_t and y", sympy.sstr(ratio)),
        Step(r"\alpha_{1}", sympy.latex(one_step), None, "r = 0: one step; r < 0 (oscillation) for α above it",
             sympy.sstr(one_step)),
        Step(r"\alpha_{2}", sympy.latex(constant), None, "r = −1: constant oscillation; |r| < 1 ⇔ 0 < α < α₂",
             sympy.sstr(constant)),
    )
    return Thresholds(convention, loss, grad, update, ratio, one_step, constant, at, statements, steps)


def classify(ratio: sympy.Rational, at_optimum: bool = False) -> Regime:
    """The regime of ``w_{t+1} − w* = r (w_t − w*)`` from the exact ratio r."""
    if at_optimum:
        return Regime.AT_OPTIMUM
    if ratio == 1:
        return Regime.STATIONARY
    if ratio > 1:
        return Regime.MONOTONE_DIVERGENCE
    if ratio > 0:
        return Regime.MONOTONE_CONVERGENCE
    if ratio == 0:
        return Regime.ONE_STEP
    if ratio > -1:
        return Regime.OSCILLATING_CONVERGENCE
    if ratio == -1:
        return Regime.CONSTANT_OSCILLATION
    return Regime.OSCILLATING_DIVERGENCE


def steps_to_tolerance(ratio: sympy.Rational, distance0: sympy.Rational, tolerance: sympy.Rational) -> int | None:
    """Closed form: the least t with |r|ᵗ·d₀ < tol, or None when it never happens (|r| ≥ 1 and d₀ ≥ tol)."""
    d0, tol, r = abs(distance0), tolerance, abs(ratio)
    if d0 < tol:
        return 0
    if r == 0:
        return 1
    if r >= 1:
        return None
    with mpmath.workdps(60):
        estimate = mpmath.log(mpmath.mpf(d0.p) / d0.q * tol.q / tol.p) / mpmath.log(mpmath.mpf(r.q) / r.p)
        t = max(0, int(mpmath.floor(estimate)))
    if t > _EXACT_POWER_LIMIT:  # r is within ~1e-4 of 1: exact powers would be enormous; 60 digits decide it
        return t + 1
    while r**t * d0 >= tol:  # the logarithm only gives a starting guess; the answer is decided exactly
        t += 1
    while t > 0 and r ** (t - 1) * d0 < tol:
        t -= 1
    return t


@dataclass(frozen=True)
class GDRun:
    """One step size: exact iterates, their losses and distances to w*, the regime and the worked lines."""

    alpha: sympy.Rational
    ratio: sympy.Rational
    regime: Regime
    w_star: sympy.Rational
    iterates: tuple[sympy.Rational, ...]
    losses: tuple[sympy.Rational, ...]
    distances: tuple[sympy.Rational, ...]
    steps_to_tolerance: int | None
    tolerance: sympy.Rational
    steps: tuple[Step, ...]
    plot: dict[str, list[float]] = field(repr=False)

    @property
    def lines(self) -> tuple[str, ...]:
        """The worked iterations as plain text, one per step."""
        return tuple(f"{step.label} = {step.text}" for step in self.steps)


def run_quadratic_gd(
    alpha: Any, x: Any = 1, y: Any = 100, w0: Any = 0, convention: Convention | str = Convention.HALF,
    iterations: int = 10, tolerance: Any = 1,
) -> GDRun:
    """Run GD on k(xw − y)² exactly for ``iterations`` steps (iterates stay rationals; no rounding)."""
    convention = Convention(convention)
    a, xv, yv, w = (to_rational(v, name) for v, name in ((alpha, "alpha"), (x, "x"), (y, "y"), (w0, "w0")))
    tol = to_rational(tolerance, "tolerance")
    if not 0 <= iterations <= MAX_ITERATIONS:
        raise InputError(f"iterations must be between 0 and {MAX_ITERATIONS}", "iterations")
    if xv == 0:
        raise InputError("x must be non-zero", "x")
    if tol <= 0:
        raise InputError("the tolerance must be positive", "tolerance")
    k = _coefficient(convention)
    ratio = 1 - 2 * k * a * xv**2
    w_star = yv / xv
    iterates, steps = [w], []
    derivative = sympy.sstr(sympy.expand(2 * k * xv * (xv * _W - yv)))
    for t in range(iterations):
        grad = 2 * k * xv * (xv * w - yv)
        new = w - a * grad
        if t >= MAX_WORKED_STEPS:
            w = new
            iterates.append(w)
            continue
        arithmetic = f"{format_exact(w)} − {format_exact(a)}·({format_exact(grad)}) = {format_exact(new)}"
        steps.append(Step(f"w_{t + 1}", f"w_{{{t + 1}}} = {sympy.latex(w)} - {sympy.latex(a)} \\cdot "
                          f"\\left({sympy.latex(grad)}\\right) = {sympy.latex(new)}", None,
                          f"w_(t+1) = w_t − α L′(w_t) with L′(w) = {derivative}",
                          f"w_{t} − α L′(w_{t}) = {arithmetic}"))
        w = new
        iterates.append(w)
    losses = tuple(k * (xv * v - yv) ** 2 for v in iterates)
    distances = tuple(abs(v - w_star) for v in iterates)
    plot = {
        "t": [float(t) for t in range(len(iterates))],
        "w": [float(v) for v in iterates],
        "loss": [float(v) for v in losses],
        "distance": [float(v) for v in distances],
        "w_star": [float(w_star)] * len(iterates),
    }
    return GDRun(a, ratio, classify(ratio, iterates[0] == w_star), w_star, tuple(iterates), losses, distances,
                 steps_to_tolerance(ratio, iterates[0] - w_star, tol), tol, tuple(steps), plot)


@dataclass(frozen=True)
class QuadraticGD:
    """Prof. You HW1 Q4 answered: a run per step size under the chosen convention, thresholds for both."""

    convention: Convention
    runs: tuple[GDRun, ...]
    thresholds: Thresholds
    other_thresholds: Thresholds
    other_runs: tuple[GDRun, ...]
    note: str


def gd_quadratic(
    alphas: Sequence[Any] = ("0.5", "1.5", "2.5"), x: Any = 1, y: Any = 100, w0: Any = 0,
    convention: Convention | str = Convention.HALF, iterations: int = 10, tolerance: Any = 1,
) -> QuadraticGD:
    """Runs for each α under ``convention`` (and, for comparison, under the other one), with thresholds."""
    if not alphas or len(alphas) > 100:
        raise InputError("give between 1 and 100 step sizes", "alphas")
    convention = Convention(convention)
    other = Convention.PLAIN if convention == Convention.HALF else Convention.HALF

    def runs(c: Convention) -> tuple[GDRun, ...]:
        return tuple(run_quadratic_gd(a, x, y, w0, c, iterations, tolerance) for a in alphas)

    return QuadraticGD(convention, runs(convention), quadratic_thresholds(convention, x),
                       quadratic_thresholds(other, x), runs(other), CONVENTION_NOTE)


# --- AMA564 A1 Q3: the L-smooth descent bound --------------------------------------------------------------


@dataclass(frozen=True)
class BoundRow:
    """For one T: the left side min_{1≤k≤T} ‖∇f(θᵏ)‖², the right side 2L(f(θ⁰) − f̄)/T, and whether ≤ holds."""

    T: int
    min_grad_sq: Any
    bound: Any
    holds: bool


@dataclass(frozen=True)
class DescentBoundCheck:
    """GD on an L-smooth example and the bound checked for every T (exact where the data are rational).

    ``descent_holds`` checks the per-step lemma f(θᵏ⁺¹) ≤ f(θᵏ) − ‖∇f(θᵏ)‖²/(2L) the proof sums.
    ``first_violation`` is the least T where the bound fails (None when it holds throughout).
    """

    problem: str
    L: Any
    step: Any
    f0: Any
    f_bar: Any
    rows: tuple[BoundRow, ...]
    descent_holds: tuple[bool, ...]
    exact: bool
    iterates: tuple[tuple[Any, ...], ...] = field(repr=False)
    plot: dict[str, list[float]] = field(repr=False)
    data: Any = field(default=None, repr=False)

    @property
    def all_hold(self) -> bool:
        return all(row.holds for row in self.rows)

    @property
    def first_violation(self) -> int | None:
        return next((row.T for row in self.rows if not row.holds), None)


def _rotation_quadratic() -> tuple[sympy.Matrix, sympy.Matrix]:
    q = sympy.Matrix([[sympy.Rational(3, 5), sympy.Rational(-4, 5)], [sympy.Rational(4, 5), sympy.Rational(3, 5)]])
    return q * sympy.diag(4, 1) * q.T, sympy.Matrix([1, 2])  # eigenvalues 4 and 1: L = 4 exactly


def _eigenvalues(matrix: sympy.Matrix) -> list[sympy.Expr]:
    return list(matrix.eigenvals())


def descent_bound_check(
    H: Sequence[Sequence[Any]] | None = None, b: Sequence[Any] | None = None, theta0: Sequence[Any] | None = None,
    T: int = 30, step_scale: Any = 1, L: Any = None,
) -> DescentBoundCheck:
    """f(θ) = ½θᵀHθ − bᵀθ with symmetric positive-definite rational H, exactly; step = step_scale / L.

    L defaults to λ_max(H) (it must come out rational; otherwise pass a rational ``L`` ≥ λ_max(H), which is
    also a valid smoothness constant). f̄ = min f = −½ bᵀH⁻¹b is exact, so each comparison is exact.
    The default H has eigenvalues 4 and 1 (a rotated diagonal), b = (1, 2), θ⁰ = (3, −2).
    """
    if H is None:
        hm, bv = _rotation_quadratic()
    else:
        hm = sympy.Matrix([[to_rational(v, f"H[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(H)])
        bv = sympy.Matrix([to_rational(v, f"b[{i}]") for i, v in enumerate(b or [])])
    if not hm.is_square or hm.rows > 6 or hm != hm.T or bv.shape != (hm.rows, 1):
        raise InputError("H must be a symmetric square matrix of size at most 6 and b a vector of its size", "H")
    if not hm.is_positive_definite:
        raise InputError("H must be positive definite so that f is bounded below", "H")
    if not 1 <= T <= 500:
        raise InputError("T must be between 1 and 500", "T")
    theta = sympy.Matrix([to_rational(v, "theta0") for v in (theta0 or [3, -2][: hm.rows] + [1] * (hm.rows - 2))])
    if L is None:
        big_l = max(call_bounded(_eigenvalues, hm, timeout=10.0))
        if not big_l.is_Rational:
            raise InputError("λ_max(H) is irrational; pass a rational L ≥ λ_max(H) to keep the check exact", "L")
    else:
        big_l = to_rational(L, "L")
        if not (big_l * sympy.eye(hm.rows) - hm).is_positive_semidefinite:
            raise InputError(f"L = {big_l} is below λ_max(H): f is not L-smooth for it", "L")
    step = to_rational(step_scale, "step_scale") / big_l

    def f(v: sympy.Matrix) -> sympy.Expr:
        return (v.T * hm * v / 2 - bv.T * v)[0]

    f_bar = f(hm.LUsolve(bv))
    f0 = f(theta)
    grad_sq, values, descent, iterates = [], [f0], [], [tuple(theta)]
    for _ in range(T):
        grad = hm * theta - bv
        new = theta - step * grad
        descent.append(bool(f(new) <= f(theta) - (grad.T * grad)[0] / (2 * big_l)))
        theta = new
        iterates.append(tuple(theta))
        g = hm * theta - bv
        grad_sq.append((g.T * g)[0])
        values.append(f(theta))
    rows = _rows(grad_sq, lambda t: 2 * big_l * (f0 - f_bar) / t, lambda a, c: bool(a <= c))
    plot = _plot(rows, values)
    return DescentBoundCheck("quadratic ½θᵀHθ − bᵀθ", big_l, step, f0, f_bar, rows, tuple(descent), True,
                             tuple(iterates), plot)


def logistic_descent_bound_check(
    n: int = 40, p: int = 3, T: int = 60, step_scale: float = 1.0, seed: int = 0
) -> DescentBoundCheck:
    """Logistic regression f(θ) = (1/n)Σ log(1 + exp(−yᵢxᵢᵀθ)) in floats, with L = λ_max(XᵀX)/(4n), f̄ = 0.

    (f ≥ 0 is a valid lower bound; the bound with a smaller f̄ is weaker, so it must still hold.) The data are
    drawn from ``seed``; comparisons allow a relative 1e-12 for rounding.
    """
    if not (1 <= n <= 10_000 and 1 <= p <= 100 and 1 <= T <= 10_000):
        raise InputError("n, p and T are out of range", "n/p/T")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    y = np.where(rng.standard_normal(n) + x @ rng.standard_normal(p) > 0, 1.0, -1.0)
    big_l = float(np.linalg.eigvalsh(x.T @ x / n).max() / 4)
    step = step_scale / big_l

    def f(theta: np.ndarray) -> float:
        return float(np.mean(np.logaddexp(0.0, -y * (x @ theta))))

    def grad(theta: np.ndarray) -> np.ndarray:
        margins = y * (x @ theta)
        return -(x.T @ (y * np.exp(-np.logaddexp(0.0, margins)))) / n

    theta = rng.standard_normal(p)
    f0 = f(theta)
    grad_sq, values, descent, iterates = [], [f0], [], [tuple(theta.tolist())]
    for _ in range(T):
        g = grad(theta)
        new = theta - step * g
        descent.append(f(new) <= f(theta) - float(g @ g) / (2 * big_l) + 1e-12 * abs(f(theta)))
        theta = new
        iterates.append(tuple(theta.tolist()))
        g_new = grad(theta)
        grad_sq.append(float(g_new @ g_new))
        values.append(f(theta))
    rows = _rows(grad_sq, lambda t: 2 * big_l * (f0 - 0.0) / t, lambda a, c: a <= c * (1 + 1e-12))
    return DescentBoundCheck("logistic regression", big_l, step, f0, 0.0, rows, tuple(descent), False,
                             tuple(iterates), _plot(rows, values), data=(x, y))


def _rows(grad_sq: list[Any], bound: Any, leq: Any) -> tuple[BoundRow, ...]:
    rows, best = [], None
    for t, value in enumerate(grad_sq, start=1):
        best = value if best is None or value < best else best
        rhs = bound(t)
        rows.append(BoundRow(t, best, rhs, leq(best, rhs)))
    return tuple(rows)


def _plot(rows: tuple[BoundRow, ...], values: list[Any]) -> dict[str, list[float]]:
    return {
        "T": [float(r.T) for r in rows],
        "min_grad_sq": [float(r.min_grad_sq) for r in rows],
        "bound": [float(r.bound) for r in rows],
        "f": [float(v) for v in values],
    }


# --- Ryu HW1 P3: GD on ½‖Xθ − Y‖² diverges for α > 2/ρ(XᵀX) from almost every start -------------------------


@dataclass(frozen=True)
class LeastSquaresGD:
    """Exact GD on f(θ) = ½‖Xθ − Y‖².

    The error eₖ = θₖ − θ* obeys eₖ₊₁ = (I − αXᵀX)eₖ, so along an eigenvector of XᵀX with eigenvalue λ it is
    multiplied by 1 − αλ each step. ``unstable`` lists the eigenvalues with |1 − αλ| > 1; GD diverges exactly
    when e₀ has a component along one of them (``diverges``), which fails only on a lower-dimensional set.
    """

    alpha: sympy.Rational
    spectral_radius: sympy.Expr
    threshold: sympy.Expr
    factors: dict[sympy.Expr, sympy.Expr]
    unstable: tuple[sympy.Expr, ...]
    diverges: bool
    theta_star: tuple[sympy.Rational, ...]
    iterates: tuple[tuple[sympy.Rational, ...], ...]
    steps: tuple[Step, ...]
    plot: dict[str, list[float]] = field(repr=False)


def _eigen(gram: sympy.Matrix) -> list[tuple[sympy.Expr, list[sympy.Matrix]]]:
    return [(value, vectors) for value, _, vectors in gram.eigenvects()]


def least_squares_gd(
    X: Sequence[Sequence[Any]], Y: Sequence[Any], alpha: Any, theta0: Sequence[Any], iterations: int = 20,
    timeout: float = 10.0,
) -> LeastSquaresGD:
    """Run GD exactly and decide divergence from the eigen-decomposition of XᵀX (which must be invertible)."""
    xm = sympy.Matrix([[to_rational(v, f"X[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(X)])
    yv = sympy.Matrix([to_rational(v, f"Y[{i}]") for i, v in enumerate(Y)])
    theta = sympy.Matrix([to_rational(v, f"theta0[{i}]") for i, v in enumerate(theta0)])
    a = to_rational(alpha, "alpha")
    if xm.rows != yv.rows or xm.cols != theta.rows or xm.cols > 5 or xm.rows > 50:
        raise InputError("X must be N×p (p ≤ 5, N ≤ 50), Y of length N and θ⁰ of length p", "X")
    if not 0 <= iterations <= 500:
        raise InputError("iterations must be between 0 and 500", "iterations")
    gram = xm.T * xm
    if gram.det() == 0:
        raise InputError("XᵀX must be invertible", "X")
    theta_star = gram.LUsolve(xm.T * yv)
    eigen = call_bounded(_eigen, gram, timeout=timeout)
    rho = max((value for value, _ in eigen), key=lambda v: sympy.N(v, 30))
    factors = {value: 1 - a * value for value, _ in eigen}
    unstable = tuple(v for v, f in factors.items() if sympy.N(abs(f), 50) > 1)
    error0 = theta - theta_star
    diverges = any(sympy.simplify((vector.T * error0)[0]) != 0
                   for value, vectors in eigen if value in unstable for vector in vectors)
    iterates = [tuple(theta)]
    for _ in range(iterations):
        theta = theta - a * (gram * theta - xm.T * yv)
        iterates.append(tuple(theta))
    distances = [float(sympy.sqrt(sum((v - w) ** 2 for v, w in zip(it, theta_star, strict=True))))
                 for it in iterates]
    steps = (
        Step(r"\nabla f(\theta)", r"X^{T}(X\theta - Y)", None, "gradient of ½‖Xθ − Y‖²"),
        Step(r"e_{k+1}", r"(I - \alpha X^{T}X)\, e_{k}", None, "eₖ = θₖ − θ*, since XᵀXθ* = XᵀY"),
        Step(r"\rho(X^{T}X)", sympy.latex(rho), None, "largest eigenvalue of XᵀX", sympy.sstr(rho)),
        Step(r"2/\rho", sympy.latex(2 / rho), None, "α above it makes |1 − αρ| > 1", sympy.sstr(2 / rho)),
        Step(r"1 - \alpha\lambda", ", ".join(sympy.latex(f) for f in factors.values()), None,
             "the factor along each eigenvector", ", ".join(sympy.sstr(f) for f in factors.values())),
    )
    plot = {"k": [float(k) for k in range(len(iterates))], "distance": distances}
    return LeastSquaresGD(a, rho, 2 / rho, factors, unstable, bool(diverges), tuple(theta_star), tuple(iterates),
                          steps, plot)
