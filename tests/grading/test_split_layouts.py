"""Question finding on the layouts real submissions use, each in a document written for the test.

Every document here is made up; each reproduces one way students lay out their answers (LaTeX sectioning and
``\\item``, section counters before the problem number, their own numbering, restated letters, restarting letters,
merged problems, the question text copied in, code appendices, page headers, a level left out).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chainrule.assignments.loader import load_assignment
from chainrule.documents import BlockKind, DocumentBuilder, Location
from chainrule.grading.split import split_document, split_submission

RYU = "1 2 3a 3b 4 5a 5b 5c 6 7".split()
AMA = "1a.1 1a.2 1a.3 1b 2 3".split()


def ids(*names: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(id=name) for name in names]


def split_builtin(text: str, assignment_id: str):
    assignment = load_assignment(assignment_id)
    return split_submission(text, assignment.questions, assignment.sections)


def starts(result) -> dict[str, int]:
    return {question: section.start for question, section in result.sections.items()}


LATEX = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\R}{\mathbb{R}}
\begin{document}
\section*{Theory}
% the answers
\subsection*{Problem 1: Regression Task}
\begin{enumerate}
  \item Name the steps of one SGD step in PyTorch.
  \begin{enumerate}
    \item compute the prediction
    \item compute the loss
  \end{enumerate}
  \item Each layer: $z_1 = W^{(1)}x + b^{(1)}$, then $5(z_1)^+$.
  \item Backward pass: $\frac{\partial \ell}{\partial b^{(2)}} = \frac{\partial \ell}{\partial \hat y}$.
  \item The Jacobian is diagonal with entries $5$ or $0$.
\end{enumerate}
\subsection*{Problem 2: Classification Task}
\begin{enumerate}
  \item With $f = \tanh$ the hidden layer becomes $\tanh(z_1)$.
  \item With the binary cross-entropy loss the derivative has a $\log$.
  \item ReLU does not saturate, so gradients do not vanish.
\end{enumerate}
\section*{Implementation}
Notes on the code.
\end{document}
"""


def test_latex_sections_named_by_title_and_items_numbered_by_position():
    result = split_builtin(LATEX, "nyu-dl-hw1-2022")
    assert starts(result) == {"1.2a": 7, "1.2b": 14, "1.2c": 15, "1.2d": 16, "1.3a": 18, "1.3b": 21, "1.3c": 22}
    assert result.sections["1.3c"].end == 23  # "\section*{Implementation}" ends the answers
    assert result.question_of_line(11) == "1.2a"  # an item of a nested list is a step inside the answer
    assert not result.uncertain


PAGED = """--- page 1 ---

Homework Three
1 Problem 3
(a) Each exponential is positive, so the ratio lies in (0, 1).
(b) Put f = lambda e_y; the ratio tends to 1 and the loss to 0.
2 Problem 4
Near x the maximiser stays the same, so f = f_I there.
1
--- page 2 ---

2 Deep Learning Homework
3 Problem 5
(a) For z >= 0, ReLU(ReLU(z)) = ReLU(z); for z < 0 both are 0.
(b) The derivative of softplus is the sigmoid, which is Lipschitz.
2
--- page 3 ---

3 Deep Learning Homework
(c) tanh(z) = 2 sigmoid(2z) - 1, so the two networks are equivalent.
4 Problem 6
The unit stays dead: its gradient is zero.
"""


def test_section_counters_before_problem_numbers_and_page_headers():
    result = split_submission(PAGED, ids(*RYU))
    assert starts(result) == {"3a": 4, "3b": 6, "4": 7, "5a": 13, "5b": 15, "5c": 20, "6": 21}
    assert result.question_of_line(19) == "5b"  # the header on page 3 neither opens nor closes anything
    assert result.question_of_line(12) == "4"


SHIFTED = """1 Instructions
Every vector is a column.
2 Two-Layer Neural Networks
Linear, then f, then Linear, then g.
3 Regression Task
3.1 Training Overview
Forward, loss, zero_grad, backward, step.
3.2 Forward Pass
z1 = W1 x + b1.
3.3 Backward Pass
dl/dW2 = z2 dl/dyhat.
3.4 Elements of the Derivatives
The Jacobian is diagonal.
4 Classification Task
4.1 Using Sigmoid instead of ReLU
4.1.1 Forward Pass
z2 = sigmoid(z1).
4.2 Using the Binary Cross Entropy Loss
The loss has a log.
4.3 Using one ReLU and one Sigmoid
ReLU does not saturate.
"""


def test_the_students_own_numbering_is_learnt_from_section_titles():
    result = split_builtin(SHIFTED, "nyu-dl-hw1-2021")
    assert starts(result) == {"1.2a": 5, "1.2b": 8, "1.2c": 10, "1.2d": 12, "1.3a": 14, "1.3b": 18, "1.3c": 20}
    assert result.question_of_line(2) is None  # "1 Instructions" is not the assignment's part 1


