"""Shapes inferred from how a span is written: bold lowercase is a column vector, bold uppercase a matrix,
numbers are scalars, and ``x \\in \\mathbb{R}^{m \\times n}`` (or ``x : d \\times 1``) declares a shape that
wins over the guess. Inference never fails: what cannot be known is :data:`UNKNOWN_SHAPE`, and a product
whose shapes clash is unknown too (the grader, not the reader, reports clashes).
"""

from __future__ import annotations

from chainrule.notation import nodes as n
from chainrule.notation.printer import to_text
from chainrule.shapes import (
    SCALAR,
    UNKNOWN,
    UNKNOWN_SHAPE,
    Dim,
    Shape,
    ShapeMismatch,
    column,
    elementwise,
    matmul,
)

ELEMENTWISE = {"sigmoid", "sigma", "tanh", "relu", "leaky_relu", "exp", "log", "ln", "elu", "gelu", "softplus",
               "sign", "negative_part", "swish", "abs", "sin", "cos", "step", "indicator"}


def _dim(x: n.Node) -> Dim:
    if isinstance(x, n.Number) and x.text.isdigit():
        return int(x.text)
    if isinstance(x, n.Symbol) and x.accent is None:
        return to_text(x)
    return UNKNOWN


def _declared(x: n.Node) -> Shape | None:
    # OCR often drops \mathbb: a plain R with sizes in a declaration still names the real space
    if isinstance(x, n.Symbol) and x.name == "R" and x.style in ("plain", "rm") and not x.sub and x.layer is None:
        return SCALAR
    if (isinstance(x, n.Power) and isinstance(x.base, n.Symbol) and x.base.name == "R" and not x.base.sub
            and x.base.style in ("plain", "rm")):
        e = x.exponent
        dims = e.factors if isinstance(e, n.Mul) and e.op == "times" else (e,)
        return _declared(n.Space("R", tuple(dims)))
    if isinstance(x, n.Space):
        if not x.dims:
            return SCALAR
        if len(x.dims) == 1:
            return column(_dim(x.dims[0]))
        if len(x.dims) == 2:
            return Shape(_dim(x.dims[0]), _dim(x.dims[1]))
        return UNKNOWN_SHAPE
    if isinstance(x, n.Mul) and x.op == "times" and len(x.factors) == 2:
        return Shape(_dim(x.factors[0]), _dim(x.factors[1]))
    return None


def declarations(node: n.Node) -> dict[str, Shape]:
    """Shapes declared in a span: ``x \\in \\mathbb{R}^n`` → column, ``W : m \\times n`` → (m×n). Keyed by
    the symbol's text (``"bold x"``, ``"W^(1)"``)."""
    found: dict[str, Shape] = {}
    for rel in n.relations(node):
        if rel.op not in ("∈", ":"):
            continue
        shape = _declared(rel.right)
        if shape is None:
            continue
        left = rel.left
        targets = left.items if isinstance(left, n.Tuple | n.Seq) else (left,)
        for t in targets:
            if isinstance(t, n.Symbol | n.Apply):
                found[to_text(t)] = shape
    return found


def infer_shape(node: n.Node, declared: dict[str, Shape] | None = None) -> Shape:
    """The shape of ``node`` as far as the notation tells (numerator layout for derivatives)."""
    declared = declared or {}
    try:
        return _infer(node, declared)
    except ShapeMismatch:
        return UNKNOWN_SHAPE


def _infer(x: n.Node, d: dict[str, Shape]) -> Shape:
    if isinstance(x, n.Number | n.Infinity | n.Norm | n.Limit):
        return SCALAR
    if isinstance(x, n.Symbol):
        key = to_text(x)
        if key in d:
            return d[key]
        if x.style == "bold" and x.name not in ("0", "1"):
            return column(UNKNOWN) if x.name[:1].islower() else UNKNOWN_SHAPE
        if x.style == "bold":
            return UNKNOWN_SHAPE
        if x.sub and all(isinstance(i, n.Symbol | n.Number) for i in x.sub) and x.style == "plain" \
                and x.name[:1].islower():
            return SCALAR
        return UNKNOWN_SHAPE
    if isinstance(x, n.Neg | n.Boxed):
        return _infer(x.children()[0], d)
    if isinstance(x, n.Add):
        shape = _infer(x.terms[0], d)
        for t in x.terms[1:]:
            shape = elementwise("add", shape, _infer(t, d))
        return shape
    if isinstance(x, n.Hadamard):
        shape = _infer(x.factors[0], d)
        for t in x.factors[1:]:
            shape = elementwise("hadamard", shape, _infer(t, d))
        return shape
    if isinstance(x, n.Mul):
        shapes = [_infer(f, d) for f in x.factors]
        shape = shapes[0]
        for s in shapes[1:]:
            shape = matmul(shape, s)
        return shape
    if isinstance(x, n.Div):
        den = _infer(x.denominator, d)
        return _infer(x.numerator, d) if den.is_scalar else UNKNOWN_SHAPE
    if isinstance(x, n.Transpose):
        return _infer(x.operand, d).T
    if isinstance(x, n.Power):
        base = _infer(x.base, d)
        return base if base.is_scalar else UNKNOWN_SHAPE
    if isinstance(x, n.Matrix):
        rows, cols = x.size
        if any(isinstance(c, n.Dots) for row in x.rows for c in row):
            return UNKNOWN_SHAPE
        return Shape(rows, cols)
    if isinstance(x, n.Apply):
        if isinstance(x.func, n.Function) and x.func.name in ELEMENTWISE and len(x.args) == 1:
            return _infer(x.args[0], d)
        if isinstance(x.func, n.Function) and x.func.name == "relu":
            return _infer(x.args[0], d)
        key = to_text(x)
        return d.get(key, UNKNOWN_SHAPE)
    if isinstance(x, n.Derivative):
        if x.of is None:
            return UNKNOWN_SHAPE
        top, bottom = _infer(x.of, d), _infer(x.wrt, d)
        if bottom.cols == 1 and not bottom.is_scalar and (top.is_scalar or top.cols == 1):
            return Shape(top.rows, bottom.rows)  # numerator layout: (rows of the top) × (size of the bottom)
        if bottom.cols == 1 and not bottom.is_scalar:
            return Shape(UNKNOWN, bottom.rows)
        if bottom.is_scalar:
            return top
        if top.cols == 1 and bottom.cols == 1:
            return Shape(top.rows, bottom.rows)
        return UNKNOWN_SHAPE
    if isinstance(x, n.Chain):
        for t in x.terms:
            s = _infer(t, d)
            if s.is_known:
                return s
        return UNKNOWN_SHAPE
    return UNKNOWN_SHAPE
