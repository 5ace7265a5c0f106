import pytest

from chainrule.notation import parse_math, to_latex, to_text

SAMPLES = [
    "\\frac{d}{dx} \\frac{1}{1+e^{-x}} = \\frac{e^{-x}}{(1+e^{-x})^2}",
    "a = W^{(1)}x + b^{(1)} = \\begin{pmatrix} -3.2 \\\\ 1.3 \\end{pmatrix}",
    "\\lim_{x \\to -\\infty} \\frac{d}{dx} \\text{LReLU}(x) = 1",
    "\\ell = \\|\\mathbf{y} - \\hat{\\mathbf{y}}\\|^2",
    "\\frac{\\partial \\ell}{\\partial \\mathbf{W}^{(1)}} = \\mathbf{x} \\frac{\\partial \\ell}{\\partial z_1}",
    "\\text{Leaky ReLU}(x) = \\begin{cases} ax & \\text{if } ax > x \\\\ x & \\text{otherwise} \\end{cases}",
    "\\sum_{i=1}^K -[y_i \\log(\\hat{y}_i) + (1 - y_i)\\log(1 - \\hat{y}_i)]",
    "f(\\theta^{k+1}) \\leq f(\\theta^k) - \\frac{1}{2L} \\|\\nabla f(\\theta^k)\\|^2",
    "\\tanh^2(z) - (\\mathbf{W}x)^\\top \\odot \\sigma'(z)",
    "\\mathbf{W}^{(2)} \\in \\mathbb{R}^{K \\times m}, \\quad h : \\mathbb{R}^K \\rightarrow \\mathbb{R}^K",
    "\\mathbb{1}_{\\{z > 0\\}} + (x)^+ - \\max\\{a, 0\\} + \\sqrt{x} + |x|",
]


@pytest.mark.parametrize("latex", SAMPLES)
def test_latex_round_trip_gives_the_same_tree(latex):
    node = parse_math(latex)
    assert parse_math(to_latex(node)) == node


def test_text_form_reads_like_the_math():
    assert to_text(parse_math("\\frac{\\partial L}{\\partial \\hat{y}} = \\hat{y} - y")) == "∂L/∂hat y = hat y − y"
    assert to_text(parse_math("\\mathbf{x}^\\top W^{(1)}")) == "bold xᵀ W^(1)"
    assert to_text(parse_math("\\sigma(a) = \\max\\{a, 0\\}")) == "σ(a) = max(a, 0)"


@pytest.mark.parametrize("latex", ["\\sigma'(z) + f'(x) + \\tanh'(x)", "\\mathbb{E}_{x}[f(x)] + \\|x\\|_2",
                                   "\\left(\\frac{\\partial z_2}{\\partial z_1}\\right)_{ij} + (\\frac{1}{2})^2"])
def test_more_round_trips(latex):
    node = parse_math(latex)
    assert parse_math(to_latex(node)) == node
