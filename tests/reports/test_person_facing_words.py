"""No SymPy or Python syntax in what a person reads: solutions of the built-in assignments, checks and grades.

The corpus half runs in ``test_corpus_pages`` (the corpus is graded once per session); this module holds the
pattern, the reports of the built-in assignments, and the words layer's own cases.
"""

from __future__ import annotations

import pytest
from person_facing import leaks

from chainrule.reports.words import formula_latex, formula_text, sentence


@pytest.mark.parametrize(("written", "terminal", "latex"), [
    ("exp(-x)/(1 + exp(-x))**2", "e⁻ˣ/(1 + e⁻ˣ)²", r"\frac{e^{-x}}{{\left(1 + e^{-x}\right)}^{2}}"),
    ("7*q/10", "7q/10", r"\frac{7 q}{10}"),
    ("True", "true", r"\text{true}"),
    ("dl_dyhat", "∂ℓ/∂ŷ", r"\frac{\partial \ell}{\partial \hat{y}}"),
    ("x**2 + 2*x*y", "x² + 2xy", "{x}^{2} + 2 x y"),
    ("1/(1 + exp(-beta*x))", "1/(1 + e^(−βx))", r"\frac{1}{1 + e^{-\beta x}}"),
])
def test_sympy_spellings_become_notation(written, terminal, latex):
    assert formula_text(written) == terminal
    assert formula_latex(written) == latex
    assert not leaks(terminal)


def test_reasons_are_said_in_words():
    assert sentence("simplify(first − second) = 0, and values agree to 28 digits at 24 random points") == (
        "equal to the correct answer (the difference simplifies to 0, and the two agree to 28 digits at 24 random "
        "points)")
    assert sentence("grading failed (TypeError: unsupported operand)") == "grading failed (an internal error)"
    assert sentence("the limit is exp(-x), not 1") == "the limit is e⁻ˣ, not 1"
    assert sentence("uses dl_dyhat") == "uses ∂ℓ/∂ŷ"


def test_text_that_is_not_a_formula_is_left_alone():
    for text in ("five steps", "a matrix written with dots: entries not checked", "ReLU(x) = max(0, x)"):
        assert not leaks(formula_text(text)), text


@pytest.fixture(scope="module")
def solutions():
    from chainrule.assignments.loader import builtin_ids, load_assignment
    from chainrule.assignments.solvers import SolveOptions, solve_assignment

    return {key: solve_assignment(load_assignment(key), SolveOptions(run_experiments=False)) for key in builtin_ids()}


@pytest.mark.slow
def test_solutions_of_the_built_in_assignments_read_as_mathematics(solutions):
    from chainrule.reports.solution_markdown import solution_markdown

    found = {}
    for key, solution in solutions.items():
        stripped = solution.model_copy(update={"questions": [
            question.model_copy(update={"rubric": []}) for question in solution.questions]})  # the spec's own words
        if problems := leaks(solution_markdown(stripped)):
            found[key] = problems[:5]
    assert not found, found
