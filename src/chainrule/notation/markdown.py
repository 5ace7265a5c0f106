"""Find the math in a Markdown or LaTeX document, keeping the line and column of every span.

Markdown is read with markdown-it-py and its math plugins (dollarmath for ``$…$``/``$$…$$``, texmath for
``\\(…\\)``/``\\[…\\]``, amsmath for bare ``\\begin{align}…``), so code blocks, escaped dollars and tables are
handled the way a renderer would. markdown-it reports block lines but not inline columns, so each span is
then located in the original text: a span's ``latex`` is the raw source between its delimiters, and its
``line``/``column`` are those of the file as given (header lines before a ``---`` included).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

from chainrule.errors import InputError

MAX_DOCUMENT_CHARS = 2_000_000


@dataclass(frozen=True)
class MathSpan:
    """One piece of math: ``latex`` is the text between the delimiters exactly as in the source;
    ``line``/``column`` (1-based) locate its first character; ``display`` is True for block math;
    ``delimiter`` is ``"$"``, ``"$$"``, ``"\\("``, ``"\\["`` or the environment name."""

    latex: str
    line: int
    column: int
    display: bool
    delimiter: str

    @property
    def where(self) -> str:
        return f"line {self.line}, col {self.column}"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    md.use(amsmath_plugin)
    md.use(texmath_plugin, delimiters="brackets")
    return md


class _Source:
    """The document with a line index, to turn offsets into (line, column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1

    def line_offset(self, line_index: int) -> int:
        return self.starts[min(line_index, len(self.starts) - 1)]


def _check_size(text: str) -> None:
    if not isinstance(text, str):
        raise InputError("the document must be text")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(f"the document has {len(text)} characters, more than the {MAX_DOCUMENT_CHARS} the "
                         "reader accepts", "line 1, col 1")


def find_math(markdown_text: str) -> list[MathSpan]:
    """Every math span of a Markdown document, in reading order.

    Raises :class:`InputError` only for a document that is not text or is too large; broken delimiters are
    left as prose, the way a renderer shows them.
    """
    _check_size(markdown_text)
    text = markdown_text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    source = _Source(text)
    spans: list[MathSpan] = []
    cursor = 0
    for token in _markdown().parse(_bridge_blank_lines(text)):
        block_start = source.line_offset(token.map[0]) if token.map else cursor
        if token.type in ("math_block", "math_block_label", "amsmath"):
            found = _locate_block(text, token, max(cursor, block_start))
            if found is None:
                continue
            start, latex, delimiter, stop = found
            line, column = source.position(start)
            spans.append(MathSpan(latex, line, column, True, delimiter))
            cursor = stop
        elif token.type == "inline" and token.children:
            inline_cursor = max(cursor, block_start)
            for child in token.children:
                if child.type not in ("math_inline", "math_inline_double", "math_single", "math_inline_bracket"):
                    continue
                hit = _locate_inline(text, child.content, child.markup or "$", inline_cursor)
                if hit is None:
                    continue
                start, latex = hit
                line, column = source.position(start)
                display = child.type == "math_inline_double"
                spans.append(MathSpan(latex, line, column, display, child.markup or "$"))
                inline_cursor = start + len(latex) + len(_closing(child.markup or "$"))
            cursor = max(cursor, inline_cursor)
    return spans


def _bridge_blank_lines(text: str) -> str:
    """Hide the inside of line-delimited ``$$ … $$`` blocks from markdown-it (a copy for its eyes only).

    People leave blank lines inside display math, open ``$$`` right under a sentence, and start a line
    inside it with ``\\begin{pmatrix}``; renderers such as Typora or MathJax still show one block, but
    markdown-it would end the paragraph at the blank line or take the matrix for a block of its own. Each
    inner line becomes a LaTeX comment ``%``: the line count is unchanged, and spans are cut from the
    original text by their delimiters, so positions stay exact.
    """
    if "$$" not in text:
        return text
    lines = text.split("\n")
    inside = False
    fence = ""
    for k, line in enumerate(lines):
        stripped = line.strip()
        if not inside and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        if fence:  # dollars inside a code block are code
            continue
        opens_or_closes = stripped.count("$$") % 2 == 1
        if inside and not opens_or_closes:
            lines[k] = "%"
        if opens_or_closes:
            inside = not inside
    if inside:  # an unclosed $$: leave the text as it is, markdown-it treats it as prose
        return text
    return "\n".join(lines)


def _closing(markup: str) -> str:
    return {"\\(": "\\)", "\\[": "\\]"}.get(markup, markup)


def _locate_inline(text: str, content: str, markup: str, cursor: int) -> tuple[int, str] | None:
    """The offset and raw source of an inline span whose parsed content is ``content``."""
    opening, closing = markup, _closing(markup)
    if markup == "$$":
        start = text.find("$$", cursor)
        end = text.find("$$", start + 2) if start >= 0 else -1
        if start >= 0 and end >= 0:
            return start + 2, text[start + 2:end]
    at = text.find(opening + content + closing, cursor)
    if at >= 0:
        return at + len(opening), content
    # table cells unescape "\|" to "|": match the raw text with optional backslashes before bars
    pattern = re.escape(opening) + "(" + re.escape(content).replace(r"\|", r"\\?\|") + ")" + re.escape(closing)
    m = re.compile(pattern).search(text, cursor)
    if m:
        return m.start(1), m.group(1)
    return None


def _locate_block(text: str, token: object, cursor: int) -> tuple[int, str, str, int] | None:
    """The offset, raw source, delimiter and end offset (after the closing delimiter) of a display block."""
    markup = getattr(token, "markup", "") or ""
    content = getattr(token, "content", "")
    if getattr(token, "type", "") == "amsmath":
        m = re.compile(r"\\begin\{([A-Za-z]+\*?)\}").search(text, cursor)
        if not m:
            return None
        env = m.group(1)
        end = text.find(f"\\end{{{env}}}", m.end())
        if end < 0:
            return None
        stop = end + len(f"\\end{{{env}}}")
        after = re.compile(r"\s*\$\$").match(text, stop)  # an environment wrapped in $$ … $$
        return m.start(), text[m.start():stop], env, after.end() if after else stop
    opening = markup or "$$"
    closing = _closing(opening)
    start = text.find(opening, cursor)
    if start < 0:
        return None
    inner = start + len(opening)
    end = text.find(closing, inner)
    if end < 0:
        end = len(text)
    raw = text[inner:end]
    first = content.strip().split("\n")[0].strip()
    if first and first != "%" and first not in raw:
        return None
    return inner, raw, opening, min(len(text), end + len(closing))


_TEX_MATH = re.compile(
    r"(?<!\\)(\$\$|\$|\\\(|\\\[)|\\begin\{(equation\*?|align\*?|gather\*?|multline\*?|eqnarray\*?|displaymath|math)\}"
)


def find_tex_math(tex_text: str) -> list[MathSpan]:
    """The math spans of a .tex file: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` and display environments in
    the document body (everything when there is no ``\\begin{document}``). Comments are skipped."""
    _check_size(tex_text)
    text = tex_text.replace("\r\n", "\n")
    source = _Source(text)
    begin = text.find("\\begin{document}")
    pos = begin + len("\\begin{document}") if begin >= 0 else 0
    stop = text.find("\\end{document}")
    limit = stop if stop >= 0 else len(text)
    spans: list[MathSpan] = []
    while pos < limit:
        m = _TEX_MATH.search(text, pos, limit)
        if not m:
            break
        line_start = text.rfind("\n", 0, m.start()) + 1
        if "%" in text[line_start:m.start()] and re.search(r"(?<!\\)%", text[line_start:m.start()]):
            pos = text.find("\n", m.start()) + 1 or limit
            continue
        if m.group(1):
            opening = m.group(1)
            closing = _closing(opening)
            inner = m.end()
            end = text.find(closing, inner, limit)
            while end > 0 and text[end - 1] == "\\" and closing.startswith("$"):
                end = text.find(closing, end + 1, limit)
            if end < 0:
                break
            line, column = source.position(inner)
            spans.append(MathSpan(text[inner:end], line, column, opening != "$", opening))
            pos = end + len(closing)
        else:
            env = m.group(2)
            end_tag = f"\\end{{{env}}}"
            end = text.find(end_tag, m.end(), limit)
            if end < 0:
                break
            line, column = source.position(m.start())
            spans.append(MathSpan(text[m.start():end + len(end_tag)], line, column, True, env))
            pos = end + len(end_tag)
    return spans
