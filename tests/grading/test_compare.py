import numpy as np
import pytest
import torch

from chainrule.assignments.loader import load_assignment
from chainrule.grading.compare import compare_question
from chainrule.grading.context import GradingContext, declared_renamings
from chainrule.grading.findings import Verdict
from chainrule.grading.meaning import quantity_key
from chainrule.grading.split import split_submission
from chainrule.grading.truth import mlp_truth, network_truth
from chainrule.notation.parser import parse_math

NYU = load_assignment("nyu-dl-hw1-2022")
AMA = load_assignment("ama564-a1")


def findings(assignment, question_id, text):
    split = split_submission(text, assignment.questions)
    context = GradingContext.build(assignment, split)
    return compare_question(assignment.question(question_id), split.sections[question_id], context)


def only(found, verdict):
    return [f for f in found if f.verdict is verdict]


# --- the truth, checked by an independent route (PyTorch autograd) -----------------------------------------


@pytest.mark.parametrize("question_id", ["1.2c", "1.3b"])
def test_network_truth_matches_autograd(question_id):
    question = NYU.question(question_id)
    truth = network_truth(question, "numerator", np.random.default_rng(3))
    v = {k: torch.tensor(val, requires_grad=True) for k, val in truth.values.items() if k in ("W1", "b1", "W2", "b2")}
    x, y = torch.tensor(truth.values["x"]), torch.tensor(truth.values["y"])
    z1 = v["W1"] @ x + v["b1"]
    z2 = 5 * torch.relu(z1) if question.f.name == "relu" else torch.tanh(z1)
    z3 = v["W2"] @ z2 + v["b2"]
    yhat = z3 if question.g.name == "identity" else torch.sigmoid(z3)
    if question.loss == "bce_mean":
        loss = torch.nn.functional.binary_cross_entropy(yhat, y)
    else:
        loss = ((yhat - y) ** 2).sum()
    loss.backward()
    assert loss.item() == pytest.approx(truth.values["loss"][0, 0])
    for name in ("W1", "b1", "W2", "b2"):
        # numerator layout: ∂ℓ/∂W is the transpose of the gradient PyTorch accumulates in W's shape
        np.testing.assert_allclose(truth.derivatives[("loss", name)], v[name].grad.numpy().T, rtol=1e-9)


