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


def test_a_condition_before_a_claim_in_its_clause_restricts_it():
    read = read_math("for $t < 0$ we get $|t| = -t$; and $|t| = t$ when $t \\ge 0$.")
    first, second = read.spans[1].condition, read.spans[2].condition
    assert first.intervals[0][0] == "t" and first.intervals[0][1].sup == 0
    assert second.intervals[0][1].inf == 0


def test_a_condition_that_is_not_an_interval_is_only_quoted():
    read = read_math("$g(u) = 1$ if $u \\in S$")
    assert read.spans[0].condition.latex == ("u \\in S",) and not read.spans[0].condition.intervals


def test_a_condition_in_an_earlier_sentence_restricts_nothing():
    read = read_math("Take $s > 0$. Then $|s - 3| = 3 - s$ holds.")
    assert read.spans[1].condition is None
