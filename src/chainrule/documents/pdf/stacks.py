"""Vertical constructions read back from positions: fractions, roots, accents, overlines, limits, ≠.

Each finder takes the page's current items and returns them with some replaced by a :class:`Group`. The
geometry is TeX's (and Word's, which copies it): a fraction's numerator and denominator are centred on a
rule at the math axis; a root's overbar starts at the top right of the radical sign; an accent sits above
its base's ink; a display operator's limits are centred above and below it. Sizes are relative to the
glyphs' own font size, so the same rules read 10 pt and 12 pt documents, text and display style.
"""

from __future__ import annotations

from collections.abc import Callable

from chainrule.documents.pdf.items import Glyph, Group, GroupKind, Item, Rule, bounds
from chainrule.documents.pdf.rows import is_script_of
from chainrule.documents.pdf.symbols import Kind

AXIS = 0.25  # the math axis above the baseline, in em (cmsy10's axis_height is 2.5 pt at 10 pt)
_NEGATED = {"=": ("≠", r"\neq"), "∈": ("∉", r"\notin"), "≤": ("≰", r"\nleq"), "≥": ("≱", r"\ngeq"),
            "<": ("≮", r"\nless"), ">": ("≯", r"\ngtr"), "≡": ("≢", r"\not\equiv"), "∼": ("≁", r"\nsim"),
            "⊂": ("⊄", r"\not\subset"), "⊆": ("⊈", r"\nsubseteq"), "→": ("↛", r"\not\to")}
_COMBINING = {r"\hat": "\u0302", r"\tilde": "\u0303", r"\bar": "\u0304", r"\dot": "\u0307", r"\ddot": "\u0308",
              r"\check": "\u030c", r"\breve": "\u0306", r"\acute": "\u0301", r"\grave": "\u0300"}
LIMIT_WORDS = {"lim": r"\lim", "max": r"\max", "min": r"\min", "sup": r"\sup", "inf": r"\inf",
               "argmax": r"\arg\max", "argmin": r"\arg\min", "limsup": r"\limsup", "liminf": r"\liminf"}


def combining_accent(command: str) -> str | None:
    """The Unicode combining mark of an accent command (to write é in prose), if it has one."""
    return _COMBINING.get(command)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def negations(items: list[Item]) -> list[Item]:
    """A negation slash laid over a relation makes the negated relation (cmsy builds ≠ from = and ̸)."""
    slashes = [g for g in items if isinstance(g, Glyph) and g.kind is Kind.NEGATION]
    if not slashes:
        return items
    used: set[int] = set()
    for slash in slashes:
        for other in items:
            if (isinstance(other, Glyph) and other.char in _NEGATED and id(other) not in used
                    and (_overlap(slash.x0, slash.x1, other.x0, other.x1) > 0  # drawn over it, or (\\not) just before
                         or -0.3 * slash.size <= other.x0 - slash.x0 <= 0.6 * slash.size)
                    and abs(other.base - slash.base) < 0.5 * other.size):
                char, latex = _NEGATED[other.char]
                other.char = char
                other.mean = type(other.mean)(Kind.RELATION, latex, char, True)
                used.add(id(slash))
                break
    return [i for i in items if id(i) not in used]


def dots(items: list[Item]) -> list[Item]:
    """Three periods (or centred dots) in a row, a column or a diagonal: TeX's \\ldots, \\cdots, \\vdots,
    \\ddots, which it sets as separate characters."""
    marks = sorted((g for g in items if isinstance(g, Glyph) and g.char in ".·"
                    and g.kind in (Kind.PUNCT, Kind.OPERATOR)), key=lambda g: (g.x0, g.base))
    if len(marks) < 3:
        return items
    used: set[int] = set()
    for first in marks:
        if id(first) in used:
            continue
        for step_x, step_y, latex in ((1, 0, r"\ldots" if first.char == "." else r"\cdots"), (0, 1, r"\vdots"),
                                      (1, 1, r"\ddots")):
            chain = [first]
            while len(chain) < 3:
                last = chain[-1]
                nxt = next((g for g in marks if id(g) not in used and g is not last and g.char == first.char
                            and _dot_step(last, g, step_x, step_y)), None)
                if nxt is None:
                    break
                chain.append(nxt)
            if len(chain) == 3:
                x0, y0, x1, y1 = bounds(chain)
                glyph = Glyph(x0, y0, x1, y1, chain[-1].base if step_y else first.base, first.size, char="…",
                              mean=type(first.mean)(Kind.DOTS, latex, "…", True), font=first.font, role=first.role)
                items = _replace(items, chain, glyph)
                used.update(id(g) for g in chain)
                break
    return items


