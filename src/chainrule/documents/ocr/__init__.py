"""Scans and photos (a PDF without a text layer, a PNG/JPEG): an OCR engine turns each page into Markdown+LaTeX.

Engines are adapters (:mod:`.engines`) for what a user installs: a Mathpix account (``MATHPIX_APP_ID`` and
``MATHPIX_APP_KEY``), pix2text or marker-pdf (formula-aware, local), or Tesseract (Debian's ``tesseract-ocr``:
prose only, formulas come out garbled, so its pages carry a note). The first one installed and configured is
used, in that order, or the one ``CHAINRULE_OCR`` names (``none`` turns OCR off). With none, reading stops
with one line that says what to install.

Each page's text is normalised and located as ``page k, line j`` of the OCR output: a scan has no lines of its
own, and the page is what a person turns to.
"""

from __future__ import annotations

import os
import time

from chainrule.documents.markdown import add_markdown
from chainrule.documents.model import Document, DocumentBuilder, Location
from chainrule.documents.normalize import normalize_text
from chainrule.documents.ocr.engines import ENGINES, OcrEngine, PageImage
from chainrule.errors import InputError

__all__ = ["ENGINES", "OcrEngine", "PageImage", "choose_engine", "read_scanned"]

INSTALL_HINT = ("install an OCR engine: `apt-get install tesseract-ocr` (prose only), `pip install pix2text` or "
                "`pip install marker-pdf` (formulas), or set MATHPIX_APP_ID and MATHPIX_APP_KEY")
RENDER_DPI = 200


def choose_engine() -> OcrEngine | None:
    """The engine ``CHAINRULE_OCR`` names, else the first one installed and configured; None when none is."""
    wanted = os.environ.get("CHAINRULE_OCR", "").strip().lower()
    if wanted == "none":
        return None
    if wanted:
        engine = next((engine for engine in ENGINES if engine.name == wanted), None)
        if engine is None:
            raise InputError(f"CHAINRULE_OCR={wanted!r} is not one of {', '.join(e.name for e in ENGINES)}, none",
                             "CHAINRULE_OCR")
        why = engine.unavailable()
        if why:
            raise InputError(f"the OCR engine {wanted} cannot run: {why}", "CHAINRULE_OCR")
        return engine
    return next((engine for engine in ENGINES if engine.unavailable() is None), None)


def read_scanned(data: bytes, source: str, *, image: bool, max_pages: int, deadline: float,
                 why: str | None = None) -> Document:
    """A scan (``image``: one picture; else a PDF with no text layer) read by OCR, page by page."""
    engine = choose_engine()
    what = "this image" if image else "this PDF has no text layer (a scan or a photo); it"
    if engine is None:
        raise InputError(f"{what} needs OCR, and no OCR engine is installed: {INSTALL_HINT}", source)
    pages = [PageImage(1, data)] if image else _render_pages(data, source, max_pages, deadline)
    try:
        texts = engine.read(pages, deadline=deadline, pdf=None if image else data)
    except InputError as error:
        raise InputError(error.message, source) from None
    builder = DocumentBuilder(source, "ocr")
    builder.note(f"read by OCR ({engine.name}){': ' + engine.caveat if engine.caveat else ''}")
    for number, text in enumerate(texts, start=1):
        add_markdown(builder, normalize_text(text), Location(source, 1, page=number))
    if not any(text.strip() for text in texts):
        raise InputError(f"OCR ({engine.name}) found no text on any page", source)
    return builder.build()


def _render_pages(data: bytes, source: str, max_pages: int, deadline: float) -> list[PageImage]:
    """Each page of a PDF as a PNG at a resolution OCR engines read well (PyMuPDF)."""
    try:
        import pymupdf
    except ImportError:
        raise InputError("cannot render PDF pages for OCR without PyMuPDF (pip install pymupdf)", source) from None
    try:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            if pdf.page_count > max_pages:
                raise InputError(f"the PDF has {pdf.page_count} pages, more than the {max_pages} chainrule reads",
                                 source)
            pages = []
            for index in range(pdf.page_count):
                if time.monotonic() > deadline:
                    raise InputError(f"rendering pages for OCR ran out of time at page {index + 1}", source)
                pixmap = pdf[index].get_pixmap(dpi=RENDER_DPI)
                pages.append(PageImage(index + 1, pixmap.tobytes("png")))
            return pages
    except InputError:
        raise
    except Exception as error:  # a malformed PDF surfaces as whatever PyMuPDF raises
        raise InputError(f"cannot render this PDF for OCR ({type(error).__name__}: {str(error)[:120]})",
                         source) from None
