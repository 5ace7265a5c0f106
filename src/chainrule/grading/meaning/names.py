"""Which quantity a written name is: one identity however it is spelled, and what ``∈ ℝ^{…}`` declares.

Two identities serve two purposes. :func:`symbol_key` is a variable's identity inside one document (``z_3``,
``hat y_1``, ``W^(2)``): bold and plain are one variable (students drop the bold half-way), while blackboard,
calligraphic and fraktur letters are others. :func:`quantity_key` is spelling-free, to match a written name
with the assignment's quantities: ``W^{(1)}``, ``W_1`` and ``\\mathbf{W}_1`` all give ``W1``.
"""

from __future__ import annotations

from chainrule.notation import nodes as n
from chainrule.shapes import SCALAR, Shape

__all__ = [
    "LOSS_NAMES", "declared_shape", "derivative_key", "entry_indices", "is_loss_name", "quantity_key", "symbol_key",
    "zero_based",
]

# The names of a scalar loss in every course this grader reads (ℓ is read as "ell"; OCR turns it into l).
LOSS_NAMES = frozenset({"ell", "l", "L", "E", "J", "R", "loss"})


def symbol_key(node: n.Node) -> str:
    """The identity of a variable in this document: ``z_3``, ``hat y_1``, ``W^(2)``; ``?`` for a non-name."""
    if isinstance(node, n.Number):
        return node.text
    if isinstance(node, n.Symbol):
        text = node.name
        if node.style in ("bb", "cal", "frak"):
            text = f"{node.style} {text}"
        if node.accent:
            text = f"{node.accent} {text}"
        if node.sub:
            text += "_" + ",".join(symbol_key(s) for s in node.sub)
        if node.layer is not None:
            text += f"^({symbol_key(node.layer)})"
        return text
    if isinstance(node, n.Neg):
        return "-" + symbol_key(node.operand)
    if isinstance(node, n.Add):
        return "+".join(symbol_key(t) for t in node.terms)
    if isinstance(node, n.Text):
        return node.text
    if isinstance(node, n.Power):
        return f"{symbol_key(node.base)}^{symbol_key(node.exponent)}"
    return "?"


def derivative_key(node: n.Node) -> str | None:
    """``∂L/∂ŷ`` as a name that can be given a number, when both its parts are plain names."""
    if not isinstance(node, n.Derivative) or node.order != 1 or not isinstance(node.of, n.Symbol):
        return None
    if not isinstance(node.wrt, n.Symbol | n.Power):
        return None
    key = f"∂{symbol_key(node.of)}/∂{symbol_key(node.wrt)}"
    return None if "?" in key else key


def quantity_key(node: n.Node) -> str | None:
    """A spelling-free identity: ``W^{(1)}``, ``W_1`` and ``\\mathbf{W}_1`` all give ``"W1"``; ``\\hat y`` gives
    ``"haty"``. Non-numeric subscripts are indices, not part of the name."""
    if isinstance(node, n.Symbol):
        digits = [node.sub[0].text] if node.sub and isinstance(node.sub[0], n.Number) and node.layer is None else []
        if node.layer is not None:
            if not isinstance(node.layer, n.Number):
                return None
            digits.append(node.layer.text)
        return f"{'hat' if node.accent == 'hat' else ''}{node.name}{''.join(digits)}"
    if isinstance(node, n.Power) and isinstance(node.base, n.Symbol) and isinstance(node.exponent, n.Number):
        base = quantity_key(node.base)
        return f"{base}^{node.exponent.text}" if base else None
    return None


def is_loss_name(node: n.Node) -> bool:
    """ℓ, L, E, J (with any subscript) name a scalar loss."""
    return isinstance(node, n.Symbol) and node.name in LOSS_NAMES and node.layer is None


def entry_indices(node: n.Symbol) -> tuple[n.Node, ...]:
    """The subscripts that index entries: all of them after a layer label (``W^{(1)}_{ij}``), else all but a
    leading number that is part of the name (``z_{1,1}`` is entry 1 of ``z_1``)."""
    sub = tuple(item for item in node.sub if isinstance(item, n.Number | n.Symbol))  # \\text{MSE} is a label
    if node.layer is not None:
        return sub
    if sub and node.sub and sub[0] is node.sub[0] and isinstance(sub[0], n.Number):
        return sub[1:]
    return sub


def zero_based(node: n.Node) -> bool:
    """Whether entries are numbered from 0 here: some subscript index is the number 0."""
    for item in node.walk():
        if isinstance(item, n.Symbol):
            if any(isinstance(index, n.Number) and index.text == "0" for index in entry_indices(item)):
                return True
    return False


def declared_shape(space: n.Space) -> Shape | None:
    """``ℝ^{K×m}`` → (K×m), ``ℝⁿ`` → (n×1), ``ℝ`` → scalar; None for anything else."""
    if space.field != "R":
        return None
    dims = [_dim(d) for d in space.dims]
    if not dims:
        return SCALAR
    if len(dims) == 1:
        return Shape(dims[0], 1)
    if len(dims) == 2:
        return Shape(dims[0], dims[1])
    return None


def _dim(node: n.Node) -> int | str | None:
    if isinstance(node, n.Number) and "." not in node.text:
        return int(node.text)
    if isinstance(node, n.Symbol) and not node.sub:
        return node.name
    return None
