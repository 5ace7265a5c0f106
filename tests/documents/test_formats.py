"""Format dispatch by content and extension: the bytes decide where they are unambiguous."""

import json

import pytest

from chainrule.documents import formats, open_document, read_document

NOTEBOOK = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "markdown", "metadata": {}, "source": "## 1.2\n$f'(x) = 2x$", "id": "a"}]})
LATEX = "\\documentclass{article}\n\\begin{document}\n\\section{One}\n$x = 1$\n\\end{document}\n"


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("hw.pdf", b"%PDF-1.7\n...", formats.PDF),
    ("hw", b"%PDF-1.4\n...", formats.PDF),
    ("hw.md", b"%PDF-1.4\n...", formats.PDF),
    ("scan.jpg", b"\xff\xd8\xff\xe0rest", formats.IMAGE),
    ("photo", b"\x89PNG\r\n\x1a\nrest", formats.IMAGE),
    ("hw.json", NOTEBOOK.encode(), formats.NOTEBOOK),
    ("hw", NOTEBOOK.encode(), formats.NOTEBOOK),
    ("hw.ipynb", b"not json at all", formats.NOTEBOOK),
    ("answers.txt", LATEX.encode(), formats.LATEX),
    ("answers", LATEX.encode(), formats.LATEX),
    ("hw.tex", b"$x = 1$", formats.LATEX),
    ("hw.md", b"# 1.2\n$x = 1$\n\\begin{align}a&=b\\end{align}", formats.MARKDOWN),
    ("hw.txt", b"\\section*{Problem 1}\n\\begin{enumerate}\n\\item $x=1$\n\\end{enumerate}", formats.LATEX),
    ("train", b"import torch\n\ndef f(x):\n    return x\n", formats.PYTHON),
    ("notes.txt", b"Problem 1: x = 1\nso the answer is 2", formats.MARKDOWN),
])
def test_sniff(name, data, expected):
    assert formats.sniff(data, name) == expected


def test_a_notebook_named_json_is_read_as_a_notebook(tmp_path):
    path = tmp_path / "hw1.json"
    path.write_text(NOTEBOOK)
    document = open_document(path)
    assert document.format == "notebook"
    assert document.lines[0] == "## 1.2" and document.locate(1).cell == 1


def test_a_latex_source_named_txt_is_read_as_latex(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text(LATEX)
    document = open_document(path)
    assert document.format == "latex"
    assert document.lines[0] == "# 1 One" and document.blocks[0].label == "1"


def test_read_document_takes_bytes():
    assert read_document(b"# Title\n$x = 1$\n", "upload.md").lines == ["# Title", "$x = 1$", ""]
