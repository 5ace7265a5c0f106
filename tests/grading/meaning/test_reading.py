"""A document's math read once, for check and grade alike: function names it declares, rows, interpretation."""

from chainrule.grading.meaning import declared_function_names, read_math
from chainrule.notation import nodes as n


def test_names_defined_on_plain_arguments_are_functions():
    assert declared_function_names([r"$J(\theta) = \frac1N \sum_i e_i^2$ and $Q(a, b) := a b$"]) >= {"J", "Q"}


def test_a_gradient_at_a_point_and_a_self_application_declare_functions():
    assert declared_function_names([r"$\nabla_u V(u^k)$", r"$s(s(t))$"]) >= {"V", "s"}


def test_a_declared_matrix_is_never_a_function():
    assert "A" not in declared_function_names([r"$A \in \mathbb{R}^{n\times n}$, $A(x) = b$"])


def test_a_product_in_brackets_does_not_declare_a_function():
    assert "W" not in declared_function_names([r"$W(x + b) = Wx + Wb$"])


def test_read_math_applies_declared_names_everywhere_in_the_document():
    read = read_math("$J(w) = (w - 1)^2$\n\nso $J(w) \\ge 0$")
    second = read.spans[1].nodes[0]
    assert isinstance(second.terms[0], n.Apply) and second.terms[0].func.name == "J"


def test_a_span_that_fails_whole_is_read_row_by_row():
    read = read_math("$$\\begin{aligned} a &= 1 \\\\ b &= ) \\\\ c &= 3 \\end{aligned}$$")
    assert len(read.spans[0].nodes) == 2 and read.errors


def test_iterates_are_read_as_labels_across_the_document():
    read = read_math("$v^{k+1} = v^k - 0.1 g$\n\n$v^k = 3$")
    assert read.forms.iterated == {"v"}
    assert read.spans[1].nodes[0].terms[0] == n.Symbol("v", layer=n.Symbol("k"))