def _dot_step(a: Glyph, b: Glyph, step_x: int, step_y: int) -> bool:
    dx, dy, em = b.cx - a.cx, b.base - a.base, a.size
    ok_x = 0.1 * em < dx < 0.7 * em if step_x else abs(dx) < 0.1 * em
    ok_y = 0.1 * em < dy < 0.8 * em if step_y else abs(dy) < 0.05 * em
    return ok_x and ok_y and abs(a.size - b.size) < 0.05 * em


def accents(items: list[Item]) -> list[Item]:
    """Put each accent glyph over the glyph(s) below it: ``\\hat{y}``; a wide accent covers several."""
    marks = [g for g in items if isinstance(g, Glyph) and g.kind is Kind.ACCENT]
    if not marks:
        return items
    taken: set[int] = set()
    out_groups: dict[int, Group] = {}
    for mark in sorted(marks, key=lambda g: g.width):
        below = [i for i in items
                 if i is not mark and id(i) not in taken and not (isinstance(i, Glyph) and i.kind is Kind.ACCENT)
                 and i.y0 >= mark.y1 - 0.35 * mark.size and i.y0 - mark.y1 < 0.6 * max(mark.size, i.size)
                 and _overlap(i.x0, i.x1, mark.x0 - 0.1 * mark.size, mark.x1 + 0.1 * mark.size)
                 > 0.25 * min(i.width, mark.width + 0.2 * mark.size)]
        if not below:
            continue
        if mark.width < 0.9 * mark.size:  # an ordinary accent: the one glyph under its centre
            below = [min(below, key=lambda i: (abs(i.cx - mark.cx), i.y0 - mark.y1))]
        base_items = sorted(below, key=lambda i: i.x0)
        x0, y0, x1, y1 = bounds([*base_items, mark])
        main = max(base_items, key=lambda i: i.size)
        group = Group(x0, y0, x1, y1, main.base, main.size, kind=GroupKind.ACCENT, parts=[base_items],
                      command=mark.mean.latex)
        taken.update(id(i) for i in base_items)
        taken.add(id(mark))
        out_groups[id(base_items[0])] = group
    return [out_groups.get(id(i), i) for i in items if id(i) not in taken or id(i) in out_groups]


def _band(candidates: list[Item], edge: float, above: bool, size: float) -> list[Item]:
    """The items stacked against a horizontal edge: the row nearest to it, plus what overlaps that row
    vertically (its scripts, a taller neighbour) — never the row beyond a gap."""
    gap_limit = 0.9 * size
    if above:
        near = [i for i in candidates if i.y1 <= edge + 0.15 * size and edge - i.y1 < gap_limit]
    else:
        near = [i for i in candidates if i.y0 >= edge - 0.15 * size and i.y0 - edge < gap_limit]
    if not near:
        return []
    closest = max(near, key=lambda i: i.y1) if above else min(near, key=lambda i: i.y0)
    reach = 0.4 * max(size, closest.size)  # a numerator's subscript may hang lower than the rest of it
    if above:
        chosen = {id(i) for i in near if i.y1 >= closest.y1 - reach}
    else:
        chosen = {id(i) for i in near if i.y0 <= closest.y0 + reach}
    top = min(i.y0 for i in near if id(i) in chosen)
    bottom = max(i.y1 for i in near if id(i) in chosen)
    grown = True
    while grown:
        grown = False
        for i in candidates:
            if id(i) in chosen:
                continue
            side_ok = i.y1 <= edge + 0.15 * size if above else i.y0 >= edge - 0.15 * size
            overlaps = i.y1 > top + 0.05 * i.size and i.y0 < bottom - 0.05 * i.size
            if side_ok and (overlaps or any(id(c) in chosen and is_script_of(i, c) for c in candidates)):
                chosen.add(id(i))
                top, bottom = min(top, i.y0), max(bottom, i.y1)
                grown = True
    return [i for i in candidates if id(i) in chosen]


