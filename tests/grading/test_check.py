"""check_document: the first wrong step of each chain, bindings line by line, and the hand-labelled corpus."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.grading.check import check_document
from chainrule.grading.findings import Verdict


def wrong_lines(result):
    return {f.line for f in result.findings if f.verdict is Verdict.WRONG}


def test_first_wrong_step_of_a_chain_only():
    result = check_document(r"$$\frac{d}{dx}\tanh x = 1 - \tanh(x^2) = 1 - \tanh^2 x$$")
    wrong = [f for f in result.findings if f.verdict is Verdict.WRONG]
    assert len(wrong) == 1
    assert "tanh(x^2)" in wrong[0].written


def test_bindings_carry_numbers_to_later_lines():
    text = "$$z_1 = 0.15 \\cdot 0.05 + 0.2 \\cdot 0.1 + 0.30$$\n\n$$h_1 = \\sigma(z_1) = 0.5812$$\n\n" \
           "$$h_2 = \\sigma(z_1) = 0.5912$$\n"
    result = check_document(text)
    assert wrong_lines(result) == {5}
    assert any(f.line == 3 and f.verdict is Verdict.RIGHT for f in result.findings)


def test_a_name_is_defined_not_checked():
    result = check_document(r"$$L = \frac{1}{2}(\hat{y} - y)^2$$")
    assert result.findings == []


def test_redefining_a_bound_name_by_a_formula_is_not_a_claim():
    result = check_document("$$x = 2$$\n\n$$x = a + b$$\n\n$$\\frac{d}{dx} x^2 = 2x$$\n")
    assert not wrong_lines(result)


def test_wrong_operand_is_reported_but_not_called_wrong():
    text = "$$y = 0.7491$$\n\n$$y(1 - y) = 0.7391(1 - 0.7391) = 0.1928$$\n"
    result = check_document(text)
    assert not wrong_lines(result)
    operand = [f for f in result.findings if f.kind == "operand"]
    assert operand and "y = 0.7491" in operand[0].reason


def test_membership_in_a_space_is_checked_against_the_worked_out_shape():
    text = ("Numerator layout.\n\n$\\mathbf{z}_1, \\mathbf{z}_2 \\in \\mathbb{R}^m$\n\n"
            "$$\\frac{\\partial \\mathbf{z}_2}{\\partial \\mathbf{z}_1} = D \\in \\mathbb{R}^K$$\n")
    result = check_document(text)
    (finding,) = [f for f in result.findings if f.verdict is Verdict.WRONG]
    assert finding.kind == "shape" and "(m×m)" in finding.reason


def test_parameters_take_their_domain_from_the_document():
    text = "$$f(x) = \\max\\{ax, x\\}, \\quad a \\in (0, 1)$$\n\n" \
           "$$\\lim_{x \\to +\\infty} \\frac{d}{dx} \\text{LReLU}(x) = a$$\n"
    assert wrong_lines(check_document(text)) == {3}


def test_bad_math_is_listed_and_the_check_goes_on():
    result = check_document("$$x = ( $$\n\n$$2 + 2 = 5$$\n")
    assert result.errors
    assert wrong_lines(result) == {3}


# --- the hand-labelled corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labels(shared_dir: Path):
    return {item["file"]: item for item in yaml.safe_load((shared_dir / "corpus" / "labels.yaml").read_text())[
        "submissions"]}


def check_file(shared_dir: Path, name: str):
    path = shared_dir / name
    return check_document(path.read_text(encoding="utf-8"), str(path))


def labelled_wrong_lines(item) -> set[int]:
    return {w["line"] for w in item.get("wrong", []) if "line" in w}


def test_melfm_right_lines_are_never_flagged(shared_dir, labels):
    item = labels["corpus/submissions/backprop-notes__melfm-early.md"]
    right = {line for group in item["right"] for line in group["lines"]}
    result = check_file(shared_dir, "corpus/submissions/backprop-notes__melfm-early.md")
    assert not wrong_lines(result) & right
    assert wrong_lines(result) & {80, 81}  # 2·½(t1 − ŷ1) is not ∂E/∂ŷ1 = −(t1 − ŷ1)
    checked_right = {f.line for f in result.findings if f.verdict is Verdict.RIGHT}
    assert {26, 34, 41, 43, 56, 60, 93} <= checked_right


def test_seed_001_flags_exactly_the_swapped_leaky_relu_limits(shared_dir, labels):
    item = labels["seeds/001_eab900ac343fe132.txt"]
    result = check_file(shared_dir, "seeds/001_eab900ac343fe132.txt")
    assert wrong_lines(result) == labelled_wrong_lines(item) == {25, 27}
    right = {f.line for f in result.findings if f.verdict is Verdict.RIGHT}
    assert {9, 11, 13, 15, 17, 19, 21, 23} <= right  # sigmoid/tanh/leaky derivatives and limits


def test_seed_002_flags_the_shape_errors_and_nothing_labelled_right(shared_dir, labels):
    item = labels["seeds/002_9b45f76732716079.txt"]
    result = check_file(shared_dir, "seeds/002_9b45f76732716079.txt")
    assert {62, 63, 76, 80, 109} <= wrong_lines(result)
    assert wrong_lines(result) <= labelled_wrong_lines(item)
    # 1 − tanh(z²) for tanh′(z) = 1 − tanh²(z): decided because the text says f(L₁(x)) = tanh(W⁽¹⁾x + b⁽¹⁾)
    assert any(f.line == 109 and f.verdict is Verdict.WRONG and "tanh(z_1,1)^2" in f.reason
               for f in result.findings)


@pytest.mark.parametrize("name", ["corpus/submissions/nyu-dl-hw1-2021__blueblazin.md",
                                  "corpus/submissions/nyu-dl-hw1-2021__yerephy.md"])
def test_other_submissions_flag_only_labelled_lines(shared_dir, labels, name):
    result = check_file(shared_dir, name)
    assert wrong_lines(result) <= labelled_wrong_lines(labels[name])


def test_functions_the_document_defines_are_used():
    text = ("$$\\sigma(x) = \\max\\{0, x\\}$$\n\n"
            "$$\\lim_{x \\to +\\infty} \\frac{d}{dx}\\sigma(x) = 1$$\n\n"
            "$$\\lim_{x \\to -\\infty} \\frac{d}{dx}\\sigma(x) = 1$$\n")
    result = check_document(text)
    assert wrong_lines(result) == {5}
    assert any(f.line == 3 and f.verdict is Verdict.RIGHT for f in result.findings)


def test_declarations_hold_from_their_line_on():
    # x is a number in the first part and a vector only after it is declared one
    text = ("$$\\frac{d}{dx} x^2 = 2x$$\n\n$$\\mathbf{x} \\in \\mathbb{R}^n$$\n\n"
            "$$\\frac{d}{dx} x^2 = 3x$$\n")
    result = check_document(text)
    assert any(f.line == 1 and f.verdict is Verdict.RIGHT for f in result.findings)
    assert not wrong_lines(result)  # after the declaration x is a vector: x² is not checked as a number


@pytest.mark.parametrize("text", [
    "$$1e-3 = 0.001$$",  # scientific notation, not 1·e − 3
    "$$50\\% = 0.5$$",  # the reader drops the percent sign
    "$$x = 3, y = 4$$\n\n$$y = 1$$",  # a new value for a name, not a claim about the old one
    "$$\\hat{y} = 0.8$$\n\n$$\\frac{\\partial L}{\\partial \\hat{y}} = -\\frac{1}{\\hat{y}} = -1.25$$",
    "$$W = \\begin{bmatrix} w_{11} & w_{12} \\end{bmatrix} = \\begin{bmatrix} -0.8 & 0.5 \\end{bmatrix}$$",
    "$$x = 2$$\n\n$$\\frac{d}{dx} \\tanh x = 1 - \\tanh^2 x$$",
    "$$\\frac{d}{dx} \\frac{e^{2x}-1}{e^{2x}+1} = \\frac{4e^{2x}}{(e^{2x}+1)^2}$$",
])
def test_right_or_unclear_statements_are_never_called_wrong(text):
    assert not wrong_lines(check_document(text))


def test_evaluating_a_derivative_at_the_known_point():
    text = "$$\\hat{y} = 0.8$$\n\n$$\\frac{\\partial L}{\\partial \\hat{y}} = -\\frac{1}{\\hat{y}} = -1.5$$"
    assert wrong_lines(check_document(text)) == {3}


FORWARD = r"""$$W^{(1)} = \begin{bmatrix} -0.8 & 0.5 & -1 \\ 1.2 & -0.7 & 0.2 \end{bmatrix}, \quad
b^{(1)} = \begin{bmatrix} -0.4 \\ 0.9 \end{bmatrix}$$

