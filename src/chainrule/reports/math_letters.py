"""Styled letters as Unicode mathematical alphanumerics: ``styled("R", "double-struck") == "ℝ"``.

MathML Core (what browsers render) ignores ``mathvariant`` except ``normal``: a bold or blackboard letter
must be its own character (U+1D400 block, with the older letterlike symbols ℝ ℕ ℤ ℂ ℚ ℎ ℬ ... where Unicode
placed them first). Characters with no styled form are left as they are.
"""

from __future__ import annotations

# The offset of capital A, small a, digit 0, capital Alpha and small alpha in each style (None: not encoded).
_LATIN_STYLES: dict[str, tuple[int, int, int | None, int | None, int | None]] = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2),
    "italic": (0x1D434, 0x1D44E, None, 0x1D6E2, 0x1D6FC),
    "bold-italic": (0x1D468, 0x1D482, None, 0x1D71C, 0x1D736),
    "script": (0x1D49C, 0x1D4B6, None, None, None),
    "bold-script": (0x1D4D0, 0x1D4EA, None, None, None),
    "fraktur": (0x1D504, 0x1D51E, None, None, None),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8, None, None),
    "bold-fraktur": (0x1D56C, 0x1D586, None, None, None),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2, None, None),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770),
    "sans-serif-italic": (0x1D608, 0x1D622, None, None, None),
    "sans-serif-bold-italic": (0x1D63C, 0x1D656, None, 0x1D790, 0x1D7AA),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6, None, None),
}
# Letters Unicode encoded before the mathematical block (their slots there are reserved, unassigned).
_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("italic", "h"): "ℎ",
    ("script", "B"): "ℬ", ("script", "E"): "ℰ", ("script", "F"): "ℱ", ("script", "H"): "ℋ",
    ("script", "I"): "ℐ", ("script", "L"): "ℒ", ("script", "M"): "ℳ", ("script", "R"): "ℛ",
    ("script", "e"): "ℯ", ("script", "g"): "ℊ", ("script", "o"): "ℴ",
    ("fraktur", "C"): "ℭ", ("fraktur", "H"): "ℌ", ("fraktur", "I"): "ℑ", ("fraktur", "R"): "ℜ",
    ("fraktur", "Z"): "ℨ",
    ("double-struck", "C"): "ℂ", ("double-struck", "H"): "ℍ", ("double-struck", "N"): "ℕ",
    ("double-struck", "P"): "ℙ", ("double-struck", "Q"): "ℚ", ("double-struck", "R"): "ℝ",
    ("double-struck", "Z"): "ℤ",
}
_ALIASES = {"calligraphic": "script", "bold-calligraphic": "bold-script", "normal": "", "bold-greek": "bold"}
# Greek capitals Α..Ω (with the gap at U+03A2) and smalls α..ω map onto 25 consecutive code points each.
_GREEK_CAPITALS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ"
_GREEK_SMALLS = "αβγδεζηθικλμνξοπρςστυφχψω"


def styled_char(char: str, variant: str) -> str:
    """One character in ``variant`` (``bold``, ``double-struck``, ...), or unchanged where Unicode has no form."""
    variant = _ALIASES.get(variant, variant)
    if variant not in _LATIN_STYLES:
        return char
    if (variant, char) in _EXCEPTIONS:
        return _EXCEPTIONS[(variant, char)]
    capital, small, digit, greek_capital, greek_small = _LATIN_STYLES[variant]
    if "A" <= char <= "Z":
        return chr(capital + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(small + ord(char) - ord("a"))
    if "0" <= char <= "9" and digit is not None:
        return chr(digit + ord(char) - ord("0"))
    if char in _GREEK_CAPITALS and greek_capital is not None:
        return chr(greek_capital + _GREEK_CAPITALS.index(char))
    if char in _GREEK_SMALLS and greek_small is not None:
        return chr(greek_small + _GREEK_SMALLS.index(char))
    return char


def styled(text: str, variant: str) -> str:
    """Every character of ``text`` in ``variant``."""
    return "".join(styled_char(char, variant) for char in text)