REPEATED_LETTER = """## 1.3 Classification Task

(a) (b) With tanh and sigmoid the forward pass is sigma(W2 tanh(W1 x + b1) + b2).
(c) The gradients keep their form.
(d) The Jacobians are diag(1 - tanh^2) and diag(sigma(1 - sigma)).
(b) (b) With the BCE loss the forward pass ends in -(1/K) sum y log yhat.
(c) Unchanged.
(d) dl/dyhat = (1/K)(yhat - y)/(yhat(1 - yhat)).
(c) ReLU keeps a derivative of 1 on the positive side.
"""


def test_a_repeated_letter_names_the_part_then_the_restated_sub_part():
    result = split_builtin(REPEATED_LETTER, "nyu-dl-hw1-2022")
    assert starts(result) == {"1.3a": 1, "1.3b": 6, "1.3c": 9}


RESTARTING = """(a) Forward, loss, zero the gradients, backward, optimizer step.
(b) z1 = W1 x + b1, z2 = 5 ReLU(z1), z3 = W2 z2 + b2.
(c) The gradients by the chain rule.
(d) The Jacobian entries are 5 or 0 on the diagonal.
(a) With tanh and sigmoid the forward pass changes.
(b) With the binary cross entropy the loss gradient has logs.
(c) ReLU avoids vanishing gradients.
(a) Softmax is a smooth argmax, so softargmax is the better name.
(b) The graph is drawn on paper.
(c) Plots of the derivatives of ReLU, LeakyReLU, Softplus and GELU.
(d) Rotation, reflection, scaling and shearing.
(e) theta* = argmin over theta of the mean squared error.
"""


def test_bare_letters_that_restart_in_every_section():
    result = split_builtin(RESTARTING, "nyu-dl-hw1-2022")
    assert starts(result) == {
        "1.2a": 1, "1.2b": 2, "1.2c": 3, "1.2d": 4, "1.3a": 5, "1.3b": 6, "1.3c": 7,
        "1.4a": 8, "1.4b": 9, "1.4c": 10, "1.4d": 11, "1.4e": 12,
    }


def test_two_problems_answered_under_one_heading_share_its_lines():
    text = ("## Problem 1 & 2\nThe model, the training and the parameter count.\n"
            "## Problem 3\n(a) positive\n(b) tends to 0\n")
    result = split_submission(text, ids(*RYU))
    assert result.sections["1"].ranges == result.sections["2"].ranges == ((1, 2),)
    assert starts(result)["3a"] == 3


def test_a_range_of_problems_named_in_a_title_opens_nothing():
    text = "# Homework 3 (Problems 2-7)\n\n## Problem 2\nanswer\n## Problem 3\n(a) x\n"
    assert starts(split_submission(text, ids(*RYU))) == {"2": 3, "3a": 5}


def test_the_question_text_copied_before_each_answer_stays_with_it():
    text = ("Problem 3 (Cross entropy). Define the loss as minus the log of a softmax entry.\n"
            "(a) Show that the loss is positive and finite.\n"
            "Answer: the softmax entry lies strictly between 0 and 1.\n"
            "(b) Show that the loss of a scaled one-hot vector tends to 0.\n"
            "Answer: the entry tends to 1.\n")
    result = split_submission(text, ids(*RYU))
    assert {q: s.ranges for q, s in result.sections.items()} == {"3a": ((1, 3),), "3b": ((4, 5),)}


def test_a_code_appendix_that_numbers_the_problems_again():
    text = ("Problem 1. The plots are in the appendix.\n"
            "Problem 2. There are 4353 parameters.\n"
            "Problem 3. (a) positive (b) zero\n"
            "Problem 4. f = f_I near x.\n"
            "Appendix\n"
            "Problem 1\n"
            "model = MLP()\n"
            "Problem 2\n"
            "y_train = f_true(X_train) + noise\n")
    result = split_submission(text, ids(*RYU))
    assert result.sections["1"].ranges == ((1, 1), (6, 7))
    assert result.sections["2"].ranges == ((2, 2), (8, 9))


def test_a_problem_heading_then_numbered_items_means_the_level_left_out():
    text = ("**Problem 1**\n\n1) Sigmoid: the derivative is s(1 - s).\n2) tanh: 1 - tanh^2.\n"
            "3) Leaky ReLU: 1 or a.\n(b) Forward pass: a = W1 x + b1.\n**Problem 2**\nThe quantile.\n")
    assert starts(split_submission(text, ids(*AMA))) == {"1a.1": 1, "1a.2": 4, "1a.3": 5, "1b": 6, "2": 7}


def test_a_bare_number_after_a_dotted_label_is_read_with_what_follows():
    assignment = load_assignment("you-nndl-hw1")
    text = ("## 2.1\nThe gradient of x^T(Ax + z) is (A + A^T)x + z.\n\n"
            "## 3\nWith z = Wx + b, dL/dW = 2(z - y)x^T, an outer product of the shape of W.\n")
    result = split_submission(text, assignment.questions, assignment.sections)
    assert starts(result) == {"2.1": 1, "3": 4}


