"""A PDF handed in: its text layer through :mod:`chainrule.documents.pdf`, else OCR, else one line saying why.

The interface with the PDF reader (the ``pdf`` subpackage) is exactly
``read_pdf(data: bytes, source: str, *, max_pages: int, deadline: float) -> Document``; its ``deadline`` is the
seconds it may spend (this module is given a :func:`time.monotonic` instant and passes what is left). It raises
``NoTextLayer`` (an :class:`~chainrule.errors.InputError`) when no page has text: a scan or a photo, which goes
to an OCR engine (:mod:`chainrule.documents.ocr`). Whatever else goes wrong in reading a PDF ends as one
located InputError, never a traceback: a batch records it for this submission and goes on.
"""

from __future__ import annotations

import time

from chainrule.documents.model import Document
from chainrule.errors import InputError


def read_pdf_document(data: bytes, source: str, *, max_pages: int, deadline: float) -> Document:
    try:
        from chainrule.documents.pdf import NoTextLayer, read_pdf
    except ImportError as error:
        raise InputError(f"this installation cannot read PDFs ({error}); reinstall chainrule with its "
                         "dependencies (pip install pymupdf)", source) from None
    try:
        seconds = max(deadline - time.monotonic(), 1.0)  # read_pdf takes a duration; the first page is always read
        return read_pdf(data, source, max_pages=max_pages, deadline=seconds)
    except NoTextLayer as no_text:
        from chainrule.documents.ocr import read_scanned

        return read_scanned(data, source, image=False, max_pages=max_pages, deadline=deadline,
                            why=no_text.message)
    except InputError as error:
        raise InputError(error.message, error.where or source) from None
    except (RecursionError, MemoryError, ValueError, RuntimeError, OSError, IndexError, KeyError) as error:
        # A malformed PDF can surface as any of these from the PDF library: one line, not a traceback.
        raise InputError(f"cannot read this PDF ({type(error).__name__}: {str(error)[:160]})", source) from None
