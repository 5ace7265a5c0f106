"""Text normalisation on reading (#11.4): each odd character is harmless and line numbers stay as editors show them."""

import pytest

from chainrule.documents import document_from_text, read_document
from chainrule.documents.normalize import normalize_text


@pytest.mark.parametrize("char", ["\f", "\v", "\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e"])
def test_characters_some_software_calls_line_ends_do_not_add_lines(char):
    text = f"one\ntwo{char}still two\nthree"
    out = normalize_text(text)
    assert out.split("\n") == ["one", "two still two", "three"]


def test_a_page_break_form_feed_at_a_line_start_vanishes_and_keeps_the_line_number():
    out = normalize_text("page one\n\fPage 2: answer\n")
    assert out.split("\n")[1] == "Page 2: answer"


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_and_a_bom_vanish(char):
    assert normalize_text(f"{char}f(x) = x{char}^2") == "f(x) = x^2"


@pytest.mark.parametrize("char", ["\u00a0", "\u202f", "\u2007", "\u2009"])
def test_no_break_and_fixed_width_spaces_are_spaces(char):
    assert normalize_text(f"a{char}={char}1") == "a = 1"


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_lone_cr_are_line_ends(ending):
    assert normalize_text(ending.join(["a", "b", "c"])) == "a\nb\nc"


def test_escape_sequences_cannot_reach_a_terminal():
    out = normalize_text("x = 1\x1b]52;c;aGk=\x07 and \x1b[31mred")
    assert "\x1b" not in out and "\x07" not in out and out.startswith("x = 1")


def test_tabs_and_text_stay():
    assert normalize_text("a\tb = ∂y/∂x") == "a\tb = ∂y/∂x"


def test_every_reader_normalises_and_keeps_lines():
    text = "\ufeffline 1\r\nline 2\u2028more\r\n\f$x = 1$\r\n"
    document = document_from_text(text, "a.md")
    assert document.lines[:3] == ["line 1", "line 2 more", "$x = 1$"]
    assert document.locate(3).line == 3
    latex = read_document(b"\\documentclass{article}\r\n\\begin{document}\r\n\x0c$a\xe2\x80\xa8= 1$\r\n\\end{document}",
                          "a.tex")
    assert latex.lines == ["$a = 1$"] and latex.locate(1).line == 3
