"""Anchors: the lines of a submission that could open an answer, with the label they carry and how it is set.

Students number their answers their own way: ``1. (a)``, ``**(b)**``, ``### Solution c)``, ``- (d)``, ``1.2 (c)``,
``Problem 3``, ``1 Problem 3`` (a section counter printed before the problem number), ``Answer to (a)``,
``$$(b) \\quad ...``, a table row ``| (a) | ... |``, ``(b) (b)`` (the part, then the sub-part it restates),
``Problem 1 & 2`` (two questions answered together), LaTeX ``\\subsection*{Problem 1: Regression Task}`` and
``\\item`` (numbered by position, as LaTeX prints them), or a heading with a title only. Each such line yields an
:class:`Anchor`: the label's components as written, the weight of the way it is set (a heading weighs more than a
list item; the scale is steep on purpose, so one real heading outweighs any number of enumerated steps), its title
and its structural level. What a label *means* is decided later, against the assignment (:mod:`.align`).

Lines that cannot open an answer are skipped: the inside of display math and code, a LaTeX preamble and
comments, page headers and footers (text repeated at page breaks, page numbers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.documents.model import BlockKind, Document
from chainrule.grading.question_tree import Path, ordinal

MAX_ANCHORS = 800

# How much a label weighs by the way it is set.
HEADING = 100.0  # "## 1.3", "**(b)**", "\\textbf{(a)}", "\\subsection*{Problem 2}", "Problem 3." on its own
KEYWORD_BONUS = 10.0  # "Problem 3", "Answer to (a)"
PARAGRAPH = 10.0  # "(c) For some m ...", "$$(b) \\quad ..."
LATEX_ITEM = 10.0  # "\\item ..." of an enumerate: LaTeX prints its number
BULLET_ITEM = 5.0  # "- (d) ..."
TABLE = 3.0  # "| (a) | ... |"
ENUMERATED_LABEL = 2.0  # the "(b)" of "1. (b)"
ENUMERATED = 1.0  # "1. Forward pass"
TITLE_ONLY = 40.0  # "## Backward pass", "\\subsection*{Regression Task}": a heading with a title and no number


@dataclass(frozen=True)
class Anchor:
    """A line that may open an answer: its label as written and how much the way it is set weighs."""

    line: int
    components: Path  # ("1", "2", "c"), ("b",), ("3",); ("#2",) for the 2nd unnumbered \item; () for a title only
    weight: float
    label: str = ""
    title: str = ""
    heading_like: bool = False  # a heading, bold, a sectioning command, or a keyword such as "Problem"
    has_text: bool = True  # the line goes on after its label and title: it already answers something
    top_level: bool = False  # "Problem 3", "Question 3": the number names a whole question, not a part
    level: int | None = None  # heading / sectioning depth when the source gives one
    also: Path = ()  # "Problem 1 & 2": the second question named
    keyword: bool = False
    sub: Path = ()  # "(b) (b)" read as part (b): the sub-part label it goes on with


_TOP_LEVEL_KEYWORDS = ("problem", "question", "exercise", "q")
_KEYWORD = r"(?:problem|question|exercise|solution|answer|ans|part|task|q)\.?(?:\s+(?:to|of|for)\b)?"
_LABEL_TOKEN = re.compile(
    r"""
    \s*(?:
        \((?P<paren>[a-z]|[ivx]{1,4}|\d{1,2})\)      # (a) (iv) (1)
      | (?P<closed>[a-z]|\d{1,2}[a-z]?)\)            # a)  1)  1a)
      | (?P<dotted>\d{1,2}(?:\.\d{1,2})*[a-z]?(?:\.\d{1,2})?)(?=[.:)\s(*_,]|$)\.?  # 1.  1.2  1.2c  1a.3
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TITLE = re.compile(r"\s*\(([A-Za-z][A-Za-z \-]{2,60})\)")
_LEAD = re.compile(r"^\s*(?:>\s*)*")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^[-*+•]\s+")
_NUMBERED_ITEM = re.compile(r"^(\d{1,2})[.)]\s+(?=\S)")
_DECOR = re.compile(r"^(?:\*\*|__|\\textbf\{|\\textit\{|\\emph\{|\*|_)")
_MATH_OPEN = re.compile(r"^(?:\$\$|\\\[)")
_SECTION_COUNTER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?=(?:problem|question|exercise)\b)", re.IGNORECASE)
_MERGED = re.compile(r"^\s*(?:&|and|,|\+|–|-)\s*(\d{1,2})(?![\d.])", re.IGNORECASE)
_LATEX_SECTIONING = re.compile(r"^\\(section|subsection|subsubsection|paragraph)\*?\s*\{(.*)\}\s*$")
_LATEX_LEVELS = {"section": 1, "subsection": 2, "subsubsection": 3, "paragraph": 4}
_LATEX_ITEM = re.compile(r"^\\item(?:\s*\[(?P<label>[^\]]{1,12})\])?\s*(?P<rest>.*)$")
_BEGIN_MATH = re.compile(r"\\begin\{(?:align|equation|gather|multline|eqnarray|displaymath)\*?\}")
_END_MATH = re.compile(r"\\end\{(?:align|equation|gather|multline|eqnarray|displaymath)\*?\}")
_PAGE_MARKER = re.compile(r"^-{2,}\s*page\s+\d+\s*-{2,}$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*\d{1,4}\s*-|\d{1,4}|page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$", re.IGNORECASE
)
# A line where almost every other character is "?" is text whose glyphs a weak extractor could not map, one
# unmapped mark before each character ("?P?r?o?b?l?e?m ?1"); the label is read with the marks dropped.
_GLYPH_MARKED = re.compile(r"^(?:\?[^?\s]|\s)+$")


