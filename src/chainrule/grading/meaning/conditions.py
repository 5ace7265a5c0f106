"""Case conditions written in words around a claim: the claim holds only where its condition does.

"for $x < 0$ we have $ax > x$, so $\\max\\{ax, x\\} = ax$" and "$\\max\\{ax, x\\} = x$ when $x \\ge 0$" state each
claim on a half-line only. The reader parses each span on its own, so the condition is found here, in the words
of the same clause: a condition word (for, when, if, whenever, on, provided) and a comparison just before the
claim — the nearest, with no clause end between them (``.``, ``;``, ", and", ", but" …) — or just after it. A condition
on one name against a number (``x < 0``, ``0 ≤ z ≤ 1``) becomes that name's interval, so a check can decide the
claim where it is claimed; any other condition at least keeps a "wrong" from being said (it becomes undecided).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from chainrule.notation import nodes as n
from chainrule.notation.markdown import MathSpan

__all__ = ["Condition", "condition_of"]

_WORD = r"(?:when|whenever|if|for|provided|on|in case|given)"
_AFTER = re.compile(r"\s*,?\s*\(?\s*" + _WORD + r"\b[^$.;]{0,20}\$([^$]{1,80})\$", re.IGNORECASE)
_BEFORE = re.compile(r"\b" + _WORD + r"\s+(?:all\s+|every\s+|each\s+)?\$([^$]{1,80})\$", re.IGNORECASE)
_SIGN = re.compile(r"<|>|\\[lg]eq?\b|\\[lg]e\b|\\neq?\b|\\ne\b|≤|≥|≠|\\in\b|=")
_CLOSERS = ("$$", "$", "\\)", "\\]")
# where a clause ends: a full stop or semicolon, or a comma that opens another clause (", and", ", but" …)
_CLAUSE_END = re.compile(r"[.;]\s|[.;]$|\$\s*[.;]|,\s*(?:and|but|while|whereas|otherwise|or)\b", re.IGNORECASE)
_OPENERS = ("$$", "$", "\\(", "\\[")
_RELATIONS = {"<": "lt", ">": "gt", "≤": "le", "≥": "ge", "\\le": "le", "\\ge": "ge", "\\leq": "le", "\\geq": "ge"}


@dataclass(frozen=True)
class Condition:
    """A claim's conditions as written (before it, after it), and each name's interval when every condition is
    an interval of one name (else ``intervals`` is empty and the conditions can only be quoted)."""

    latex: tuple[str, ...]
    intervals: tuple[tuple[str, sympy.Interval], ...] = ()

    @property
    def caveat(self) -> str:
        return "the claim is stated only under the condition " + " and ".join(f"${c.strip()}$" for c in self.latex)


def condition_of(span: MathSpan, lines: list[str]) -> Condition | None:
    """The condition that restricts the claim in ``span``, read from the words of its line (see module doc)."""
    if "\n" in span.latex or not 0 < span.line <= len(lines):
        return None
    line = lines[span.line - 1]
    start = span.column - 1
    if line[start:start + len(span.latex)] != span.latex:
        return None
    before = line[:start]
    for opener in _OPENERS:
        if before.endswith(opener):
            before = before[: -len(opener)]
            break
    clause = _CLAUSE_END.split(before)[-1]
    found = list(_BEFORE.finditer(clause))
    conditions = [found[-1].group(1)] if found and _SIGN.search(found[-1].group(1)) else []
    after = line[start + len(span.latex):]
    for closer in _CLOSERS:
        if after.startswith(closer):
            after = after[len(closer):]
            break
    match = _AFTER.match(after)
    if match and _SIGN.search(match.group(1)):
        conditions.append(match.group(1))
    if not conditions:
        return None
    intervals = [_interval(latex) for latex in conditions]
    if any(name is None for name, _ in intervals):
        return Condition(tuple(conditions))
    merged: dict[str, sympy.Interval] = {}
    for name, interval in intervals:
        merged[name] = interval if name not in merged else merged[name].intersect(interval)  # type: ignore[index]
    return Condition(tuple(conditions), tuple(merged.items()))  # type: ignore[arg-type]


def _interval(latex: str) -> tuple[str | None, sympy.Interval | None]:
    """``x < 0`` → (x, (−∞, 0)); ``0 \\le z \\le 1`` → (z, [0, 1]); anything else: (None, None)."""
    from chainrule.grading.meaning.names import symbol_key
    from chainrule.notation.parser import parse_math

    try:
        node = parse_math(latex)
    except Exception:  # a condition the reader cannot take restricts nothing it can name
        return None, None
    if not isinstance(node, n.Chain) or not all(op.op in _RELATIONS for op in node.ops):
        return None, None
    names = [t for t in node.terms if isinstance(t, n.Symbol)]
    numbers = [_number(t) for t in node.terms]
    if len(names) != 1 or sum(v is not None for v in numbers) != len(node.terms) - 1:
        return None, None
    low, high, low_open, high_open = -sympy.oo, sympy.oo, True, True
    for (left, right), op in zip(zip(node.terms, node.terms[1:], strict=False), node.ops, strict=True):
        kind = _RELATIONS[op.op]
        if kind in ("gt", "ge"):
            left, right, kind = right, left, {"gt": "lt", "ge": "le"}[kind]
        strict = kind == "lt"
        if left is names[0] and _number(right) is not None:
            high, high_open = _number(right), strict
        elif right is names[0] and _number(left) is not None:
            low, low_open = _number(left), strict
        else:
            return None, None
    if not low < high:
        return None, None
    return symbol_key(names[0]), sympy.Interval(low, high, low_open, high_open)


def _number(node: n.Node) -> sympy.Expr | None:
    if isinstance(node, n.Number):
        return sympy.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, n.Neg) and isinstance(node.operand, n.Number):
        return -_number(node.operand)  # type: ignore[operator]
    return None
