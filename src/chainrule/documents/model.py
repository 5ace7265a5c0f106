"""The document model every reader produces, whatever the file was: text lines with where each came from.

Grading reads lines: it splits them into questions, checks each line's claims and points at the line of a
mistake. A PDF, a notebook or a LaTeX source has no such lines of its own, so each reader writes the document
out as Markdown with LaTeX math (the *rendition*, the notation reader's input) and records, for every line of
it, the place a person finds that line in the file as handed in (:class:`Location`: page, cell, line). Blocks
give the structure on top: which lines form a heading, a paragraph, display math, code or a cell's output, and
the number the source gives them (``\\subsection*{Problem 1}``, ``\\item`` (b), a Markdown ``## 1.2``).

For Markdown and plain text the rendition *is* the file (line for line), so line numbers in findings are the
ones a person sees in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


@dataclass(frozen=True)
class Location:
    """Where a person finds a line of a submission: the file, the page (PDF) or cell (notebook), the line.

    ``line`` counts within the page or cell when one is given, else within the file; all numbers are 1-based.
    ``output`` is set for a line a notebook cell printed: the 1-based output of cell ``cell`` (``line`` then
    counts within that output).
    """

    file: str
    line: int
    page: int | None = None
    cell: int | None = None
    column: int | None = None
    output: int | None = None

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.output is not None:
            parts.append(f"output {self.output}")
        parts.append(f"line {self.line}")
        return ", ".join(parts)

    @property
    def short(self) -> str:
        """The place without the file name ("page 2, line 14"), for a report about one file."""
        return str(Location("", self.line, self.page, self.cell, output=self.output))

    def to_json(self) -> dict[str, object]:
        """The place as JSON: ``file`` and ``line`` always, ``page``/``cell``/``output``/``column`` where set."""
        data: dict[str, object] = {"file": self.file, "line": self.line}
        for key in ("page", "cell", "output", "column"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    def shifted(self, lines: int) -> Location:
        """The same place ``lines`` lines further on (the next line of the same page, cell or output)."""
        return Location(self.file, self.line + lines, self.page, self.cell, self.column, self.output)


class BlockKind(StrEnum):
    """What a block of the rendition is. Grading reads claims in prose, math and tables; code is code."""

    HEADING = "heading"
    PROSE = "prose"
    ITEM = "item"  # a list item (``\\item``, ``- (b) …``, ``1. …``)
    MATH = "math"  # display math
    TABLE = "table"
    CODE = "code"
    OUTPUT = "output"  # what a notebook cell printed


@dataclass(frozen=True)
class Block:
    """Lines ``first``..``last`` (1-based, inclusive) of the rendition, of one kind.

    ``label`` is the numbering the source itself gives the block, when it gives one: the ``1.2`` of a heading,
    the ``(b)`` of an enumerated item, ``Problem 3`` of a sectioning command. ``level`` is the heading or list
    depth (1 = top), 0 where it means nothing.
    """

    kind: BlockKind
    first: int
    last: int
    label: str | None = None
    level: int = 0


@dataclass(frozen=True)
class Document:
    """A submission as read: its rendition, a :class:`Location` per rendition line, blocks, reading notes.

    ``notes`` are located remarks a person should see (a macro not expanded, a page with no text layer); they
    never stop grading. ``refused`` are the notes that say part of the file was *not read* for safety or a
    bound (an ``\\input`` of another file, a macro that expands forever, cells past the limit): the reading is
    incomplete, so ``chainrule check`` exits 2 after showing what it read.
    """

    source: str
    format: str  # markdown, text, latex, notebook, python, pdf, ocr
    text: str
    locations: tuple[Location, ...]
    blocks: tuple[Block, ...] = ()
    notes: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.locations) != len(self.lines):
            raise ValueError(f"{len(self.lines)} lines but {len(self.locations)} locations")

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def locate(self, line: int) -> Location:
        """The place in the original file of rendition line ``line`` (clamped to the document)."""
        if not self.locations:
            return Location(self.source, 1)
        return self.locations[min(max(line, 1), len(self.locations)) - 1]

    def where(self, line: int) -> str:
        """Where a person looks for rendition line ``line``, without the file name ("cell 3, line 2")."""
        return self.locate(line).short

    def block_text(self, block: Block) -> str:
        return "\n".join(self.lines[block.first - 1:block.last])

    @property
    def is_verbatim(self) -> bool:
        """True when rendition line N is line N of the file (Markdown, plain text): no mapping needed."""
        return all(loc.line == k and loc.page is None and loc.cell is None
                   for k, loc in enumerate(self.locations, start=1))


@dataclass
class DocumentBuilder:
    """Builds a rendition block by block; readers use it so every line gets its location exactly once.

    Blocks are separated by one blank line (located at the line before it), so Markdown paragraphs and
    display math stay apart in the rendition.
    """

    source: str
    format: str
    _lines: list[str] = field(default_factory=list)
    _locations: list[Location] = field(default_factory=list)
    _blocks: list[Block] = field(default_factory=list)
    _notes: list[str] = field(default_factory=list)
    _refused: list[str] = field(default_factory=list)

    def add(self, kind: BlockKind | None, text: str, where: Location | Sequence[Location], *,
            label: str | None = None, level: int = 0) -> Block | None:
        """Append a block. ``where`` is the location of its first line (later lines count on from it) or one
        location per line of ``text``. ``kind=None`` adds the lines without a block of their own (the caller
        marks the blocks inside them, see :meth:`mark`)."""
        lines = text.split("\n")
        if isinstance(where, Location):
            places = [where.shifted(k) for k in range(len(lines))]
        else:
            places = list(where)
            if len(places) != len(lines):
                raise ValueError(f"{len(lines)} lines but {len(places)} locations")
        if self._lines:
            self._lines.append("")
            self._locations.append(self._locations[-1])
        first = len(self._lines) + 1
        self._lines.extend(lines)
        self._locations.extend(places)
        if kind is None:
            return None
        block = Block(kind, first, len(self._lines), label, level)
        self._blocks.append(block)
        return block

    @property
    def line_count(self) -> int:
        """Rendition lines so far: the last line of the block added last."""
        return len(self._lines)

    def mark(self, kind: BlockKind, first: int, last: int, *, label: str | None = None, level: int = 0) -> Block:
        """A block over lines already added (a list item around its paragraphs and nested lists)."""
        if not 1 <= first <= last <= len(self._lines):
            raise ValueError(f"lines {first}..{last} are not in the rendition (1..{len(self._lines)})")
        block = Block(kind, first, last, label, level)
        self._blocks.append(block)
        return block

    def note(self, message: str, where: Location | None = None, *, refused: bool = False) -> None:
        """A remark a person should see (a file not read, a macro not expanded), located when ``where`` is given;
        ``refused`` when part of the file was not read for safety or a bound."""
        text = f"{where}: {message}" if where is not None else message
        self._notes.append(text)
        if refused:
            self._refused.append(text)

    def build(self) -> Document:
        if not self._lines:  # an empty document still has its one (empty) line
            return Document(self.source, self.format, "", (Location(self.source, 1),), (), tuple(self._notes),
                            tuple(self._refused))
        blocks = sorted(self._blocks, key=lambda block: (block.first, -block.last))
        return Document(self.source, self.format, "\n".join(self._lines), tuple(self._locations),
                        tuple(blocks), tuple(self._notes), tuple(self._refused))
