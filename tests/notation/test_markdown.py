import pytest

from chainrule.errors import InputError
from chainrule.notation import find_math, find_tex_math, parse_math
from chainrule.notation.markdown import MAX_DOCUMENT_CHARS

DOC = """source: somewhere
note: a header before the rule

---

日期:

Inline $a = 1$ and \\(b = 2\\) here.

$$
c = 3
$$

\\[ d = 4 \\]

\\begin{align}
  e = 5 \\\\
  f = 6
\\end{align}

| Layer | Output |
| ----- | ------ |
| $g$   | $\\|x\\|^2$ |

- item with $h = 7$
1. $$
   i = 8
   $$

`$not math$` and \\$5 too.
"""


def test_every_kind_of_span_with_its_line_and_column():
    spans = find_math(DOC)
    got = [(s.latex.strip(), s.line, s.column) for s in spans]
    assert got[:2] == [("a = 1", 8, 9), ("b = 2", 8, 22)]
    display = next(s for s in spans if "c = 3" in s.latex)
    assert (display.line, display.column) == (10, 3)  # right after the opening $$
    assert parse_math(display.latex, line=display.line, column=display.column).line == 11
    by_text = {s.latex.strip().split()[0] if s.latex.strip() else "": s for s in spans}
    assert by_text["d"].line == 14 and by_text["d"].display
    assert by_text["\\begin{align}"].line == 16 and by_text["\\begin{align}"].delimiter == "align"
    assert by_text["g"].line == 23
    assert by_text["\\|x\\|^2"].line == 23  # the raw source, with the backslashes the table cell hides
    assert by_text["h"].line == 25
    assert by_text["i"].line == 26 and by_text["i"].display
    assert not any("not math" in s.latex or "5 too" in s.latex for s in spans)


def test_blank_lines_inside_display_math_do_not_break_the_block():
    text = "Where:\n$$\na = 1 \\\\\n\nb = 2\n$$\nthen $c$.\n"
    spans = find_math(text)
    assert [(s.line, s.display) for s in spans] == [(2, True), (7, False)]
    assert "b = 2" in spans[0].latex


def test_broken_delimiters_stay_prose():
    assert find_math("an unclosed $x here") == []
    assert find_math("an unclosed display $$ x = 1\n\nnext paragraph") == []


def test_documents_are_bounded():
    with pytest.raises(InputError, match="more than"):
        find_math("x" * (MAX_DOCUMENT_CHARS + 1))


def test_tex_body_only_and_comments_skipped():
    tex = ("\\documentclass{article}\n$preamble$\n\\begin{document}\nText $x^2$ and\n% $skipped$\n"
           "\\[ y = 1 \\]\n\\begin{equation}\nz = 2\n\\end{equation}\n\\end{document}\n")
    spans = find_tex_math(tex)
    assert [(s.latex.strip(), s.line) for s in spans] == [
        ("x^2", 4), ("y = 1", 6), ("\\begin{equation}\nz = 2\n\\end{equation}", 7)]


def test_dollars_in_code_blocks_do_not_hide_the_math_after_them():
    text = "```\necho $$\n```\n\nThen $a = 1$ and\n\n$$\nb = 2\n$$\n"
    assert [s.latex.strip() for s in find_math(text)] == ["a = 1", "b = 2"]
