"""Diagonal Jacobians of elementwise activations, written with dots, checked entry by entry."""

from chainrule.grading.check import check_document
from chainrule.grading.findings import Verdict

NETWORK = r"""$$L_1(\mathbf{x}) = \mathbf{W}^{(1)}\mathbf{x} + \mathbf{b}^{(1)}$$

$$f(L_1(\mathbf{x})) = {activation}$$

$$\mathbf{z}_2 = f(\mathbf{z}_1)$$

$$\frac{\partial \mathbf{z}_2}{\partial \mathbf{z}_1} = \begin{bmatrix} {entry1} & & 0 \\ & \ddots & \\
0 & & {entryK} \end{bmatrix}$$
"""


def check(activation: str, entry: str):
    text = NETWORK.replace("{activation}", activation).replace("{entry1}", entry.replace("i", "1")) \
        .replace("{entryK}", entry.replace("i", "K"))
    return [f for f in check_document(text).findings if f.line == 7]


def test_tanh_jacobian_right_and_wrong():
    tanh = r"\tanh(\mathbf{W}^{(1)}\mathbf{x} + \mathbf{b}^{(1)})"
    (right,) = check(tanh, r"1 - \tanh^2(z_{1,i})")
    assert right.verdict is Verdict.RIGHT
    (wrong,) = check(tanh, r"1 - \tanh(z_{1,i}^2)")
    assert wrong.verdict is Verdict.WRONG
    assert "1 − tanh(z_1,1)^2" in wrong.reason


def test_scaled_relu_jacobian_with_indicators():
    (right,) = check(r"5\text{ReLU}(L_1(\mathbf{x}))", r"5\mathbb{1}_{\{z_{1,i} > 0\}}")
    assert right.verdict is Verdict.RIGHT
    (wrong,) = check(r"5\text{ReLU}(L_1(\mathbf{x}))", r"\mathbb{1}_{\{z_{1,i} > 0\}}")
    assert wrong.verdict is Verdict.WRONG


def test_an_unrelated_activation_teaches_nothing():
    # f(L_1(x)) = tanh(something else): f is not known to be tanh, so nothing is decided
    findings = check(r"\tanh(\mathbf{W}^{(2)}\mathbf{x})", r"1 - \tanh(z_{1,i}^2)")
    assert all(f.verdict is not Verdict.WRONG for f in findings)


def test_a_network_redescribed_later_replaces_an_inline_activation():
    text = (r"$$f(L_1(x)) = 5\text{ReLU}(L_1(x))$$" "\n\n"
            r"$$\mathbf{z}_2 = f(\mathbf{z}_1)$$" "\n\n"
            r"$$\mathbf{z}_2 = 5\text{ReLU}(\mathbf{z}_1)$$" "\n\n"
            r"$$f(L_1(x)) = \tanh(L_1(x))$$" "\n\n"
            r"$$\frac{\partial \mathbf{z}_2}{\partial \mathbf{z}_1} = \begin{bmatrix} 1 - \tanh^2(z_{1,1}) & & 0 \\"
            r" & \ddots & \\ 0 & & 1 - \tanh^2(z_{1,m}) \end{bmatrix}$$" "\n")
    findings = [f for f in check_document(text).findings if f.line == 9]
    assert [f.verdict for f in findings] == [Verdict.RIGHT]


def test_an_entry_matching_another_activation_of_the_document_is_not_called_wrong():
    # the text changes the activation only in words; the Jacobian follows the new one
    text = (r"$$\mathbf{z}_2 = 5\text{ReLU}(\mathbf{z}_1)$$" "\n\n"
            r"$$\mathbf{h} = \tanh(\mathbf{u})$$" "\n\n"
            r"$$\frac{\partial \mathbf{z}_2}{\partial \mathbf{z}_1} = \begin{bmatrix} 1 - \tanh^2(z_{1,1}) & & 0 \\"
            r" & \ddots & \\ 0 & & 1 - \tanh^2(z_{1,m}) \end{bmatrix}$$" "\n")
    findings = [f for f in check_document(text).findings if f.line == 5]
    assert [f.verdict for f in findings] == [Verdict.UNDECIDED]
