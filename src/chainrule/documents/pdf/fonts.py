"""What a PDF font is for: prose, math letters, math symbols, big delimiters, blackboard bold …

TeX PDFs set math in dedicated fonts (cmmi for letters, cmsy for symbols, cmex for big delimiters and
operators, msbm for ℝ …) whose glyphs often carry plain names: PyMuPDF reports msbm's ℝ as "R" and cmsy's
𝓛 as "L", so the font decides what a character means. Word and LuaLaTeX use Unicode math fonts (Cambria Math,
STIX, Latin Modern Math) whose characters already say it. The family is told by name, the only thing a PDF
reliably keeps (subset prefixes like ``ABCDEF+`` and encodings like ``-Identity-H`` stripped first).
"""

from __future__ import annotations

import re
from enum import StrEnum


class FontRole(StrEnum):
    TEXT = "text"  # prose (and TeX's upright math: digits, =, +, function names in cmr)
    MATH_ITALIC = "math-italic"  # math letters: cmmi, Fourier letters, Unicode math fonts
    SYMBOL = "symbol"  # cmsy-like: operators, relations, calligraphic capitals
    EXTENSION = "extension"  # cmex-like: big delimiters and their pieces, big operators, radicals
    BLACKBOARD = "blackboard"  # msbm: ℝ, ℕ …
    AMS_SYMBOL = "ams-symbol"  # msam: ⊺, ∵, ⩾ …
    SCRIPT = "script"  # rsfs, eusm: script capitals
    FRAKTUR = "fraktur"  # eufm


def family(font_name: str) -> str:
    """The font's family name without the subset tag (``ABCDEF+``) or a CID encoding suffix."""
    name = re.sub(r"^[A-Z]{6}\+", "", font_name)
    return re.sub(r"-Identity-[HV]$", "", name)


_ROLE_PATTERNS: tuple[tuple[FontRole, re.Pattern[str]], ...] = (
    (FontRole.EXTENSION, re.compile(r"^(cmex|lmex|eurm?ex|rtxex|txex|pxex|zxex|mathkerncmex|esint|"
                                    r"fourier-math-extension|euclidextra|mtextra|stixsize|stixintegrals|"
                                    r"lmmathextension|.*-?extension$)", re.I)),
    (FontRole.BLACKBOARD, re.compile(r"^(msbm|bbold|bbm|dsrom|fourier-math-blackboard|.*blackboard)", re.I)),
    (FontRole.AMS_SYMBOL, re.compile(r"^msam", re.I)),
    (FontRole.SCRIPT, re.compile(r"^(rsfs|eusm|eusb|mathrsfs)", re.I)),
    (FontRole.FRAKTUR, re.compile(r"^(eufm|eufb)", re.I)),
    (FontRole.SYMBOL, re.compile(r"^(cmsy|cmbsy|lmsy|eusy|rtxsy|txsy|pxsy|zxsy|fourier-math-symbols|symbol$|"
                                 r"symbolmt|standardsymbols|euclidsymbol|lmmathsymbols|mt-?symbol|.*mathsymbols)",
                                 re.I)),
    (FontRole.MATH_ITALIC, re.compile(r"^(cmmi|cmmib|lmmi|eurm|eurb|rtxmi|txmi|pxmi|zxmi|mathitalic|"
                                      r"fourier-math-letters|lmmathitalic|cambria-?math|cambriamath|"
                                      r"stix.*math|xits.*math|latinmodern-?math|lmmath|texgyre.*math|"
                                      r"asana-?math|garamond-?math|libertinus-?math|firamath|"
                                      r"euclidmathone|euclid-?italic|mathjax_math|.*math-?italic)", re.I)),
)

_BOLD = re.compile(r"(^cmbx|^cmmib|^cmbsy|bold|^lmmib|black|heavy|semibold|demi)", re.I)
_ITALIC = re.compile(r"(^cmti|^cmmi|^cmsl|italic|ital|oblique|-it$|^lmmi)", re.I)
_MONO = re.compile(r"(^cmtt|^sftt|^lmmono|^lmtt|courier|mono|consol|menlo|inconsolata|^pcr|^txtt)", re.I)


def role(font_name: str) -> FontRole:
    """What the font is for (prose unless its family is a known math family)."""
    name = family(font_name)
    for found, pattern in _ROLE_PATTERNS:
        if pattern.match(name):
            return found
    return FontRole.TEXT


def is_bold(font_name: str, flags: int) -> bool:
    return bool(flags & 16) or bool(_BOLD.search(family(font_name)))


def is_italic(font_name: str, flags: int) -> bool:
    return bool(flags & 2) or bool(_ITALIC.search(family(font_name)))


def is_mono(font_name: str, flags: int) -> bool:
    return bool(flags & 8) or bool(_MONO.search(family(font_name)))
