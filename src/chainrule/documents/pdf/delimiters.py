"""Tall brackets: extensible delimiters assembled from their pieces, and what they enclose — a matrix when
the content has several rows, ``cases`` when a lone left brace stands before several rows.

TeX builds a tall bracket from a top, a repeated middle and a bottom piece in the extension font (each a
separate character), or takes one of four fixed \\big…\\Bigg sizes; Word draws them the same way. All of them
are centred on the math axis, which is how a tall bracket gets its baseline.
"""

from __future__ import annotations

from chainrule.documents.pdf.items import Glyph, Group, GroupKind, Item, bounds
from chainrule.documents.pdf.rows import attach_scripts, cluster_rows, flatten
from chainrule.documents.pdf.stacks import AXIS, _replace
from chainrule.documents.pdf.symbols import Kind, Meaning, delimiter_latex

_OPENERS = "([{⌊⌈⟨"
_CLOSERS = ")]}⌋⌉⟩"
_ENVIRONMENTS = {("(", ")"): "pmatrix", ("[", "]"): "bmatrix", ("|", "|"): "vmatrix", ("‖", "‖"): "Vmatrix",
                 ("{", "}"): "Bmatrix"}


def _kind_of(char: str) -> Kind:
    return Kind.OPEN if char in _OPENERS else Kind.CLOSE if char in _CLOSERS else Kind.FENCE


def assemble(items: list[Item]) -> list[Item]:
    """Stack the pieces of each extensible delimiter into one tall glyph; give every extension-font glyph
    (sized delimiters, big operators, radicals) its baseline from the axis."""
    pieces = sorted((g for g in items if isinstance(g, Glyph) and g.kind is Kind.PIECE), key=lambda g: (g.x0, g.y0))
    stacks: list[list[Glyph]] = []
    for piece in pieces:
        for stack in stacks:
            last = stack[-1]
            if last.char == piece.char and abs(last.x0 - piece.x0) < 0.15 * piece.size and \
                    piece.y0 - last.y1 < 0.3 * piece.size:
                stack.append(piece)
                break
        else:
            stacks.append([piece])
    for stack in stacks:
        x0, y0, x1, y1 = bounds(stack)
        char = stack[0].char
        if char == "√":
            kind, latex = Kind.RADICAL, r"\sqrt"
        elif char == "∫":
            kind, latex = Kind.BIGOP, r"\int"
        else:
            kind, latex = _kind_of(char), delimiter_latex(char)
        first = stack[0]
        tall = Glyph(x0, y0, x1, y1, (y0 + y1) / 2 + AXIS * first.size, first.size, char=char,
                     mean=Meaning(kind, latex, char, True), font=first.font, role=first.role)
        items = _replace(items, stack, tall)
    for g in items:
        if isinstance(g, Glyph) and g.role == "extension" and g.kind is not Kind.ACCENT:
            g.base = g.cy + AXIS * g.size
    return items


def _tall(item: Item, body: float) -> bool:
    """A delimiter taller than a line of the body text (an extensible one, or a bracket set in big type)."""
    return isinstance(item, Glyph) and item.kind in (Kind.OPEN, Kind.CLOSE, Kind.FENCE) and \
        item.height > 1.5 * min(item.size, body)


def matrices(items: list[Item], body: float) -> list[Item]:
    """Tall bracket pairs around several rows → a matrix; a tall left brace before several rows → cases.
    Innermost pairs first, so a matrix inside parentheses is one item when the parentheses are read.
    ``body`` is the size of the page's body text."""
    lefts = sorted((i for i in items if _tall(i, body) and i.kind in (Kind.OPEN, Kind.FENCE)), key=lambda g: -g.x0)
    for left in lefts:
        right = _partner(items, left, body)
        if right is None:
            if left.char == "{":
                items = _cases(items, left)
            continue
        content = [i for i in items if i is not left and i is not right and i.cx > left.x1 and i.cx < right.x0
                   and i.cy > left.y0 and i.cy < left.y1]
        rows = _rows(content)
        if len(rows) < 2:
            continue
        env = _ENVIRONMENTS.get((left.char, right.char), "bmatrix")
        size = max(i.size for i in content)
        group = Group(*bounds([left, right, *content]), base=left.cy + AXIS * size, size=size,
                      kind=GroupKind.MATRIX, rows=_cells(rows), command=env)
        items = _replace(items, [left, right, *content], group)
    return items


def _partner(items: list[Item], left: Glyph, body: float) -> Glyph | None:
    """The nearest tall closing delimiter to the right of ``left`` spanning about the same height."""
    best: Glyph | None = None
    for i in items:
        if i is left or not _tall(i, body) or i.x0 <= left.x1 or i.kind is Kind.OPEN:
            continue
        assert isinstance(i, Glyph)
        if left.kind is Kind.FENCE and i.char != left.char:
            continue
        overlap = min(i.y1, left.y1) - max(i.y0, left.y0)
        if overlap < 0.7 * min(i.height, left.height) or abs(i.height - left.height) > 0.3 * left.height:
            continue
        if best is None or i.x0 < best.x0:
            best = i
    return best


def _rows(content: list[Item]) -> list[list[Item]]:
    if not content:
        return []
    anchors = attach_scripts(content)
    return cluster_rows(anchors)


def _cells(rows: list[list[Item]]) -> list[list[list[Item]]]:
    """Split rows into columns at the gaps every row leaves empty (a matrix's columns are aligned)."""
    size = max(i.size for row in rows for i in row)
    spans = sorted((i.x0, i.right) for row in rows for i in row)
    cuts: list[float] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach > 0.7 * size:
            cuts.append((x0 + reach) / 2)
        reach = max(reach, x1)
    out: list[list[list[Item]]] = []
    for row in rows:
        cells: list[list[Item]] = [[] for _ in range(len(cuts) + 1)]
        for item in row:
            column = sum(1 for c in cuts if item.cx > c)
            cells[column].extend(flatten([item]))
        out.append(cells)
    return out


def _cases(items: list[Item], brace: Glyph) -> list[Item]:
    """A tall left brace with rows to its right: each row a value and, after the widest gap, a condition."""
    content = [i for i in items if i is not brace and i.x0 >= brace.x1 - 0.5 and i.cy > brace.y0
               and i.cy < brace.y1]
    rows = _rows(content)
    if len(rows) < 2:
        return items
    table: list[list[list[Item]]] = []
    for row in rows:
        ordered = sorted(row, key=lambda i: i.x0)
        gaps = [(ordered[k + 1].x0 - ordered[k].right, k) for k in range(len(ordered) - 1)]
        widest = max(gaps, default=(0.0, -1))
        if widest[0] > 0.8 * brace.size:
            table.append([flatten(ordered[:widest[1] + 1]), flatten(ordered[widest[1] + 1:])])
        else:
            table.append([flatten(ordered)])
    size = max(i.size for i in content)
    group = Group(*bounds([brace, *content]), base=brace.cy + AXIS * size, size=size, kind=GroupKind.CASES,
                  rows=table, command="cases")
    return _replace(items, [brace, *content], group)
