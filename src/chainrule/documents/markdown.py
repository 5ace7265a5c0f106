"""Markdown and plain text (typed answers, OCR output): the rendition is the file itself, line for line.

Blocks come from markdown-it-py's block tokens, which carry their line ranges: headings with their level,
paragraphs, list items (an ordered item keeps its number as its label), display math, tables and code.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from chainrule.documents.model import Block, BlockKind, Document, DocumentBuilder, Location

_OPENING_KINDS = {
    "heading_open": BlockKind.HEADING,
    "paragraph_open": BlockKind.PROSE,
    "list_item_open": BlockKind.ITEM,
    "table_open": BlockKind.TABLE,
    "math_block": BlockKind.MATH,
    "math_block_label": BlockKind.MATH,
    "amsmath": BlockKind.MATH,
    "fence": BlockKind.CODE,
    "code_block": BlockKind.CODE,
}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    md.use(amsmath_plugin)
    return md


def read_markdown(text: str, source: str, *, format: str = "markdown") -> Document:
    """``text`` (already normalised) as a document whose rendition is the text itself."""
    lines = text.split("\n")
    locations = tuple(Location(source, k) for k in range(1, len(lines) + 1))
    blocks: list[Block] = []
    depth = 0
    for token in _parser().parse(text):
        kind = _OPENING_KINDS.get(token.type)
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            depth -= 1
        if kind is None or not token.map:
            continue
        if kind is BlockKind.PROSE and depth:  # a list item's own paragraph: the item is the block
            continue
        first, last = token.map[0] + 1, max(token.map[1], token.map[0] + 1)
        label = token.info.strip() or None if kind is BlockKind.ITEM else None
        level = int(token.tag[1]) if kind is BlockKind.HEADING else (depth if kind is BlockKind.ITEM else 0)
        blocks.append(Block(kind, first, min(last, len(lines)), label, level))
    return Document(source, format, text, locations, tuple(blocks))


def add_markdown(builder: DocumentBuilder, text: str, where: Location) -> None:
    """Append Markdown ``text`` (a notebook cell, an OCR'd page) with the blocks markdown-it finds in it."""
    lead = len(text) - len(text.lstrip("\n"))
    text = text.strip("\n")
    if not text.strip():
        return
    builder.add(None, text, where.shifted(lead))
    offset = builder.line_count - text.count("\n") - 1
    for block in read_markdown(text, where.file).blocks:
        builder.mark(block.kind, block.first + offset, block.last + offset, label=block.label, level=block.level)
