"""Symbolic identities and derivative claims: random points first, wrong only with a confirmed witness."""

import pytest
import sympy

from chainrule.grading.checkers import IdentityStep, MatrixStep, classify
from chainrule.grading.checkers.terms import Environment
from chainrule.grading.findings import Verdict

from .helpers import decide, term

UNIT = sympy.Interval.open(0, 1)

CASES = [
    (r"\frac{d}{dx} \tanh x", r"1 - \tanh^2(x)", Verdict.RIGHT),
    (r"\frac{d}{dx} \tanh x", r"1 - \tanh(x^2)", Verdict.WRONG),
    (r"\frac{d}{dx} \frac{1}{1+e^{-x}}", r"\frac{e^{-x}}{(1+e^{-x})^2}", Verdict.RIGHT),
    (r"\frac{d}{dx} \sigma(x)", r"\sigma(x)(1 - \sigma(x))", Verdict.RIGHT),
    (r"\frac{d}{dx} \frac{e^{2x}-1}{e^{2x}+1}", r"\frac{4e^{2x}}{(e^{2x}+1)^2}", Verdict.RIGHT),
    (r"\frac{d}{dx} \frac{e^{2x}-1}{e^{2x}+1}", r"\frac{2e^{2x}}{(e^{2x}+1)^2}", Verdict.WRONG),
    (r"(t_1 - y)", r"-(t_1 - y)", Verdict.WRONG),
    (r"2 \cdot \frac{1}{2}(t_1 - y)", r"(t_1 - y)", Verdict.RIGHT),
    (r"\frac{d}{dx} \text{softplus}(x)", r"\sigma(x)", Verdict.RIGHT),
    (r"\frac{d}{dx} \text{ReLU}(x)", r"\mathbb{I}(x > 0)", Verdict.RIGHT),
]


@pytest.mark.parametrize(("left", "right", "verdict"), CASES)
def test_identity_cases(left, right, verdict):
    finding = decide(left, right)
    assert finding.verdict is verdict, finding


def test_leaky_relu_derivative_cases_use_the_slope_domain():
    finding = decide(r"\frac{d}{dx} \text{LReLU}(x)",
                     r"\begin{cases} a & \text{if } ax > x \\ 1 & \text{if } ax \leq x \end{cases}",
                     domains={"a": UNIT})
    assert finding.verdict is Verdict.RIGHT, finding
    swapped = decide(r"\frac{d}{dx} \text{LReLU}(x)",
                     r"\begin{cases} 1 & \text{if } ax > x \\ a & \text{if } ax \leq x \end{cases}",
                     domains={"a": UNIT})
    assert swapped.verdict is Verdict.WRONG


def test_wrong_derivative_reports_the_derivative():
    finding = decide(r"\frac{d}{dx} \tanh x", r"1 - \tanh(x^2)")
    assert finding.kind == "derivative"
    assert finding.expected == "1 − tanh(x)^2"
    assert "x = " in finding.reason  # the witness point


def test_undefined_functions_are_undecided_never_wrong():
    assert decide("f(x)", "x^2").verdict is Verdict.UNDECIDED
    assert decide(r"\frac{\partial L}{\partial w}", "2 w").verdict is Verdict.UNDECIDED


def test_values_put_in_from_elsewhere_are_undecided():
    # t1 is known only from the prose: a substitution step, not an identity
    finding = decide(r"\frac{1}{2}(t_1 - y)^2", r"\frac{1}{2}(0.01 - y)^2")
    assert finding.verdict is Verdict.UNDECIDED
    assert "t" in finding.reason


def test_a_claimed_derivative_value_is_checked_against_the_variable():
    finding = decide(r"\frac{d}{dx} \tanh x", "1", variables=("x",))
    assert finding.verdict is Verdict.WRONG


def test_definitions_written_earlier_are_used_both_ways():
    env = Environment()
    env.definitions["h"] = term(r"\sigma(z)", env)
    assert decide(r"h (1 - h)", r"\sigma(z)(1 - \sigma(z))", env=env).verdict is Verdict.RIGHT
    assert decide(r"h (1 - h)", r"\sigma(z)(1 + \sigma(z))", env=env).verdict is Verdict.WRONG


def test_steps_are_classified_by_what_they_contain():
    from chainrule.grading.checkers import Step

    assert isinstance(classify(Step(term("x^2"), "=", term("x x"))), IdentityStep)
    matrix = term(r"\begin{pmatrix} x \\ 1 \end{pmatrix}")
    assert isinstance(classify(Step(matrix, "=", matrix)), MatrixStep)


def test_matrices_with_symbols_entry_by_entry():
    right = decide(r"\begin{pmatrix} x + x \\ 1 \end{pmatrix}", r"\begin{pmatrix} 2x \\ 1 \end{pmatrix}")
    assert right.verdict is Verdict.RIGHT
    wrong = decide(r"\begin{pmatrix} x \\ x^2 \end{pmatrix}", r"\begin{pmatrix} x \\ 2x \end{pmatrix}")
    assert wrong.verdict is Verdict.WRONG
    assert "entry (2, 1)" in wrong.reason


def test_a_matrix_of_names_given_values_is_not_an_identity():
    finding = decide(r"\begin{bmatrix} w_{11} & w_{12} \end{bmatrix}", r"\begin{bmatrix} -0.8 & 0.5 \end{bmatrix}")
    assert finding.verdict is Verdict.UNDECIDED


def test_an_approximation_between_formulas_is_not_an_identity():
    assert decide("e^{x}", "1 + x", op="≈").verdict is Verdict.UNDECIDED
    assert decide(r"\sigma(1)", "0.73", op="≈").verdict is Verdict.RIGHT
