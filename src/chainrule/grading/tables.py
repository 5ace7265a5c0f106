"""Claims made by the rows of a Markdown table, read as relation chains.

Students lay out a forward pass, the gradients or the local Jacobians as tables: ``| Layer | Input | Output |``,
``| Parameter | Gradient | Shape |``, ``| Term | Elements | Shape |``. A row's first cell says what the row is
about: a parameter (its gradient is meant), a quantity such as ``∂z₂/∂z₁``, or a layer by its role (Linear1, f,
Linear2, g, the loss: its output is meant). The header says what the other columns hold: a column headed
shape, size or dimension states a shape — never a value — and becomes the claim ``subject ∈ ℝ^{…}``; of the
others, the last with a formula holds the row's value, and its first formula that is not itself a relation is
compared. A table without a header row is read the same way, without a shape column.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from chainrule.assignments.spec import QuestionBase
from chainrule.grading.context import Statement
from chainrule.grading.meaning import TRUTH_PREFIX, Resolver, is_shape_statement
from chainrule.notation import nodes as n

__all__ = ["TableRow", "table_chains", "table_rows"]

_ROW_ROLES = {"linear1": "z1", "f": "z2", "linear2": "z3", "g": "yhat", "loss": "loss", "mseloss": "loss",
              "bceloss": "loss"}
_SHAPE_HEADER = re.compile(r"shape|size|dimension|dims?\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PARAMETERS = ("W1", "b1", "W2", "b2")


@dataclass
class TableRow:
    """One body row: its line, the text of each cell, the formulas in each cell, and which cell is a shape."""

    line: int
    texts: list[str]
    cells: list[list[n.Node]] = field(default_factory=list)
    shape_column: int | None = None


def table_rows(lines: list[str], statements: list[Statement]) -> list[TableRow]:
    """The body rows of every table whose lines hold formulas, each formula placed in its cell by its column."""
    by_line: dict[int, list[n.Node]] = {}
    for statement in statements:
        if 0 < statement.line <= len(lines) and lines[statement.line - 1].lstrip().startswith("|"):
            by_line.setdefault(statement.line, []).append(statement.node)
    rows: list[TableRow] = []
    for line, nodes in sorted(by_line.items()):
        text = lines[line - 1]
        bounds = _cell_bounds(text)
        row = TableRow(line, [text[a:b].strip() for a, b in bounds], [[] for _ in bounds])
        for node in nodes:
            column = next((i for i, (a, b) in enumerate(bounds) if a < node.column <= b + 1), None)
            if column is not None:
                row.cells[column].append(node)
        header = _header_of(lines, line)
        if header is not None:
            row.shape_column = next((i for i, cell in enumerate(header) if _SHAPE_HEADER.search(cell)), None)
        rows.append(row)
    return rows


def _cell_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each cell's text, 0-based, between the pipes (escaped ``\\|`` is not one)."""
    pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", text)]
    return [(a + 1, b) for a, b in itertools.pairwise(pipes)]


def _header_of(lines: list[str], line: int) -> list[str] | None:
    """The header cells of the table holding ``line`` (the row above its ``|---|`` separator), if it has one."""
    index = line - 2
    while index >= 1 and lines[index].lstrip().startswith("|"):
        if _SEPARATOR.match(lines[index]):
            header = lines[index - 1]
            return [header[a:b].strip() for a, b in _cell_bounds(header)]
        index -= 1
    return None


def table_chains(
    question: QuestionBase, lines: list[str], resolve: Resolver, statements: list[Statement]
) -> list[n.Chain]:
    """The claims of every table row, as chains ``subject = value`` and ``subject ∈ ℝ^{shape}``."""
    asks = set(getattr(question, "asks", ()) or ())
    chains: list[n.Chain] = []
    for row in table_rows(lines, statements):
        for start, end in _groups(row):
            subject = _subject(row, start, asks, resolve)
            if subject is None:
                continue
            value = _value(row, start, end)
            if value is not None:
                place = {"line": value.line, "column": value.column}
                chains.append(n.Chain((_placed(subject, place), value), (n.RelOp("=", **place),), **place))
            shape = _shape(row) if start == 0 else None
            if shape is not None:
                place = {"line": shape.line, "column": shape.column}
                space = n.Space("R", shape.factors, **place)
                chains.append(n.Chain((_placed(subject, place), space), (n.RelOp("∈", **place),), **place))
    return chains


def _groups(row: TableRow) -> list[tuple[int, int]]:
    """The (first, past-last) cells of each claim in the row: usually the whole row, but a row of pairs
    (``| ∂L/∂w₁₁ | 0 | ∂L/∂w₂₁ | 1.1 |``) holds one claim per pair — a later cell naming a derivative alone,
    with a value after it, starts another."""
    starts = [0] + [index for index in range(2, len(row.cells) - 1)
                    if len(row.cells[index]) == 1 and isinstance(row.cells[index][0], n.Derivative | n.Gradient)
                    and row.cells[index + 1]]
    return list(zip(starts, [*starts[1:], len(row.cells)], strict=True))


def _subject(row: TableRow, start: int, asks: set[str], resolve: Resolver) -> n.Node | None:
    """What the row is about: a layer's output by its role, a parameter's gradient, or a written quantity."""
    first = row.cells[start] if start < len(row.cells) else []
    words = re.sub(r"\\(?:text|mathrm|textrm|mathbf|operatorname)\s*", "", row.texts[start]).lower()
    role = _ROW_ROLES.get(re.sub(r"[^a-z0-9]", "", words))
    if role is not None and "forward" in asks:
        return n.Symbol(f"{TRUTH_PREFIX}{role}")
    if len(first) != 1:
        return None
    node = first[0]
    if isinstance(node, n.Symbol) and resolve(node) in _PARAMETERS:
        return n.Derivative(n.Symbol("ell"), node, partial=True) if "gradients" in asks else None
    if isinstance(node, n.Derivative | n.Gradient):
        return node
    return None


def _value(row: TableRow, start: int, end: int) -> n.Node | None:
    """The claim's value: the first formula, not itself a relation, of the last non-shape cell holding one."""
    for index in range(end - 1, start, -1):
        if index == row.shape_column or not row.cells[index]:
            continue
        formulas = [node for node in row.cells[index] if not isinstance(node, n.Chain)]
        if formulas and not is_shape_statement((formulas[0],)):
            return formulas[0]
        return None
    return None


def _shape(row: TableRow) -> n.Mul | None:
    """The shape column's ``m × K`` (a product of two sizes written with ×), if the row has one."""
    if row.shape_column is None or row.shape_column >= len(row.cells):
        return None
    cell = row.cells[row.shape_column]
    if len(cell) == 1 and isinstance(cell[0], n.Mul) and cell[0].op == "times" and is_shape_statement((cell[0],)):
        return cell[0]
    return None


def _placed(node: n.Node, place: dict[str, int]) -> n.Node:
    """The subject located where the claim is (the row's formula), so a finding points at the right cell."""
    from dataclasses import replace

    return replace(node, **place)
