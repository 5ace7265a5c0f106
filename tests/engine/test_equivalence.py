"""Three-valued equivalence: labelled cases, including the student forms in seeds 001 and 002."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from chainrule.engine.equivalence import decide_equal

x = sympy.Symbol("x", real=True)
z = sympy.Symbol("z")  # no assumptions, as a reader might produce
a = sympy.Symbol("a", positive=True)
beta = sympy.Symbol("beta", positive=True)
UNIT = {a: sympy.Interval.open(0, 1)}
sigma = 1 / (1 + sympy.exp(-x))
e2x = sympy.exp(2 * x)

EQUAL = [
    (
        "sigmoid': σ(1−σ) vs e^{-x}/(1+e^{-x})² (seed 001, 1a.1)",
        sigma * (1 - sigma),
        sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2,
        {},
    ),
    ("tanh': 1 − tanh² vs 4e^{2x}/(e^{2x}+1)² (seed 001, 1a.2)", 1 - sympy.tanh(x) ** 2, 4 * e2x / (e2x + 1) ** 2, {}),
    ("tanh' as sech²", 1 - sympy.tanh(x) ** 2, sympy.sech(x) ** 2, {}),
    (
        "softplus_β' = σ(βx)",
        sympy.diff(sympy.log(1 + sympy.exp(beta * x)) / beta, x),
        1 / (1 + sympy.exp(-beta * x)),
        {},
    ),
    (
        "leaky ReLU': a where ax > x, else 1 (seed 001, 1a.3), under 0 < a < 1",
        sympy.Piecewise((a, a * x > x), (1, True)),
        sympy.Piecewise((1, x > 0), (a, True)),
        UNIT,
    ),
    (
        "d/dx max{ax, x} written with Heaviside",
        sympy.diff(sympy.Max(a * x, x), x),
        sympy.Piecewise((1, x > 0), (a, True)),
        UNIT,
    ),
    (
        "I(x ≥ 0) vs I(x > 0): differ only at the kink",
        sympy.Heaviside(x, 1),
        sympy.Piecewise((1, x > 0), (0, True)),
        {},
    ),
    ("ReLU' written with max", sympy.Piecewise((1, sympy.Max(0, x) > 0), (0, True)), sympy.Heaviside(x, 0), {}),
    ("a symbol without assumptions", sympy.tanh(z) ** 2 - 1, -(sympy.sech(z) ** 2), {}),
    (
        "constants: Lipschitz constant of tanh'",
        sympy.Rational(4, 9) * sympy.sqrt(3),
        4 / (3 * sympy.sqrt(3)) + 0 * x,
        {},
    ),
    (
        "a tanh of a logarithm that is a radical",
        2 * sympy.tanh(sympy.log(2 + sympy.sqrt(3)) / 2) / sympy.cosh(sympy.log(2 + sympy.sqrt(3)) / 2) ** 2,
        4 * sympy.sqrt(3) / 9,
        {},
    ),
    (
        "huge intermediate values cancel",
        sympy.exp(100 * x) * (1 + sympy.exp(-100 * x)) - sympy.exp(100 * x),
        sympy.Integer(1),
        {},
    ),
]

DIFFERENT = [
    ("1 − tanh(x²) vs 1 − tanh(x)² (seed 002, 1.3a)", 1 - sympy.tanh(x**2), 1 - sympy.tanh(x) ** 2, {}),
    ("σ(1+σ) vs σ(1−σ)", sigma * (1 + sigma), sigma * (1 - sigma), {}),
    ("limit a claimed where the truth is 1 (seed 001, 1a.3)", a, sympy.Integer(1), UNIT),
    ("limit 1 claimed where the truth is a (seed 001, 1a.3)", sympy.Integer(1), a, UNIT),
    (
        "e^{-x}/(1+e^{-x}) vs sigmoid'",
        sympy.exp(-x) / (1 + sympy.exp(-x)),
        sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2,
        {},
    ),
    ("a branch far out is still visited", sympy.Piecewise((1, x > 50), (0, True)), sympy.Integer(0), {}),
    (
        "swapped branches of leaky ReLU'",
        sympy.Piecewise((a, x > 0), (1, True)),
        sympy.Piecewise((1, x > 0), (a, True)),
        UNIT,
    ),
    ("an infinite limit is not 1", sympy.oo, sympy.Integer(1), {}),
    ("the wrong sign of softplus' argument", 1 / (1 + sympy.exp(beta * x)), 1 / (1 + sympy.exp(-beta * x)), {}),
]


@pytest.mark.parametrize(("label", "first", "second", "domains"), EQUAL, ids=[case[0] for case in EQUAL])
def test_equal_forms_are_recognised(label, first, second, domains):
    decision = decide_equal(first, second, domains=domains)
    assert decision.verdict == "equal", decision.reason
    assert decision.reason


@pytest.mark.parametrize(("label", "first", "second", "domains"), DIFFERENT, ids=[case[0] for case in DIFFERENT])
def test_different_forms_come_with_a_checkable_witness(label, first, second, domains):
    decision = decide_equal(first, second, domains=domains)
    assert decision.verdict == "different", decision.reason
    if first.free_symbols | second.free_symbols:
        point = {
            symbol: sympy.Rational(decision.witness[symbol.name]) for symbol in first.free_symbols | second.free_symbols
        }
        # Re-evaluate independently with mpmath at the witness point.
        mpmath.mp.dps = 30
        left = mpmath.mpf(str(first.subs(point).evalf(40)))
        right = mpmath.mpf(str(second.subs(point).evalf(40)))
        assert abs(left - right) > mpmath.mpf("1e-8") * max(abs(left), abs(right))


def test_domain_decides_leaky_relu_forms():
    """max{ax, x}' is (1 if x > 0 else a) only when a < 1; for a > 1 the branches swap."""
    student = sympy.Piecewise((a, a * x > x), (1, True))
    ours = sympy.Piecewise((1, x > 0), (a, True))
    assert decide_equal(student, ours, domains={a: sympy.Interval.open(0, 1)}).verdict == "equal"
    assert decide_equal(student, ours, domains={a: sympy.Interval.open(1, 3)}).verdict == "different"


