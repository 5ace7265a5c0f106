"""A page's glyphs and rules → its rows, with every two-dimensional construction read back.

The order matters and follows containment: delimiter pieces are assembled first (so a tall bracket is one
item), then negations and accents (which sit on single glyphs), roots and fractions (whose parts may hold
accents; shortest rule first, so inner fractions are read before outer ones), display limits, and last the
matrices (whose cells may hold all of the above). What remains is cut into scripts and rows.
"""

from __future__ import annotations

from collections import Counter

from chainrule.documents.pdf.delimiters import assemble, matrices
from chainrule.documents.pdf.items import Glyph, Item, Rule
from chainrule.documents.pdf.rows import attach_scripts, cluster_rows
from chainrule.documents.pdf.stacks import accents, dots, fractions, limits, negations, roots


def body_size(glyphs: list[Glyph]) -> float:
    """The size most characters of the page are set in."""
    sizes = Counter(round(g.size, 1) for g in glyphs)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def page_rows(glyphs: list[Glyph], rules: list[Rule]) -> list[list[Item]]:
    """The rows of a page, top to bottom, each a left-to-right list of anchors with scripts attached."""
    items: list[Item] = list(glyphs)
    items = assemble(items)
    items = dots(items)
    items = negations(items)
    items = accents(items)
    items, rules = roots(items, rules)
    items, rules = fractions(items, rules)
    items = limits(items)
    items = matrices(items, body_size(glyphs))
    anchors = attach_scripts(items)
    return cluster_rows(anchors)