def _strip_decor(text: str) -> tuple[str, bool]:
    bold = False
    while True:
        match = _DECOR.match(text)
        if not match:
            return text, bold
        bold = True
        text = text[match.end():].lstrip()


def read_labels(text: str) -> tuple[Path, str, int]:
    """Label components at the start of ``text``, the raw label, and where the label ends."""
    components: list[str] = []
    position = 0
    raw: list[str] = []
    while len(components) < 4:
        rest, _ = _strip_decor(text[position:])
        skipped = len(text) - position - len(rest)
        match = _LABEL_TOKEN.match(rest)
        if not match:
            break
        if match.group("paren"):
            components.append(match.group("paren").lower())
        elif match.group("closed"):
            components.extend(re.findall(r"\d+|[a-z]+", match.group("closed").lower()))
        elif components:
            break  # "(a) 2 layers": a bare number after a label is text, not a sub-label
        else:
            components.extend(re.findall(r"\d+|[a-z]+", match.group("dotted").lower()))
        raw.append(match.group(0).strip())
        position += skipped + match.end()
        while position < len(text) and text[position] in "*_}:":
            position += 1
    return tuple(components), " ".join(raw), position


_FONT = re.compile(r"\\(?:mathbf|textbf|boldsymbol|bm|mathrm|textrm|text|emph|textit|mathit)\{([^{}]{1,12})\}")
_MATH_LABEL = re.compile(r"\$\s*(\((?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s*\$", re.IGNORECASE)


def _unwrap_label(text: str) -> str:
    """A label set in math or a font (``$(\\mathbf{a})$``, ``\\textbf{(b)}``) is the label itself."""
    return _MATH_LABEL.sub(r"\1", _FONT.sub(r"\1", text))


def _is_title(text: str) -> bool:
    """Words a heading gives after its number: short, starting with a capital, mostly letters."""
    words = text.split()
    return 0 < len(words) <= 10 and text[:1].isupper() and sum(c.isalpha() for c in text) >= 0.6 * len(text)


