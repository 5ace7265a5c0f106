"""Small PDFs written for the tests with PyMuPDF: text placed where TeX would place it, rules drawn where TeX
draws fraction bars, so each test states its page in a few lines.

Fonts are PDF's base fonts: ``tiro`` (Times), ``tiit`` (Times Italic, our math letters), ``tibo`` (Times
Bold), ``helv``, and ``symbol`` (an embedded Symbol font, for Greek, ∂ and ∑). Sizes in points; ``y`` is the baseline.
"""

from __future__ import annotations

from collections.abc import Callable

import pymupdf

Draw = Callable[[pymupdf.Page], None]


def pdf(*pages: Draw, width: float = 612, height: float = 792) -> bytes:
    doc = pymupdf.open()
    for draw in pages:
        page = doc.new_page(width=width, height=height)
        draw(page)
    data = doc.tobytes()
    doc.close()
    return data


def text(page: pymupdf.Page, x: float, y: float, s: str, size: float = 11, font: str = "tiro") -> float:
    """Write ``s`` with its baseline at ``y``; return where it ends (the next x). ``font="symbol"`` embeds
    the Symbol font (for Greek, ∂, ∑ …); the base fonts are not embedded, like many real PDFs."""
    if font == "symbol":
        writer = pymupdf.TextWriter(page.rect)
        face = pymupdf.Font("symbol")
        writer.append((x, y), s, font=face, fontsize=size)
        writer.write_text(page)
        return x + face.text_length(s, fontsize=size)
    page.insert_text((x, y), s, fontsize=size, fontname=font)
    return x + pymupdf.get_text_length(s, fontname=font, fontsize=size)


def rule(page: pymupdf.Page, x0: float, x1: float, y: float, width: float = 0.4) -> None:
    page.draw_line((x0, y), (x1, y), width=width)


def fraction(page: pymupdf.Page, x: float, y: float, num: str, den: str, size: float = 11,
             font: str = "tiit") -> float:
    """A display fraction ``num``/``den`` on the baseline ``y`` (rule on the math axis); returns its end."""
    wn = pymupdf.get_text_length(num, fontname=font, fontsize=size)
    wd = pymupdf.get_text_length(den, fontname=font, fontsize=size)
    w = max(wn, wd) + 2
    axis = y - 0.25 * size
    text(page, x + (w - wn) / 2, axis - 0.35 * size, num, size, font)
    rule(page, x, x + w, axis)
    text(page, x + (w - wd) / 2, axis + 0.95 * size, den, size, font)
    return x + w
