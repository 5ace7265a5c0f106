"""Stage 1, read: a submission file of any format → a :class:`Document` (located lines and blocks).

Public API:

- :func:`open_document` ``(path) -> Document`` — read a file handed in, choosing its reader by content and
  extension (:mod:`.formats`); an :class:`~chainrule.errors.InputError` with the reason when it cannot be read.
- :func:`read_document` ``(data, source) -> Document`` — the same for bytes already in memory.
- :func:`document_from_text` ``(text, source) -> Document`` — Markdown or plain text already in memory.
- :class:`Document`, :class:`Block`, :class:`BlockKind`, :class:`Location`, :class:`DocumentBuilder` — the model
  (:mod:`chainrule.documents.model`).

Grading reads ``Document.text`` (Markdown with LaTeX math) and reports each finding at
``Document.locate(line)``. Every reader normalises its text first (:mod:`.normalize`), and every failure is
one :class:`~chainrule.errors.InputError` whose ``where`` is the file (and the line, where one is to blame).
"""

from __future__ import annotations

import time
from pathlib import Path

from chainrule.documents import formats
from chainrule.documents.markdown import read_markdown
from chainrule.documents.model import Block, BlockKind, Document, DocumentBuilder, Location
from chainrule.documents.normalize import normalize_text
from chainrule.errors import InputError

__all__ = [
    "Block",
    "BlockKind",
    "Document",
    "DocumentBuilder",
    "Location",
    "document_from_text",
    "open_document",
    "read_document",
]

# The most bytes read per format: more than any real submission of that kind, far less than a machine holds.
# A PDF may carry scanned pages; a notebook may carry its plots as base64 images.
MAX_BYTES = {
    formats.PDF: 40_000_000,
    formats.NOTEBOOK: 25_000_000,
    formats.IMAGE: 20_000_000,
    formats.MARKDOWN: 2_000_000,
    formats.LATEX: 2_000_000,
    formats.PYTHON: 2_000_000,
}
MAX_PDF_PAGES = 200
READ_SECONDS = 120.0  # for a PDF or an OCR run; text formats are bounded by size
_HEAD = 65_536


def document_from_text(text: str, source: str = "<document>") -> Document:
    """Markdown or plain text as a document whose rendition is the text itself (normalised)."""
    return read_markdown(normalize_text(text), source)


def open_document(path: str | Path, *, deadline: float | None = None) -> Document:
    """The submission at ``path`` as a document; an InputError (located at the file) when it cannot be read.

    ``deadline`` is a :func:`time.monotonic` instant by which a PDF or OCR read must end (default: two minutes).
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", source) from None
    if path.is_dir():
        raise InputError("is a directory, not a file", source)
    if not path.is_file():  # a device or a pipe may never end: refuse it before reading
        raise InputError("not a regular file", source)
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
            kind = formats.sniff(head, path.name)
            limit = MAX_BYTES[kind]
            if size > limit:
                raise InputError(f"the file has {size:,} bytes, more than the {limit:,} chainrule reads in a "
                                 f"{_NAMES[kind]}", source)
            data = head + handle.read(limit + 1 - len(head))  # the file may have grown since stat
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", source) from None
    if len(data) > limit:
        raise InputError(f"the file has more than the {limit:,} bytes chainrule reads in a {_NAMES[kind]}", source)
    return _read(data, source, kind, deadline)


def read_document(data: bytes, source: str = "<document>", *, deadline: float | None = None) -> Document:
    """Bytes handed in (an upload, a notebook cell's ``open().read()``) as a document, like :func:`open_document`."""
    kind = formats.sniff(data[:_HEAD], source)
    if len(data) > MAX_BYTES[kind]:
        raise InputError(f"{len(data):,} bytes, more than the {MAX_BYTES[kind]:,} chainrule reads in a "
                         f"{_NAMES[kind]}", source)
    return _read(data, source, kind, deadline)


_NAMES = {formats.PDF: "PDF", formats.NOTEBOOK: "notebook", formats.IMAGE: "image", formats.MARKDOWN: "text file",
          formats.LATEX: "LaTeX file", formats.PYTHON: "Python file"}


def _read(data: bytes, source: str, kind: str, deadline: float | None) -> Document:
    deadline = time.monotonic() + READ_SECONDS if deadline is None else deadline
    if kind == formats.PDF:
        from chainrule.documents.pdf_dispatch import read_pdf_document

        return read_pdf_document(data, source, max_pages=MAX_PDF_PAGES, deadline=deadline)
    if kind == formats.IMAGE:
        from chainrule.documents.ocr import read_scanned

        return read_scanned(data, source, image=True, max_pages=1, deadline=deadline)
    text = normalize_text(decode_text(data, source))
    if kind == formats.NOTEBOOK:
        from chainrule.documents.notebook import read_notebook

        return read_notebook(text, source)
    if kind == formats.LATEX:
        from chainrule.documents.latex import read_latex

        return read_latex(text, source)
    if kind == formats.PYTHON:
        from chainrule.documents.python_source import read_python

        return read_python(text, source)
    return read_markdown(text, source)


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is fine), or the InputError a binary or otherwise encoded file gets, with its line."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(f"line {line}: this looks like a binary file (a NUL byte), not text, LaTeX, a notebook "
                         "or a PDF", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"line {line}: not UTF-8 text (byte {error.start}); save the file as UTF-8", source) from None
    controls = sum(1 for char in text[:_HEAD] if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > max(8, len(text[:_HEAD]) // 20):
        raise InputError("this looks like a binary file (control characters), not text", source)
    return text
