"""Stage 1, read: a submission file of any format → a :class:`Document` (located lines and blocks).

Public API:

- :func:`open_document` ``(path) -> Document`` — read a file handed in, choosing its reader by content and
  extension; an :class:`~chainrule.errors.InputError` with the reason when it cannot be read.
- :func:`document_from_text` ``(text, source) -> Document`` — Markdown or plain text already in memory.
- :class:`Document`, :class:`Block`, :class:`BlockKind`, :class:`Location`, :class:`DocumentBuilder` — the model
  (:mod:`chainrule.documents.model`).

Grading reads ``Document.text`` (Markdown with LaTeX math) and reports each finding at
``Document.locate(line)``.
"""

from __future__ import annotations

from pathlib import Path

from chainrule.documents.markdown import read_markdown
from chainrule.documents.model import Block, BlockKind, Document, DocumentBuilder, Location
from chainrule.notation.text_file import read_text_file

__all__ = [
    "Block",
    "BlockKind",
    "Document",
    "DocumentBuilder",
    "Location",
    "document_from_text",
    "open_document",
]


def document_from_text(text: str, source: str = "<document>") -> Document:
    """Markdown or plain text as a document whose rendition is the text itself."""
    return read_markdown(text.replace("\r\n", "\n").replace("\r", "\n"), source)


def open_document(path: str | Path) -> Document:
    """The submission at ``path`` as a document (today: Markdown and plain text)."""
    path = Path(path)
    return document_from_text(read_text_file(path), str(path))