def _centred(items: list[Item], x0: float, x1: float, slack: float) -> bool:
    lo, _, hi, _ = bounds(items)
    return abs((lo + hi) / 2 - (x0 + x1) / 2) <= 0.25 * (x1 - x0) + slack and lo >= x0 - slack and hi <= x1 + slack


def _main_size(items: list[Item]) -> float:
    return max(i.size for i in items)


def fractions(items: list[Item], rules: list[Rule]) -> tuple[list[Item], list[Rule]]:
    """Numerator over a rule over denominator → a fraction group; a rule with only its content below → an
    overline. Shorter rules first, so an inner fraction is one item by the time the outer one is read.
    Returns the items and the rules not used."""
    unused: list[Rule] = [r for r in rules if _table_rule(r, rules)]
    for rule in sorted((r for r in rules if r not in unused), key=lambda r: r.width):
        slack = 1.0 + rule.thickness
        inside = [i for i in items
                  if i.x0 >= rule.x0 - slack - 0.1 * i.size and i.x1 <= rule.x1 + slack + 0.1 * i.size
                  and i.width < rule.width + 2 * slack + 0.2 * i.size]
        if not inside:
            unused.append(rule)
            continue
        size = _main_size(inside)
        num = _band(inside, rule.y - rule.thickness / 2, True, size)
        den = _band(inside, rule.y + rule.thickness / 2, False, size)
        if num and den and _centred(num, rule.x0, rule.x1, slack + 0.2 * size) and _centred(
                den, rule.x0, rule.x1, slack + 0.2 * size):
            size = max(_main_size(num), _main_size(den))
            group = Group(*bounds([*num, *den]), base=rule.y + AXIS * size, size=size, kind=GroupKind.FRACTION,
                          parts=[sorted(num, key=lambda i: i.x0), sorted(den, key=lambda i: i.x0)])
            group.x0, group.x1 = min(group.x0, rule.x0), max(group.x1, rule.x1)
            items = _replace(items, [*num, *den], group)
        elif den and not num and den[0].y0 - rule.y < 0.45 * size and rule.width < (
                bounds(den)[2] - bounds(den)[0]) + 3 * slack:
            main = max(den, key=lambda i: i.size)
            group = Group(*bounds(den), base=main.base, size=main.size, kind=GroupKind.OVERLINE,
                          parts=[sorted(den, key=lambda i: i.x0)])
            group.y0 = min(group.y0, rule.y)
            items = _replace(items, den, group)
        else:
            unused.append(rule)
    return items, unused


def _table_rule(rule: Rule, rules: list[Rule]) -> bool:
    """A rule with two or more others of the same extent is a table's row rule, not a fraction bar."""
    twins = sum(1 for r in rules if r is not rule and abs(r.x0 - rule.x0) < 1.0 and abs(r.x1 - rule.x1) < 1.0
                and abs(r.y - rule.y) > 1.0)
    return twins >= 2 and rule.width > 60


