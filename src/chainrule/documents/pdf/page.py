"""One PDF page as the layout works on it: every character with its tight box, baseline, size and meaning,
and the thin horizontal rules (fraction bars, radical overbars, overlines) the page draws.

PyMuPDF's ``rawdict`` gives the characters; ``TEXT_INHIBIT_SPACES`` keeps out the spaces it would invent
(gaps are measured here instead), ``TEXT_ACCURATE_BBOXES`` gives each glyph its real ink box (a cmex
bracket piece hangs below its origin; an accent sits high above it), and ``TEXT_CID_FOR_UNKNOWN_UNICODE``
reports a glyph PyMuPDF cannot name by its code, which :mod:`.symbols` reads by font.
"""

from __future__ import annotations

import pymupdf

from chainrule.documents.pdf.fonts import FontRole, family, is_bold, is_italic, is_mono, role
from chainrule.documents.pdf.items import Glyph, Rule
from chainrule.documents.pdf.symbols import Kind, meaning

TEXT_FLAGS = (pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
              | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE | pymupdf.TEXT_INHIBIT_SPACES | pymupdf.TEXT_ACCURATE_BBOXES)
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


class PageTooBusy(Exception):
    """More characters or drawings on one page than a hand-in has; the caller reports it, located."""


def page_glyphs(page: pymupdf.Page, max_chars: int) -> list[Glyph]:
    """Every visible character of ``page`` as a :class:`Glyph` (vertical text and blanks left out)."""
    raw = page.get_text("rawdict", flags=TEXT_FLAGS)
    glyphs: list[Glyph] = []
    for block in raw.get("blocks", ()):
        for line in block.get("lines", ()):
            direction = line.get("dir", (1.0, 0.0))
            if abs(direction[1]) > 0.01 or direction[0] < 0:  # rotated text: margins, watermarks
                continue
            for span in line.get("spans", ()):
                glyphs.extend(_span_glyphs(span))
                if len(glyphs) > max_chars:
                    raise PageTooBusy(f"more than {max_chars} characters")
    return glyphs


def _span_glyphs(span: dict) -> list[Glyph]:
    font = span.get("font", "")
    name = family(font)
    font_role = role(font)
    flags = int(span.get("flags", 0))
    size = float(span.get("size", 0.0))
    if size <= 0.5:
        return []
    bold, italic, mono = is_bold(font, flags), is_italic(font, flags), is_mono(font, flags)
    out: list[Glyph] = []
    for ch in span.get("chars", ()):
        text = ch.get("c", "")
        if not text or text == "\ufffd" or (text.isspace() and (font_role is FontRole.TEXT or text == " ")):
            continue  # a math font's control codes (cmex's 0x0D, a piece of ‖) are glyphs, not blanks
        x0, y0, x1, y1 = ch["bbox"]
        if x1 - x0 <= 0 and y1 - y0 <= 0:
            continue
        base = float(ch["origin"][1])
        expanded = _LIGATURES.get(text)
        if expanded:  # split a ligature so words read as typed
            step = (x1 - x0) / len(expanded)
            for k, letter in enumerate(expanded):
                out.append(Glyph(x0 + k * step, y0, x0 + (k + 1) * step, y1, base, size, char=letter,
                                 mean=meaning(letter, font_role, name), font=name, role=font_role, bold=bold,
                                 italic=italic, mono=mono))
            continue
        mean = meaning(text, font_role, name)
        if font_role is FontRole.EXTENSION:
            depth = extension_depth(text)
            if depth is not None:
                y0, y1 = base, base + depth * size
        elif y1 - y0 > 0.85 * size or y1 - y0 < 0.05:
            y0, y1 = ink_box(mean.char or text, mean.kind, base, size)
        out.append(Glyph(float(x0), float(y0), float(x1), float(y1), base, size, char=mean.char or text, mean=mean,
                         font=name, role=font_role, bold=bold, italic=italic, mono=mono))
    return _without_overprints(out)


def _without_overprints(glyphs: list[Glyph]) -> list[Glyph]:
    """One glyph for a character printed several times at (almost) one place: "poor man's bold" (``\\pmb``
    prints it three times, slightly shifted) or a duplicated text layer. The survivor is bold."""
    kept: list[Glyph] = []
    seen: dict[str, list[Glyph]] = {}
    for g in glyphs:
        twins = seen.setdefault(g.char, [])
        twin = next((t for t in twins if abs(t.x0 - g.x0) < 0.15 * g.size and abs(t.base - g.base) < 0.15 * g.size
                     and abs(t.size - g.size) < 0.05 * g.size), None)
        if twin is not None:
            twin.bold = True
            continue
        twins.append(g)
        kept.append(g)
    return kept


