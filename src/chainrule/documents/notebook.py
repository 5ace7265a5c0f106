"""Jupyter notebooks (read with nbformat): markdown cells, code cells and what they printed, located by cell.

The rendition takes the cells in order: a markdown cell as itself, a code cell as a fenced ``python`` block
(CODE), and each text output after it: ``text/markdown`` as Markdown, ``text/latex`` as display math, streams
and ``text/plain`` results as a fenced ``text`` block (OUTPUT), so printed numbers stay beside the code that
printed them without being read as the student's claims. Every line is located as ``cell k, line j`` (cells
counted from 1 as they appear, as a person scrolling the notebook counts them), output lines as
``cell k, output m, line j``. Images and widgets are skipped with a note.
"""

from __future__ import annotations

import json
import re
import warnings

from chainrule.documents.markdown import add_markdown
from chainrule.documents.model import BlockKind, Document, DocumentBuilder, Location
from chainrule.documents.normalize import normalize_text
from chainrule.errors import InputError

MAX_CELLS = 5_000
MAX_OUTPUT_LINES = 200  # per output: a training loop's log is not an answer; the rest is noted, not read
_DISPLAY_DELIMITED = re.compile(r"^\s*(\$\$|\\\[|\\begin\s*\{)")


def read_notebook(text: str, source: str) -> Document:
    """``text`` (a notebook's JSON, normalised) as a document; an InputError when it is not a notebook."""
    notebook = _parse(text, source)
    builder = DocumentBuilder(source, "notebook")
    cells = notebook.get("cells") or []
    if len(cells) > MAX_CELLS:
        builder.note(f"only the first {MAX_CELLS} of {len(cells)} cells were read", refused=True)
    for number, cell in enumerate(cells[:MAX_CELLS], start=1):
        if not isinstance(cell, dict):
            builder.note("not a cell; skipped", Location(source, 1, cell=number))
            continue
        body = normalize_text(_joined(cell.get("source", "")))
        kind = cell.get("cell_type")
        if kind == "markdown" and body.strip():
            add_markdown(builder, body, Location(source, 1, cell=number))
        elif kind == "code":
            if body.strip():
                _add_fenced(builder, BlockKind.CODE, "python", body, Location(source, 1, cell=number))
            for index, output in enumerate(cell.get("outputs") or [], start=1):
                _add_output(builder, output, source, number, index)
        elif kind == "raw" and body.strip():
            _add_fenced(builder, BlockKind.CODE, "text", body, Location(source, 1, cell=number))
    return builder.build()


def _parse(text: str, source: str) -> dict:
    """The notebook as nbformat's v4 node, upgraded from v3 when older; JSON errors located at their line."""
    import nbformat

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"line {error.lineno}, column {error.colno}: not a notebook, the file is not valid JSON "
                         f"({error.msg})", source) from None
    except RecursionError:
        raise InputError("not a notebook: the JSON nests too deeply to read", source) from None
    if not isinstance(raw, dict) or "nbformat" not in raw or not isinstance(raw.get("nbformat"), int):
        raise InputError("JSON, but not a Jupyter notebook (no \"nbformat\" version at the top)", source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat warns about missing cell ids and the like: not the user's concern
        try:
            node = nbformat.reads(text, as_version=4)
        except (nbformat.reader.NotJSONError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(f"not a readable notebook ({str(error).splitlines()[0][:160]})", source) from None
    if not isinstance(node.get("cells"), list):
        raise InputError("a notebook without a list of cells", source)
    return node


def _joined(value: object) -> str:
    """A notebook's multiline string, stored as one string or as a list of lines."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


def _add_fenced(builder: DocumentBuilder, kind: BlockKind, language: str, body: str, where: Location) -> None:
    lines = body.rstrip("\n").split("\n")
    fence = "````" if any(line.lstrip().startswith("```") for line in lines) else "```"
    places = [where, *(where.shifted(k) for k in range(len(lines))), where.shifted(len(lines) - 1)]
    builder.add(kind, "\n".join([fence + language, *lines, fence]), places)


def _add_output(builder: DocumentBuilder, output: object, source: str, cell: int, index: int) -> None:
    if not isinstance(output, dict):
        return
    where = Location(source, 1, cell=cell, output=index)
    kind = output.get("output_type")
    if kind == "stream":
        _add_text_output(builder, _joined(output.get("text", "")), where)
        return
    if kind == "error":
        name, value = output.get("ename", "error"), output.get("evalue", "")
        _add_fenced(builder, BlockKind.OUTPUT, "text", normalize_text(f"{name}: {value}")[:500], where)
        return
    data = output.get("data") or {}
    if not isinstance(data, dict):
        return
    if "text/latex" in data:
        latex = normalize_text(_joined(data["text/latex"])).strip("\n")
        body = latex if _DISPLAY_DELIMITED.match(latex) or "$" in latex else f"$$\n{latex}\n$$"
        if body == latex:
            builder.add(BlockKind.MATH, body, where)
        else:  # the $$ lines are where the output is
            lines = latex.split("\n")
            builder.add(BlockKind.MATH, body, [where, *(where.shifted(k) for k in range(len(lines))),
                                               where.shifted(len(lines) - 1)])
    elif "text/markdown" in data:
        add_markdown(builder, normalize_text(_joined(data["text/markdown"])), where)
    elif any(str(key).startswith("image/") for key in data):  # its text/plain is "<Figure …>": not the point
        builder.note("an image output (not read)", where)
    elif "text/plain" in data:
        _add_text_output(builder, _joined(data["text/plain"]), where)


def _add_text_output(builder: DocumentBuilder, text: str, where: Location) -> None:
    text = normalize_text(text).rstrip("\n")
    if not text.strip():
        return
    lines = text.split("\n")
    if len(lines) > MAX_OUTPUT_LINES:
        builder.note(f"only the first {MAX_OUTPUT_LINES} of {len(lines)} printed lines were read", where)
        text = "\n".join(lines[:MAX_OUTPUT_LINES])
    _add_fenced(builder, BlockKind.OUTPUT, "text", text, where)