def roots(items: list[Item], rules: list[Rule]) -> tuple[list[Item], list[Rule]]:
    """A radical sign with its overbar (a rule starting at its top right) → a root over what is under the
    bar, with an index set small above its left arm."""
    signs = [g for g in items if isinstance(g, Glyph) and g.kind is Kind.RADICAL]
    for sign in signs:
        bar = next((r for r in rules if abs(r.x0 - sign.x1) < 0.25 * sign.size + 1.0
                    and abs(r.y - sign.y0) < 0.3 * sign.size + 1.0), None)
        if bar is None:
            continue
        radicand = [i for i in items if i is not sign and i.x0 >= bar.x0 - 0.5 and i.x1 <= bar.x1 + 1.0
                    and i.y0 >= bar.y - 0.5 and i.y1 <= sign.y1 + 0.3 * sign.size]
        if not radicand:
            continue
        index = [i for i in items if i is not sign and i not in radicand and i.size < 0.85 * sign.size
                 and i.x1 <= sign.x0 + 0.7 * sign.width and i.x0 >= sign.x0 - 1.5 * sign.size
                 and i.y1 <= sign.cy and i.y1 >= sign.y0 - 0.5 * sign.size]
        main = max(radicand, key=lambda i: i.size)
        group = Group(*bounds([sign, *radicand, *index]), base=main.base, size=main.size, kind=GroupKind.ROOT,
                      parts=[sorted(radicand, key=lambda i: i.x0), sorted(index, key=lambda i: i.x0)])
        items = _replace(items, [sign, *radicand, *index], group)
        rules = [r for r in rules if r is not bar]
    return items, rules


def _limit_words(items: list[Item]) -> list[Item]:
    """Upright letters spelling lim, max, min … joined into one operator glyph (their limits go under it)."""
    letters = sorted((g for g in items if isinstance(g, Glyph) and g.kind is Kind.LETTER and not g.italic
                      and g.char.isascii()), key=lambda g: (round(g.base), g.x0))
    runs: list[list[Glyph]] = []
    for g in letters:
        if runs and abs(runs[-1][-1].base - g.base) < 0.1 * g.size and 0 <= g.x0 - runs[-1][-1].x1 < 0.3 * g.size \
                and g.size == runs[-1][-1].size:
            runs[-1].append(g)
        else:
            runs.append([g])
    for run in runs:
        word = "".join(g.char for g in run)
        if word not in LIMIT_WORDS:
            continue
        first = run[0]
        op = Glyph(*bounds(run), base=first.base, size=first.size, char=word,
                   mean=type(first.mean)(Kind.BIGOP, LIMIT_WORDS[word], word, True), font=first.font,
                   role=first.role)
        items = _replace(items, run, op)
    return items


def limits(items: list[Item]) -> list[Item]:
    """Display operators (∑, ∏, lim, max …) with limits centred under and over them."""
    items = _limit_words(items)
    ops = [g for g in items if isinstance(g, Glyph) and g.kind is Kind.BIGOP]
    for op in ops:
        below = _limit(items, op, above=False)
        above = _limit(items, op, above=True)
        if not below and not above:
            continue
        group = Group(*bounds([op, *below, *above]), base=op.base, size=op.size, kind=GroupKind.LIMITS,
                      parts=[[op], below, above])
        items = _replace(items, [op, *below, *above], group)
    return items


def _limit(items: list[Item], op: Glyph, above: bool) -> list[Item]:
    reach = 1.5 * op.size
    near = [i for i in items if i is not op and i.size < 0.9 * op.size and i.x1 > op.x0 - reach
            and i.x0 < op.x1 + reach]
    band = _band(near, op.y0 if above else op.y1, above, 0.6 * op.size)
    if not band:
        return []
    lo, _, hi, _ = bounds(band)
    if abs((lo + hi) / 2 - op.cx) > 0.35 * max(hi - lo, op.width) + 0.1 * op.size:
        return []
    return sorted(band, key=lambda i: i.x0)


def _replace(items: list[Item], old: list[Item], new: Item, key: Callable[[Item], float] | None = None) -> list[Item]:
    """``items`` with every item of ``old`` removed and ``new`` put where the first of them was."""
    gone = {id(i) for i in old}
    out: list[Item] = []
    placed = False
    for i in items:
        if id(i) in gone:
            if not placed:
                out.append(new)
                placed = True
            continue
        out.append(i)
    if not placed:
        out.append(new)
    return out
