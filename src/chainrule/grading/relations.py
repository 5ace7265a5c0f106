"""The relation chains a parsed statement claims.

A statement's node may hold chains anywhere: inside a box, a case split, a tuple. Only the chains a student
asserts count as claims: relations written in labels — sub- and superscripts (``z_{i=1}``), sum bounds
(``Σ_{i=1}^{K}``), conditions of cases and indicators (``1{z > 0}``), a limit's arrow — are not claims.
"""

from __future__ import annotations

from collections.abc import Iterator

from chainrule.notation import nodes as n

__all__ = ["claimed_chains", "first_line"]


def claimed_chains(node: n.Node) -> Iterator[n.Chain]:
    """Every relation chain, but not those inside labels: sub- and superscripts, sum bounds, conditions."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Chain):
            yield item
        if isinstance(item, n.Symbol | n.Indexed | n.Piece | n.Limit):
            continue
        if isinstance(item, n.Power):
            stack.append(item.base)
            continue
        if isinstance(item, n.BigOp):
            stack.append(item.body)
            continue
        if isinstance(item, n.Apply) and isinstance(item.func, n.Function) and item.func.name == "indicator":
            continue
        stack.extend(reversed(item.children()))


def first_line(node: n.Node) -> int | None:
    """The line a finding about ``node`` points at: the latest of its first few located parts (a display's
    relation often starts on the line after its opening)."""
    lines = [item.line for item in node.walk() if item.line]
    return max(lines[:3]) if lines else None
