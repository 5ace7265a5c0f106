"""What program syntax looks like in text a person reads (shared by the words tests and the corpus page test)."""

from __future__ import annotations

import re

# `**`, `exp(`, `sqrt(`, `Abs(`, `True`/`False`, `oo`, `7*q`, and internal names such as `dl_dyhat`.
SYNTAX = re.compile(r"\*\*|\bexp\(|\bsqrt\(|\bAbs\(|\bTrue\b|\bFalse\b|\boo\b|[\w)]\*\w|"
                    r"\b[A-Za-z]{2,}_[A-Za-z]{2,}\b")
# PyTorch's own keyword names are how people write PyTorch code, not chainrule's internals.
ALLOWED_NAMES = {"negative_slope", "zero_grad"}


def leaks(text: str) -> list[str]:
    """The places in ``text`` (prose a person reads, math and code removed) that look like program syntax."""
    prose = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`\n]*`|\]\([^)\s]*\)|<[^>]+>", " ", text, flags=re.DOTALL)
    prose = re.sub(r"\*\*[^*\n]+\*\*", " ", prose)  # Markdown bold is fine
    found = []
    for match in SYNTAX.finditer(prose):
        if match.group() in ALLOWED_NAMES:
            continue
        found.append(prose[max(0, match.start() - 40) : match.end() + 30].replace("\n", " "))
    return found
