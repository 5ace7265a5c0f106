"""Rendered lines → the document's blocks: headings and enumerated items with the labels the page prints,
paragraphs of prose, display math; words split by a line-end hyphen joined again.

Question finding aligns these blocks to the assignment, so the label is the text as printed ("1.2",
"(b)", "iv.", "Problem 3"); what it means is the aligner's business. A heading is a short line set bold or
larger than the body text; an item is a line that starts with an enumeration label.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable

from chainrule.documents.model import BlockKind, DocumentBuilder, Location
from chainrule.documents.pdf.lines import Line

_ROMAN = r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)"
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problem", re.compile(r"^((?:Problem|Question|Exercise|Task|Part|Q)\s*\.?\s*\d+(?:\.\d+)*[a-z]?)\b\.?", re.I)),
    ("section", re.compile(r"^(\d+(?:\.\d+)+)\.?(?=\s|$)")),
    ("number", re.compile(r"^(\d{1,2}[.)])(?=\s|$)")),
    ("paren-number", re.compile(r"^(\(\d{1,2}\))(?=\s|$)")),
    ("paren-roman", re.compile(rf"^(\({_ROMAN}\))(?=\s|$)")),
    ("roman", re.compile(rf"^({_ROMAN}[.)])(?=\s|$)")),
    ("paren-letter", re.compile(r"^(\([a-zA-Z]\))(?=\s|$)")),
    ("letter", re.compile(r"^([a-z][.)])(?=\s|$)")),
)
_HYPHENATED = re.compile(r"([A-Za-z]{2,})-$")
_CONTINUES = re.compile(r"^([a-z]{2,})([.,;:]?)(?=\s|$)")


def label_of(line: Line) -> tuple[str, str] | None:
    """(style, label) of a line that starts with an enumeration or section label."""
    text = line.plain if line.display else line.text
    for style, pattern in _LABELS:
        found = pattern.match(text.strip())
        if found:
            return style, found.group(1)
    return None


def dehyphenate(lines: list[Line]) -> None:
    """Join a word split by a line-end hyphen: the rest of the word moves up to the line that starts it (so
    each rendition line keeps its own location)."""
    for first, second in itertools.pairwise(lines):
        if first.display or second.display:
            continue
        tail = _HYPHENATED.search(first.text)
        rest = _CONTINUES.match(second.text)
        if tail and rest:
            first.text = first.text[:-1] + rest.group(1) + rest.group(2)
            second.text = second.text[rest.end():].lstrip()


_TAG = re.compile(r"^\(\d{1,3}(\.\d{1,3})?[a-z]?\)$")


def equation_numbers(lines: list[Line]) -> list[Line]:
    """An equation number alone on its row (centred beside a multi-line display) joins the display line
    next to it: "(8)" is the formula's tag, not an enumerated item."""
    out: list[Line] = []
    for k, line in enumerate(lines):
        if _TAG.match(line.text.strip()):
            near = [ln for ln in (lines[k - 1] if k else None, lines[k + 1] if k + 1 < len(lines) else None)
                    if ln is not None and ln.display and ln.page == line.page and line.x0 > ln.x1]
            if near:
                target = min(near, key=lambda ln: abs(ln.base - line.base))
                target.tail = (target.tail + " " + line.text.strip()).strip()
                target.text = f"$${target.math}$$ {target.tail}"
                continue
        out.append(line)
    return out


def wrapped_formulas(lines: list[Line]) -> None:
    """A formula alone on a line that starts where the page's wrapped text lines start is the end of an
    inline formula broken across lines, not a display (displays are centred or indented on their own)."""
    starts: dict[int, list[float]] = {}
    for line in lines:
        if not line.display:
            starts.setdefault(line.page, []).append(line.x0)
    for k, line in enumerate(lines):
        if not line.display or k == 0 or lines[k - 1].display or lines[k - 1].page != line.page:
            continue
        margins = starts.get(line.page, [])
        if sum(1 for x in margins if abs(x - line.x0) < 0.25 * line.size) >= 2:
            line.inline()


def build(builder: DocumentBuilder, lines: list[Line]) -> None:
    """Add the blocks of ``lines`` (all pages, furniture removed) to ``builder``."""
    if not lines:
        return
    body = Counter(round(ln.size) for ln in lines if not ln.display).most_common(1)
    body_size = float(body[0][0]) if body else lines[0].size
    styles: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        found = label_of(line)
        heading = _is_heading(line, body_size, found)
        if line.display:
            run = _take(lines, k, lambda ln: ln.display)
            _add(builder, BlockKind.MATH, run)
            k += len(run)
            continue
        if heading:
            label = found[1] if found else None
            level = label.count(".") + 1 if found and found[0] == "section" else 1
            _add(builder, BlockKind.HEADING, [line], label=label, level=level)
            k += 1
            continue
        if found:
            style, label = found
            if style not in styles:
                styles.append(style)
            run = [line, *_take(lines, k + 1, lambda ln, first=line: _continues(ln, first, body_size))]
            _add(builder, BlockKind.ITEM, run, label=label, level=styles.index(style) + 1)
            k += len(run)
            continue
        run = [line, *_take(lines, k + 1, lambda ln, first=line: _continues(ln, first, body_size))]
        _add(builder, BlockKind.PROSE, run)
        k += len(run)


def _is_heading(line: Line, body_size: float, found: tuple[str, str] | None) -> bool:
    words = line.text.split()
    if line.display or not words or len(words) > 14 or line.text.rstrip().endswith((".", ",", ";")):
        return False
    if found and found[0] in ("problem", "section") and (line.bold or line.size > 1.1 * body_size):
        return True
    return (line.bold or line.size > 1.15 * body_size) and not line.text.startswith("$")


def _continues(line: Line, first: Line, body_size: float) -> bool:
    """Whether ``line`` goes on the paragraph or item that ``first`` starts."""
    if line.display or label_of(line) is not None or _is_heading(line, body_size, None):
        return False
    return line.page == first.page or line.x0 <= first.x0 + 0.5 * body_size  # a new page: the same margin


def _take(lines: list[Line], start: int, keep: Callable[[Line], bool]) -> list[Line]:
    out: list[Line] = []
    for line in lines[start:]:
        if out and line.page == out[-1].page and line.y0 - out[-1].y1 > 1.2 * line.size:
            break  # a paragraph gap
        if not keep(line):
            break
        out.append(line)
    return out


def _add(builder: DocumentBuilder, kind: BlockKind, run: list[Line], *, label: str | None = None,
         level: int = 0) -> None:
    places = [Location(builder.source, ln.number, page=ln.page) for ln in run]
    builder.add(kind, "\n".join(ln.text for ln in run), places, label=label, level=level)
