"""``chainrule parse``: show how the reader understands the math in a file or one expression."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from chainrule.cli.conventions import JsonFlag, Output, emit, legacy_format, read_input_document
from chainrule.errors import InputError
from chainrule.reports.jsonout import dumps
from chainrule.reports.terminal import terminal_safe


def parse(
    file: Annotated[
        Path | None, typer.Argument(help="A Markdown, LaTeX, notebook, Python or PDF file; - reads stdin.")
    ] = None,
    expr: Annotated[str | None, typer.Option("--expr", help="Parse this one LaTeX expression instead.")] = None,
    stats: Annotated[bool, typer.Option("--stats", help="Only list the spans that failed, then the counts.")] = False,
    fmt: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="text, or json: the trees with shapes.")
    ] = "text",
    output: Output = None,
    as_json: JsonFlag = False,
) -> None:
    """Find and parse the math in FILE (or --expr), printing each span's reading or its located error."""
    from chainrule.notation import declarations, parse_math, read_document, to_latex, to_text
    from chainrule.notation.serialize import to_dict

    as_json = legacy_format(fmt, "text", json=as_json) == "json"
    if (file is None) == (expr is None):
        raise InputError("give a FILE or --expr 'LATEX' (one of them)", "parse")
    if expr is not None:
        node = parse_math(expr)
        if as_json:
            emit(dumps(to_dict(node, declarations(node))), output)
        else:
            emit(terminal_safe(f"{to_text(node)}\n{to_latex(node)}"), output)
        return
    assert file is not None
    document = read_input_document(file)
    name = document.source
    results = read_document(document.text)  # every reader writes Markdown with LaTeX math
    failed = [r for r in results if not r.ok]

    def where(line: int, column: int) -> str:
        """``file:line:column`` where the rendition is the file, else the place in it ("cell 2, line 3")."""
        return f"{name}:{line}:{column}" if document.is_verbatim else f"{name}: {document.where(line)}"
    if as_json:
        emit(dumps([
            {"line": r.span.line, "column": r.span.column, "latex": r.span.latex,
             "location": document.locate(r.span.line).to_json(), "where": document.where(r.span.line),
             "tree": to_dict(r.node, declarations(r.node)) if r.node is not None else None,
             "error": None if r.error is None else {"line": r.error.line, "column": r.error.column,
                                                    "reason": r.error.reason}}
            for r in results]), output)
        return
    lines: list[str] = []
    for r in results:
        if r.error is not None:
            lines.append(f"{where(r.error.line, r.error.column)}: {r.error.reason}")
        elif not stats:
            assert r.node is not None
            lines.append(f"{where(r.span.line, r.span.column)}: {to_text(r.node)}")
    lines.append(f"spans: {len(results)} parsed: {len(results) - len(failed)} failed: {len(failed)}")
    emit(terminal_safe("\n".join(lines)), output)