def line_anchors(number: int, line: str, *, level: int | None = None, heading: bool = False,
                 weight: float | None = None) -> list[Anchor]:
    """Anchors a line may carry: none, one, or alternatives (``1. (b)`` and ``(b) (b)`` read two ways).

    ``heading`` and ``level`` say the source set the line as a heading (a Markdown heading, a sectioning command);
    ``weight`` overrides the weight of the way it is set (an ``\\item``).
    """
    text = _unwrap_label(_LEAD.sub("", line))
    form = PARAGRAPH if weight is None else weight
    heading_like = heading
    if text.startswith("|"):
        if re.match(r"^\|[\s:|-]*$", text):
            return []
        text = text[1:].lstrip()
        form = TABLE
    md_heading = _MD_HEADING.match(text)
    if md_heading:
        text = text[md_heading.end():]
        heading_like, level = True, len(md_heading.group(1))
    if heading_like:
        form = HEADING
    bullet = _BULLET.match(text)
    if bullet and not heading_like:
        text = text[bullet.end():]
        form = BULLET_ITEM
    if _MATH_OPEN.match(text):
        text = text[_MATH_OPEN.match(text).end():].lstrip()
        form = min(form, PARAGRAPH)
    text, bold = _strip_decor(text)
    if bold and not heading_like:
        form, heading_like = HEADING, True
    counter = _SECTION_COUNTER.match(text)
    if counter:
        text = text[counter.end():]  # "1 Problem 3": the section counter LaTeX printed, then the problem
    keyword = re.match(r"(?:" + _KEYWORD + r"\s*){1,2}(?=[\s\d(])\s*", text, re.IGNORECASE)
    if keyword:
        text, _ = _strip_decor(text[keyword.end():])
    numbered = _NUMBERED_ITEM.match(text) if not keyword else None
    components, raw, end = read_labels(text)
    rest = text[end:]
    also: Path = ()
    merged = _MERGED.match(rest) if keyword and components else None
    if merged:
        also, rest = (merged.group(1),), rest[merged.end():]
    if keyword:
        # "Problem 3." / "Problem 3: title" / "**Problem 3**" is a heading; "Problem 3 shows that ..." is prose.
        after = rest.lstrip(" *_}")
        punctuated = raw[-1:] in ".:)" or (after[:1] in tuple(".:)(—–-"))
        if heading_like or not after or punctuated or _is_title(after) or len(after.split()) <= 1:
            form, heading_like = HEADING + KEYWORD_BONUS, True
    if not components:
        return []
    title_match = _TITLE.match(rest)
    title = title_match.group(1).strip() if title_match else ""
    plain_rest = re.sub(r"[*_$\\{}]", " ", rest.lstrip(" .:*_}-–—")).strip()
    if not title and heading_like:
        title = plain_rest[:80]
    elif not title and not numbered and _is_title(plain_rest) and re.fullmatch(r"[\d.]+", raw.rstrip(".")):
        title, heading_like = plain_rest, True  # "3 Regression Task", "4.2 Using BCE": a numbered section
        form = max(form, HEADING * 0.5)
    if numbered and len(components) == 1 and not title and not heading_like and weight is None:
        form = ENUMERATED  # "1. Forward pass": an enumerated step more often than an answer number
    if re.fullmatch(r"\d{1,2}", raw) and not title and not heading_like and not keyword:
        return []  # "1 n", "2 + w": a bare number in running text is a flattened subscript, not a label
    if re.fullmatch(r"\(\d{1,2}\)", raw) and not rest.strip() and not heading_like:
        return []  # "(6)" alone on a line: an equation's number, set apart by the extractor
    after = rest[title_match.end():] if title_match else "" if heading_like else rest
    has_text = bool(re.sub(r"[\s*_#:.|$\\]|quad", "", after))
    top_level = bool(keyword) and keyword.group(0).split()[0].rstrip(".").lower() in _TOP_LEVEL_KEYWORDS
    anchors = [Anchor(number, components, form, raw, title, heading_like or bool(title_match), has_text,
                      top_level, level, also, bool(keyword))]
    if numbered and len(components) > 1:
        # "1. (b)" inside an answer: the list number may only enumerate, the letter is the label.
        anchors.append(Anchor(number, components[1:], ENUMERATED_LABEL, raw, title))
    if len(components) > 1 and not numbered and raw.startswith("(") and not components[0].isdigit():
        # "(b) (b)", "(a) (b) i.": the part, then a sub-part of it that restates an earlier part.
        anchors.append(Anchor(number, components[:1], form * 0.9, raw, title, heading_like, True, top_level, level,
                              sub=components[1:]))
    return anchors


