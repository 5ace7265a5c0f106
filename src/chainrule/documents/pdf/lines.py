"""One row of a page as one rendition line: prose as text, math as ``$…$``, a row of math alone as ``$$…$$``.

What is math is decided by evidence on the page, not by guessing from words: a math font (cmmi, cmsy …), a
character only mathematics uses (=, ∂, ∑), a construction (fraction, script, root, matrix), an operator
name set upright against math (``tanh(``). A word of two or more text-font letters is prose. Digits, brackets
and punctuation are neutral: between two pieces of math they are math, at a boundary they go with the
neighbour they touch, and a sentence's closing punctuation stays prose.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chainrule.documents.pdf.fonts import FontRole
from chainrule.documents.pdf.items import Glyph, Group, GroupKind, Item
from chainrule.documents.pdf.latex import FUNCTION_WORDS, OPERATOR_NAMES, sequence_latex
from chainrule.documents.pdf.stacks import combining_accent
from chainrule.documents.pdf.symbols import Kind

MATH, PROSE, NEUTRAL = "math", "prose", "neutral"
_SPACE = 0.15  # em: a gap at least this wide between two items is a space in prose


@dataclass
class Line:
    """A rendered row: its text, where it is on the page and what it looks like (for headings, items)."""

    text: str
    page: int
    number: int  # 1-based row on the page, top to bottom
    x0: float
    x1: float
    y0: float
    y1: float
    base: float
    size: float
    display: bool  # math alone (``$$…$$``)
    bold: bool  # its prose is bold
    plain: str  # the prose with math as written, for furniture and label matching
    math: str = ""  # a display line's formula (LaTeX) …
    tail: str = ""  # … and what follows it on the row (punctuation, an equation number)

    def inline(self) -> None:
        """Make a display line an inline one: a formula wrapped from the line before is not a display."""
        if self.display:
            self.display = False
            self.text = f"${self.math}$" + (self.tail if self.tail[:1] in ".,;:" else f" {self.tail}").rstrip()


def _words(row: list[Item]) -> list[list[Item]]:
    words: list[list[Item]] = []
    for item in row:
        if words and item.x0 - words[-1][-1].right < _SPACE * max(item.size, words[-1][-1].size):
            words[-1].append(item)
        else:
            words.append([item])
    return words


def _text_letter(item: Item) -> bool:
    return isinstance(item, Glyph) and item.kind is Kind.LETTER and not item.mean.math


def _prose_accent(item: Item) -> bool:
    """An accent over one text letter (é in a name): prose, written as the accented letter."""
    return isinstance(item, Group) and item.kind is GroupKind.ACCENT and len(item.parts[0]) == 1 and \
        _text_letter(item.parts[0][0]) and combining_accent(item.command) is not None and not item.sub \
        and not item.sup


def classify(row: list[Item], *, all_bold: bool) -> list[str]:
    """MATH, PROSE or NEUTRAL for each anchor of the row."""
    labels: list[str] = []
    words = _words(row)
    for w, word in enumerate(words):
        letters = [i for i in word if _text_letter(i) or _prose_accent(i)]
        name = "".join(i.char for i in word if isinstance(i, Glyph) and _text_letter(i))
        for k, item in enumerate(word):
            if isinstance(item, Glyph) and item.mono and item.role is FontRole.TEXT and not item.sub and not item.sup:
                labels.append(MATH if _mono_function(word, k) else PROSE)  # typewriter type is code …
            elif _prose_accent(item):
                labels.append(PROSE if len(letters) > 1 else MATH)
            elif isinstance(item, Glyph) and _text_letter(item):
                labels.append(_letter_label(item, word, k, letters, name, words, w, all_bold))
            elif not isinstance(item, Glyph) or item.sub or item.sup:
                labels.append(MATH)
            elif item.mean.math:
                labels.append(MATH)
            elif item.kind in (Kind.DIGIT, Kind.PUNCT, Kind.OPEN, Kind.CLOSE, Kind.FENCE):
                labels.append(NEUTRAL)
            else:
                labels.append(PROSE)
    return labels


def _letter_label(item: Glyph, word: list[Item], k: int, letters: list[Item], name: str,
                  words: list[list[Item]], w: int, all_bold: bool) -> str:
    run = _letter_run(word, k)
    if len(run) >= 2:
        text = "".join(g.char for g in run)
        if (text in OPERATOR_NAMES or text in FUNCTION_WORDS) and _touches_math(word, run):
            return MATH
        follows = words[w + 1] if run[-1] is word[-1] and w + 1 < len(words) else None
        if follows and ((text in OPERATOR_NAMES and _starts_math(follows)) or (
                text in FUNCTION_WORDS and isinstance(follows[0], Glyph) and follows[0].char == "("
                and follows[0].x0 - run[-1].x1 < 0.4 * run[-1].size)):
            return MATH  # \\log x: TeX's thin space after an operator name
        return MATH if run[-1].sub or run[-1].sup else PROSE
    if item.bold and not item.mono and not all_bold:
        return MATH
    if item.italic and not item.bold:
        neighbours = [words[j] for j in (w - 1, w + 1) if 0 <= j < len(words)]
        italic_prose = any(sum(1 for i in nb if _text_letter(i) and isinstance(i, Glyph) and i.italic) >= 2
                           for nb in neighbours)
        return PROSE if italic_prose else MATH
    if len(word) == 1 and _beside_operator(words, w):
        return MATH  # an upright letter in "x = 1" (a plain font) is still a variable
    return PROSE


def _beside_operator(words: list[list[Item]], w: int) -> bool:
    def operator(item: Item) -> bool:
        return isinstance(item, Glyph) and item.kind in (Kind.RELATION, Kind.OPERATOR) and item.char != "-"

    return (w + 1 < len(words) and operator(words[w + 1][0])) or (w > 0 and operator(words[w - 1][-1]))


def _mono_function(word: list[Item], k: int) -> bool:
    """… except a function name in it applied to math: \\texttt{tanh}(\\mathbf{x})."""
    if not _text_letter(word[k]):
        return False
    run = _letter_run(word, k)
    text = "".join(g.char for g in run)
    return (text in OPERATOR_NAMES or text in FUNCTION_WORDS) and _touches_math(word, run)


def _letter_run(word: list[Item], k: int) -> list[Glyph]:
    """The letters of ``word`` around ``word[k]`` that read as one word (a letter with scripts ends one)."""
    lo = k
    while lo > 0 and _text_letter(word[lo - 1]) and not (word[lo - 1].sub or word[lo - 1].sup):
        lo -= 1
    hi = k
    while hi + 1 < len(word) and _text_letter(word[hi + 1]) and not (word[hi].sub or word[hi].sup):
        hi += 1
    return [g for g in word[lo:hi + 1] if isinstance(g, Glyph)]


def _touches_math(word: list[Item], run: list[Glyph]) -> bool:
    """An operator word written against math: followed by "(" or by math, or part of a math word."""
    end = word.index(run[-1])
    after = word[end + 1] if end + 1 < len(word) else None
    if after is not None and (not isinstance(after, Glyph) or after.mean.math or after.kind is Kind.OPEN):
        return True
    return bool(run[-1].sub or run[-1].sup)


def _starts_math(word: list[Item]) -> bool:
    first = word[0]
    if not isinstance(first, Glyph) or first.mean.math or first.sub or first.sup:
        return True
    return first.kind in (Kind.DIGIT, Kind.OPEN) or (first.kind is Kind.LETTER and first.italic and len(word) == 1)


def segments(row: list[Item], labels: list[str]) -> list[tuple[str, list[Item]]]:
    """The row cut into prose and math runs (neutral items resolved by their neighbours)."""
    resolved = list(labels)
    n = len(row)
    maths = [k for k, lab in enumerate(labels) if lab == MATH]
    for k, lab in enumerate(labels):
        if lab != NEUTRAL:
            continue
        before = next((labels[j] for j in range(k - 1, -1, -1) if labels[j] != NEUTRAL), None)
        after = next((labels[j] for j in range(k + 1, n) if labels[j] != NEUTRAL), None)
        if before == MATH and after == MATH:
            resolved[k] = MATH
        elif MATH in (before, after) and maths:
            resolved[k] = MATH if _clings(row, k, labels) else PROSE
        else:
            resolved[k] = PROSE
    runs: list[tuple[str, list[Item]]] = []
    for item, lab in zip(row, resolved, strict=True):
        if runs and runs[-1][0] == lab:
            runs[-1][1].append(item)
        else:
            runs.append((lab, [item]))
    return _balance(runs)


def _clings(row: list[Item], k: int, labels: list[str]) -> bool:
    """A neutral item at the edge of math: math when it touches the math side and is not a sentence's
    punctuation (digits and brackets next to math are part of it: ``b(1)``, ``2(y − ŷ)``, ``x > 0``)."""
    item = row[k]
    if isinstance(item, Glyph) and item.kind is Kind.PUNCT:  # a sentence's punctuation, or a label's "i."
        return False
    left = next((j for j in range(k - 1, -1, -1) if labels[j] != NEUTRAL), None)
    right = next((j for j in range(k + 1, len(row)) if labels[j] != NEUTRAL), None)
    toward = left if left is not None and labels[left] == MATH else right
    if toward is None:
        return False
    lo, hi = sorted((k, toward))
    span = row[lo:hi + 1]
    size = max(i.size for i in span)
    joined = all(span[j + 1].x0 - span[j].right < 0.6 * size for j in range(len(span) - 1))
    return joined


def _balance(runs: list[tuple[str, list[Item]]]) -> list[tuple[str, list[Item]]]:
    """Give a math run's unmatched outer bracket back to the prose around it ("(since $x = 1$)")."""
    out: list[tuple[str, list[Item]]] = []
    for lab, items in runs:
        if lab != MATH:
            out.append((lab, items))
            continue
        depth = 0
        for i in items:
            if isinstance(i, Glyph) and i.kind is Kind.OPEN and i.char == "(":
                depth += 1
            elif isinstance(i, Glyph) and i.kind is Kind.CLOSE and i.char == ")":
                depth -= 1
        head: list[Item] = []
        tail: list[Item] = []
        while depth < 0 and items and isinstance(items[-1], Glyph) and items[-1].char == ")" and not items[-1].sup:
            tail.insert(0, items.pop())
            depth += 1
        while depth > 0 and items and isinstance(items[0], Glyph) and items[0].char == "(":
            head.append(items.pop(0))
            depth -= 1
        while items and isinstance(items[0], Glyph) and items[0].kind is Kind.CLOSE and not items[0].sub \
                and not items[0].sup:  # a bracket closing the prose before (a parenthesised remark)
            head.append(items.pop(0))
        while items and isinstance(items[-1], Glyph) and items[-1].kind is Kind.PUNCT and items[-1].char in ".,;:" \
                and not items[-1].sub and not items[-1].sup:
            tail.insert(0, items.pop())
        if head:
            out.append((PROSE, head))
        if items:
            out.append((MATH, items))
        if tail:
            out.append((PROSE, tail))
    merged: list[tuple[str, list[Item]]] = []
    for lab, items in out:
        if merged and merged[-1][0] == lab:
            merged[-1][1].extend(items)
        else:
            merged.append((lab, items))
    return merged


