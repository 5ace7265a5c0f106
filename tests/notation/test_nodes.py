from fractions import Fraction

from chainrule.notation import parse_math, relations, statements
from chainrule.notation.nodes import Chain, Number, Symbol


def test_number_keeps_the_digits_as_written():
    x = Number("0.5812")
    assert x.value == Fraction(5812, 10000)
    assert x.decimals == 4
    assert Number("0.30").decimals == 2 and Number("0.30").value == Fraction(3, 10)
    assert Number("12").decimals == 0


def test_positions_do_not_take_part_in_equality():
    assert Symbol("x", line=3, column=4) == Symbol("x", line=9, column=1)
    assert hash(Symbol("x", line=3)) == hash(Symbol("x", line=7))
    assert Symbol("x") != Symbol("x", style="bold")


def test_walk_visits_every_node_once_in_reading_order():
    node = parse_math("a + b c")
    names = [x.name for x in node.walk() if isinstance(x, Symbol)]
    assert names == ["a", "b", "c"]


def test_relations_give_each_link_its_own_position():
    node = parse_math("a = b \\le c", line=41, column=10)
    assert isinstance(node, Chain)
    links = relations(node)
    assert [(r.op, r.line, r.column) for r in links] == [("=", 41, 12), ("≤", 41, 16)]
    assert links[1].left == Symbol("b") and links[1].right == Symbol("c")


def test_statements_flatten_rows_and_comma_lists():
    node = parse_math("a = 1, b = 2 \\\\ c = 3")
    assert len(statements(node)) == 3
