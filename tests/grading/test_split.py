from types import SimpleNamespace

import pytest

from chainrule.documents import document_from_text
from chainrule.grading.anchors import find_anchors
from chainrule.grading.question_tree import QuestionTree, id_components
from chainrule.grading.split import split_submission

NYU = "1.2a 1.2b 1.2c 1.2d 1.3a 1.3b 1.3c 1.4a 1.4b 1.4c 1.4d 1.4e".split()
AMA = "1a.1 1a.2 1a.3 1b 2 3".split()
RYU = "1 2 3a 3b 4 5a 5b 5c 6 7".split()


def questions(ids, **extra):
    return [SimpleNamespace(id=i, **extra.get(i, {})) for i in ids]


def starts(text, ids, **extra):
    result = split_submission(text, questions(ids, **extra))
    return {qid: section.start for qid, section in result.sections.items()}


@pytest.mark.parametrize(
    ("question_id", "components"),
    [("1a.1", ("1", "a", "1")), ("1.2c", ("1", "2", "c")), ("3a", ("3", "a")), ("Problem 5(b)", ("5", "b"))],
)
def test_id_components(question_id, components):
    assert id_components(question_id) == components


def test_markdown_headings_with_relative_letters():
    text = "## 1.2\n### Solution a)\nA\n### Solution b)\nB\n## Solution 1.3\n#### Solution **b)**\nC\n"
    assert starts(text, NYU) == {"1.2a": 1, "1.2b": 4, "1.3b": 7}  # "## 1.2" then "(a)": the heading opens 1.2a


def test_numbered_sections_map_to_the_assignments_sections_and_letters_follow():
    text = "1. (Regression Task)\n(a) steps\n(b) forward\n- (d) jac\n2. (Classification Task)\n- (a) x\n(c) y\n"
    assert starts(text, NYU) == {"1.2a": 1, "1.2b": 3, "1.2d": 4, "1.3a": 5, "1.3c": 7}


def test_letters_for_parts_numbered_1_2_3_are_read_by_position():
    text = (
        "$$1. (a) \\quad d/dx s = 1$$\n\n$$(b) \\quad tanh$$\n$$(c) \\quad leaky$$\n(b) Forward\n2. proof\n3. Lemma\n"
    )
    result = split_submission(text, questions(AMA))
    assert {q: s.ranges for q, s in result.sections.items()} == {
        "1a.1": ((1, 2),),
        "1a.2": ((3, 3),),
        "1a.3": ((4, 4),),
        "1b": ((5, 5),),
        "2": ((6, 6),),
        "3": ((7, 7),),
    }


def test_bold_headings_outweigh_enumerated_back_references():
    text = "## 1.3\n**(a)**\n1. (b)\ntable\n2. (c) - Nothing changes\n**(b)**\n1. (b) - No changes\n**(c)** why\n"
    assert starts(text, NYU) == {"1.3a": 1, "1.3b": 6, "1.3c": 8}


def test_enumerated_steps_inside_an_answer_are_not_headings():
    text = "Problem 1\n1. Forward\n2. Loss\n3. Backward\nProblem 2\nanswer\n**Problem 3** (a)\nx\n"
    assert starts(text, RYU) == {"1": 1, "2": 5, "3a": 7}


def test_math_blocks_and_code_fences_hold_no_headings():
    text = "(a) ok\n$$\n(b) = 1\n$$\n```\n(c) code\n```\n\\begin{align}\n(d) x\n\\end{align}\n(b) real\n"
    anchors = find_anchors(document_from_text(text))
    assert [a.line for a in anchors] == [1, 11]


def test_table_rows_and_bullets_can_open_answers():
    text = "## 1.2\n| (a) | forward |\n| (b) | table |\n- (c) grads\n"
    assert starts(text, NYU) == {"1.2a": 1, "1.2b": 3, "1.2c": 4}


def test_a_heading_form_listed_by_one_question_names_it():
    extra = {"7": {"headings": ["3(c)", "(a)"]}, "8": {"headings": ["3(d)", "(a)"]}}
    assert starts("3 (c) x\n3 (d) y\n", ["7", "8"], **extra) == {"7": 1, "8": 2}
    tree = QuestionTree(questions(["7", "8"], **extra))
    assert tree.heading_keys["3c"] == "7" and "a" not in tree.heading_keys  # a form both list names neither


def test_section_titles_pick_the_section():
    text = "1. (Classification)\n(a) x\n"
    extra = {"1.3a": {"title": "Classification with tanh"}}
    assert starts(text, ["1.2a", "1.3a"], **extra) == {"1.3a": 1}


def test_one_question_without_headings_takes_the_whole_text():
    result = split_submission("just an answer\nover two lines", questions(["1"]))
    assert result.sections["1"].ranges == ((1, 2),) and result.question_of_line(2) == "1"
    assert split_submission("no headings at all", questions(NYU)).sections == {}


def test_a_group_heading_and_its_intro_open_its_first_part_and_text_is_kept():
    # The working before "(a)" (a recursion set up for all parts, say) is the start of the first part's answer.
    result = split_submission("## 1.2\nintro\n(a) five steps\nmore\n", questions(NYU))
    assert result.sections["1.2a"].ranges == ((1, 4),)
    assert result.text("1.2a") == "## 1.2\nintro\n(a) five steps\nmore"
    assert result.numbered("1.2a")[2] == (3, "(a) five steps")
    assert result.question_of_line(2) == "1.2a"


def test_a_group_heading_followed_by_a_later_part_answers_no_question_itself():
    result = split_submission("## 1.3\nintro\n(b) the loss changes\n", questions(NYU))
    assert set(result.sections) == {"1.3b"} and result.question_of_line(2) is None


def test_question_n_after_a_part_is_the_whole_question_not_a_part():
    from chainrule.assignments.loader import load_assignment

    questions = load_assignment("you-nndl-hw1").questions
    for heading in ("## Question 3", "## Problem 3", "**Q3**"):
        split = split_submission(f"## 2.1\nanswer $x$\n\n{heading}\nanswer $y$\n", questions)
        assert set(split.sections) == {"2.1", "3"}, heading