# --- which lines may carry anchors ---------------------------------------------------------------------------


def running_lines(lines: Sequence[str], page_starts: Sequence[int]) -> set[int]:
    """Page headers and footers: lines next to a page break that repeat at another one (digits aside, such as
    the page number before an author's name), and bare page numbers next to a break."""
    near: dict[str, set[int]] = {}
    found: set[int] = set()
    for start in page_starts:
        for line in _nonblank_around(lines, start):
            text = lines[line - 1].strip()
            if _PAGE_NUMBER.match(text):
                found.add(line)
                continue
            if re.match(r"^\d{0,2}\s*(?:problem|question|exercise)\b", text, re.IGNORECASE):
                continue  # a question heading at the top of a page is not a running header
            near.setdefault(re.sub(r"\d+", "#", text), set()).add(line)
    for lines_with_text in near.values():
        if len(lines_with_text) >= 2:
            found.update(lines_with_text)
    return found


def _nonblank_around(lines: Sequence[str], start: int, count: int = 2) -> list[int]:
    """Up to ``count`` non-blank lines before and after line ``start`` (where a page begins)."""
    picked: list[int] = []
    for direction in (-1, 1):
        line, taken = start + (direction if direction > 0 else -1), 0
        while 1 <= line <= len(lines) and taken < count:
            text = lines[line - 1].strip()
            if text and not _PAGE_MARKER.match(text):
                picked.append(line)
                taken += 1
            line += direction
    return picked


def page_starts(document: Document) -> list[int]:
    """Lines where a page begins: the reader's page numbers, or the page markers of an extracted text."""
    starts = [k for k, line in enumerate(document.lines, start=1) if _PAGE_MARKER.match(line.strip())]
    pages = [location.page for location in document.locations]
    starts += [k for k in range(2, len(pages) + 1) if pages[k - 1] is not None and pages[k - 1] != pages[k - 2]]
    return sorted(set(starts))


def find_anchors(document: Document) -> list[Anchor]:
    """Every line that may open an answer, in order, skipping math, code, LaTeX preambles and running lines."""
    lines = document.lines
    skip = running_lines(lines, page_starts(document))
    heading_levels = {block.first: block.level or 1 for block in document.blocks
                      if block.kind is BlockKind.HEADING and _real_heading(document, block.first, block.last)}
    structured = document.format not in ("markdown", "text")
    item_levels = {block.first: block.level for block in document.blocks
                   if structured and block.kind is BlockKind.ITEM}
    block_labels = {block.first: block.label for block in document.blocks
                    if block.label and block.kind in (BlockKind.HEADING, BlockKind.ITEM)}
    in_document = not any(line.strip().startswith("\\begin{document}") for line in lines)
    anchors: list[Anchor] = []
    in_code = in_dollars = False
    environments = 0
    enumerates: list[int] = []  # item counters of the open enumerate environments
    list_entry = False  # the last top-level structured item was an entry of a numbered list
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code or number in skip:
            continue
        if not in_document:
            in_document = stripped.startswith("\\begin{document}")
            continue
        if stripped.startswith("%"):
            continue
        in_math = in_dollars or environments > 0
        if _GLYPH_MARKED.match(stripped) and stripped.count("?") >= 3:
            # Extracted text carries no Markdown: "# 1*64" there is a code comment, only "Problem 1" is a label.
            found = line_anchors(number, stripped.replace("?", "").lstrip("#").strip())
            anchors.extend(anchor for anchor in found if anchor.keyword and not in_math)
        elif not in_math:
            if number in item_levels:
                level = item_levels[number]
                found = _structured_item(number, stripped, level, block_labels.get(number), list_entry,
                                         counted=document.format == "latex")
                if level <= 1:
                    list_entry = bool(found) and found[0].components[:1] != () and found[0].components[0][0] == "#"
                anchors.extend(found)
            else:
                anchors.extend(_anchors_of(number, line, stripped, enumerates, heading_levels, block_labels))
        if len(re.findall(r"(?<!\\)\$\$|\\\[|\\\]", stripped)) % 2 == 1:
            in_dollars = not in_dollars
        environments = max(environments + len(_BEGIN_MATH.findall(stripped)) - len(_END_MATH.findall(stripped)), 0)
        enumerates.extend([0] * stripped.count("\\begin{enumerate}"))
        del enumerates[len(enumerates) - min(stripped.count("\\end{enumerate}"), len(enumerates)):]
        if len(anchors) >= MAX_ANCHORS:
            break
    return anchors


