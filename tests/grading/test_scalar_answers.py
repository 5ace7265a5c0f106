"""Numbers as answers: a parameter count (Ryu P2) and gradient-descent iterates and thresholds (Prof. You Q4)."""

import itertools
from fractions import Fraction

import torch

from chainrule.assignments.loader import load_assignment
from chainrule.grading.findings import QuestionVerdict, Verdict
from chainrule.grading.grade import grade_text
from chainrule.grading.scalar_answers import stated_convention

YOU = load_assignment("you-nndl-hw1")
RYU = load_assignment("ryu-mathdnn-hw3")


def graded(assignment, text):
    return {q.id: q for q in grade_text(assignment, text, "s.md", document_check=False).questions}


def decided(question):
    return [(f.verdict, f.written) for f in question.findings]


# --- parameter count ---------------------------------------------------------------------------------------


def test_the_count_agrees_with_pytorch():
    widths = RYU.question("2").widths
    layers = [torch.nn.Linear(a, b) for a, b in itertools.pairwise(widths)]
    assert sum(p.numel() for layer in layers for p in layer.parameters()) == 4353


def test_a_right_parameter_count_is_right_and_the_question_still_goes_to_a_person():
    question = graded(RYU, "## Problem 2\nOur MLP has 4,353 trainable parameters, and the fit is smooth.\n")["2"]
    (finding,) = question.findings
    assert finding.verdict is Verdict.RIGHT and "4353" in finding.reason
    assert question.verdict is QuestionVerdict.REVIEW  # a plot and a discussion are asked too


def test_a_wrong_parameter_count_is_wrong_with_the_truth():
    question = graded(RYU, "## Problem 2\nCounting weights only, the number of parameters is 4224.\n")["2"]
    (finding,) = question.findings
    assert finding.verdict is Verdict.WRONG and finding.expected == "4353" and finding.line == 2


def test_widths_beside_the_word_parameters_are_not_a_count():
    text = "## Problem 2\nWith 64 parameters per hidden layer width the plot is smooth.\n"
    assert graded(RYU, text)["2"].findings == []


# --- gradient-descent iterates -----------------------------------------------------------------------------

HALF = r"""## 4.1
The loss is $L(w) = \frac{1}{2}(w - 100)^2$, so $w_{k+1} = w_k - \alpha (w_k - 100)$.

With $\alpha = 0.5$: $w_1 = 50$, $w_2 = 75$, $w_3 = 87.5$.

With $\alpha = 1.5$: $w_1 = 150$, $w_2 = 75$, $w_3 = 112.5$.

With $\alpha = 2.5$: $w_1 = 250$, $w_2 = -125$, $w_3 = 437.5$.
"""


def iterates(alpha, scale, steps=3):
    """An independent float run of w ← w − α·scale·(w − 100) from 0 (x = 1, y = 100)."""
    w, out = 0.0, []
    for _ in range(steps):
        w = w - alpha * scale * (w - 100)
        out.append(w)
    return out


def test_the_test_submission_agrees_with_a_plain_float_run():
    assert iterates(0.5, 1) == [50, 75, 87.5] and iterates(2.5, 1) == [250, -125, 437.5]


def test_right_iterates_are_right_and_say_which_loss():
    question = graded(YOU, HALF)["4.1"]
    assert len(question.findings) == 9 and all(f.verdict is Verdict.RIGHT for f in question.findings)
    assert all("½(xw − y)² (the assignment's)" in f.reason for f in question.findings)
    assert question.verdict is QuestionVerdict.RIGHT


def test_a_wrong_iterate_is_wrong_with_the_value_it_should_have():
    question = graded(YOU, HALF.replace("w_2 = -125", "w_2 = -50"))["4.1"]
    (wrong,) = [f for f in question.findings if f.verdict is Verdict.WRONG]
    assert wrong.written == "α = 2.5: w₂ = -50" and wrong.expected == "-125" and wrong.line == 8


