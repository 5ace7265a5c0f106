"""A document's math read once, the same way for ``check`` and ``grade``: parsed with the function names the
document (and its assignment) declare, and interpreted (:mod:`.forms`).

Whether ``L(w)`` applies ``L`` or multiplies by ``w`` is not in the syntax. The reader applies the names every
course uses as functions (``f``, ``g``, ``h``, ``ℓ`` …); a document adds its own when it

* defines one on plain arguments: ``L(w) = …``, ``J(θ) := …``, ``r(x) = max{0, x}``;
* takes the gradient of one at a point: ``∇L(w)``, ``∇_θ J(θ^k)``;
* applies one to its own value: ``r(r(x))``.

A name the document declares a vector or matrix (``A ∈ ℝ^{n×n}``) is never read as a function. The scan is over
the raw text, bounded in size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from chainrule.errors import ChainruleError
from chainrule.grading.meaning.conditions import Condition, condition_of
from chainrule.grading.meaning.forms import DocumentForms, interpret, iterated_bases
from chainrule.notation import nodes as n
from chainrule.notation.builder import DEFAULT_FUNCTION_NAMES, ReaderOptions
from chainrule.notation.errors import NotationError
from chainrule.notation.markdown import MathSpan, find_math
from chainrule.notation.parser import parse_math

__all__ = ["ReadSpan", "declared_function_names", "read_math", "reader_options"]

MAX_SCAN_CHARS = 2_000_000
_ARGUMENT = r"\s*(?:\\[A-Za-z]+\s*\{?\s*)?[A-Za-z](?:\s*\})?(?:\s*[_^]\s*(?:\{[^{}()=+\-]{1,12}\}|\w))?\s*"
_DEFINED = re.compile(
    r"(?<![\\A-Za-z])(?P<name>[A-Za-z])\s*\((?P<args>" + _ARGUMENT + r"(?:[,;]" + _ARGUMENT + r"){0,3})\)\s*"
    r"(?:=|:=|\\coloneqq|\\triangleq|\\equiv|≜|\\doteq)(?!=)"
)
_GRADIENT_AT = re.compile(r"(?:\\nabla|∇)\s*(?:_\s*(?:\{[^{}]{0,20}\}|\\?\w+))?\s*(?P<name>[A-Za-z])\s*\(")
_NESTED = re.compile(r"(?<![\\A-Za-z])(?P<name>[A-Za-z])\s*\(\s*(?P=name)\s*\(")
_DECLARED_ARRAY = re.compile(
    r"(?<![\\A-Za-z])(?P<name>[A-Za-z])\s*(?:\\in|∈)\s*(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s*R|\\R\b|ℝ)\s*\^"
)


def declared_function_names(texts: Iterable[str]) -> frozenset[str]:
    """Single-letter names the texts use as functions (see the module docstring)."""
    names: set[str] = set()
    arrays: set[str] = set()
    for text in texts:
        text = text[:MAX_SCAN_CHARS]
        for pattern in (_DEFINED, _GRADIENT_AT, _NESTED):
            names.update(match.group("name") for match in pattern.finditer(text))
        arrays.update(match.group("name") for match in _DECLARED_ARRAY.finditer(text))
    return frozenset(names - arrays - {"e", "d"})


def reader_options(texts: Iterable[str]) -> ReaderOptions:
    """The reader's options for a document: the common function names and those the texts declare."""
    return ReaderOptions(functions=DEFAULT_FUNCTION_NAMES | declared_function_names(texts))


@dataclass
class ReadSpan:
    """One math span and the statements read from it (one, or one per row when the whole would not parse)."""

    span: MathSpan
    nodes: list[n.Node] = field(default_factory=list)
    condition: Condition | None = None  # the words around it restrict where its claims hold


@dataclass
class ReadMath:
    """Every span of a document, read; ``errors`` are located messages for the math that could not be read."""

    spans: list[ReadSpan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # the reader itself failed (not the writer): worth reporting
    forms: DocumentForms = field(default_factory=DocumentForms)


def read_math(text: str, extra_texts: Iterable[str] = ()) -> ReadMath:
    """Find, parse and interpret every math span of ``text``; ``extra_texts`` (an assignment's prompts) may
    declare function names too. A span that fails whole is read row by row (``\\\\``); what still fails is
    recorded and skipped."""
    options = reader_options([text, *extra_texts])
    result = ReadMath()
    try:
        spans = find_math(text)
    except ChainruleError as error:
        result.errors.append(f"math could not be found: {str(error).splitlines()[0]}")
        result.faults.append(result.errors[-1])
        return result
    lines = text.splitlines()
    for span in spans:
        result.spans.append(ReadSpan(span, _parse_span(span, options, result), condition_of(span, lines)))
    forms = DocumentForms(
        iterated=iterated_bases(node for read in result.spans for node in read.nodes),
        functions=options.functions,
    )
    result.forms = forms
    for read in result.spans:
        read.nodes = [interpret(node, forms) for node in read.nodes]
    return result


def _parse_span(span: MathSpan, options: ReaderOptions, result: ReadMath) -> list[n.Node]:
    try:
        return [_parse(span.latex, span.line, span.column, options, result)]
    except NotationError as error:
        rows = _split_rows(span)
        if len(rows) <= 1:
            result.errors.append(str(error))
            return []
    nodes: list[n.Node] = []
    for latex, line, column in rows:
        try:
            nodes.append(_parse(latex, line, column, options, result))
        except NotationError as error:
            result.errors.append(str(error))
    return nodes


def _parse(latex: str, line: int, column: int, options: ReaderOptions, result: ReadMath) -> n.Node:
    """The reader on one span; a crash inside it becomes a located error for this span only."""
    try:
        return parse_math(latex, line=line, column=column, options=options)
    except NotationError:
        raise
    except Exception as error:  # one unreadable span must not stop the document
        result.faults.append(f"line {line}: the reader failed ({type(error).__name__}: {error})")
        raise NotationError(f"the reader failed on this math ({type(error).__name__})", line, column) from error


def _split_rows(span: MathSpan) -> list[tuple[str, int, int]]:
    r"""The rows of a display span cut at ``\\``, each with its own position (a fallback after a parse error)."""
    rows = []
    line, column, start = span.line, span.column, 0
    for match in re.finditer(r"\\\\", span.latex):
        rows.append((span.latex[start:match.start()], line, column))
        line += span.latex.count("\n", start, match.end())
        start = match.end()
        column = 1
    rows.append((span.latex[start:], line, column))
    cleaned = []
    for latex, row_line, row_column in rows:
        body = re.sub(r"\\(begin|end)\{[a-z*]+\}", " ", latex).replace("&", " ")
        if body.strip():
            cleaned.append((body, row_line, row_column))
    return cleaned