def _real_heading(document: Document, first: int, last: int) -> bool:
    """A heading block a person sees as one: Markdown's ``#`` headings are read from the text itself, and a line
    "underlined" by ``=`` or ``-`` is a heading only when the underline is one (text ending ``=`` before a line
    ``1`` is an equation split over lines by an extractor)."""
    if document.format not in ("markdown", "text"):
        return True
    underline = document.lines[last - 1].strip() if last - 1 < len(document.lines) else ""
    return last - first == 1 and bool(re.fullmatch(r"={3,}|-{3,}", underline))


def _anchors_of(number: int, line: str, stripped: str, enumerates: list[int], heading_levels: dict[int, int],
                block_labels: dict[int, str]) -> list[Anchor]:
    sectioning = _LATEX_SECTIONING.match(stripped)
    if sectioning:
        level = _LATEX_LEVELS[sectioning.group(1)]
        title = sectioning.group(2).strip()
        return line_anchors(number, title, level=level, heading=True) or _title_only(number, title, level)
    item = _LATEX_ITEM.match(stripped)
    if item:
        if not enumerates:
            return []  # an itemize bullet
        enumerates[-1] += 1
        if len(enumerates) > 1:
            return []  # a nested list enumerates steps inside an answer
        label = item.group("label")
        if label:
            return line_anchors(number, f"{label} {item.group('rest')}", weight=LATEX_ITEM)
        return [Anchor(number, (f"#{enumerates[-1]}",), LATEX_ITEM, f"item {enumerates[-1]}",
                       has_text=bool(item.group("rest").strip()))]
    level = heading_levels.get(number)
    found = line_anchors(number, line, level=level, heading=level is not None and not _MD_HEADING.match(stripped))
    if not found and number in block_labels:
        found = line_anchors(number, f"{block_labels[number]} {stripped}", level=level, heading=level is not None)
    if not found and (level is not None or _MD_HEADING.match(stripped)):
        text = re.sub(r"^#+\s*|[*_`$\\{}]", " ", stripped).strip()
        found = _title_only(number, text, level or len(_MD_HEADING.match(stripped).group(1)))
    return found


def _structured_item(number: int, text: str, level: int, label: str | None, in_list_entry: bool,
                     counted: bool) -> list[Anchor]:
    """An item a LaTeX/PDF reader found. A LaTeX list's top-level entry is its list's k-th, whatever its counter
    prints (``1.``, ``(a)``), like an ``\\item``; a PDF's item is read by the label it shows. A nested item is a
    step inside a numbered entry's answer, but under an item such as ``Problem 3.`` it is a part."""
    if level > 1:
        return [] if in_list_entry else line_anchors(number, text if label is None or text.startswith(label)
                                                       else f"{label} {text}")
    printed = re.fullmatch(r"\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)]?\)?", (label or "").strip().lower())
    if counted and printed and ordinal(printed.group(1)) is not None:  # a LaTeX list counter: its position
        position = ordinal(printed.group(1))
        return [Anchor(number, (f"#{position}",), LATEX_ITEM, label or "", has_text=True)]
    if label and not text.startswith(label):
        text = f"{label} {text}"
    return line_anchors(number, text, weight=LATEX_ITEM)


def _title_only(number: int, title: str, level: int | None) -> list[Anchor]:
    title = re.sub(r"[*_$\\{}]", " ", title).strip()
    if not re.search(r"[A-Za-z]{3,}", title) or len(title.split()) > 10:
        return []
    return [Anchor(number, (), TITLE_ONLY, "", title, True, False, False, level)]
