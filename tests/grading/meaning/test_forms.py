"""Forms whose meaning is not their shape on the page (made-up examples, one per rule)."""

import pytest

from chainrule.grading.meaning import (
    COMPOSE,
    DocumentForms,
    interpret,
    is_shape_statement,
    iterated_bases,
    statement_shape,
)
from chainrule.notation import nodes as n
from chainrule.notation.parser import parse_math
from chainrule.shapes import Shape, ShapeMismatch


def read(latex, forms=None):
    return interpret(parse_math(latex), forms)


def test_transpose_and_positive_part_written_as_powers():
    assert isinstance(interpret(n.Power(n.Symbol("v"), n.Symbol("T"))), n.Transpose)
    plus = interpret(n.Power(n.Symbol("u"), n.Symbol("+")))
    assert isinstance(plus, n.Apply) and plus.func.name == "positive_part"


def test_an_iterated_name_carries_its_step_as_a_label_not_a_power():
    nodes = [parse_math(r"u^{t+1} = u^t - \eta g")]
    forms = DocumentForms(iterated=iterated_bases(nodes))
    assert forms.iterated == {"u"}
    chain = interpret(nodes[0], forms)
    assert chain.terms[0] == n.Symbol("u", layer=n.Add((n.Symbol("t"), n.Number("1"))))
    assert chain.terms[1].terms[0] == n.Symbol("u", layer=n.Symbol("t"))


def test_a_power_with_a_letter_stays_a_power_without_the_shifted_index():
    assert iterated_bases([parse_math("x^n + x^{m}")]) == frozenset()
    assert isinstance(read("x^n", DocumentForms()), n.Power)


def test_scientific_notation_is_one_number():
    assert read(r"3.07 \times 10^{-4}") == n.Number("3.07e-4")


def test_a_function_name_kept_as_words_is_applied():
    node = read(r"\mathrm{cosh}^2 u")
    assert isinstance(node, n.Power) and isinstance(node.base, n.Apply) and node.base.func.name == "cosh"


def test_circle_of_functions_composes_and_of_values_multiplies_entrywise():
    composed = read(r"q \circ q", DocumentForms(functions=frozenset({"q"})))
    assert isinstance(composed, n.Apply) and composed.func.name == COMPOSE
    assert isinstance(read(r"a \circ b"), n.Hadamard)


def test_interpretation_is_idempotent():
    once = read(r"4 \times 10^{2} + v^{T} w \circ w")
    assert interpret(once) == once


@pytest.mark.parametrize("latex", [r"(p\times q)(q\times 1) = p\times 1", r"(a\times b) + (a \times b) = a\times b"])
def test_shape_annotations_are_statements_about_shapes(latex):
    assert is_shape_statement(parse_math(latex).terms)


@pytest.mark.parametrize("latex", [r"2 \times 3 = 6", r"x \times y = z", r"W_1 \times 2 = 3 \times 1"])
def test_arithmetic_is_not_a_shape_statement(latex):
    assert not is_shape_statement(parse_math(latex).terms)


def test_with_known_sizes_a_side_may_be_one_size():
    assert is_shape_statement(parse_math(r"K\times m \cdot m = K").terms, {"K", "m"})
    assert not is_shape_statement(parse_math(r"K\times m \cdot m = K").terms)


def test_the_shape_a_statement_term_states():
    chain = parse_math(r"(p\times q)(q\times 1) = p\times 1")
    assert statement_shape(chain.terms[0]) == statement_shape(chain.terms[1]) == Shape("p", 1)
    with pytest.raises(ShapeMismatch):
        statement_shape(parse_math(r"(p\times q)(p\times 1)"))
    assert statement_shape(parse_math(r"p \times q \times r")) is None


@pytest.mark.parametrize("latex", [r"\mathbb{1}\{v > 2\}", r"\mathbb{1}[v > 2]", r"1\{v > 2\}", r"𝟙[v > 2]"])
def test_a_one_before_a_bracketed_condition_is_an_indicator(latex):
    node = read(latex)
    assert isinstance(node, n.Apply) and node.func.name == "indicator"


def test_a_one_before_a_bracketed_value_still_multiplies():
    assert isinstance(read(r"1\{v\}"), n.Mul)
