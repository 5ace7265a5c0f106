"""The grader on submissions written for these tests only, in the styles students use (tests/grading/unseen/).

The "all right" files must draw no "wrong" finding and no wrong or partial question, in grade and in check mode;
each documented mistake in the "mistakes" files must be flagged in its question near its line — or, where the
grader honestly cannot decide it, stay undecided (listed as such below, never silently dropped). Every value the
all-right files state is recomputed here by an independent route (NumPy for the network and gradient descent,
SymPy for the derivative forms, finite differences for the matrix gradients).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
import sympy

from chainrule.assignments.loader import load_assignment
from chainrule.grading.check import check_document
from chainrule.grading.findings import QuestionVerdict, SubmissionResult, Verdict
from chainrule.grading.grade import grade_text

UNSEEN = Path(__file__).parent / "unseen"
NEAR = 2

ALL_RIGHT = [
    ("ama564_terse.md", "ama564-a1"),
    ("ama564_long.md", "ama564-a1"),
    ("ama564_ocr.md", "ama564-a1"),
    ("ama564_notations.md", "ama564-a1"),
    ("you_terse.md", "you-nndl-hw1"),
    ("you_long.md", "you-nndl-hw1"),
    ("nyu2022_long.md", "nyu-dl-hw1-2022"),
    ("nyu2021_terse.md", "nyu-dl-hw1-2021"),
    ("ryu_short.md", "ryu-mathdnn-hw3"),
    ("nyu2021_index.md", "nyu-dl-hw1-2021"),
    ("you_layouts.md", "you-nndl-hw1"),
    ("ama564_rounding.md", "ama564-a1"),
    ("ama564_helpers.md", "ama564-a1"),
    ("ama564_redefined.md", "ama564-a1"),
    ("ama564_cases.md", "ama564-a1"),
    ("ama564_decimal_comma.md", "ama564-a1"),  # 1,33 and (0; 1,3): decimal commas the reader splits
]

# Questions these files answer in a notation the grader has to recognise, and must decide right (not merely
# "not wrong"): σ'/f' against the spec's activation, sech² written as text, tanh²(z₁) and σ(z)(1 − σ(z)) of
# vectors inside diag, f(x; θ) as the network's output, a shape check written with ×.
DECIDED_RIGHT = [
    ("ama564_terse.md", "ama564-a1", "1a.1"),
    ("ama564_terse.md", "ama564-a1", "1a.3"),
    ("ama564_notations.md", "ama564-a1", "1a.2"),
    ("ama564_notations.md", "ama564-a1", "1a.3"),
    ("ama564_cases.md", "ama564-a1", "1a.3"),
    ("ama564_cases.md", "ama564-a1", "1b"),
    ("ama564_redefined.md", "ama564-a1", "1a.2"),
    ("nyu2022_long.md", "nyu-dl-hw1-2022", "1.3a"),
    ("nyu2021_terse.md", "nyu-dl-hw1-2021", "1.3a"),
    ("you_long.md", "you-nndl-hw1", "2.3"),
    ("you_terse.md", "you-nndl-hw1", "1.3"),
]

# (file, spec, question, line, what the mistake is, "wrong" when it must be flagged, "undecided" when it is not
# decided and must at least not be called right)
MISTAKES = [
    ("ama564_terse_mistakes.md", "ama564-a1", "1a.1", 5, "σ(1+σ): wrong sign", "wrong"),
    ("ama564_terse_mistakes.md", "ama564-a1", "1a.3", 19, "limit at −∞ is a, not 0", "wrong"),
    ("ama564_terse_mistakes.md", "ama564-a1", "1b", 23, "f(x; θ) = 1.43, not 1.33", "wrong"),
    ("ama564_terse_mistakes.md", "ama564-a1", "1b", 29, "∂L/∂W2 = (0, 1.2), not (0, 1.3)", "wrong"),
    ("ama564_long_mistakes.md", "ama564-a1", "1a.2", 25, "1 − tanh(x²) for 1 − tanh²x", "wrong"),
    ("ama564_long_mistakes.md", "ama564-a1", "1b", 49, "∂L/∂b1 with the sign of 1.1 flipped", "wrong"),
    ("you_terse_mistakes.md", "you-nndl-hw1", "1.3", 7, "1/(1 + e^{βx}): sign of the exponent", "wrong"),
    ("you_terse_mistakes.md", "you-nndl-hw1", "2.2", 11, "(wᵀx + y)x: wrong sign", "wrong"),
    ("you_terse_mistakes.md", "you-nndl-hw1", "2.3", 13, "1/K where 1/m belongs (K unknown here)", "undecided"),
    ("you_terse_mistakes.md", "you-nndl-hw1", "4.1", 23, "α = 1.5: w₂ = 25, not 75", "wrong"),
    ("nyu2022_long_mistakes.md", "nyu-dl-hw1-2022", "1.2c", 21, "transposed ∂ℓ/∂W2 in numerator layout", "wrong"),
    ("nyu2022_long_mistakes.md", "nyu-dl-hw1-2022", "1.2d", 31, "2(y − ŷ)ᵀ: wrong sign", "wrong"),
    ("nyu2022_long_mistakes.md", "nyu-dl-hw1-2022", "1.3a", 37, "tanh(z₁²) for tanh²(z₁)", "undecided"),
]


@cache
def _graded(file: str, spec: str) -> SubmissionResult:
    return grade_text(load_assignment(spec), (UNSEEN / file).read_text(encoding="utf-8"), file)


@pytest.mark.parametrize(("file", "spec"), ALL_RIGHT)
def test_right_submission_draws_no_wrong(file, spec):
    result = _graded(file, spec)
    wrong = [(q.id, f.line, f.written, f.reason) for q in result.questions for f in q.findings
             if f.verdict is Verdict.WRONG]
    assert not wrong
    bad = [q.id for q in result.questions if q.verdict in (QuestionVerdict.WRONG, QuestionVerdict.PARTIAL)]
    assert not bad


@pytest.mark.parametrize(("file", "spec"), ALL_RIGHT)
def test_right_submission_checked_alone_draws_no_wrong(file, spec):
    result = check_document((UNSEEN / file).read_text(encoding="utf-8"), file)
    assert not [(f.line, f.written, f.reason) for f in result.findings if f.verdict is Verdict.WRONG]


# proofs only, and decimal commas the reader cannot take: nothing there is expected to be decided right
NOT_DECIDED = {"ryu_short.md", "ama564_decimal_comma.md"}


@pytest.mark.parametrize(("file", "spec"), [(f, s) for f, s in ALL_RIGHT if f not in NOT_DECIDED])
def test_right_submission_is_mostly_decided(file, spec):
    """Not only "no wrong": the computational questions answered get decided right, so the test can fail."""
    result = _graded(file, spec)
    assert any(q.verdict is QuestionVerdict.RIGHT for q in result.questions)


@pytest.mark.parametrize(("file", "spec", "question"), DECIDED_RIGHT)
def test_recognised_notation_is_decided_right(file, spec, question):
    found = next(q for q in _graded(file, spec).questions if q.id == question)
    assert found.verdict is QuestionVerdict.RIGHT, [(f.line, f.verdict, f.reason) for f in found.findings]


@pytest.mark.parametrize(("file", "spec", "question", "line", "mistake", "expected"), MISTAKES,
                         ids=[f"{m[0]}:{m[3]}" for m in MISTAKES])
def test_documented_mistake_is_caught(file, spec, question, line, mistake, expected):
    result = _graded(file, spec)
    found = next(q for q in result.questions if q.id == question)
    near = [f for f in found.findings if f.line is not None and abs(f.line - line) <= NEAR]
    if expected == "wrong":
        assert any(f.verdict is Verdict.WRONG for f in near), (mistake, [(f.line, f.verdict, f.reason) for f in near])
        assert found.verdict in (QuestionVerdict.WRONG, QuestionVerdict.PARTIAL)
    else:
        on_line = [f for f in found.findings if f.line == line]
        assert on_line and not any(f.verdict is Verdict.RIGHT for f in on_line), mistake


def test_mistake_files_differ_from_their_right_versions_only_at_the_mistakes():
    """Each mistakes file is its right version with the documented lines changed (so a catch is that line's)."""
    for file in {m[0] for m in MISTAKES}:
        right = (UNSEEN / file.replace("_mistakes", "")).read_text(encoding="utf-8").splitlines()
        wrong = (UNSEEN / file).read_text(encoding="utf-8").splitlines()
        assert len(right) == len(wrong)
        changed = {i + 1 for i, (a, b) in enumerate(zip(right, wrong, strict=True)) if a != b}
        assert changed == {m[3] for m in MISTAKES if m[0] == file}


# --- the values the right files state, recomputed independently -----------------------------------------


def test_ama564_network_values():
    w1 = np.array([[-0.8, 0.5, -1.0], [1.2, -0.7, 0.2]])
    b1 = np.array([-0.4, 0.9])
    w2 = np.array([[0.6, 1.1]])
    x = np.array([1.0, 2.0, 3.0])
    a = w1 @ x + b1
    h = np.maximum(a, 0)
    f = (w2 @ h)[0] - 0.1
    # finite differences of L = (f - y)^2 / 2 in every parameter
    def loss(w1_, b1_, w2_, b2_):
        return 0.5 * ((w2_ @ np.maximum(w1_ @ x + b1_, 0))[0] + b2_ - 0.33) ** 2

    eps = 1e-6
    grad_w1 = np.zeros_like(w1)
    for i in range(2):
        for j in range(3):
            bumped = w1.copy()
            bumped[i, j] += eps
            grad_w1[i, j] = (loss(bumped, b1, w2, -0.1) - loss(w1, b1, w2, -0.1)) / eps
    grad_w2 = np.array([(loss(w1, b1, w2 + eps * np.eye(2)[j], -0.1) - loss(w1, b1, w2, -0.1)) / eps
                        for j in range(2)])
    grad_b1 = np.array([(loss(w1, b1 + eps * np.eye(2)[i], w2, -0.1) - loss(w1, b1, w2, -0.1)) / eps
                        for i in range(2)])
    grad_b2 = (loss(w1, b1, w2, -0.1 + eps) - loss(w1, b1, w2, -0.1)) / eps
    np.testing.assert_allclose(a, [-3.2, 1.3])
    np.testing.assert_allclose(h, [0, 1.3])
    assert f == pytest.approx(1.33)
    np.testing.assert_allclose(grad_w1, [[0, 0, 0], [1.1, 2.2, 3.3]], atol=1e-4)
    np.testing.assert_allclose(grad_b1, [0, 1.1], atol=1e-4)
    np.testing.assert_allclose(grad_w2, [0, 1.3], atol=1e-4)
    assert grad_b2 == pytest.approx(1.0, abs=1e-4)


def test_activation_forms():
    x, beta = sympy.symbols("x beta", real=True)
    sigma = 1 / (1 + sympy.exp(-x))
    d_sigma = sympy.diff(sigma, x)
    for form in (sigma * (1 - sigma), sympy.exp(x) / (1 + sympy.exp(x)) ** 2, sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2,
                 sympy.sech(x / 2) ** 2 / 4, 1 / (4 * sympy.cosh(x / 2) ** 2)):
        assert sympy.simplify((d_sigma - form).rewrite(sympy.exp)) == 0
    d_tanh = sympy.diff(sympy.tanh(x), x)
    for form in (1 - sympy.tanh(x) ** 2, sympy.sech(x) ** 2, 4 * sympy.exp(2 * x) / (sympy.exp(2 * x) + 1) ** 2,
                 4 / (sympy.exp(x) + sympy.exp(-x)) ** 2,
                 4 * sigma.subs(x, 2 * x) * (1 - sigma.subs(x, 2 * x))):
        assert sympy.simplify((d_tanh - form).rewrite(sympy.exp)) == 0
    for limit_point in (sympy.oo, -sympy.oo):
        assert sympy.limit(d_sigma, x, limit_point) == 0
        assert sympy.limit(d_tanh, x, limit_point) == 0
    softplus = sympy.log(1 + sympy.exp(beta * x)) / beta
    assert sympy.simplify(sympy.diff(softplus, x) - 1 / (1 + sympy.exp(-beta * x))) == 0
    positive_beta = sympy.Symbol("b", positive=True)
    assert sympy.limit(1 / (1 + sympy.exp(-positive_beta * x)), x, sympy.oo) == 1
    assert sympy.limit(1 / (1 + sympy.exp(-positive_beta * x)), x, -sympy.oo) == 0
    slope = sympy.Rational(3, 10)  # any a in (0, 1)
    d_leaky = sympy.diff(sympy.Max(slope * x, x), x)
    assert d_leaky.subs(x, sympy.Rational(3, 2)) == 1
    assert d_leaky.subs(x, -sympy.Rational(3, 2)) == slope


def test_matrix_gradients_by_finite_differences():
    rng = np.random.default_rng(3)
    m, n = 5, 3
    a_mat, z, x = rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n)
    w, y_vec, big_x, y = rng.normal(size=n), rng.normal(size=m), rng.normal(size=(m, n)), 0.7
    eps = 1e-6

    def grad(fun, at):
        return np.array([(fun(at + eps * e) - fun(at - eps * e)) / (2 * eps) for e in np.eye(len(at))])

    np.testing.assert_allclose(grad(lambda v: v @ (a_mat @ v + z), x), (a_mat + a_mat.T) @ x + z, atol=1e-5)
    np.testing.assert_allclose(grad(lambda v: 0.5 * (v @ x - y) ** 2, w), (w @ x - y) * x, atol=1e-5)
    np.testing.assert_allclose(grad(lambda v: np.sum((big_x @ v - y_vec) ** 2) / (2 * m), w),
                               big_x.T @ (big_x @ w - y_vec) / m, atol=1e-5)
    weights, b, target = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=m)
    flat = grad(lambda v: np.sum((v.reshape(m, n) @ x + b - target) ** 2), weights.ravel()).reshape(m, n)
    np.testing.assert_allclose(flat, 2 * np.outer(weights @ x + b - target, x), atol=1e-5)


def test_gradient_descent_iterates():
    stated = {0.5: [50, 75, 87.5, 93.75], 1.5: [150, 75, 112.5, 93.75], 2.5: [250, -125, 437.5, -406.25]}
    for alpha, iterates in stated.items():
        w, seen = 0.0, []
        for _ in range(4):
            w -= alpha * 1 * (1 * w - 100)
            seen.append(w)
        assert seen == iterates
    # oscillation for 1 < α < 2 (alternating sides of 100), convergence exactly for 0 < α < 2
    for alpha, oscillates, converges in ((0.5, False, True), (1.5, True, True), (2.5, True, False)):
        errors = [-100 * (1 - alpha) ** t for t in range(1, 30)]
        assert (errors[0] * errors[1] < 0) is oscillates
        assert (abs(errors[-1]) < 1) is converges
