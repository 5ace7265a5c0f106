"""The alias hook for layer labels: ``W^{(1)}``, ``w^1``, ``W_1`` and ``W1`` name the same matrix when a spec
says so. The reader cannot know on its own — ``w^2`` is a square elsewhere — so it reads what is written,
and a caller that knows the names (from a spec) asks for them to be normalised here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields, replace

from chainrule.notation import nodes as n

_GLUED = re.compile(r"^([A-Za-z]+?)(\d+)$")


def rewrite(node: n.Node, fn: Callable[[n.Node], n.Node | None]) -> n.Node:
    """Rebuild ``node`` bottom-up; ``fn`` returns a replacement for a node or None to keep it."""
    changes = {}
    for f in fields(node):
        if f.name in ("line", "column"):
            continue
        value = getattr(node, f.name)
        if isinstance(value, n.Node):
            new = rewrite(value, fn)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and value:
            items = tuple(
                rewrite(v, fn) if isinstance(v, n.Node)
                else tuple(rewrite(w, fn) if isinstance(w, n.Node) else w for w in v) if isinstance(v, tuple)
                else v
                for v in value
            )
            if items != value or any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    if changes:
        node = replace(node, **changes)
    out = fn(node)
    return node if out is None else out


def normalize_layers(node: n.Node, names: Iterable[str], *, fold_case: bool = False) -> n.Node:
    """Read ``w^1``, ``W_1``, ``W1`` as ``W^{(1)}`` for the symbol names in ``names`` (e.g. ``{"W", "b"}``).

    With ``fold_case`` a lowercase ``w`` also stands for ``W``. Only whole-number labels are taken; anything
    else is left as written.
    """
    wanted = {name.lower() if fold_case else name: name for name in names}

    def canonical(name: str) -> str | None:
        return wanted.get(name.lower() if fold_case else name)

    def label(value: n.Node) -> bool:
        return isinstance(value, n.Number) and value.text.isdigit()

    def fix(x: n.Node) -> n.Node | None:
        if isinstance(x, n.Symbol) and x.layer is None:
            glued = _GLUED.match(x.name)
            if glued and canonical(glued.group(1)) and not x.sub:
                return replace(x, name=canonical(glued.group(1)),
                               layer=n.Number(glued.group(2), line=x.line, column=x.column))
            if canonical(x.name) and len(x.sub) == 1 and label(x.sub[0]):
                return replace(x, name=canonical(x.name), sub=(), layer=x.sub[0])
            if canonical(x.name) and x.name != canonical(x.name):
                return replace(x, name=canonical(x.name))
        if isinstance(x, n.Symbol) and x.layer is not None and canonical(x.name) and x.name != canonical(x.name):
            return replace(x, name=canonical(x.name))
        if (isinstance(x, n.Power) and isinstance(x.base, n.Symbol) and x.base.layer is None
                and canonical(x.base.name) and label(x.exponent)):
            return replace(x.base, name=canonical(x.base.name), layer=x.exponent)
        return None

    return rewrite(node, fix)
