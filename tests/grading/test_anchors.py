"""Anchors: which lines may open an answer, with the label as written and the weight of how it is set."""

from __future__ import annotations

import pytest

from chainrule.documents import document_from_text
from chainrule.grading.anchors import HEADING, KEYWORD_BONUS, PARAGRAPH, find_anchors, line_anchors, running_lines


def first(line: str):
    found = line_anchors(1, line)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("line", "components"),
    [
        ("(b) the loss", ("b",)),
        ("**(c)**", ("c",)),
        ("### Solution a)", ("a",)),
        ("1.2 (c) gradients", ("1", "2", "c")),
        ("Answer to (d)", ("d",)),
        ("1 Problem 3", ("3",)),  # the section counter LaTeX printed before the problem number
        ("2. Problem 5: Activations", ("5",)),
        ("$$(b) \\quad x = 1$$", ("b",)),
        ("| (a) | forward |", ("a",)),
        ("Answer to $(\\mathbf{c})$", ("c",)),  # a label set in math bold, as a PDF reader renders it
    ],
)
def test_labels_as_students_write_them(line, components):
    assert first(line).components == components


def test_keyword_headings_weigh_most_and_prose_that_names_a_problem_does_not():
    assert first("Problem 3. (Cross entropy) f is a vector").weight == HEADING + KEYWORD_BONUS
    assert first("**Problem 3**").top_level
    assert first("Problem 3 shows that the loss is finite").weight == PARAGRAPH


def test_a_numbered_section_with_a_title_is_a_heading_and_a_bare_number_is_not_a_label():
    section = first("3 Regression Task")
    assert section.components == ("3",) and section.title == "Regression Task" and section.heading_like
    assert first("1 n") is None and first("2 + w (2)") is None
    assert first("(6)") is None  # an equation number set on its own line


def test_merged_problems_and_restated_sub_parts():
    assert first("## Problem 1 & 2").also == ("2",)
    alternatives = line_anchors(1, "(b) (b) the forward pass")
    assert [a.components for a in alternatives] == [("b", "b"), ("b",)]
    assert alternatives[1].sub == ("b",)


def test_latex_sectioning_items_comments_and_the_preamble():
    text = (
        "\\documentclass{article}\n\\section{Not yet}\n\\begin{document}\n% \\section*{Commented}\n"
        "\\subsection*{Problem 1: Regression Task}\n\\begin{enumerate}\n\\item first\n\\begin{enumerate}\n"
        "\\item nested\n\\end{enumerate}\n\\item[(c)] labelled\n\\end{enumerate}\n\\begin{itemize}\n"
        "\\item bullet\n\\end{itemize}\n\\end{document}\n"
    )
    anchors = find_anchors(document_from_text(text))
    assert [(a.line, a.components, a.level) for a in anchors] == [
        (5, ("1",), 2), (7, ("#1",), None), (11, ("c",), None)
    ]
    assert anchors[0].title == "Regression Task"


def test_math_code_and_running_page_lines_hold_no_anchors():
    text = "(a) ok\n$$\n(b) = 1\n$$\n```\n(c) code\n```\n\\begin{align}\n(d) x\n\\end{align}\n(b) real\n"
    assert [a.line for a in find_anchors(document_from_text(text))] == [1, 11]


def test_running_headers_repeat_at_page_breaks_and_page_numbers_stand_alone():
    lines = ["--- page 1 ---", "Title", "(a) x", "1", "--- page 2 ---", "2 Course Homework", "(b) y", "2",
             "--- page 3 ---", "3 Course Homework", "(c) z"]
    assert running_lines(lines, [1, 5, 9]) == {4, 6, 8, 10}


def test_markdown_setext_heading_needs_a_real_underline():
    # An equation an extractor split over lines ("x" then "=" then "1") is not a heading.
    text = "dl\n=\n1\nk\n\nSection\n=======\n(a) answer\n"
    anchors = find_anchors(document_from_text(text))
    assert [(a.line, a.components, a.title) for a in anchors] == [(6, (), "Section"), (8, ("a",), "")]
