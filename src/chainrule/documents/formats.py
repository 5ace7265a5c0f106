"""Which reader a file needs, decided by its content first and its name second.

Students name files loosely: a LaTeX source saved as ``answers.txt``, a notebook downloaded as ``hw1.json``,
a PDF with no extension. The bytes decide where they are unambiguous (a PDF's ``%PDF-`` header, an image's
magic number, a JSON object with notebook keys); the extension decides between text formats, and content
overrides it only on strong evidence (``\\documentclass`` in a ``.txt``).
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import PurePath

MARKDOWN, LATEX, NOTEBOOK, PYTHON, PDF, IMAGE = "markdown", "latex", "notebook", "python", "pdf", "image"

_EXTENSIONS = {
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdown": MARKDOWN, ".txt": MARKDOWN, ".text": MARKDOWN,
    ".tex": LATEX, ".latex": LATEX, ".ltx": LATEX,
    ".ipynb": NOTEBOOK,
    ".py": PYTHON, ".pyw": PYTHON,
    ".pdf": PDF,
    ".png": IMAGE, ".jpg": IMAGE, ".jpeg": IMAGE, ".tif": IMAGE, ".tiff": IMAGE, ".webp": IMAGE, ".bmp": IMAGE,
}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")

_LATEX_DOCUMENT = re.compile(r"\\documentclass\b|\\begin\s*\{document\}")
_LATEX_STRUCTURE = re.compile(
    r"^\s*\\(?:(?:sub)*section|paragraph|chapter)\*?\s*[{\[]|^\s*\\begin\s*\{(?:enumerate|itemize)\}|^\s*\\item\b",
    re.MULTILINE)
_MARKDOWN_STRUCTURE = re.compile(r"^(?:#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|\s*\$\$|\*\*|```)", re.MULTILINE)


def sniff(head: bytes, name: str = "") -> str:
    """The format of a file from its first bytes (64 KiB is plenty) and its name."""
    by_name = _EXTENSIONS.get(PurePath(name).suffix.lower(), "")
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"%PDF-") or (by_name == PDF and b"%PDF-" in head[:1024]):
        return PDF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return IMAGE
    if start.startswith(b"{") and _looks_like_notebook(head):
        return NOTEBOOK
    if by_name in (NOTEBOOK, PDF, IMAGE):
        return by_name  # its reader says why the content is not what the name promises
    text = head.decode("utf-8", errors="replace")
    if by_name == LATEX or by_name == PYTHON:
        return by_name
    if by_name == MARKDOWN and PurePath(name).suffix.lower() != ".txt":
        return MARKDOWN  # a file named Markdown is read as Markdown, line for line, whatever it quotes
    return text_format(text)


def text_format(text: str) -> str:
    """Markdown (the default), LaTeX or Python for text whose name does not say."""
    if _LATEX_DOCUMENT.search(text):
        return LATEX
    latex = len(_LATEX_STRUCTURE.findall(text))
    if latex >= 2 and latex > len(_MARKDOWN_STRUCTURE.findall(text)):
        return LATEX
    if _looks_like_python(text):
        return PYTHON
    return MARKDOWN


def _looks_like_notebook(head: bytes) -> bool:
    """A JSON object with a notebook's top-level keys (the file may be longer than ``head``)."""
    text = head.decode("utf-8", errors="replace")
    if '"cells"' in text and '"nbformat"' in text:
        return True
    try:
        data = json.loads(text)
    except ValueError:
        return '"nbformat"' in text and '"cells"' in text
    return isinstance(data, dict) and "nbformat" in data and ("cells" in data or "worksheets" in data)


def _looks_like_python(text: str) -> bool:
    """Python source: it compiles, and it defines or imports something (prose that parses does neither)."""
    if len(text) > 2_000_000:
        return False
    try:
        with warnings.catch_warnings():  # a student's invalid escapes are not our warnings
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef) for node in tree.body)