def prose_text(items: list[Item]) -> str:
    out = ""
    previous: Item | None = None
    for item in items:
        if isinstance(item, Group) and _prose_accent(item):
            base = item.parts[0][0]
            assert isinstance(base, Glyph)
            token = unicodedata.normalize("NFC", base.char + (combining_accent(item.command) or ""))
        elif isinstance(item, Glyph):
            token = item.char
        else:
            token = sequence_latex([item])
        if previous is not None and item.x0 - previous.right >= _SPACE * max(item.size, previous.size):
            out += " "
        out += token
        previous = item
    return out.replace("$", r"\$")


def render_row(row: list[Item], page: int, number: int, *, all_bold: bool = False) -> Line:
    """The row as a rendition line."""
    labels = classify(row, all_bold=all_bold)
    runs = segments(row, labels)
    parts: list[str] = []
    plain: list[str] = []
    previous: Item | None = None
    for lab, items in runs:
        text = "$" + sequence_latex(items) + "$" if lab == MATH else prose_text(items)
        if previous is not None and items[0].x0 - previous.right >= _SPACE * max(items[0].size, previous.size):
            parts.append(" ")
            plain.append(" ")
        parts.append(text)
        plain.append(prose_text(items) if lab == PROSE else sequence_latex(items))
        previous = items[-1]
    maths = [items for lab, items in runs if lab == MATH]
    prose = [items for lab, items in runs if lab == PROSE]
    display = len(maths) == 1 and (not prose or (runs[0][0] == MATH and _is_tail(runs[1:])))
    text = "".join(parts)
    math = tail = ""
    if display:
        math = sequence_latex(maths[0])
        tail = " ".join(prose_text(items) for lab, items in runs[1:]).strip()
        text = f"$${math}$$" + (tail if re.fullmatch(r"[.,;:]?", tail) else f" {tail}")
    glyphs = [i for lab, items in runs if lab == PROSE for i in items
              if isinstance(i, Glyph) and i.kind is Kind.LETTER and i.role is FontRole.TEXT]
    bold = bool(glyphs) and all(g.bold for g in glyphs)
    return Line(text=text, page=page, number=number, x0=row[0].x0, x1=max(i.right for i in row),
                y0=min(i.y0 for i in row), y1=max(i.y1 for i in row), base=_main_base(row),
                size=max(i.size for i in row), display=display, bold=bold, plain="".join(plain).strip(),
                math=math, tail=tail)


def _is_tail(runs: list[tuple[str, list[Item]]]) -> bool:
    """What may follow a display formula on its row: punctuation or an equation number like (3)."""
    text = "".join(prose_text(items) for _, items in runs).strip()
    return not text or bool(re.fullmatch(r"[.,;:]?\s*(\(\d+(\.\d+)*[a-z]?\))?", text))


def _main_base(row: list[Item]) -> float:
    biggest = max(i.size for i in row)
    return min(i.base for i in row if i.size >= 0.9 * biggest)
