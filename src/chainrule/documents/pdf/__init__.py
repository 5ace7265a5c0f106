"""PDFs with a text layer: characters, fonts and drawn rules read back into Markdown with LaTeX math.

Public API:

- :func:`read_pdf` ``(data, source, *, max_pages, deadline) -> Document`` — one rendition line per line on a
  page, located by page and line; fractions, scripts, accents, roots, limits, matrices and symbol fonts
  rebuilt as the LaTeX the notation reader parses; headings and enumerated items as labelled blocks;
  running headers, footers and page numbers left out (noted).
- :class:`NoTextLayer` — raised (an :class:`~chainrule.errors.InputError`) when no page has text, so the
  caller can fall back to OCR.

The stages, one module each: :mod:`.fonts` and :mod:`.symbols` (what a glyph means), :mod:`.page`
(glyphs and rules of a page), :mod:`.stacks` and :mod:`.delimiters` (two-dimensional constructions),
:mod:`.rows` (scripts and lines), :mod:`.latex` (items as LaTeX), :mod:`.lines` (math or prose),
:mod:`.furniture` (headers and footers), :mod:`.structure` (blocks and labels), :mod:`.reader` (bounds).
"""

from chainrule.documents.pdf.reader import DEADLINE_S, MAX_PAGES, NoTextLayer, read_pdf

__all__ = ["DEADLINE_S", "MAX_PAGES", "NoTextLayer", "read_pdf"]
