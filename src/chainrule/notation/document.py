"""Read a whole document: find every span and parse it, recording failures per span so a batch goes on."""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.notation.builder import ReaderOptions
from chainrule.notation.errors import NotationError
from chainrule.notation.markdown import MathSpan, find_math, find_tex_math
from chainrule.notation.nodes import Node
from chainrule.notation.parser import parse_math


@dataclass(frozen=True)
class ParsedSpan:
    """A span and its reading: ``node`` when it parsed, ``error`` (located) when it did not."""

    span: MathSpan
    node: Node | None
    error: NotationError | None

    @property
    def ok(self) -> bool:
        return self.node is not None


def read_document(text: str, *, tex: bool = False, options: ReaderOptions | None = None) -> list[ParsedSpan]:
    """Every math span of a Markdown (or, with ``tex=True``, LaTeX) document with its parse or its error."""
    spans = find_tex_math(text) if tex else find_math(text)
    out: list[ParsedSpan] = []
    for span in spans:
        try:
            node = parse_math(span.latex, line=span.line, column=span.column, options=options)
        except NotationError as error:
            out.append(ParsedSpan(span, None, error))
        else:
            out.append(ParsedSpan(span, node, None))
    return out
