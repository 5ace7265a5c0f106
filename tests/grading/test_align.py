"""Reading anchors against the question tree, and the monotone chain of readings."""

from __future__ import annotations

from types import SimpleNamespace

from chainrule.grading.align import Aligner
from chainrule.grading.anchors import Anchor, line_anchors
from chainrule.grading.question_content import ContentModel
from chainrule.grading.question_tree import QuestionTree

NYU = "1.2a 1.2b 1.2c 1.2d 1.3a 1.3b 1.3c 1.4a 1.4b".split()


def aligner(ids=NYU, lines=("",) * 40) -> Aligner:
    questions = [SimpleNamespace(id=i) for i in ids]
    return Aligner(QuestionTree(questions), ContentModel(questions), list(lines))


def readings(line: str, node=(), mapping=()) -> dict[tuple, str]:
    anchor = line_anchors(1, line)[0]
    return {r.node: r.how for r in aligner().readings(anchor, node, mapping, {})}


def test_relative_absolute_and_positional_readings():
    assert readings("(c) x", ("1", "2", "b"))[("1", "2", "c")] == "relative"
    assert readings("1.3 (b) y", ("1", "2", "d"))[("1", "3", "b")] == "absolute"
    assert readings("(a) first")[("1", "2", "a")] == "first-part"  # every id starts "1.": 1.2(a)
    assert readings("1) x", ("1",))[("1", "2", "a")] == "implied"
    assert readings("(a) again", ("1", "2", "d"))[("1", "3", "a")] == "next-section"


def test_the_students_own_numbering_once_learnt():
    mapping = (((("3",), ("1", "2"))),)
    assert readings("3.2 Forward", ("1", "2", "a"), mapping)[("1", "2", "b")] == "mapped"
    assert readings("4 Next Part", ("1", "2", "d"), mapping)[("1", "3")] == "continued"


def test_a_restated_sub_part_stays_in_the_answer():
    mapping = ((("a", "~", "b"), ("1", "3", "a")),)
    found = aligner().readings(line_anchors(1, "(c) same")[0], ("1", "3", "a"), mapping, {})
    stay = [r for r in found if r.how == "sub-part"]
    assert stay and stay[0].node == ("1", "3", "a") and stay[0].mapping[-1][0] == ("a", "~", "c")


def test_the_chain_moves_forward_and_pays_for_skipped_questions():
    anchors = [Anchor(line, (label,), 10.0) for line, label in enumerate("abcdac", start=1)]
    chain = aligner().best_chain(anchors)
    assert [p.reading.node[1:] for p in chain] == [("2", "a"), ("2", "b"), ("2", "c"), ("2", "d"), ("3", "a"),
                                                   ("3", "c")]
    assert aligner().best_chain([Anchor(1, ("d",), 1.0)]) == []  # skipping three questions for a weak label


def test_one_restart_at_a_heading_that_names_a_question_outright():
    ids = ["1", "2", "3"]
    anchors = [Anchor(1, ("1",), 110.0, "1", heading_like=True, top_level=True, keyword=True),
               Anchor(2, ("3",), 110.0, "3", heading_like=True, top_level=True, keyword=True),
               Anchor(3, ("1",), 110.0, "1", heading_like=True, top_level=True, keyword=True),
               Anchor(4, ("2",), 110.0, "2", heading_like=True, top_level=True, keyword=True),
               Anchor(5, ("1",), 110.0, "1", heading_like=True, top_level=True, keyword=True)]
    chain = aligner(ids).best_chain(anchors)
    assert [p.anchor.line for p in chain] == [1, 2, 3, 4]  # a second restart is not allowed


def test_a_heading_at_the_sections_level_that_names_nothing_closes_it():
    a = aligner()
    chain = a.best_chain([Anchor(1, ("1", "4"), 50.0, "1.4", "Conceptual", True),
                          Anchor(2, ("a",), 10.0, "(a)")])
    closing = Anchor(5, ("2",), 50.0, "2", "Implementation", True)
    assert a.closes(closing, chain[-1], chain[0])
    assert not a.closes(Anchor(5, ("1", "4", "1"), 50.0, "1.4.1", "Detail", True), chain[-1], chain[0])
