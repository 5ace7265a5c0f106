"""read_pdf on PDFs the tests write: math rebuilt from positions, prose kept, every line located."""

from __future__ import annotations

import pymupdf
import pytest
from pdfmaker import fraction, pdf, rule, text

from chainrule.documents import BlockKind
from chainrule.documents.pdf import read_pdf
from chainrule.notation import find_math, parse_math


def _read(*pages):  # type: ignore[no-untyped-def]
    return read_pdf(pdf(*pages), "hw.pdf")


def _parses(doc) -> None:  # type: ignore[no-untyped-def]
    spans = find_math(doc.text)
    assert spans, doc.text
    for span in spans:
        parse_math(span.latex)


def test_a_display_fraction_is_rebuilt_and_parses() -> None:
    def page(p: pymupdf.Page) -> None:
        text(p, 72, 100, "The derivative is")
        x = fraction(p, 200, 140, "dy", "dx")
        x = text(p, x + 4, 140, "=", font="tiro")
        x = text(p, x + 4, 140, "2", font="tiro")
        text(p, x, 140, "x", font="tiit")

    doc = _read(page)
    assert r"$$\frac{dy}{dx} = 2x$$" in doc.lines
    _parses(doc)
    math = [b for b in doc.blocks if b.kind is BlockKind.MATH]
    assert len(math) == 1 and doc.locate(math[0].first).page == 1


def test_scripts_from_size_and_baseline() -> None:
    def page(p: pymupdf.Page) -> None:
        x = text(p, 72, 100, "so ")
        x = text(p, x, 100, "W", font="tiit")
        x = text(p, x, 96, "(1)", size=7.7)
        x = text(p, x, 100, "x", font="tiit")
        x = text(p, x, 102.5, "i", size=7.7, font="tiit")
        x = text(p, x + 3, 100, "+", font="tiro")
        x = text(p, x + 3, 100, "e", font="tiit")
        x = text(p, x, 95.5, "x", size=7.7, font="tiit")
        x = text(p, x, 97.5, "k", size=5.5, font="tiit")
        text(p, x + 3, 100, "holds.")

    doc = _read(page)
    assert doc.lines[0] == r"so $W^{(1)}x_{i} + e^{x_{k}}$ holds."
    _parses(doc)


def test_symbol_font_and_a_negated_relation() -> None:
    def page(p: pymupdf.Page) -> None:
        x = text(p, 72, 100, "Take ")
        x = text(p, x, 100, "∂", font="symbol")
        x = text(p, x, 100, "σ", font="symbol")
        x = text(p, x + 3, 100, "≠", font="symbol")
        text(p, x + 3, 100, "0 here.")

    doc = _read(page)
    assert doc.lines[0] == r"Take $\partial\sigma \neq 0$ here."


def test_hat_over_its_base() -> None:
    def page(p: pymupdf.Page) -> None:
        x = text(p, 72, 100, "with ")
        text(p, x + 0.5, 99, "^", font="tiro")
        x = text(p, x, 100, "y", font="tiit")
        text(p, x + 3, 100, "the prediction.")

    doc = _read(page)
    assert doc.lines[0] == r"with $\hat{y}$ the prediction."


def test_sum_with_limits_and_a_root() -> None:
    def page(p: pymupdf.Page) -> None:
        x = text(p, 100, 140, "∑", size=18, font="symbol")
        text(p, 101, 152, "i=1", size=7.7, font="tiit")
        text(p, 104, 124, "n", size=7.7, font="tiit")
        x = text(p, x + 2, 140, "x", font="tiit")
        x = text(p, x, 142.5, "i", size=7.7, font="tiit")
        x = text(p, x + 4, 140, "=", font="tiro")
        sign = text(p, x + 4, 140, "√", font="symbol")
        rule(p, sign, sign + 8, 130.5)
        text(p, sign + 1, 140, "2", font="tiro")

    doc = _read(page)
    assert doc.lines[0] == r"$$\sum_{i=1}^{n}x_{i} = \sqrt{2}$$"
    _parses(doc)