$$W^{(2)} = \begin{bmatrix} 0.6 & 1.1 \end{bmatrix}, \quad b^{(2)} = -0.1, \quad
x = \begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}, \quad y = 0.33$$

$$a = W^{(1)}x + b^{(1)} = \begin{pmatrix} -3.2 \\ 1.3 \end{pmatrix}$$

$$h = \max\{a, 0\} = \begin{pmatrix} 0 \\ 1.3 \end{pmatrix}$$

$$\hat{y} = W^{(2)}h + b^{(2)} = {yhat}$$

$$\frac{\partial L}{\partial \hat{y}} = \hat{y} - y = 1$$

$$\frac{\partial L}{\partial h} = (W^{(2)})^T \frac{\partial L}{\partial \hat y}
= \begin{pmatrix} 0.6 \\ {dh} \end{pmatrix}$$
"""


def test_a_forward_and_backward_pass_with_numbers():
    right = check_document(FORWARD.replace("{yhat}", "1.33").replace("{dh}", "1.1"))
    assert not wrong_lines(right)
    assert {7, 9, 11, 13, 16} <= {f.line for f in right.findings if f.verdict is Verdict.RIGHT}
    wrong = check_document(FORWARD.replace("{yhat}", "1.43").replace("{dh}", "1.5"))
    assert wrong_lines(wrong) == {11, 16}


def test_a_name_restated_far_from_its_value_is_a_new_definition():
    text = "$$\\hat{y} = 1.5 + 0.5$$\n\n$$\\hat{y} = 2$$\n\n\n\n\n\n$$\\hat{y} = 0.3 + 0.4$$\n"
    result = check_document(text)
    assert not wrong_lines(result)
    assert any(f.line == 3 and f.verdict is Verdict.RIGHT for f in result.findings)


ATOMS = ["x", "0.5", "2", r"\sigma(x)", r"\tanh x", r"\frac{1}{x}", "e^{x}", r"\frac{d}{dx}", r"\lim_{x \to 0}",
         r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", r"\mathbf{x}^\top", r"\in \mathbb{R}^n", "=", "+", "-", r"\cdot",
         "(", ")", r"\\", "&", r"\infty", r"\max\{x, 0\}", "f(x)", r"\frac{\partial L}{\partial w}", "^2", "_1"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=12))
def test_any_math_gives_findings_or_errors_never_a_crash(pieces):
    result = check_document("$$" + " ".join(pieces) + "$$\n\n$$x = 2 = 2.0$$\n", timeout=2.0)
    assert all(f.reason for f in result.findings)


def test_a_spent_budget_leaves_the_rest_undecided():
    result = check_document("$$2 + 2 = 5$$\n\n$$1 + 1 = 3$$\n", budget=0.0)
    assert not wrong_lines(result)
    assert all("not checked" in f.reason for f in result.findings)


@pytest.mark.parametrize("claim", ["2^{2^{2^{10}}} = 5", "\\tanh(2^{2^{40}}) = 1", "(10^{10^{10}})^{10^{10}} = 3"])
def test_astronomical_powers_are_undecided_not_evaluated(claim):
    result = check_document(f"${claim}$\n")
    assert [finding.verdict for finding in result.findings] == [Verdict.UNDECIDED]
    assert "too large" in result.findings[0].reason


def test_a_huge_power_is_decided_numerically_not_computed():
    result = check_document("$10^{10^{10}} = 5$\n")
    assert [finding.verdict for finding in result.findings] == [Verdict.WRONG]
    assert "1.0e+10000000000" in result.findings[0].reason and "significant digits" in result.findings[0].reason


def test_ordinary_powers_are_still_decided():
    result = check_document("$2^{10} = 1024$ and $2^{10} = 1000$\n")
    assert [finding.verdict for finding in result.findings] == [Verdict.RIGHT, Verdict.WRONG]


# --- claims under conditions, shape statements, values put in (made-up lines) -------------------------------


def test_a_claim_is_checked_where_its_condition_puts_it():
    found = check_document("for $u < 0$ we get $\\max\\{2u, u\\} = u$, and $\\max\\{2u, u\\} = 2u$ when $u > 1$.")
    assert [f.verdict for f in found.findings if f.kind == "identity"] == [Verdict.RIGHT, Verdict.RIGHT]


def test_a_claim_false_under_its_condition_is_still_wrong():
    found = check_document("for $u > 0$ we get $|u| = -u$.")
    assert [f.verdict for f in found.findings if f.kind == "identity"] == [Verdict.WRONG]


def test_a_shape_statement_is_shape_algebra_not_arithmetic():
    found = check_document("$(p\\times q)(q\\times 1) = p\\times 1$ but $(p \\times q)(p\\times 1) = p \\times 1$")
    assert [f.verdict for f in found.findings] == [Verdict.RIGHT, Verdict.WRONG]
    assert all(f.kind == "shape" for f in found.findings)


def test_numbers_put_in_for_names_without_written_values_are_not_judged():
    found = check_document("$h = \\tanh(s)$ so $h(1 - h) = 0.3(1 - 0.3) = 0.21$")
    assert Verdict.WRONG not in {f.verdict for f in found.findings}


def test_a_name_given_a_new_single_value_is_a_new_definition():
    found = check_document("the dip is near $v = -\\sqrt{3}$ and the bump near $v = \\sqrt{3}$")
    assert Verdict.WRONG not in {f.verdict for f in found.findings}


def test_composition_and_application_are_not_products():
    found = check_document("$q(v) = v^2$, so $q(q(v)) = v^4$ and $q \\circ q = q$")
    assert Verdict.WRONG not in {f.verdict for f in found.findings}
