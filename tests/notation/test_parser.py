import pytest

from chainrule.errors import InputError
from chainrule.notation import (
    Apply,
    BigOp,
    Block,
    Cases,
    Chain,
    Derivative,
    Div,
    Function,
    Limit,
    Matrix,
    Mul,
    Norm,
    Number,
    Power,
    ReaderOptions,
    Space,
    Symbol,
    Transpose,
    parse_math,
    to_text,
)
from chainrule.notation.errors import InputTooLarge, NotationError, UnbalancedDelimiter
from chainrule.notation.parser import BAD_INPUTS, MAX_SPAN_CHARS

x, y, W = Symbol("x"), Symbol("y"), Symbol("W")


@pytest.mark.parametrize("latex", ["W^T", "W^\\top", "W^{\\top}", "W^⊤", "W^{\\mathsf T}", "W^{\\text{T}}",
                                   "\\mathbf{W}'"])
def test_every_transpose_spelling(latex):
    node = parse_math(latex)
    assert isinstance(node, Transpose)
    assert node.operand.name == "W"


def test_layer_superscript_is_a_label_not_a_power():
    assert parse_math("W^{(1)}") == Symbol("W", layer=Number("1"))
    assert parse_math("w^1") == Power(Symbol("w"), Number("1"))  # a power until a spec says otherwise
    assert parse_math("\\boldsymbol{z^{(1)}}") == Symbol("z", style="bold", layer=Number("1"))
    assert parse_math("\\mathbf{z}_{3,1}") == Symbol("z", style="bold", sub=(Number("3"), Number("1")))


@pytest.mark.parametrize(("latex", "name"), [
    ("\\sigma(a)", "sigma"), ("\\tanh(a)", "tanh"), ("\\text{sigmoid}(a)", "sigmoid"),
    ("\\text{LReLU}(a)", "leaky_relu"), ("\\text{Leaky ReLU}(a)", "leaky_relu"), ("\\text{ReLU}(a)", "relu"),
    ("\\operatorname{ReLU}(a)", "relu"), ("(a)^+", "relu"), ("\\max(a, 0)", "max"), ("\\max\\{a, 0\\}", "max"),
    ("\\mathbb{I}(a > 0)", "indicator"), ("\\mathbb{1}_{a>0}", "indicator"), ("I(a > 0)", "indicator"),
    ("\\text{diag}(a)", "diag"), ("\\exp(a)", "exp"), ("e^{a}", "exp"),
])
def test_function_applications(latex, name):
    node = parse_math(latex)
    assert isinstance(node, Apply), node
    assert node.name == name


def test_tanh_squared_is_the_square_of_tanh():
    assert parse_math("\\tanh^2(z)") == Power(Apply(Function("tanh"), (Symbol("z"),)), Number("2"))


def test_a_function_name_applies_but_a_matrix_multiplies():
    assert isinstance(parse_math("f(x)"), Apply)
    assert isinstance(parse_math("W(x + b)"), Mul)
    assert isinstance(parse_math("\\sigma(1 - \\sigma)"), Mul)  # σ is a value when it appears inside
    assert isinstance(parse_math("g(z)", options=ReaderOptions(functions=frozenset())), Mul)


def test_e_as_a_variable_when_asked():
    assert parse_math("e^{x}", options=ReaderOptions(e_is_variable=True)) == Power(Symbol("e"), x)


@pytest.mark.parametrize(("latex", "of", "wrt", "partial"), [
    ("\\frac{\\partial \\ell}{\\partial W^{(1)}}", Symbol("ell"), Symbol("W", layer=Number("1")), True),
    ("\\frac{\\partial L}{\\partial \\hat{y}}", Symbol("L"), Symbol("y", accent="hat"), True),
    ("\\frac{d}{dx} f(x)", Apply(Symbol("f"), (x,)), x, False),
    ("\\frac{dR(f)}{df}", Apply(Symbol("R"), (Symbol("f"),)), Symbol("f"), False),
    ("\\partial L / \\partial W", Symbol("L"), W, True),
])
def test_derivatives(latex, of, wrt, partial):
    assert parse_math(latex) == Derivative(of, wrt, partial)


def test_a_derivative_operator_reaches_to_the_end_of_the_product():
    node = parse_math("\\frac{d}{dx} \\frac{1}{1+e^{-x}}")
    assert isinstance(node, Derivative) and isinstance(node.of, Div)


def test_limits_with_every_arrow_and_signed_infinity():
    for arrow in ("\\to", "\\rightarrow", "→"):
        node = parse_math(f"\\lim_{{x {arrow} +\\infty}} \\tanh(x)")
        assert isinstance(node, Limit) and to_text(node.to) == "∞"
    minus = parse_math("\\lim_{x \\to -\\infty} x")
    assert to_text(minus.to) == "−∞"
    assert parse_math("\\lim_{x \\to 0^+} x").direction == "+"


def test_sum_with_limits_and_a_negative_summand():
    node = parse_math("\\sum_{i=1}^K -y_i")
    assert isinstance(node, BigOp) and node.op == "sum"
    assert to_text(node.lower) == "i = 1" and node.upper == Symbol("K")
    assert to_text(node.body) == "−y_i"


def test_norms_both_spellings():
    assert parse_math("\\|x\\|^2") == parse_math("||x||^2") == Power(Norm(x), Number("2"))
    assert parse_math("|x|") == Norm(x, "abs")