def test_flattened_subscripts_and_equation_numbers_are_not_labels():
    text = "## 1.2\n(a) steps\n(b) the weights w\n1 n\n2 n\n(6)\n(c) gradients\n"
    result = split_submission(text, ids("1.2a", "1.2b", "1.2c", "1.3a"))
    assert starts(result) == {"1.2a": 1, "1.2b": 3, "1.2c": 7}


def test_text_whose_glyphs_an_extractor_could_not_map_still_shows_its_problem_numbers():
    text = ("Problem 1. see below\nProblem 2. see below\n"
            "?P?r?o?b?l?e?m ?1\n?x ?= ?1\n?# ?1?*?6?4\n?P?r?o?b?l?e?m ?2\n?y\n")
    result = split_submission(text, ids("1", "2"))
    assert result.sections["1"].ranges == ((1, 1), (3, 5))
    assert result.sections["2"].ranges == ((2, 2), (6, 7))


def test_placement_by_position_alone_is_marked_for_review_with_the_reason():
    text = "(a) something\n(b) something else\n(a) more\n"
    result = split_submission(text, ids("1.2a", "1.2b", "1.3a", "1.3b"))
    assert "1.3a" in result.sections
    assert "position" in result.uncertain["1.3a"] and "1.2a" not in result.uncertain


def test_an_unlabelled_text_goes_where_its_content_points_for_a_person_to_confirm():
    code = ("import torch\nalpha, K, B, N = 0.1, 1000, 128, 512\nmodel = MLP()  # sigmoid layers 1-64-64-1\n"
            "loader = DataLoader(dataset, batch_size=B, shuffle=True)\nfor epoch in range(K):\n"
            "    loss = nn.MSELoss()(model(x), y)\n")
    result = split_builtin(code, "ryu-mathdnn-hw3")
    assert list(result.sections) == ["1"] and result.sections["1"].how == "content"
    assert "no heading" in result.uncertain["1"]


@pytest.mark.parametrize("text", ["", "\n\n", "no labels at all here"])
def test_nothing_to_find(text):
    assert split_submission(text, ids("1.2a", "1.2b")).sections == {}


def test_labels_from_the_blocks_of_a_structured_reader():
    """A LaTeX or PDF reader sets headings and items as blocks with the labels the source prints."""
    builder = DocumentBuilder("hw.tex", "latex")
    builder.add(BlockKind.HEADING, "Problem 1: Regression Task", Location("hw.tex", 3), label="Problem 1", level=2)
    builder.add(BlockKind.ITEM, "The steps: forward, loss, zero_grad, backward, step.", Location("hw.tex", 5),
                label="(a)", level=1)
    builder.add(BlockKind.ITEM, "The layer outputs are W x + b.", Location("hw.tex", 7), label="(b)", level=1)
    builder.add(BlockKind.HEADING, "Problem 2: Classification Task", Location("hw.tex", 9), label="Problem 2",
                level=2)
    builder.add(BlockKind.ITEM, "With tanh and sigmoid.", Location("hw.tex", 11), label="(a)", level=1)
    document = builder.build()
    assignment = load_assignment("nyu-dl-hw1-2022")
    result = split_document(document, assignment.questions, assignment.sections)
    assert starts(result) == {"1.2a": 1, "1.2b": 5, "1.3a": 7}


def test_a_latex_readers_list_entries_count_by_position_and_their_nested_steps_do_not():
    builder = DocumentBuilder("hw.tex", "latex")
    where = Location("hw.tex", 1)
    builder.add(BlockKind.HEADING, "## Problem 2: Classification Task", where, level=2)
    builder.add(BlockKind.ITEM, "1. With tanh the hidden layer is tanh(W x + b).", where, label="1.", level=1)
    builder.add(BlockKind.ITEM, "(a) first the forward pass", where, label="(a)", level=2)
    builder.add(BlockKind.ITEM, "(b) then the loss", where, label="(b)", level=2)
    builder.add(BlockKind.ITEM, "2. With the BCE loss a log appears.", where, label="2.", level=1)
    assignment = load_assignment("nyu-dl-hw1-2022")
    result = split_document(builder.build(), assignment.questions, assignment.sections)
    assert starts(result) == {"1.3a": 1, "1.3b": 9}


def test_a_pdf_readers_parts_under_a_problem_item_are_read_by_their_labels():
    builder = DocumentBuilder("hw.pdf", "pdf")
    where = Location("hw.pdf", 1, page=1)
    builder.add(BlockKind.ITEM, "Problem 3. (Cross entropy)", where, label="Problem 3", level=1)
    builder.add(BlockKind.ITEM, "(a) the ratio lies in (0, 1)", where, label="(a)", level=2)
    builder.add(BlockKind.ITEM, "(b) the loss tends to 0", where, label="(b)", level=2)
    builder.add(BlockKind.ITEM, "Problem 4. (Derivative of max)", where, label="Problem 4", level=1)
    result = split_document(builder.build(), ids(*RYU))
    assert starts(result) == {"3a": 1, "3b": 5, "4": 7}