def test_a_tiny_difference_is_undecided_not_different():
    decision = decide_equal(x + sympy.Rational(1, 10**12), x)
    assert decision.verdict == "undecided"


def test_numeric_agreement_without_proof_can_be_required_to_be_proved():
    heaviside_form = sympy.Heaviside(x, 0)
    piecewise_form = sympy.Piecewise((1, x > 0), (0, True))
    assert decide_equal(heaviside_form, piecewise_form).method == "numeric"
    required = decide_equal(heaviside_form, piecewise_form, require_proof=True)
    assert required.verdict == "undecided"


def test_proved_equalities_say_so():
    decision = decide_equal(sigma * (1 - sigma), sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2)
    assert decision.method == "symbolic"


@pytest.mark.parametrize(
    "bad",
    [
        sympy.Matrix([x, 1]),
        sympy.Eq(x, 1),
        sympy.Derivative(sympy.Function("f")(x), x),
        sympy.Add(*[sympy.Symbol(f"v{i}") * i for i in range(1, 2000)]),
    ],
    ids=["matrix", "relation", "unevaluated derivative", "too large"],
)
def test_unusable_input_is_undecided(bad):
    assert decide_equal(bad, x).verdict == "undecided"


def test_outside_the_domain_points_are_skipped_not_counted_as_differences():
    """sqrt(x²) and |x| agree on ℝ; log(x) is undefined (complex) for x < 0 on both sides."""
    assert decide_equal(sympy.sqrt(x**2), sympy.Abs(x)).verdict == "equal"
    assert (
        decide_equal(sympy.log(x**2), 2 * sympy.log(x), domains={x: sympy.Interval.open(0, sympy.oo)}).verdict
        == "equal"
    )


def test_an_expression_that_never_evaluates_is_undecided():
    assert decide_equal(sympy.log(-1 - x**2), sympy.log(-1 - x**2) + 0 * x + 1).verdict == "undecided"


def test_symbols_with_the_same_name_are_one_variable():
    """A reader's plain ``x`` must meet the engine's real ``x``; sampling them apart would fake a difference."""
    plain = sympy.Symbol("x")
    plain_a = sympy.Symbol("a")
    student = sympy.Piecewise((plain_a, plain_a * plain > plain), (1, True))
    ours = sympy.Piecewise((1, x > 0), (a, True))
    assert decide_equal(student, ours, domains=UNIT).verdict == "equal"
    assert decide_equal(1 - sympy.tanh(plain) ** 2, sympy.sech(x) ** 2).verdict == "equal"


def test_integer_symbols_take_integer_values():
    n = sympy.Symbol("n", integer=True, positive=True)
    assert decide_equal((-1) ** n, sympy.cos(sympy.pi * n)).verdict == "equal"
    assert decide_equal(sympy.factorial(n), n * sympy.factorial(n - 1)).verdict == "equal"
    assert decide_equal(sympy.factorial(n), n**2).verdict == "different"


def test_definitions_give_meaning_to_undefined_function_names():
    t = sympy.Symbol("t", real=True)
    s = sympy.Function("sigma")
    student = s(x) * (1 - s(x))
    assert decide_equal(student, sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2).verdict == "undecided"
    definitions = {"sigma": sympy.Lambda(t, 1 / (1 + sympy.exp(-t)))}
    assert decide_equal(student, sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2, definitions=definitions).verdict == "equal"
    assert decide_equal(s(x) * (1 + s(x)), sigma * (1 - sigma), definitions=definitions).verdict == "different"
