"""Text that is safe to print on a terminal: no control characters from a submission or spec reach it.

A submission can carry escape sequences (ESC ``]52;`` writes the clipboard, others retitle the window, move
the cursor or hide text) and bidirectional overrides that make a line read differently from what it is.
Every terminal renderer passes what it prints through :func:`terminal_safe`; line breaks and tabs stay.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character replaced by a visible picture of it (``␛`` for ESC)."""
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"
