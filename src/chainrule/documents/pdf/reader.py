"""A PDF with a text layer → a :class:`~chainrule.documents.model.Document`, within bounds.

Bounds, each a one-line located :class:`~chainrule.errors.InputError` (or a note when reading can go on):

- more than ``max_bytes`` of file, not a PDF, a file MuPDF cannot open, or one with no readable page → refused;
- a password (an encrypted PDF that needs one to open) → refused, saying so;
- more than ``max_pages`` pages → the first ``max_pages`` are read and a note says how many were left;
- past ``deadline`` seconds → the pages read so far are kept and a note says where reading stopped;
- a page of absurd size, with too many characters or drawings, or that MuPDF cannot parse → skipped, noted;
- no page with any text → :class:`NoTextLayer` (an InputError), so a dispatcher can hand the file to OCR.
"""

from __future__ import annotations

import time

import pymupdf

from chainrule.documents.model import Document, DocumentBuilder
from chainrule.documents.pdf.furniture import furniture
from chainrule.documents.pdf.layout import page_rows
from chainrule.documents.pdf.lines import Line, render_row
from chainrule.documents.pdf.page import PageTooBusy, page_glyphs, page_rules
from chainrule.documents.pdf.structure import build, dehyphenate, equation_numbers, wrapped_formulas
from chainrule.errors import InputError

MAX_PAGES = 100
DEADLINE_S = 60.0
MAX_BYTES = 50 * 1024 * 1024
MAX_CHARS_PER_PAGE = 60_000
MAX_DRAWINGS_PER_PAGE = 20_000
MAX_PAGE_SIDE_PT = 14_400.0  # 200 inches: PDF's own limit for a page side

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


class NoTextLayer(InputError):
    """No page of the PDF has text to read (a scan or a photo): OCR is the way to read it."""


def read_pdf(data: bytes, source: str, *, max_pages: int = MAX_PAGES, deadline: float = DEADLINE_S,
             max_bytes: int = MAX_BYTES, max_chars_per_page: int = MAX_CHARS_PER_PAGE) -> Document:
    """The PDF ``data`` (named ``source`` in messages and locations) as a document: one rendition line per
    line of the page, located by page and line; math rebuilt as LaTeX; headers and footers left out."""
    started = time.monotonic()
    if len(data) > max_bytes:
        raise InputError(f"the PDF is {len(data) / 2**20:.1f} MB; at most {max_bytes / 2**20:.0f} MB is read",
                         source)
    if b"%PDF" not in data[:1024]:
        raise InputError("not a PDF (no %PDF header)", source)
    doc = _open(data, source)
    builder = DocumentBuilder(source, "pdf")
    try:
        pages, heights = _read_pages(doc, source, builder, max_pages=max_pages, deadline=deadline,
                                     started=started, max_chars=max_chars_per_page)
    finally:
        doc.close()
    if not any(pages):
        raise NoTextLayer("no page has a text layer (a scan or a photo?): it needs OCR to be read", source)
    skip = furniture(pages, heights)
    if len(skip) >= sum(len(lines) for lines in pages):
        skip = set()  # every line repeats on every page: that is the content itself, not furniture
    if skip:
        builder.note(f"{source}: {len(skip)} running header, footer or page-number line(s) left out")
    kept = [ln for lines in pages for ln in lines if (ln.page, ln.number) not in skip]
    kept = equation_numbers(kept)
    wrapped_formulas(kept)
    dehyphenate(kept)
    build(builder, kept)
    return builder.build()


def _open(data: bytes, source: str) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as error:  # MuPDF raises its own types for every kind of damage
        raise InputError(f"not a readable PDF ({_reason(error)})", source) from None
    if doc.needs_pass:
        doc.close()
        raise InputError("the PDF is encrypted (it needs a password to open); hand in an unlocked copy", source)
    if doc.page_count == 0:
        doc.close()
        raise InputError("the PDF has no pages (truncated or damaged?)", source)
    return doc


def _read_pages(doc: pymupdf.Document, source: str, builder: DocumentBuilder, *, max_pages: int,
                deadline: float, started: float, max_chars: int) -> tuple[list[list[Line]], list[float]]:
    pages: list[list[Line]] = []
    heights: list[float] = []
    failed = 0
    if doc.is_repaired:
        builder.note(f"{source}: the file is damaged; MuPDF repaired it, so some content may be missing")
    count = doc.page_count
    if count > max_pages:
        builder.note(f"{source}: the PDF has {count} pages; only the first {max_pages} were read")
    for number in range(1, min(count, max_pages) + 1):
        if number > 1 and time.monotonic() - started > deadline:
            builder.note(f"{source}: reading stopped at page {number} of {count} after {deadline:g} s")
            break
        where = f"{source}: page {number}"
        try:
            page = doc.load_page(number - 1)
            width, height = page.rect.width, page.rect.height
            if not (0 < width <= MAX_PAGE_SIDE_PT and 0 < height <= MAX_PAGE_SIDE_PT):
                builder.note(f"{where}: skipped, its size ({width:g} × {height:g} pt) is not a page's")
                pages.append([])
                heights.append(1.0)
                continue
            glyphs = page_glyphs(page, max_chars)
            rules = page_rules(page, MAX_DRAWINGS_PER_PAGE) if glyphs else []
        except PageTooBusy as error:
            builder.note(f"{where}: skipped, {error}")
            pages.append([])
            heights.append(1.0)
            continue
        except Exception as error:  # a damaged page: MuPDF's errors, or a malformed structure
            failed += 1
            builder.note(f"{where}: skipped, it could not be read ({_reason(error)})")
            pages.append([])
            heights.append(1.0)
            continue
        rows = page_rows(glyphs, rules)
        pages.append([render_row(row, number, k) for k, row in enumerate(rows, start=1)])
        heights.append(height)
    if failed and failed == len(pages):
        raise InputError(f"no page could be read ({failed} damaged)", source)
    return pages, heights


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
