"""``check`` (symbolic, SymPy) and ``grade`` (numeric, NumPy) read a written line the same way.

Both routes take their meaning from :mod:`chainrule.grading.meaning`; here each form is evaluated by both at the
same point, under the same declarations, and must give the same number.
"""

import math

import numpy as np
import pytest
import sympy

from chainrule.assignments.loader import load_assignment
from chainrule.grading.checkers.terms import Environment
from chainrule.grading.evaluate import Evaluator
from chainrule.grading.meaning import interpret, quantity_key, question_functions
from chainrule.grading.translate import translate
from chainrule.grading.truth import Truth
from chainrule.notation.parser import parse_math

FORMS = [
    r"\sigma(u)(1-\sigma(u))", r"\tanh^2(u)", r"(u)^+", r"\mathrm{cosh}^2 u", r"e^{-u}", r"\max\{0, u\}",
    r"\mathbb{1}\{u > 0\}", r"2.5 \times 10^{-1} u", r"\text{softplus}(u)", r"\frac{1}{1+e^{-u}}",
    r"\ln(1 + e^{u})", r"|u|", r"\text{ReLU}(u) + \text{ELU}(u)", r"\sqrt{u^2 + 1}", r"\text{GELU}(u)",
]


def both(latex, point, declared=None):
    declared = declared or {}
    node = parse_math(latex)
    truth = Truth(values={"u": np.array([[point]])})
    numeric = Evaluator(truth, lambda name: "u" if quantity_key(name) == "u" else None, True, declared)
    env = Environment(assigned=dict(declared))
    symbolic = translate(node, env).value
    exact = symbolic.xreplace({env.symbol("u"): sympy.nsimplify(point)})
    return float(numeric.value(interpret(node))[0, 0]), float(sympy.N(exact, 30))


@pytest.mark.parametrize("latex", FORMS)
@pytest.mark.parametrize("point", [-1.25, 0.75])
def test_both_routes_give_the_same_value(latex, point):
    numeric, symbolic = both(latex, point)
    assert math.isclose(numeric, symbolic, rel_tol=1e-9, abs_tol=1e-12)


def test_sigma_means_the_assignments_activation_in_both_routes():
    declared = question_functions(load_assignment("ama564-a1").question("1b"))  # "with ReLU σ"
    assert both(r"\sigma(u)", -2.0, declared) == (0.0, 0.0)


def test_the_questions_f_is_the_same_function_in_both_routes():
    declared = question_functions(load_assignment("nyu-dl-hw1-2022").question("1.2c"))  # f = 5 ReLU
    assert both("f(u)", 1.5, declared) == (7.5, 7.5)
    assert both("f(u)", -1.5, declared) == (0.0, 0.0)