def test_the_plain_loss_is_accepted_when_the_submission_states_it():
    plain = [iterates(a, 2) for a in (0.5, 1.5, 2.5)]
    assert plain[0] == [100, 100, 100] and plain[1] == [300, -300, 900]
    text = (
        "## 4.1\nI take $L(w) = (w - 100)^2$, so $w_{k+1} = w_k - 2\\alpha(w_k - 100)$.\n\n"
        "With $\\alpha = 0.5$: $w_1 = 100$, $w_2 = 100$.\n\nWith $\\alpha = 1.5$: $w_1 = 300$, $w_2 = -300$.\n"
    )
    question = graded(YOU, text)["4.1"]
    assert len(question.findings) == 4 and all(f.verdict is Verdict.RIGHT for f in question.findings)
    assert all("the loss the answer states" in f.reason for f in question.findings)


def test_values_of_the_other_loss_without_a_stated_loss_are_undecided_never_wrong():
    text = "## 4.1\nWith $\\alpha = 1.5$: $w_1 = 300$, $w_2 = -300$.\n"
    question = graded(YOU, text)["4.1"]
    assert [f.verdict for f in question.findings] == [Verdict.UNDECIDED, Verdict.UNDECIDED]
    assert "does not say which loss" in question.findings[0].reason
    assert question.verdict is QuestionVerdict.REVIEW


def test_stated_convention_reads_the_loss_line():
    assert stated_convention([r"$L(w) = \frac{1}{2}(xw - y)^2$"]) == "half"
    assert stated_convention([r"$L(w) = (xw - y)^2$"]) == "plain"
    assert stated_convention(["no loss here", "w_1 = 2"]) is None


# --- thresholds --------------------------------------------------------------------------------------------


def test_thresholds_right_and_wrong():
    text = "## 4.2\nGD converges for $0 < \\alpha < 2$ and is monotone when $\\alpha < 1$.\n"
    question = graded(YOU, text)["4.2"]
    assert [f.verdict for f in question.findings] == [Verdict.RIGHT, Verdict.RIGHT]
    wrong = graded(YOU, text.replace("\\alpha < 2", "\\alpha < 4"))["4.2"]
    (finding,) = [f for f in wrong.findings if f.verdict is Verdict.WRONG]
    assert Fraction(1) in {Fraction(v) for v in finding.expected.split(" or ")} and "α < 4" in finding.written


def test_a_plain_loss_threshold_is_right_when_stated():
    text = "## 4.2\nWith $L(w) = (w - 100)^2$ GD converges exactly when $0 < \\alpha < 1$.\n"
    (finding,) = graded(YOU, text)["4.2"].findings
    assert finding.verdict is Verdict.RIGHT and "(xw − y)²" in finding.reason


def test_an_iterate_of_another_step_size_or_the_previous_step_is_undecided_not_wrong():
    # α is not restated for the second run; and w_3 = 75 is w_2 (counting from w_1 = w_0)
    text = "## 4.1\nWith $\\alpha = 0.5$: $w_1 = 50$. For the larger step, $w_1 = 150$. Also $w_3 = 75$.\n"
    question = graded(YOU, text)["4.1"]
    assert [f.verdict for f in question.findings] == [Verdict.RIGHT, Verdict.UNDECIDED, Verdict.UNDECIDED]
    assert "α = 1.5" in question.findings[1].reason and "w₂ for α = 0.5" in question.findings[2].reason


def test_a_bound_equal_to_an_asked_step_size_is_undecided():
    (finding,) = graded(YOU, "## 4.2\nFor $\\alpha > 1.5$ the iterates jump far.\n")["4.2"].findings
    assert finding.verdict is Verdict.UNDECIDED


def test_absurdly_long_numbers_are_not_read_as_counts_or_step_sizes():
    digits = "9" * 6000
    assert graded(RYU, f"## Problem 2\nIt has {digits} parameters.\n")["2"].findings == []
    text = f"## 4.1\nWith $\\alpha = {digits}$: $w_1 = 50$.\n"
    assert [f.kind for f in graded(YOU, text)["4.1"].findings] == []
