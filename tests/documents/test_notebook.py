"""Notebooks: markdown cells, code cells and text outputs, each line located by cell and line."""

import json

import nbformat
import pytest

from chainrule.documents import BlockKind, open_document, read_document
from chainrule.errors import InputError


def notebook_bytes() -> bytes:
    v4 = nbformat.v4
    notebook = v4.new_notebook()
    notebook.cells = [
        v4.new_markdown_cell("# Problem 1\n\n(a) The derivative:\n$$\nf'(x) = 2x\n$$"),
        v4.new_code_cell("import torch\nprint(2 + 2)", outputs=[
            v4.new_output("stream", name="stdout", text="4\n"),
            v4.new_output("execute_result", data={"text/latex": "\\frac{1}{2}", "text/plain": "1/2"},
                          execution_count=1),
            v4.new_output("display_data", data={"text/markdown": "**(b)** $y = 3$", "text/plain": "md"}),
            v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
        ]),
        v4.new_markdown_cell("(c) $z = 4$"),
    ]
    return nbformat.writes(notebook).encode()


def test_cells_and_outputs_are_located_by_cell_and_line():
    document = read_document(notebook_bytes(), "hw.ipynb")
    where = {text: loc for text, loc in zip(document.lines, document.locations, strict=True) if text}
    assert where["f'(x) = 2x"].cell == 1 and where["f'(x) = 2x"].line == 5
    assert where["print(2 + 2)"].cell == 2 and where["print(2 + 2)"].line == 2
    assert where["4"].output == 1 and where["4"].cell == 2
    assert where["\\frac{1}{2}"].output == 2
    assert where["**(b)** $y = 3$"].output == 3
    assert where["(c) $z = 4$"].cell == 3
    assert str(where["4"]) == "hw.ipynb, cell 2, output 1, line 1"


def test_block_kinds():
    document = read_document(notebook_bytes(), "hw.ipynb")
    kinds = {b.kind for b in document.blocks}
    assert {BlockKind.HEADING, BlockKind.CODE, BlockKind.OUTPUT, BlockKind.MATH} <= kinds
    code = next(b for b in document.blocks if b.kind is BlockKind.CODE)
    assert document.block_text(code).startswith("```python")
    assert "text/plain" not in document.text and "<Figure>" not in document.text  # the image's plain stand-in


def test_a_notebook_that_is_not_json_is_one_located_error(tmp_path):
    path = tmp_path / "hw.ipynb"
    path.write_text('{"cells": [\n  {"cell_type": "markdown",\n  oops\n')
    with pytest.raises(InputError) as caught:
        open_document(path)
    assert caught.value.where == str(path) and "line 3" in caught.value.message and "JSON" in caught.value.message


def test_json_that_is_not_a_notebook_is_one_error():
    with pytest.raises(InputError) as caught:
        read_document(json.dumps({"nbformat": "four", "cells": []}).encode(), "x.ipynb")
    assert "not a Jupyter notebook" in caught.value.message


def test_a_version_3_notebook_is_upgraded():
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["$x = 1$"]}]}]}
    assert read_document(json.dumps(v3).encode(), "old.ipynb").lines == ["$x = 1$"]
