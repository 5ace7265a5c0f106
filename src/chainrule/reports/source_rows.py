"""A submission's lines grouped into the rows a report shows: a formula written over several lines is one row.

Showing ``$$\\begin{aligned} … \\end{aligned}$$`` line by line would print raw ``\\begin`` on one row and
stray ``&`` on the next; a row spans the whole formula (``$$ … $$``, ``\\[ … \\]``, or a LaTeX display
environment), keeps the range of line numbers, and collects the findings of every line in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DISPLAY_ENV = re.compile(r"\\begin\{(equation|align|gather|multline|eqnarray|flalign|displaymath)\*?\}")
MAX_ROW_LINES = 200  # an unclosed delimiter must not swallow the rest of a submission


@dataclass(frozen=True)
class SourceRow:
    first: int  # 1-based line numbers, inclusive
    last: int
    text: str

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def _opens_display(line: str) -> str | None:
    """The closing delimiter a line leaves open (``$$``, ``\\]`` or ``\\end{env}``), or None."""
    if line.count("$$") % 2 == 1:
        return "$$"
    if line.count("\\[") > line.count("\\]"):
        return "\\]"
    match = _DISPLAY_ENV.search(line)
    if match and f"\\end{{{match.group(1)}" not in line[match.end():]:
        return f"\\end{{{match.group(1)}"
    return None


def source_rows(lines: list[str], first: int = 1, last: int | None = None) -> list[SourceRow]:
    """Rows for lines ``first``..``last`` (1-based, inclusive) of ``lines``."""
    last = min(len(lines), last if last is not None else len(lines))
    rows: list[SourceRow] = []
    number = first
    while number <= last:
        closing = _opens_display(lines[number - 1])
        end = number
        if closing is not None:
            for candidate in range(number + 1, min(last, number + MAX_ROW_LINES) + 1):
                if closing in lines[candidate - 1]:
                    end = candidate
                    break
        rows.append(SourceRow(number, end, "\n".join(lines[number - 1 : end])))
        number = end + 1
    return rows