def test_matrices_and_cases():
    m = parse_math("\\begin{pmatrix} 0 & 0 \\\\ 1.1 & 2.2 \\end{pmatrix}")
    assert isinstance(m, Matrix) and m.size == (2, 2) and m.rows[1][1] == Number("2.2")
    c = parse_math("\\begin{cases} ax & \\text{if } ax > x \\\\ x & \\text{otherwise} \\end{cases}")
    assert isinstance(c, Cases) and len(c.pieces) == 2
    assert to_text(c.pieces[0].condition) == "a x > x" and c.pieces[1].condition is None


def test_chains_keep_every_link_and_relation_kinds():
    node = parse_math("a = b \\approx c \\le d \\Leftrightarrow e \\Rightarrow f \\triangleq g \\in h")
    assert isinstance(node, Chain)
    assert [op.op for op in node.ops] == ["=", "≈", "≤", "⇔", "⇒", "≜", "∈"]


def test_declarations_read_as_spaces():
    node = parse_math("\\mathbf{W}^{(1)} \\in \\mathbb{R}^{m \\times n}")
    assert node.terms[1] == Space("R", (Symbol("m"), Symbol("n")))


def test_products_of_every_spelling():
    assert parse_math("a \\cdot b").op == "cdot"
    assert parse_math("a \\times b").op == "times"
    assert parse_math("a * b").op == "star"
    assert parse_math("a b").op == "implicit"
    assert to_text(parse_math("a \\odot b")) == "a ⊙ b"


def test_display_rows_split_and_continued_rows_join():
    node = parse_math("h1 = \\sigma(z1) \\\\\n = 0.5812", line=31, column=1)
    assert isinstance(node, Chain) and len(node.terms) == 3
    assert node.ops[1].line == 32
    block = parse_math("z1 = 1 \\\\\n z1 = 2", line=5)
    assert isinstance(block, Block) and [r.line for r in block.rows] == [5, 6]


def test_boxed_underline_spacing_and_labels_do_not_change_the_math():
    assert parse_math("\\boxed{\\hat{y} = 1.33}").body == parse_math("\\hat{y} = 1.33")
    assert parse_math("\\underline{a = b}").body == parse_math("a = b")
    assert parse_math("a \\, b \\; c") == parse_math("a b c")
    assert parse_math("1. (a) \\quad x = 1") == parse_math("x = 1")


def test_huge_exponents_are_read_not_evaluated():
    node = parse_math("10^{10^{10^{10}}}")
    assert to_text(node) == "10^(10^(10^10))"


@pytest.mark.parametrize(("latex", "cls", "words", "column"), [
    ("\\frac{1}{2", UnbalancedDelimiter, "unbalanced brace", 9),
    ("a + ", NotationError, "nothing after it", 4),
    ("a = = b", NotationError, "", 5),
    ("\\sum", NotationError, "nothing to apply", 1),
])
def test_failures_are_located_input_errors(latex, cls, words, column):
    with pytest.raises(cls) as info:
        parse_math(latex, line=41, column=1)
    error = info.value
    assert isinstance(error, InputError)
    assert error.line == 41 and error.column == column
    assert words in error.message
    assert str(error).startswith(f"line 41, col {column}: ")


@pytest.mark.parametrize(("label", "example"), [(label, ex) for label, exs in BAD_INPUTS.items() for ex in exs])
def test_each_labelled_bad_input_gets_its_label(label, example):
    with pytest.raises(NotationError) as info:
        parse_math(example)
    assert info.value.message == label


def test_bad_inputs_get_plain_words_from_the_labelled_table():
    with pytest.raises(NotationError) as info:
        parse_math("x = y =")
    assert "relation with nothing on its right" in info.value.message or "ends too early" in info.value.message


def test_length_is_bounded():
    with pytest.raises(InputTooLarge):
        parse_math("x" * (MAX_SPAN_CHARS + 1))


def test_assignment_notation_from_the_seeds():
    assert isinstance(parse_math("\\mathcal{L}(\\theta)"), Apply)
    node = parse_math("\\underset{\\theta \\in \\mathbb{R}^p}{\\text{minimize}} \\quad \\mathcal{L}(\\theta)")
    assert isinstance(node, BigOp) and node.op == "min" and isinstance(node.body, Apply)
    assert to_text(parse_math("f_{\\star}(x)")) == "f_⋆(x)"
    assert to_text(parse_math("\\mathcal{R}_n(f(\\cdot; \\theta))")) == "cal R_n(f(·, θ))"
    assert to_text(parse_math("\\rho_\\tau(Y_i - f(X_i))")) == "ρ_τ(Y_i − f(X_i))"


def test_unicode_blackboard_and_determinant_bars():
    assert parse_math("x ∈ ℝ^{n}") == parse_math("x \\in \\mathbb{R}^n")
    det = parse_math("\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}")
    assert isinstance(det, Apply) and det.name == "det"


def test_derivatives_written_with_primes_apply_to_their_argument():
    node = parse_math("\\sigma'(z)")
    assert isinstance(node, Apply) and to_text(node) == "σ'(z)"
    assert isinstance(parse_math("\\mathbb{E}[X]"), Apply)
    assert parse_math("\\|x\\|_2") == Norm(x, "norm", Number("2"))


def test_a_function_name_without_brackets_takes_the_next_factor_or_call():
    assert to_text(parse_math("\\log \\sigma(x)")) == "log(σ(x))"
    assert to_text(parse_math("\\log x y")) == "log(x) y"


def test_a_text_superscript_is_a_label():
    node = parse_math("\\ell^{\\text{CE}}(f, y)")
    assert isinstance(node, Apply) and to_text(node) == "ℓ^CE(f, y)"