def test_a_matrix_between_tall_brackets() -> None:
    def page(p: pymupdf.Page) -> None:
        text(p, 72, 150, "A", font="tiit")
        text(p, 84, 150, "=", font="tiro")
        text(p, 96, 156, "[", size=30, font="tiro")
        for row, y in ((("1", "2"), 140), (("3", "4"), 160)):
            text(p, 108, y, row[0])
            text(p, 126, y, row[1])
        text(p, 136, 156, "]", size=30, font="tiro")

    doc = _read(page)
    assert r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}" in doc.text
    _parses(doc)


def test_headings_items_and_locations() -> None:
    def page(p: pymupdf.Page) -> None:
        text(p, 72, 80, "1.2 Regression Task", size=12, font="tibo")
        text(p, 72, 100, "(a) The loss is the squared error.")
        text(p, 90, 114, "It is convex.")
        text(p, 72, 134, "(b) No answer.")

    doc = _read(page)
    heading, first, second = doc.blocks
    assert (heading.kind, heading.label, heading.level) == (BlockKind.HEADING, "1.2", 2)
    assert (first.kind, first.label, first.last - first.first) == (BlockKind.ITEM, "(a)", 1)
    assert second.label == "(b)"
    assert [(loc.page, loc.line) for loc in doc.locations if loc.line] [:2] == [(1, 1), (1, 1)]
    assert doc.locate(second.first).line == 4


def test_running_headers_and_page_numbers_are_left_out_with_a_note() -> None:
    def page(n: int):  # type: ignore[no-untyped-def]
        def draw(p: pymupdf.Page) -> None:
            text(p, 72, 40, "CS 101 Homework 2, Jane Doe")
            text(p, 72, 100, f"Answer text on page {n}.")
            text(p, 300, 760, str(n))
        return draw

    doc = _read(page(1), page(2), page(3))
    assert "Homework" not in doc.text and "\n2\n" not in doc.text
    assert "Answer text on page 3." in doc.text
    assert any("header" in note for note in doc.notes)


def test_a_word_split_by_a_hyphen_is_joined() -> None:
    def page(p: pymupdf.Page) -> None:
        text(p, 72, 100, "the gradient of the activa-")
        text(p, 72, 114, "tion is small.")

    doc = _read(page)
    assert doc.lines[:2] == ["the gradient of the activation", "is small."]


@pytest.mark.parametrize("size", [30, 7])
def test_big_or_small_type_is_read_at_its_own_scale(size: float) -> None:
    def page(p: pymupdf.Page) -> None:
        x = text(p, 72, 200, "a", size=size, font="tiit")
        text(p, x, 200 - 0.4 * size, "2", size=0.7 * size)

    assert "$a^{2}$" in _read(page).text


def test_table_rules_are_not_fraction_bars() -> None:
    def page(p: pymupdf.Page) -> None:
        for k, (left, right) in enumerate((("Layer", "Output"), ("f", "ReLU"), ("g", "identity"))):
            rule(p, 100, 300, 90 + 20 * k)
            text(p, 110, 104 + 20 * k, left)
            text(p, 200, 104 + 20 * k, right)
        rule(p, 100, 300, 150)

    doc = _read(page)
    assert r"\frac" not in doc.text
    assert "Layer Output" in doc.text and "identity" in doc.text


def test_an_equation_number_on_its_own_row_joins_its_display() -> None:
    def page(p: pymupdf.Page) -> None:
        text(p, 72, 100, "We get")
        x = text(p, 200, 130, "y", font="tiit")
        x = text(p, x + 3, 130, "=", font="tiro")
        text(p, x + 3, 130, "2", font="tiro")
        text(p, 500, 138, "(3)")
        x = text(p, 200, 146, "z", font="tiit")
        x = text(p, x + 3, 146, "=", font="tiro")
        text(p, x + 3, 146, "4", font="tiro")

    doc = _read(page)
    assert "(3)" in doc.text and not any(line.strip() == "(3)" for line in doc.lines)
    assert all(b.label != "(3)" for b in doc.blocks)