def test_mlp_truth_matches_autograd_in_denominator_layout():
    question = AMA.question("1b")
    truth = mlp_truth(question, "denominator")
    w1 = torch.tensor([[-0.8, 0.5, -1], [1.2, -0.7, 0.2]], dtype=torch.float64, requires_grad=True)
    b1 = torch.tensor([[-0.4], [0.9]], dtype=torch.float64, requires_grad=True)
    w2 = torch.tensor([[0.6, 1.1]], dtype=torch.float64, requires_grad=True)
    b2 = torch.tensor([[-0.1]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64)
    f = w2 @ torch.relu(w1 @ x + b1) + b2
    ((f - 0.33) ** 2 / 2).sum().backward()
    assert truth.values["yhat"][0, 0] == pytest.approx(f.item())
    for name, tensor in (("W1", w1), ("b1", b1), ("W2", w2), ("b2", b2)):
        np.testing.assert_allclose(truth.derivatives[("loss", name)], tensor.grad.numpy(), rtol=1e-12)


# --- names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["W^{(1)}", "W_1", "\\mathbf{W}_1", "\\boldsymbol{W}^{(1)}"])
def test_spellings_of_one_weight_share_a_key(spelling):
    assert quantity_key(parse_math(spelling)) == "W1"


def test_declared_renamings_in_words_and_arrows():
    lines = ["Let $s_1$ = Linear1 output, $z_1$ = f output", "\\text{Output of}\\; g: \\hat{y} \\rightarrow o"]
    assert declared_renamings(lines) == {"s1": "z1", "z1": "z2", "o": "yhat"}


# --- comparing ----------------------------------------------------------------------------------------------


def test_right_gradient_and_a_forbidden_symbol_noted():
    text = "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = z_2 \\frac{\\partial \\ell}{\\partial z_3}$\n"
    found = findings(NYU, "1.2c", text)
    assert [f.verdict for f in found] == [Verdict.RIGHT]
    assert "does not allow" in found[0].notes[0]


def test_transposed_gradient_is_wrong_in_numerator_layout():
    text = "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = \\frac{\\partial \\ell}{\\partial z_3}^T z_2^T$\n"
    (finding,) = findings(NYU, "1.2c", text)
    assert finding.verdict is Verdict.WRONG and "transposed" in finding.reason and "m×K" in finding.reason


def test_transposed_numbers_are_right_with_a_note_in_denominator_layout():
    text = "1. (b) $\\frac{\\partial L}{\\partial W^{(2)}} = \\begin{pmatrix} 0 \\\\ 1.3 \\end{pmatrix}$\n"
    (finding,) = findings(AMA, "1b", text)
    assert finding.verdict is Verdict.RIGHT and finding.notes == ("written transposed",)


def test_numbers_are_compared_to_the_digits_written():
    found = findings(AMA, "1b", "1. (b) $\\hat y = 1.3$, $\\hat y = 1.33$, $\\hat y = 1.4$\n")
    assert [f.verdict for f in found] == [Verdict.RIGHT, Verdict.RIGHT, Verdict.WRONG]


def test_shape_mismatch_is_wrong_and_an_ocr_reading_is_suggested():
    text = (
        "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = 5(W^{(1)}x +"
        " b^{(1)})^\\top \\frac{\\partial \\ell}{\\partial z_3}$\n"
    )
    (finding,) = findings(NYU, "1.2c", text)
    assert finding.verdict is Verdict.WRONG and "1×m by a 1×K" in finding.reason
    assert "^+ instead of ^⊤" in finding.notes[0]


def test_wrong_definition_and_wrong_size():
    text = (
        "## 1.2\n(c) since $z_3 = 5 W^{(2)} z_2 + b^{(2)}$\n(d) $\\frac{\\partial"
        " z_2}{\\partial z_1} \\in \\mathbb{R}^{K}$\n"
    )
    assert [f.verdict for f in findings(NYU, "1.2c", text)] == [Verdict.WRONG]
    (size,) = findings(NYU, "1.2d", text)
    assert size.verdict is Verdict.WRONG and "is m×m, not K" in size.reason


def test_jacobian_entries():
    full = (
        "## 1.2\n(d) $(\\frac{\\partial z_2}{\\partial z_1})_{ij} = \\begin{cases} 5 &"
        " z_{1i} > 0 \\\\ 0 & \\text{otherwise} \\end{cases}$\n"
    )
    (finding,) = findings(NYU, "1.2d", full)
    assert finding.verdict is Verdict.WRONG and "diagonal" in finding.reason
    diagonal = (
        "## 1.2\n(d) $(\\frac{\\partial z_2}{\\partial z_1})_{ij} = 5 \\delta_{ij} \\mathbb{1}_{\\{z_{1i} > 0\\}}$\n"
    )
    assert [f.verdict for f in findings(NYU, "1.2d", diagonal)] == [Verdict.RIGHT]
    row = "## 1.2\n(d) $(\\frac{\\partial \\ell}{\\partial \\hat y})_{ij} = 2(\\hat y_i - y_i)\\delta_{ij}$\n"
    (finding,) = findings(NYU, "1.2d", row)
    assert finding.verdict is Verdict.WRONG and "1×K" in finding.reason


def test_an_entry_with_a_free_index_is_compared_for_every_index():
    right = (
        "## 1.3\n(b) $\\frac{\\partial \\ell}{\\partial \\hat y_i} ="
        " \\frac{1}{K}(\\frac{1 - y_i}{1 - \\hat y_i} - \\frac{y_i}{\\hat y_i})$\n"
    )
    assert [f.verdict for f in findings(NYU, "1.3b", right)] == [Verdict.RIGHT]
    wrong = right.replace("\\frac{1}{K}", "")
    assert [f.verdict for f in findings(NYU, "1.3b", wrong)] == [Verdict.WRONG]


def test_limits_of_an_activation_derivative():
    text = (
        "1. (a)\n(3) $\\lim_{x \\to +\\infty} \\frac{d}{dx} \\text{LReLU}(x) = a$,"
        " $\\lim_{x \\to -\\infty} \\frac{d}{dx} \\text{LReLU}(x) = a$\n"
    )
    found = findings(AMA, "1a.3", text)
    assert [(f.verdict, f.expected) for f in found] == [(Verdict.WRONG, "1"), (Verdict.RIGHT, None)]


def test_misconception_pattern_is_flagged_at_its_line():
    found = findings(NYU, "1.4d", "## 1.4\n(d) Rotation, scaling,\nand Translation are linear.\n")
    assert [(f.verdict, f.line, f.kind) for f in found] == [(Verdict.WRONG, 3, "misconception")]


def test_unknown_names_give_no_verdict():
    assert findings(NYU, "1.2c", "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = Q R$\n") == []


def test_layer_tables_claim_each_layers_output():
    text = (
        "## 1.2\n(b)\n| Layer | Input | Output |\n| --- | --- | --- |\n"
        "| $Linear_1$ | $x$ | $W^{(1)}x + b^{(1)}$ |\n| $f$ | $z_1$ | $5(W^{(1)}x + b^{(1)})^+$ |\n"
        "| $\\text{Loss}$ | $\\hat y$ | $\\hat y - y$ |\n"
    )
    found = findings(NYU, "1.2b", text)
    assert [(f.line, f.verdict) for f in found] == [(5, Verdict.RIGHT), (6, Verdict.RIGHT), (7, Verdict.WRONG)]
    assert found[0].written.startswith("Linear1 output z_1 = ")


def test_findings_quote_formulas_without_style_words_and_carry_latex():
    from chainrule.grading.checkers.printing import readable

    text = (
        "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial \\mathbf{W}^{(2)}} = "
        "\\mathbf{z}_2 \\frac{\\partial \\ell}{\\partial \\hat{\\mathbf{y}}} \\frac{\\partial \\hat{\\mathbf{y}}}"
        "{\\partial \\mathbf{z}_3}$\n"
    )
    (finding,) = findings(NYU, "1.2c", text)
    assert finding.verdict is Verdict.RIGHT
    written = readable(finding.written)
    assert written == "∂ℓ/∂W^(2) = z₂ ∂ℓ/∂ŷ ∂ŷ/∂z₃"
    assert finding.latex is not None and "\\frac" in finding.latex and "\\partial" in finding.latex


# --- entries, indices and the names of other losses (made-up lines) -----------------------------------------


def test_a_diagonal_written_with_an_index_is_read_entry_by_entry():
    right = "## 1.3\n(a) $\\frac{\\partial z_2}{\\partial z_1} = \\operatorname{diag}(1 - \\tanh^2((z_1)_j))$\n"
    wrong = "## 1.3\n(a) $\\frac{\\partial z_2}{\\partial z_1} = \\operatorname{diag}(1 - (z_1)_j^2)$\n"
    assert [f.verdict for f in findings(NYU, "1.3a", right)] == [Verdict.RIGHT]
    assert [f.verdict for f in findings(NYU, "1.3a", wrong)] == [Verdict.WRONG]


def test_the_entries_of_a_vector_are_compared_one_by_one():
    right = "## 1.2\n(d) $\\left(\\frac{\\partial \\ell}{\\partial \\hat y}\\right)_k = 2(\\hat y_k - y_k)$\n"
    wrong = "## 1.2\n(d) $\\left(\\frac{\\partial \\ell}{\\partial \\hat y}\\right)_k = 2(y_k - \\hat y_k)$\n"
    assert [f.verdict for f in findings(NYU, "1.2d", right)] == [Verdict.RIGHT]
    assert [f.verdict for f in findings(NYU, "1.2d", wrong)] == [Verdict.WRONG]


def test_a_loss_named_for_another_kind_is_not_this_questions_loss():
    text = "## 1.3\n(a) $\\ell_{\\text{BCE}} = -\\sum_k y_k \\log \\hat y_k$ and $\\ell = \\|\\hat y - y\\|^2$\n"
    found = findings(NYU, "1.3a", text)
    assert [f.verdict for f in found] == [Verdict.RIGHT]


def test_a_claim_under_a_condition_is_not_called_wrong_at_random_points():
    text = "## 1.2\n(b) for $z_1 > 0$ we get $z_2 = 5 z_1$\n"
    assert Verdict.WRONG not in {f.verdict for f in findings(NYU, "1.2b", text)}