_TALL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhklt!?ΓΔΘΛΞΠΣΥΦΨΩβδζθλξϕφψϑ∂ℓ∇∀∃#%&@")
_DESCENDING = set("gjpqyβγζημξρφχψςϱ,;")
_LOW = set(".,;:_")
_BOXES = {**dict.fromkeys("()[]{}|‖⟨⟩⌊⌋⌈⌉/\\", (0.75, -0.25)), **dict.fromkeys("+±∓", (0.58, -0.08)),
          **dict.fromkeys("=≡≈∼≃", (0.37, 0.13)), **dict.fromkeys("−-·×∗*", (0.33, 0.17)),
          **dict.fromkeys("<>≤≥⩽⩾⊂⊃⊆⊇∈∉∋", (0.6, -0.1)), **dict.fromkeys("→←↔⇒⇐⇔↦", (0.37, 0.13)),
          **dict.fromkeys("ˆ˜¯ˉ˙¨ˇ˘´`^~", (0.7, 0.5)), "′": (0.75, 0.35), "∞": (0.43, 0.0),
          "∑": (0.75, -0.25), "∏": (0.75, -0.25), "∫": (0.8, -0.3)}


# How far below its origin each glyph of a cmex-like font reaches, in em (the glyphs hang from the origin;
# TeX centres them on the axis). Indexed by the character PyMuPDF reports: the code, or Adobe's private-use
# piece names.
_DEPTHS: dict[str, float] = {}
_RANGES = ((0x00, 0x0B, 1.2), (0x0C, 0x0D, 0.6), (0x0E, 0x0F, 1.2), (0x10, 0x11, 1.8), (0x12, 0x1F, 2.4),
           (0x20, 0x2D, 3.0), (0x2E, 0x2F, 1.8), (0x30, 0x35, 1.8), (0x36, 0x37, 0.6), (0x38, 0x3D, 0.9),
           (0x3E, 0x3E, 0.3), (0x3F, 0x3F, 0.6), (0x40, 0x41, 1.8), (0x42, 0x43, 0.6), (0x44, 0x45, 1.8),
           (0x46, 0x46, 1.0), (0x47, 0x47, 1.4), (0x48, 0x48, 1.1), (0x49, 0x49, 2.2), (0x4A, 0x4F, 1.0),
           (0x50, 0x57, 1.0), (0x58, 0x59, 1.4), (0x5A, 0x5A, 2.2), (0x5B, 0x5F, 1.4), (0x60, 0x60, 1.0),
           (0x61, 0x61, 1.4), (0x68, 0x6F, 1.8), (0x70, 0x70, 1.2), (0x71, 0x71, 1.8), (0x72, 0x72, 2.4),
           (0x73, 0x73, 3.0), (0x74, 0x74, 1.8), (0x75, 0x76, 0.6), (0x77, 0x77, 0.6))
for _first, _last, _depth in _RANGES:
    for _code in range(_first, _last + 1):
        _DEPTHS[chr(_code)] = _depth
_PIECE_DEPTHS = (("\uf8eb\uf8ed\uf8f6\uf8f8\uf8ee\uf8f0\uf8f9\uf8fb", 1.8), ("\uf8ec\uf8f7\uf8ef\uf8fa\uf8e6", 0.6),
                 ("\uf8f1\uf8f2\uf8f3\uf8fc\uf8fd\uf8fe", 0.9), ("\uf8f4", 0.3))
for _chars, _depth in _PIECE_DEPTHS:
    for _char in _chars:
        _DEPTHS[_char] = _depth


def extension_depth(char: str) -> float | None:
    """The depth below the origin (in em) of a cmex-like glyph, or None when the character is not one."""
    return _DEPTHS.get(char)


def ink_box(char: str, kind: Kind, base: float, size: float) -> tuple[float, float]:
    """Top and bottom of a character's ink, from typographic proportions (used where the PDF only gives the
    font's whole ascender-to-descender box, which is the same for "o" and "T")."""
    if char in _BOXES:
        top, bottom = _BOXES[char]
    elif char in _LOW:
        top, bottom = 0.12, (-0.19 if char in ",;" else 0.0)
    else:
        top = 0.69 if (char in _TALL or not char.isalpha() or kind is not Kind.LETTER) else 0.45
        if char.isalpha() and char.isupper():
            top = 0.69
        bottom = -0.19 if char in _DESCENDING else 0.0
    return base - top * size, base - bottom * size


def page_rules(page: pymupdf.Page, max_drawings: int) -> list[Rule]:
    """The thin horizontal strokes and filled bars of ``page`` (TeX draws fraction bars and radical
    overbars as either)."""
    rules: list[Rule] = []
    drawings = page.get_cdrawings()
    if len(drawings) > max_drawings:
        raise PageTooBusy(f"more than {max_drawings} drawings")
    for drawing in drawings:
        width = drawing.get("width") or 0.0
        for item in drawing.get("items", ()):
            if item[0] == "l":
                (ax, ay), (bx, by) = item[1], item[2]
                if abs(ay - by) < 0.3 and abs(bx - ax) > 1.0 and 0 < width < 2.0:
                    rules.append(Rule(min(ax, bx), max(ax, bx), (ay + by) / 2, width))
            elif item[0] == "re" and drawing.get("fill") is not None:
                x0, y0, x1, y1 = item[1]
                height, length = abs(y1 - y0), abs(x1 - x0)
                if 0 < height < 2.0 and length > 2.5 * height and length > 1.0:
                    rules.append(Rule(min(x0, x1), max(x0, x1), (y0 + y1) / 2, height))
    return rules
