"""Matrix-calculus answers (Prof. You HW1 2.1-2.3, 3) against engine.matcalc, by value at random points.

The assignment states denominator layout (a gradient has the shape of its variable); a transposed answer is
wrong under it unless the submission says it answers in numerator layout.
"""

import numpy as np
import pytest

from chainrule.assignments.loader import load_assignment
from chainrule.grading.findings import QuestionVerdict, Verdict
from chainrule.grading.grade import grade_text
from chainrule.grading.truth import matrix_truth

YOU = load_assignment("you-nndl-hw1")

RIGHT = r"""## 2.1
Expanding, $f = x^T A x + x^T z$, so
$\nabla_{\boldsymbol{x}} f = (\mathbf{A} + \mathbf{A}^T)\boldsymbol{x} + \boldsymbol{z}$

## 2.2
The residual is a scalar, hence $\nabla_w L(w) = (w^T x - y) x$

## 2.3
$\nabla_{w} L = \frac{1}{m} X^T (X w - y)$

## 3
By the chain rule through $r = Wx + b - y$: $\frac{\partial L}{\partial W} = 2 (W x + b - y) x^T$
"""

WRONG = r"""## 2.1
$\nabla_{\boldsymbol{x}} f = 2 \mathbf{A} \boldsymbol{x} + \boldsymbol{z}$

## 2.2
$\nabla_w L = (w^T x - y)$

## 2.3
$\nabla_{w} L = \frac{1}{m} X^T (X w - y) + w$

## 3
$\frac{\partial L}{\partial W} = (W x + b - y) x^T$
"""

TRANSPOSED = r"""## 2.1
$\nabla_{\boldsymbol{x}} f = \boldsymbol{x}^T (\mathbf{A} + \mathbf{A}^T) + \boldsymbol{z}^T$

## Question 3
$\frac{\partial L}{\partial W} = 2 x (W x + b - y)^T$
"""


def graded(text):
    return {q.id: q for q in grade_text(YOU, text, "you.md", document_check=False).questions}


def asked(question):
    return [f for f in question.findings if f.answers]


@pytest.mark.parametrize("question_id", ["2.1", "2.2", "2.3", "3"])
def test_the_engines_gradient_matches_finite_differences(question_id):
    question = YOU.question(question_id)
    truth = matrix_truth(question, YOU, np.random.default_rng(7))
    values, variable = truth.values, question.with_respect_to
    a, x, z, y, X, b = (values.get(k) for k in ("A", "x", "z", "y", "X", "b"))
    m = truth.sizes.get("m")
    loss = {
        "2.1": lambda v: float((v.T @ (a @ v + z))[0, 0]),
        "2.2": lambda v: 0.5 * float((v.T @ x - y)[0, 0]) ** 2,
        "2.3": lambda v: float(np.sum((X @ v - y) ** 2)) / (2 * m),
        "3": lambda v: float(np.sum((v @ x + b - y) ** 2)),
    }[question_id]
    point = values[variable]
    numeric = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        step = np.zeros_like(point)
        step[index] = 1e-6
        numeric[index] = (loss(point + step) - loss(point - step)) / 2e-6
    assert np.allclose(truth.derivatives[("loss", variable)], numeric, atol=1e-5)  # denominator: shape of variable


def test_right_answers_are_right_and_say_the_layout():
    questions = graded(RIGHT)
    for question_id in ("2.1", "2.2", "2.3", "3"):
        question = questions[question_id]
        assert question.verdict is QuestionVerdict.RIGHT, (question_id, question.findings)
        (finding,) = asked(question)
        assert finding.verdict is Verdict.RIGHT and "denominator layout" in finding.reason


def test_wrong_answers_are_wrong():
    questions = graded(WRONG)
    for question_id in ("2.1", "2.2", "2.3", "3"):
        question = questions[question_id]
        wrong = [f for f in question.findings if f.verdict is Verdict.WRONG]
        assert question.verdict is QuestionVerdict.WRONG and wrong, (question_id, question.findings)
    assert "is 1×1 but" in next(f.reason for f in questions["2.2"].findings if f.verdict is Verdict.WRONG)


def test_a_transposed_answer_is_wrong_under_the_stated_layout_with_the_reason():
    questions = graded(TRANSPOSED)
    for question_id, shape in (("2.1", "n×1"), ("3", "m×n")):
        (finding,) = questions[question_id].findings
        assert finding.verdict is Verdict.WRONG
        assert finding.reason == (
            f"transposed: this is the numerator-layout form; in the assignment's denominator layout it is {shape}"
        )


def test_a_transposed_answer_is_right_when_the_submission_states_numerator_layout():
    text = TRANSPOSED.replace("## Question 3\n", "## Question 3\nI use numerator layout throughout.\n")
    finding = next(f for f in graded(text)["3"].findings if f.answers)
    assert finding.verdict is Verdict.RIGHT and "numerator layout the answer states" in finding.reason
    assert graded(text)["3"].verdict is QuestionVerdict.RIGHT


def test_a_numerator_layout_step_beside_the_right_gradient_is_not_wrong():
    text = (
        "## 2.1\nRow form first: $\\frac{\\partial f}{\\partial \\boldsymbol{x}} = \\boldsymbol{x}^T (\\mathbf{A}"
        " + \\mathbf{A}^T) + \\boldsymbol{z}^T$, so\n$\\nabla_{\\boldsymbol{x}} f = (\\mathbf{A} + \\mathbf{A}^T)"
        "\\boldsymbol{x} + \\boldsymbol{z}$\n"
    )
    question = graded(text)["2.1"]
    assert question.verdict is QuestionVerdict.RIGHT
    assert [f.verdict for f in question.findings] == [Verdict.RIGHT, Verdict.RIGHT]
    assert "transposed" in question.findings[0].notes[-1]
