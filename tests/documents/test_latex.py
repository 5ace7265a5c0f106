"""The LaTeX reader: structure as LaTeX prints it, math the notation reader parses, every line located."""

from chainrule.documents import BlockKind, read_document
from chainrule.documents.latex import read_latex
from chainrule.notation import read_document as read_math


def render(body: str, preamble: str = ""):
    source = f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n"
    return read_latex(source, "hw.tex")


def lines_at(document):
    return [(loc.line, text) for loc, text in zip(document.locations, document.lines, strict=True) if text]


def test_sections_are_numbered_like_latex_and_starred_ones_are_not():
    document = render("\\section{Theory}\n\\subsection{Forward}\n\\subsection*{Problem 1: Regression}\n"
                      "\\subsection{Backward}\n\\section{Practice}\n\\subsection{Code}\n\\paragraph{Note} text")
    headings = [(b.label, b.level, document.block_text(b)) for b in document.blocks if b.kind is BlockKind.HEADING]
    assert headings == [("1", 1, "# 1 Theory"), ("1.1", 2, "## 1.1 Forward"),
                        (None, 2, "## Problem 1: Regression"), ("1.2", 2, "## 1.2 Backward"),
                        ("2", 1, "# 2 Practice"), ("2.1", 2, "## 2.1 Code"), (None, 4, "#### Note")]


def test_setcounter_moves_the_section_number():
    document = render("\\setcounter{section}{2}\n\\section{Three}")
    assert document.blocks[0].label == "3"


def test_enumerate_labels_nest_like_latex():
    body = ("\\begin{enumerate}\n\\item one\n\\begin{enumerate}\n\\item a\n\\item b\n\\begin{enumerate}\n"
            "\\item deep\n\\begin{enumerate}\n\\item deeper\n\\end{enumerate}\n\\end{enumerate}\n\\end{enumerate}\n"
            "\\item two\n\\end{enumerate}")
    document = render(body)
    items = [(b.label, b.level) for b in document.blocks if b.kind is BlockKind.ITEM]
    assert items == [("1.", 1), ("(a)", 2), ("(b)", 2), ("i.", 3), ("A.", 4), ("2.", 1)]
    assert "(b) b" in document.lines and "2. two" in document.lines


def test_item_blocks_cover_their_nested_content():
    document = render("\\begin{enumerate}\n\\item first\n\\[ x = 1 \\]\n\\item second\n\\end{enumerate}")
    first = next(b for b in document.blocks if b.kind is BlockKind.ITEM and b.label == "1.")
    assert "$$" in document.block_text(first) and "x = 1" in document.block_text(first)


def test_optional_item_labels_enumitem_options_and_counters():
    body = ("\\begin{enumerate}[label=(\\alph*)]\n\\item x\n\\item[(z)] custom\n\\item y\n\\end{enumerate}\n"
            "\\begin{enumerate}[start=4]\n\\item four\n\\end{enumerate}\n"
            "\\begin{enumerate}[i)]\n\\item roman\n\\end{enumerate}\n"
            "\\begin{enumerate}\n\\setcounter{enumi}{6}\n\\item seven\n\\end{enumerate}\n"
            "\\begin{itemize}\n\\item[(c)] lettered bullet\n\\item plain\n\\end{itemize}")
    labels = [b.label for b in render(body).blocks if b.kind is BlockKind.ITEM]
    assert labels == ["(a)", "(z)", "(b)", "4.", "i)", "7.", "(c)", None]


def test_display_math_environments_become_dollar_blocks_located_by_row():
    body = ("Text.\n\\begin{align*}\n  f(x) &= 2 + 2 \\label{e1} \\\\\n  g &= 3 \\nonumber\n\\end{align*}\n"
            "\\begin{equation}\n  y = 1\n\\end{equation}\n\\begin{gather}\na = 1 \\\\ b = 2\n\\end{gather}\n"
            "\\begin{multline*}\nc = 3\n\\end{multline*}\n$$ d = 4 $$\n\\[ e = 5 \\]")
    document = render(body)
    assert (5, "f(x) &= 2 + 2  \\\\") in lines_at(document) and (6, "g &= 3") in lines_at(document)
    text = document.text
    assert "\\begin{aligned}" in text and "\\begin{gathered}" in text and "\\label" not in text
    assert sum(b.kind is BlockKind.MATH for b in document.blocks) == 6
    spans = read_math(text)
    assert spans and all(span.ok for span in spans)


