"""Errors of the reader: every one is an :class:`InputError` that says where, in plain words.

The reader's boundary turns whatever went wrong (a lark parse error, a bad token, an input that is too big
or too deep) into one of these, so a caller only ever catches :class:`NotationError`.
"""

from __future__ import annotations

from chainrule.errors import InputError


class NotationError(InputError):
    """Math that cannot be read. ``line``/``column`` point into the document; ``snippet`` shows the text
    around the place with a caret under it (empty when no text is at hand)."""

    def __init__(self, message: str, line: int, column: int, snippet: str = "") -> None:
        self.line = line
        self.column = column
        self.snippet = snippet
        super().__init__(message, f"line {line}, col {column}")

    @property
    def reason(self) -> str:
        return self.message


class UnbalancedDelimiter(NotationError):
    """A brace, bracket, parenthesis, bar, ``\\left``/``\\right`` or environment that is not closed or
    not opened."""


class UnknownCommand(NotationError):
    """A backslash command the reader does not know."""


class UnexpectedInput(NotationError):
    """Text that does not fit the grammar at this place (a dangling operator, a missing operand…)."""


class InputTooLarge(NotationError):
    """A span or document longer, or nested deeper, than the reader accepts."""


def caret_snippet(text: str, offset: int, width: int = 30) -> str:
    """The text around ``offset`` on one line and a caret under the offending character."""
    start = max(0, offset - width)
    end = min(len(text), offset + width)
    piece = text[start:end]
    cut = piece.rfind("\n", 0, offset - start)
    if cut >= 0:
        start += cut + 1
        piece = piece[cut + 1:]
    nl = piece.find("\n")
    if nl >= 0:
        piece = piece[:nl]
    piece = piece.replace("\t", " ")
    return f"{piece}\n{' ' * (offset - start)}^"
