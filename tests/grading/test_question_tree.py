"""The assignment's questions as a tree of label components."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chainrule.grading.question_tree import QuestionTree, id_components, ordinal, title_words

NYU = "1.2a 1.2b 1.2c 1.2d 1.3a 1.3b 1.3c 1.4a 1.4b".split()


@pytest.mark.parametrize(
    ("question_id", "components"),
    [("1a.1", ("1", "a", "1")), ("1.2c", ("1", "2", "c")), ("3a", ("3", "a")), ("Problem 5(b)", ("5", "b"))],
)
def test_id_components(question_id, components):
    assert id_components(question_id) == components


@pytest.mark.parametrize(("label", "position"), [("3", 3), ("c", 3), ("iv", 4), ("#2", 2), ("zz", None)])
def test_ordinal(label, position):
    assert ordinal(label) == position


def test_tree_navigation():
    tree = QuestionTree([SimpleNamespace(id=i) for i in NYU])
    assert tree.branch_node() == ("1",)
    assert tree.child(("1",), 2) == ("1", "3")
    assert tree.sibling(("1", "2"), 2) == ("1", "4") and tree.sibling(("1", "4"), 1) is None
    assert tree.leaf_of(("1", "3")) == "1.3a" and tree.key(("1", "3")) == (4, 2)
    assert ("1", "5") not in tree and ("1", "4", "b") in tree


def test_titles_name_sections_and_questions():
    questions = [SimpleNamespace(id="1.2a", title="The training steps"),
                 SimpleNamespace(id="1.3a", title="Classification with tanh")]
    sections = [SimpleNamespace(label="1.3", title="Classification Task")]
    tree = QuestionTree(questions, sections)
    matches = dict(tree.title_match(title_words("Classification Task")))
    assert matches[("1", "3")] == 1.0 and ("1", "3", "a") in matches and ("1", "2") not in matches
    assert tree.title_match(set()) == []


def test_a_heading_form_listed_by_one_question_names_it():
    questions = [SimpleNamespace(id="7", headings=["3(c)", "(a)"]), SimpleNamespace(id="8", headings=["3(d)", "(a)"])]
    tree = QuestionTree(questions)
    assert tree.heading_keys["3c"] == "7" and "a" not in tree.heading_keys
