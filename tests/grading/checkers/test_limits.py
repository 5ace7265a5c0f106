"""Limits: the branch that holds near the target first, then SymPy's limit, compared over parameter domains."""

import pytest
import sympy

from chainrule.grading.checkers.limits import LimitUnknown, evaluate_limit, interval_text
from chainrule.grading.findings import Verdict

from .helpers import decide

UNIT = {"a": sympy.Interval.open(0, 1)}
LRELU = r"\frac{d}{dx} \text{LReLU}(x)"

CASES = [
    (rf"\lim_{{x \to +\infty}} {LRELU}", "1", Verdict.RIGHT),
    (rf"\lim_{{x \to +\infty}} {LRELU}", "a", Verdict.WRONG),
    (rf"\lim_{{x \to -\infty}} {LRELU}", "a", Verdict.RIGHT),
    (rf"\lim_{{x \to -\infty}} {LRELU}", "1", Verdict.WRONG),
    (r"\lim_{x \to +\infty} \frac{d}{dx} \text{sigmoid}(x)", "0", Verdict.RIGHT),
    (r"\lim_{x \to -\infty} \frac{d}{dx} \tanh(x)", "0", Verdict.RIGHT),
    (r"\lim_{x \to -\infty} \frac{d}{dx} \tanh(x)", "1", Verdict.WRONG),
    (r"\lim_{x \to +\infty} \frac{d}{dx} \text{ReLU}(x)", "1", Verdict.RIGHT),
    (r"\lim_{x \to -\infty} \frac{d}{dx} \text{ReLU}(x)", "0", Verdict.RIGHT),
    (r"\lim_{x \to +\infty} \text{softplus}(x)", r"\infty", Verdict.RIGHT),
    (r"\lim_{x \to +\infty} \text{softplus}(x)", "1", Verdict.WRONG),
]


@pytest.mark.parametrize(("left", "right", "verdict"), CASES)
def test_limit_cases(left, right, verdict):
    finding = decide(left, right, domains=UNIT)
    assert finding.verdict is verdict, finding
    assert finding.kind == "limit"


def test_wrong_limit_names_the_value_and_the_parameter_domain():
    finding = decide(rf"\lim_{{x \to +\infty}} {LRELU}", "a", domains=UNIT)
    assert finding.expected == "1"
    assert "a ∈ (0, 1)" in finding.reason


def test_branch_depending_on_the_parameter_is_unknown():
    x, c = sympy.symbols("x c", real=True)
    body = sympy.Piecewise((1, c * x > 0), (0, True))  # which branch holds at +∞ depends on the sign of c
    with pytest.raises(LimitUnknown):
        evaluate_limit(sympy.Limit(body, x, sympy.oo, "-"), {c: sympy.Interval(-1, 1)}, 3.0)


def test_limit_of_an_undefined_function_is_undecided():
    assert decide(r"\lim_{x \to +\infty} f(x)", "0").verdict is Verdict.UNDECIDED


def test_interval_text():
    assert interval_text(sympy.Interval.open(0, 1)) == "(0, 1)"
    assert interval_text(sympy.Interval(0, sympy.oo, False, True)) == "[0, ∞)"
