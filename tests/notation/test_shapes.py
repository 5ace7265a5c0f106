from chainrule.notation import declarations, infer_shape, parse_math
from chainrule.shapes import SCALAR, UNKNOWN_SHAPE, Shape


def test_declarations_from_membership_and_colon():
    node = parse_math("\\mathbf{x} \\in \\mathbb{R}^n, \\mathbf{W}^{(1)} \\in \\mathbb{R}^{m \\times n}, "
                      "b : m \\times 1, \\alpha \\in \\mathbb{R}")
    found = declarations(node)
    assert found == {"bold x": Shape("n", 1), "bold W^(1)": Shape("m", "n"), "b": Shape("m", 1),
                     "α": SCALAR}


def test_inference_uses_declarations_type_and_layout():
    decl = declarations(parse_math("\\mathbf{x} \\in \\mathbb{R}^n, \\mathbf{W} \\in \\mathbb{R}^{m \\times n}, "
                                   "\\ell \\in \\mathbb{R}"))
    assert infer_shape(parse_math("\\frac{\\partial \\mathbf{y}}{\\partial \\mathbf{x}}"), decl) == Shape(None, "n")
    assert infer_shape(parse_math("\\mathbf{W}\\mathbf{x} + \\mathbf{b}"), decl) == Shape("m", 1)
    assert infer_shape(parse_math("\\mathbf{x}^\\top"), decl) == Shape(1, "n")
    assert infer_shape(parse_math("\\frac{\\partial \\ell}{\\partial \\mathbf{x}}"), decl) == Shape(1, "n")
    assert infer_shape(parse_math("\\begin{pmatrix} 0 & 0 & 0 \\\\ 1.1 & 2.2 & 3.3 \\end{pmatrix}")) == Shape(2, 3)
    assert infer_shape(parse_math("\\|\\mathbf{y}\\|^2")) == SCALAR
    assert infer_shape(parse_math("\\mathbf{z}")).cols == 1


def test_a_clash_is_unknown_not_an_exception():
    decl = declarations(parse_math("\\mathbf{x} \\in \\mathbb{R}^n, \\mathbf{W} \\in \\mathbb{R}^{m \\times k}"))
    assert infer_shape(parse_math("\\mathbf{W}\\mathbf{x}"), decl) == UNKNOWN_SHAPE


def test_a_plain_r_still_declares_after_ocr_drops_the_blackboard_font():
    assert declarations(parse_math("W \\in R^{m \\times n}, b \\in R^m")) == {"W": Shape("m", "n"), "b": Shape("m", 1)}
