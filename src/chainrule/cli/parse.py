"""``chainrule parse``: show how the reader understands the math in a file or one expression."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError


def parse(
    file: Annotated[Path | None, typer.Argument(
        help="A Markdown, LaTeX, notebook, Python or PDF file.")] = None,
    expr: Annotated[str | None, typer.Option("--expr", help="Parse this one LaTeX expression instead.")] = None,
    stats: Annotated[bool, typer.Option("--stats", help="Only list the spans that failed, then the counts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trees (with shapes) as JSON.")] = False,
) -> None:
    """Find and parse the math in FILE (or --expr), printing each span's reading or its located error."""
    from chainrule.notation import declarations, parse_math, read_document, to_latex, to_text
    from chainrule.notation.serialize import to_dict

    if (file is None) == (expr is None):
        raise InputError("give a FILE or --expr 'LATEX' (one of them)", "parse")
    if expr is not None:
        node = parse_math(expr)
        if as_json:
            typer.echo(json.dumps(to_dict(node, declarations(node)), ensure_ascii=False, indent=2))
        else:
            typer.echo(to_text(node))
            typer.echo(to_latex(node))
        return
    assert file is not None
    from chainrule.documents import open_document

    document = open_document(file)
    results = read_document(document.text)  # every reader writes Markdown with LaTeX math
    failed = [r for r in results if not r.ok]

    def where(line: int, column: int) -> str:
        if document.is_verbatim:
            return f"{file}:{line}:{column}"
        return f"{file}: {document.where(line)}"

    if as_json:
        typer.echo(json.dumps([
            {"line": r.span.line, "column": r.span.column, "latex": r.span.latex,
             "location": document.locate(r.span.line).to_json(), "where": document.where(r.span.line),
             "tree": to_dict(r.node, declarations(r.node)) if r.node is not None else None,
             "error": None if r.error is None else {"line": r.error.line, "column": r.error.column,
                                                    "reason": r.error.reason}}
            for r in results], ensure_ascii=False, indent=2))
        return
    for r in results:
        if r.error is not None:
            typer.echo(f"{where(r.error.line, r.error.column)}: {r.error.reason}")
        elif not stats:
            assert r.node is not None
            typer.echo(f"{where(r.span.line, r.span.column)}: {to_text(r.node)}")
    typer.echo(f"spans: {len(results)} parsed: {len(results) - len(failed)} failed: {len(failed)}")
