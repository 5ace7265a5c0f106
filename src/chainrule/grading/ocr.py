"""Scanned work is often misread at one symbol: ⊤ read as +, l as 1, a square dropped.

When a wrong term would be right after one such change, the finding says so, so a person looks at the scan
before taking marks off. The variants are bounded (at most 40 per term).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from chainrule.grading.evaluate import Points, Unevaluable, same_values
from chainrule.grading.written import as_text
from chainrule.notation import nodes as n

__all__ = ["ocr_notes", "one_symbol_variants"]


def ocr_notes(points: Points, term: n.Node, reference: list[np.ndarray] | None) -> tuple[str, ...]:
    """A note naming the one-symbol change that makes ``term`` agree with ``reference``, if one does."""
    if reference is None:
        return ()
    notes: list[str] = []
    for description, variant in one_symbol_variants(term):
        try:
            values = points.evaluate_all(variant)
        except Unevaluable:
            continue
        if all(same_values(v, r, 0.0) for v, r in zip(values, reference, strict=True)):
            notes.append(f"with {description} it would be right: a likely OCR misreading of a scan")
            break
    return tuple(notes)


def one_symbol_variants(term: n.Node) -> Iterator[tuple[str, n.Node]]:
    """Terms that differ from ``term`` by one symbol a scan is known to confuse: ⊤↔+, a dropped ², 1↔l."""
    def rebuild(node: n.Node, target: n.Node, new: n.Node) -> n.Node:
        if node is target:
            return new
        changes: dict[str, Any] = {}
        for name in node.__dataclass_fields__:
            if name in ("line", "column"):
                continue
            value = getattr(node, name)
            if isinstance(value, n.Node):
                rebuilt = rebuild(value, target, new)
                if rebuilt is not value:
                    changes[name] = rebuilt
            elif isinstance(value, tuple) and any(isinstance(v, n.Node) for v in value):
                items = tuple(rebuild(v, target, new) if isinstance(v, n.Node) else v for v in value)
                if any(a is not b for a, b in zip(items, value, strict=True)):
                    changes[name] = items
        return replace(node, **changes) if changes else node

    count = 0
    for item in term.walk():
        if count > 40:
            return
        if isinstance(item, n.Transpose):
            count += 1
            plus = n.Apply(n.Function("positive_part", "(·)^+"), (item.operand,))
            yield f"^+ instead of ^⊤ at line {item.line}", rebuild(term, item, plus)
        elif isinstance(item, n.Apply) and isinstance(item.func, n.Function) and item.func.name == "positive_part":
            count += 1
            yield f"^⊤ instead of ^+ at line {item.line}", rebuild(term, item, n.Transpose(item.args[0]))
        elif isinstance(item, n.Symbol) and item.name == "l" and not item.sub:
            count += 1
            yield f"1 instead of l at line {item.line}", rebuild(term, item, n.Number("1"))
        elif isinstance(item, n.Number) and item.text == "1":
            count += 1
            yield f"l instead of 1 at line {item.line}", rebuild(term, item, n.Symbol("l"))
        elif isinstance(item, n.Apply | n.Symbol) and count < 40:
            count += 1
            yield f"a square on {as_text(item)} at line {item.line}", rebuild(term, item, n.Power(item, n.Number("2")))
