"""Text normalisation on reading: invisible and unusual characters made harmless, the lines a person sees kept.

Every reader passes its text through :func:`normalize_text` before anything else reads it, so the notation
reader, the question splitter and the checker see one kind of text whatever the file held.

**The line a person sees.** Line N of a finding is the line an editor, ``grep -n``, ``less -N`` and a diff
call line N: lines end at ``\\n``, at ``\\r\\n`` and at a lone ``\\r`` (old Mac files; every editor breaks the
line there too). Nothing else ends a line. Python's ``str.splitlines`` also breaks at form feed, vertical tab,
U+001C–U+001E, NEL (U+0085) and U+2028/U+2029; no editor numbers lines that way, so findings moved to the
wrong lines and questions (issue #11.4). Here those characters become a space, or vanish at the start and end
of a line, and the line count never changes.

A form feed is what PDF-to-text tools write at a page break (``pdftotext`` puts it at the start of the new
page's first line); a pager shows it as ``^L`` on that line, not as a line of its own, so it is not a line
here either. The page it marks is not lost for PDFs: the PDF reader locates every line by page itself.

Also: a BOM (anywhere), zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, soft hyphen) vanish; no-break and
other fixed-width spaces become a plain space; other control characters (escape sequences among them) vanish,
so nothing in a submission can drive a terminal. Tabs stay.
"""

from __future__ import annotations

import re

# Characters that some software treats as line ends but an editor shows within a line.
_NOT_LINE_ENDS = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"
# Invisible characters that change nothing a reader should see.
_ZERO_WIDTH = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e"
# Spaces of fixed or no-break width: a plain space to the reader.
_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_OTHER_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, *range(0x80, 0xa0))
                          if chr(c) not in _NOT_LINE_ENDS and chr(c) not in "\r")

_TO_SPACE = re.compile(f"[{re.escape(_NOT_LINE_ENDS + _SPACES)}]")
_DROP = str.maketrans(dict.fromkeys(_ZERO_WIDTH + _OTHER_CONTROLS))
_EDGE = re.compile(f"^[{re.escape(_NOT_LINE_ENDS)}]+|[{re.escape(_NOT_LINE_ENDS)}]+$", re.MULTILINE)


def normalize_text(text: str) -> str:
    """``text`` with ``\\n`` line ends and no invisible or line-breaking oddities; the line count is kept.

    Line k of the result is line k of the file as an editor numbers it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _EDGE.sub("", text)  # a page-break form feed at a line's start (or end) is not a character there
    text = _TO_SPACE.sub(" ", text)
    return text.translate(_DROP)


def line_count(text: str) -> int:
    """Lines as an editor numbers them (the number the last line gets)."""
    return normalize_text(text).count("\n") + 1
