"""Expression trees as plain dicts (for ``--json`` and for reports): every node with its type, fields,
position and, for expressions, the shape the notation implies."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from chainrule.notation import nodes as n
from chainrule.notation.shapes import infer_shape
from chainrule.shapes import Shape, dim_text

_NO_SHAPE = (n.Chain, n.Seq, n.Block, n.RelOp, n.Relation, n.Text, n.Function, n.Piece, n.Elided, n.Space, n.Dots,
             n.Placeholder)


def shape_text(shape: Shape) -> list[str]:
    return [dim_text(shape.rows), dim_text(shape.cols)]


def to_dict(node: n.Node, declared: dict[str, Shape] | None = None, *, shapes: bool = True) -> dict[str, Any]:
    """A JSON-ready dict of ``node``; ``declared`` shapes (see :func:`declarations`) sharpen the inference."""
    out: dict[str, Any] = {"type": type(node).__name__, "line": node.line, "column": node.column}
    for f in fields(node):
        if f.name in ("line", "column"):
            continue
        out[f.name] = _value(getattr(node, f.name), declared, shapes)
    if isinstance(node, n.Number):
        out["decimals"] = node.decimals
    if shapes and not isinstance(node, _NO_SHAPE):
        out["shape"] = shape_text(infer_shape(node, declared))
    return out


def _value(value: Any, declared: dict[str, Shape] | None, shapes: bool) -> Any:
    if isinstance(value, n.Node):
        return to_dict(value, declared, shapes=shapes)
    if isinstance(value, tuple):
        return [_value(v, declared, shapes) for v in value]
    return value
