"""What the layout works with: glyphs, the rules a page draws, and the groups built from them.

A :class:`Group` is a two-dimensional construction read back from positions: a fraction (numerator over a
rule over denominator), a root, an accent over its base, an operator with limits, a matrix between tall
brackets. Once built it behaves like one glyph on its baseline, so rows and scripts treat both alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chainrule.documents.pdf.fonts import FontRole
from chainrule.documents.pdf.symbols import Kind, Meaning, meaning


@dataclass(eq=False)
class Item:
    """Anything the layout places: a glyph or a group built from several (a fraction, a matrix …).

    ``base`` is the baseline it sits on; scripts attached to it (``sub``/``sup``) are lists of items set in
    smaller type beside it.
    """

    x0: float
    y0: float
    x1: float
    y1: float
    base: float
    size: float
    sub: list[Item] = field(default_factory=list)
    sup: list[Item] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def right(self) -> float:
        """Where the item ends with its scripts."""
        return max([self.x1, *(s.right for s in self.sub), *(s.right for s in self.sup)])


@dataclass(eq=False)
class Glyph(Item):
    char: str = ""
    mean: Meaning = field(default_factory=lambda: meaning("", FontRole.TEXT))
    font: str = ""
    role: FontRole = FontRole.TEXT
    bold: bool = False
    italic: bool = False
    mono: bool = False

    @property
    def kind(self) -> Kind:
        return self.mean.kind


@dataclass(frozen=True)
class Rule:
    """A thin horizontal line the page draws, at height ``y`` from ``x0`` to ``x1``."""

    x0: float
    x1: float
    y: float
    thickness: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


class GroupKind(StrEnum):
    FRACTION = "fraction"  # parts: numerator, denominator
    ROOT = "root"  # parts: radicand, index (may be empty)
    ACCENT = "accent"  # parts: base; command: \\hat …
    OVERLINE = "overline"  # parts: what is under the rule
    LIMITS = "limits"  # parts: operator, below, above
    MATRIX = "matrix"  # rows of cells; command: the environment; left/right delimiters
    CASES = "cases"  # rows of cells (value, condition)


@dataclass(eq=False)
class Group(Item):
    kind: GroupKind = GroupKind.FRACTION
    parts: list[list[Item]] = field(default_factory=list)
    rows: list[list[list[Item]]] = field(default_factory=list)
    command: str = ""


def bounds(items: list[Item]) -> tuple[float, float, float, float]:
    """The box around ``items``."""
    return (min(i.x0 for i in items), min(i.y0 for i in items), max(i.x1 for i in items), max(i.y1 for i in items))


class Grid:
    """Items bucketed by position, so "what is near this glyph" costs a few buckets, not the whole page."""

    def __init__(self, items: list[Item], cell: float = 16.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[Item]] = {}
        for item in items:
            for key in self._keys(item.x0, item.y0, item.x1, item.y1):
                self.buckets.setdefault(key, []).append(item)

    def _keys(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        c = self.cell
        xs = range(int(x0 // c), int(x1 // c) + 1)
        ys = range(int(y0 // c), int(y1 // c) + 1)
        if len(xs) * len(ys) > 4096:  # an absurd box: clamp rather than enumerate
            xs, ys = range(int(x0 // c), int(x0 // c) + 64), range(int(y0 // c), int(y0 // c) + 64)
        return [(x, y) for x in xs for y in ys]

    def near(self, x0: float, y0: float, x1: float, y1: float) -> list[Item]:
        """Items whose boxes may meet the rectangle (a superset; callers test exactly)."""
        seen: set[int] = set()
        out: list[Item] = []
        for key in self._keys(x0, y0, x1, y1):
            for item in self.buckets.get(key, ()):
                if id(item) not in seen:
                    seen.add(id(item))
                    out.append(item)
        return out
