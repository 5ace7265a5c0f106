"""Page furniture: running headers, footers and page numbers, which are not part of any answer.

A line is furniture when it sits at the top or bottom of its page and the same text (digits aside) comes
back at the same place on other pages, or when it is a bare page number there ("3", "Page 3 of 8",
"- 3 -"). One page alone can only have its page number recognised: a header needs a second page to repeat on.
"""

from __future__ import annotations

import re
from collections import Counter

from chainrule.documents.pdf.lines import Line

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*((of|/)\s*\d{1,4})?\s*$", re.I)
_BAND = 0.09  # the top and bottom 9% of a page's height


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.plain.strip().lower()))


def _same_place(line: Line, key: str, candidates: list[tuple[Line, str]]) -> bool:
    """The line's text comes back at (about) the same height on another page."""
    return any(other.page != line.page and k == key and abs(other.y0 - line.y0) < 2 * line.size
               for other, k in candidates)


def furniture(pages: list[list[Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line number) of every furniture line."""
    marked: set[tuple[int, int]] = set()
    edge_keys: Counter[str] = Counter()
    candidates: list[tuple[Line, str]] = []
    for lines, height in zip(pages, heights, strict=True):
        if not lines:
            continue
        edge = [ln for ln in lines if ln.y1 <= _BAND * height or ln.y0 >= (1 - _BAND) * height]
        edge += [ln for ln in (*lines[:3], *lines[-3:]) if ln not in edge]  # a tall header block
        for line in edge:
            in_band = line.y1 <= _BAND * height or line.y0 >= (1 - _BAND) * height
            if _PAGE_NUMBER.match(line.plain) and in_band:
                marked.add((line.page, line.number))
                continue
            # digits may differ in the margins (page 2 of 8); nearer the text only the very same line
            # repeats ("Problem 1" and "Problem 2" at the top of two pages are answers, not a header)
            key = _key(line) if in_band else "=" + line.plain.strip()
            if key:
                candidates.append((line, key))
        for key in {k for ln, k in candidates if ln.page == lines[0].page}:
            edge_keys[key] += 1
    pages_with_text = sum(1 for lines in pages if lines)
    if pages_with_text >= 2:
        for line, key in candidates:
            if edge_keys[key] >= max(2, (pages_with_text + 1) // 2) and _same_place(line, key, candidates):
                marked.add((line.page, line.number))
    return marked
