"""Scripts and rows: which small items are sub- or superscripts of which base, and which items share a line.

A script is set smaller than its base, just right of it, and shifted off its baseline (up for a
superscript, down for a subscript); what follows it at the same size and height belongs to the same script
(``W^{(1)}``). A script's own scripts are found the same way (``e^{x_i}``). Everything else is an anchor, and
anchors whose baselines agree form a row: one line of the rendition.
"""

from __future__ import annotations

from chainrule.documents.pdf.items import Grid, Group, GroupKind, Item

AXIS = 0.25  # the math axis above the baseline, in em

_SMALLER = 0.87  # a script's size relative to its base at most (TeX: 7/10, 5/7; 8/10 or 7/8 at odd sizes)


def is_script_of(s: Item, b: Item, right: float | None = None) -> str | None:
    """"sup" or "sub" when ``s`` sits as a script of ``b``, else None. ``right`` is where ``b`` ends with the
    scripts already found for it (``z_{2_i}^2``: the superscript comes after the subscript)."""
    if s.size > _SMALLER * b.size:
        return None
    if isinstance(s, Group) and s.kind is GroupKind.FRACTION and \
            abs((s.base - AXIS * s.size) - (b.base - AXIS * b.size)) < 0.2 * b.size:
        return None  # a small fraction on the axis (\\tfrac, a fraction in a matrix) is not a script
    end = b.x1 if right is None else max(b.x1, right)
    if s.x0 < b.x0 + 0.3 * b.width or s.x0 - end > max(0.45 * b.size, 1.5):
        return None
    shift = s.base - b.base
    if s.y1 < b.y0 - 0.3 * b.size or s.y0 > b.y1 + 0.3 * b.size:
        return None
    if shift <= -0.12 * b.size:  # raised, but its baseline still below the top of the base
        return "sup" if s.base >= b.y0 - 0.15 * b.size else None
    if shift >= 0.06 * b.size:  # lowered, its top still above the base's baseline
        return "sub" if s.y0 <= max(b.base + 0.1 * b.size, b.y1 - 0.2 * b.size) else None
    return None


def attach_scripts(items: list[Item]) -> list[Item]:
    """Attach every script in ``items`` to its base (``.sub``/``.sup``) and return the anchors, in order."""
    for i in items:
        i.sub, i.sup = [], []
    ordered = sorted(items, key=lambda i: i.x0)
    grid = Grid(ordered)
    parent: dict[int, tuple[Item, str]] = {}
    extent: dict[int, float] = {}
    for s in ordered:
        reach = 1.2 * s.size
        near = [b for b in grid.near(s.x0 - 3 * reach, s.y0 - 2 * reach, s.x1 + reach, s.y1 + 2 * reach) if b is not s]
        found: tuple[Item, str] | None = None
        for prev in near:  # a script continuing a script: same size and height, just before it
            if id(prev) in parent and prev.x0 < s.x0 and abs(prev.size - s.size) < 0.1 * s.size and \
                    abs(prev.base - s.base) < 0.12 * s.size and -0.2 * s.size < s.x0 - prev.x1 < 0.4 * s.size:
                found = parent[id(prev)]
                break
        if found is None:
            best: tuple[float, Item, str] | None = None
            for b in near:
                side = is_script_of(s, b, extent.get(id(b)))
                if side is None:
                    continue
                score = max(0.0, s.x0 - b.x1) + 0.5 * abs(s.cy - b.cy)
                if best is None or score < best[0]:
                    best = (score, b, side)
            if best is not None:
                found = (best[1], best[2])
        if found is not None and not _would_cycle(parent, found[0], s):
            parent[id(s)] = found
            node: Item | None = found[0]
            while node is not None:  # the base, and the bases it is a script of, now end further right
                extent[id(node)] = max(extent.get(id(node), node.x1), s.x1)
                node = parent[id(node)][0] if id(node) in parent else None
    anchors: list[Item] = []
    for s in ordered:
        if id(s) in parent:
            base, side = parent[id(s)]
            (base.sup if side == "sup" else base.sub).append(s)
        else:
            anchors.append(s)
    return anchors


def _would_cycle(parent: dict[int, tuple[Item, str]], base: Item, s: Item) -> bool:
    seen = 0
    node: Item | None = base
    while node is not None and seen < 64:
        if node is s:
            return True
        node = parent[id(node)][0] if id(node) in parent else None
        seen += 1
    return False


def cluster_rows(anchors: list[Item]) -> list[list[Item]]:
    """Anchors grouped into rows by baseline, top to bottom; each row left to right."""
    rows: list[list[Item]] = []
    bases: list[float] = []
    for item in sorted(anchors, key=lambda i: i.base):
        if rows and abs(item.base - bases[-1]) <= 0.3 * max(item.size, rows[-1][0].size):
            rows[-1].append(item)
            continue
        rows.append([item])
        bases.append(item.base)
    return [sorted(row, key=lambda i: i.x0) for row in rows]


def flatten(anchors: list[Item]) -> list[Item]:
    """Anchors and all their scripts as one flat list (what :func:`attach_scripts` takes)."""
    out: list[Item] = []
    for a in anchors:
        out.append(a)
        out.extend(flatten(a.sub))
        out.extend(flatten(a.sup))
    return out