def test_cases_array_and_aligned_stay_inside_math():
    body = ("\\[ f(x) = \\begin{cases} 0 & x < 0 \\\\ x & x \\ge 0 \\end{cases} \\]\n"
            "\\begin{equation} A = \\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right] \\end{equation}\n"
            "\\begin{equation}\\begin{aligned} a &= b \\end{aligned}\\end{equation}")
    text = render(body).text
    assert "\\begin{cases}" in text and "\\begin{array}{cc}" in text and "\\begin{aligned} a &= b" in text


def test_inline_math_kept_and_tabular_becomes_a_markdown_table():
    body = ("Let $x \\in \\mathbb{R}^n$.\n\\begin{tabular}{|c|c|}\n\\hline\nLayer & $|z|$ \\\\\n"
            "$f$ & $z_2$ \\\\\n\\end{tabular}")
    document = render(body)
    assert "Let $x \\in \\mathbb{R}^n$." in document.lines
    table = next(b for b in document.blocks if b.kind is BlockKind.TABLE)
    assert document.block_text(table).split("\n") == ["| Layer | $\\vert z\\vert $ |", "|---|---|", "| $f$ | $z_2$ |"]
    assert document.locate(table.first).line == 6


def test_macros_are_expanded():
    preamble = ("\\newcommand{\\R}{\\mathbb{R}}\n\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n"
                "\\renewcommand{\\vec}[1]{\\mathbf{#1}}\n\\def\\half#1{\\frac{#1}{2}}\n"
                "\\newcommand{\\opt}[2][1]{#1+#2}\n\\DeclareMathOperator{\\sech}{sech}\n")
    document = render("$x \\in \\R^n$, $\\pd{\\ell}{W}$, $\\vec{v}$, $\\half{a}$, $\\opt{b}$, $\\opt[c]{d}$, "
                      "$\\sech x$", preamble)
    line = document.lines[0]
    for expected in ("\\mathbb{R}^n", "\\frac{\\partial \\ell}{\\partial W}", "\\mathbf{v}", "\\frac{a}{2}",
                     "$1+b$", "$c+d$", "\\operatorname{sech} x"):
        assert expected in line


def test_a_def_that_expands_forever_stops_with_a_located_note():
    preamble = "\\def\\loop{\\loop\\loop}\n\\def\\self{x\\self}\n"
    document = render("Before.\n$\\loop$ and \\self\nAfter.", preamble)
    assert "After." in document.text
    notes = " ".join(document.notes)
    assert "\\loop was left as written" in notes and "\\self was left as written" in notes
    assert "hw.tex, line 6" in notes


def test_file_commands_never_read_a_file_and_leave_a_note(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("TOPSECRET")
    body = (f"\\input{{{secret}}}\n\\include{{{secret}}}\n\\input{{/etc/passwd}}\n\\bibliography{{refs}}\n"
            "\\includegraphics[width=3cm]{plot.png}")
    document = render(body)
    assert "TOPSECRET" not in document.text and "root:" not in document.text
    notes = "\n".join(document.notes)
    assert "\\input{/etc/passwd} was not read" in notes and "hw.tex, line 5:" in notes
    assert "plot.png" in notes and "bibliography" in notes


def test_preamble_and_comments_are_ignored_and_verbatim_is_code():
    preamble = "\\title{$1 + 1 = 3$}\n% $2 + 2 = 5$\n"
    body = "% $3 + 3 = 7$\nText 50\\% done. % trailing $1=2$\n\\begin{verbatim}\nx = 1 % kept\n\\end{verbatim}"
    document = render(body, preamble)
    assert "= 3$" not in document.text and "= 5" not in document.text and "= 7" not in document.text
    assert "1=2" not in document.text
    code = next(b for b in document.blocks if b.kind is BlockKind.CODE)
    assert "x = 1 % kept" in document.block_text(code)


def test_a_fragment_without_a_document_environment_is_read_whole():
    document = read_document(b"\\section*{Problem 2}\n\\begin{enumerate}\n\\item $y = 2$\n\\end{enumerate}",
                             "part.tex")
    assert document.lines[0] == "# Problem 2" and "1. $y = 2$" in document.lines


def test_deep_nesting_is_one_input_error():
    import pytest

    from chainrule.errors import InputError

    try:
        render("{" * 5000 + "x" + "}" * 5000)
    except InputError as error:
        assert "nests too deeply" in error.message
    else:  # a parser that copes is fine too: it must not crash
        pytest.skip("the parser read it")
