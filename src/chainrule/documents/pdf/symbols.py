"""What each character on a PDF page is in math: its kind (letter, relation, delimiter piece …) and its LaTeX.

A character's meaning depends on its font (:mod:`.fonts`): cmex's code 0x58 is the display ∑, msbm's "R" is ℝ,
cmsy's "L" is 𝓛. For glyphs PyMuPDF cannot name it reports the character code, so the big-delimiter and
big-operator tables below are indexed by the TeX font's code (the layout every cmex-compatible font shares);
Adobe's private-use codes and Unicode's bracket pieces name the same pieces in other fonts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from chainrule.documents.pdf.fonts import FontRole


class Kind(StrEnum):
    LETTER = "letter"
    DIGIT = "digit"
    OPERATOR = "operator"  # binary: + − × · ∘ ⊙ …
    RELATION = "relation"  # = < ≤ ∈ → …
    PUNCT = "punct"
    OPEN = "open"
    CLOSE = "close"
    FENCE = "fence"  # | and ‖: open or close by position
    BIGOP = "bigop"  # ∑ ∏ ∫ …
    ACCENT = "accent"  # ˆ ˜ ¯ ˙ … placed over a base
    PIECE = "piece"  # a piece of an extensible delimiter
    RADICAL = "radical"
    NEGATION = "negation"  # the slash laid over a relation (≠ from = and /)
    SYMBOL = "symbol"  # ∂ ∇ ∞ ′ and other ordinary math symbols
    DOTS = "dots"
    OTHER = "other"


@dataclass(frozen=True)
class Meaning:
    kind: Kind
    latex: str  # what it is in LaTeX math ("" for a piece: the delimiter it builds is in ``char``)
    char: str  # the Unicode character it stands for (a piece: its delimiter, "(" "[" "{" "|" …)
    math: bool  # certainly math (a math font or a math-only character), not prose


GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ϵ": r"\epsilon", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ϖ": r"\varpi", "ρ": r"\rho",
    "ϱ": r"\varrho", "σ": r"\sigma", "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "ϕ": r"\phi",
    "φ": r"\varphi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta",
    "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon",
    "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "µ": r"\mu",
}

_SYMBOLS: dict[str, tuple[Kind, str]] = {
    "+": (Kind.OPERATOR, "+"), "−": (Kind.OPERATOR, "-"), "-": (Kind.OPERATOR, "-"), "×": (Kind.OPERATOR, r"\times"),
    "·": (Kind.OPERATOR, r"\cdot"), "⋅": (Kind.OPERATOR, r"\cdot"), "∗": (Kind.OPERATOR, "*"),
    "*": (Kind.OPERATOR, "*"),
    "÷": (Kind.OPERATOR, r"\div"), "±": (Kind.OPERATOR, r"\pm"), "∓": (Kind.OPERATOR, r"\mp"),
    "∘": (Kind.OPERATOR, r"\circ"), "◦": (Kind.OPERATOR, r"\circ"), "⊙": (Kind.OPERATOR, r"\odot"),
    "⊕": (Kind.OPERATOR, r"\oplus"), "⊗": (Kind.OPERATOR, r"\otimes"), "∪": (Kind.OPERATOR, r"\cup"),
    "∩": (Kind.OPERATOR, r"\cap"), "∧": (Kind.OPERATOR, r"\wedge"), "∨": (Kind.OPERATOR, r"\vee"),
    "∖": (Kind.OPERATOR, r"\setminus"), "\\": (Kind.OPERATOR, r"\setminus"), "/": (Kind.OPERATOR, "/"),
    "•": (Kind.OPERATOR, r"\bullet"), "⋆": (Kind.OPERATOR, r"\star"), "†": (Kind.SYMBOL, r"\dagger"),
    "=": (Kind.RELATION, "="), "<": (Kind.RELATION, "<"), ">": (Kind.RELATION, ">"), "≤": (Kind.RELATION, r"\leq"),
    "≥": (Kind.RELATION, r"\geq"), "⩽": (Kind.RELATION, r"\leq"), "⩾": (Kind.RELATION, r"\geq"),
    "≠": (Kind.RELATION, r"\neq"), "≈": (Kind.RELATION, r"\approx"), "≡": (Kind.RELATION, r"\equiv"),
    "∼": (Kind.RELATION, r"\sim"), "~": (Kind.RELATION, r"\sim"), "≃": (Kind.RELATION, r"\simeq"),
    "≅": (Kind.RELATION, r"\cong"), "∝": (Kind.RELATION, r"\propto"), "≪": (Kind.RELATION, r"\ll"),
    "≫": (Kind.RELATION, r"\gg"), "∈": (Kind.RELATION, r"\in"), "∉": (Kind.RELATION, r"\notin"),
    "∋": (Kind.RELATION, r"\ni"), "⊂": (Kind.RELATION, r"\subset"), "⊃": (Kind.RELATION, r"\supset"),
    "⊆": (Kind.RELATION, r"\subseteq"), "⊇": (Kind.RELATION, r"\supseteq"), "→": (Kind.RELATION, r"\to"),
    "←": (Kind.RELATION, r"\leftarrow"), "↔": (Kind.RELATION, r"\leftrightarrow"), "⇒": (Kind.RELATION, r"\Rightarrow"),
    "⇐": (Kind.RELATION, r"\Leftarrow"), "⇔": (Kind.RELATION, r"\Leftrightarrow"), "↦": (Kind.RELATION, r"\mapsto"),
    "⟶": (Kind.RELATION, r"\longrightarrow"), "⟹": (Kind.RELATION, r"\implies"), "≔": (Kind.RELATION, ":="),
    "≜": (Kind.RELATION, r"\triangleq"), "⊥": (Kind.SYMBOL, r"\perp"), "∥": (Kind.FENCE, r"\|"),
    "‖": (Kind.FENCE, r"\|"), "|": (Kind.FENCE, "|"), "∣": (Kind.FENCE, "|"),
    "(": (Kind.OPEN, "("), ")": (Kind.CLOSE, ")"), "[": (Kind.OPEN, "["), "]": (Kind.CLOSE, "]"),
    "{": (Kind.OPEN, r"\{"), "}": (Kind.CLOSE, r"\}"), "⟨": (Kind.OPEN, r"\langle"), "⟩": (Kind.CLOSE, r"\rangle"),
    "〈": (Kind.OPEN, r"\langle"), "〉": (Kind.CLOSE, r"\rangle"), "⌊": (Kind.OPEN, r"\lfloor"),
    "⌋": (Kind.CLOSE, r"\rfloor"), "⌈": (Kind.OPEN, r"\lceil"), "⌉": (Kind.CLOSE, r"\rceil"),
    "∑": (Kind.BIGOP, r"\sum"), "∏": (Kind.BIGOP, r"\prod"), "∫": (Kind.BIGOP, r"\int"), "∮": (Kind.BIGOP, r"\oint"),
    "⋃": (Kind.BIGOP, r"\bigcup"), "⋂": (Kind.BIGOP, r"\bigcap"), "∐": (Kind.BIGOP, r"\coprod"),
    "⨁": (Kind.BIGOP, r"\bigoplus"), "⨂": (Kind.BIGOP, r"\bigotimes"),
    "∂": (Kind.SYMBOL, r"\partial"), "∇": (Kind.SYMBOL, r"\nabla"), "∞": (Kind.SYMBOL, r"\infty"),
    "′": (Kind.SYMBOL, r"\prime"), "″": (Kind.SYMBOL, r"\prime\prime"), "ℓ": (Kind.LETTER, r"\ell"),
    "ı": (Kind.LETTER, r"\imath"), "ȷ": (Kind.LETTER, r"\jmath"), "℘": (Kind.LETTER, r"\wp"),
    "ℏ": (Kind.LETTER, r"\hbar"), "ℵ": (Kind.LETTER, r"\aleph"), "∅": (Kind.SYMBOL, r"\emptyset"),
    "∀": (Kind.SYMBOL, r"\forall"), "∃": (Kind.SYMBOL, r"\exists"), "¬": (Kind.SYMBOL, r"\neg"),
    "⊤": (Kind.SYMBOL, r"\top"), "⊺": (Kind.SYMBOL, r"\top"), "ᵀ": (Kind.SYMBOL, r"\top"),
    "∵": (Kind.PUNCT, "∵"), "∴": (Kind.PUNCT, "∴"), "√": (Kind.RADICAL, r"\sqrt"),
    "…": (Kind.DOTS, r"\ldots"), "⋯": (Kind.DOTS, r"\cdots"), "⋮": (Kind.DOTS, r"\vdots"), "⋱": (Kind.DOTS, r"\ddots"),
    "̸": (Kind.NEGATION, ""), "⧸": (Kind.NEGATION, ""),
    ",": (Kind.PUNCT, ","), ".": (Kind.PUNCT, "."), ";": (Kind.PUNCT, ";"), ":": (Kind.PUNCT, ":"),
    "!": (Kind.PUNCT, "!"), "?": (Kind.PUNCT, "?"), "'": (Kind.SYMBOL, r"\prime"), "’": (Kind.PUNCT, "'"),
    "%": (Kind.SYMBOL, r"\%"), "&": (Kind.SYMBOL, r"\&"), "#": (Kind.SYMBOL, r"\#"), "_": (Kind.SYMBOL, r"\_"),
    "$": (Kind.SYMBOL, r"\$"), "^": (Kind.ACCENT, r"\hat"), "ˆ": (Kind.ACCENT, r"\hat"), "˜": (Kind.ACCENT, r"\tilde"),
    "¯": (Kind.ACCENT, r"\bar"), "ˉ": (Kind.ACCENT, r"\bar"), "˙": (Kind.ACCENT, r"\dot"), "¨": (Kind.ACCENT, r"\ddot"),
    "ˇ": (Kind.ACCENT, r"\check"), "˘": (Kind.ACCENT, r"\breve"), "´": (Kind.ACCENT, r"\acute"),
    "`": (Kind.ACCENT, r"\grave"), "⃗": (Kind.ACCENT, r"\vec"), "̂": (Kind.ACCENT, r"\hat"), "̃": (Kind.ACCENT, r"\tilde"),
    "̄": (Kind.ACCENT, r"\bar"), "̇": (Kind.ACCENT, r"\dot"), "̈": (Kind.ACCENT, r"\ddot"),
    "𝟙": (Kind.LETTER, r"\mathbb{1}"), "ℝ": (Kind.LETTER, r"\mathbb{R}"), "ℕ": (Kind.LETTER, r"\mathbb{N}"),
    "ℤ": (Kind.LETTER, r"\mathbb{Z}"), "ℚ": (Kind.LETTER, r"\mathbb{Q}"), "ℂ": (Kind.LETTER, r"\mathbb{C}"),
    "ℎ": (Kind.LETTER, "h"),
}
# Characters that are math whatever font sets them (a text font's "=" is still an equation).
_ALWAYS_MATH = set("=<>+×·⋅÷±∓∘⊙⊕⊗∪∩∧∨∖≤≥⩽⩾≠≈≡∼≃≅∝≪≫∈∉∋⊂⊃⊆⊇→←↔⇒⇐⇔↦⟶⟹≔≜⊥∥‖∣⟨⟩⌊⌋⌈⌉∑∏∫∮⋃⋂∐⨁⨂∂∇∞′″ℓ∅∀∃⊤⊺ᵀ"
                   "√⋯⋮⋱̸⧸𝟙ℝℕℤℚℂ") | set(GREEK)

# Signs that stand for words between formulas ("because", "therefore"): prose, whatever font sets them.
_WORDS = set("∵∴")

# cmex by character code: a delimiter of some size, a piece of an extensible one, a big operator …
_CMEX_DELIMS = "()[]⌊⌋⌈⌉{}⟨⟩|‖/\\"
_CMEX: dict[int, tuple[Kind, str]] = {}
for _k, _c in enumerate(_CMEX_DELIMS):  # 0x00-0x0F: \big
    _CMEX[_k] = (Kind.PIECE if _c in "|‖" else Kind.OPEN, _c)
for _start, _chars in ((0x10, "()"), (0x12, "()[]⌊⌋⌈⌉{}⟨⟩/\\"), (0x20, "()[]⌊⌋⌈⌉{}⟨⟩/\\"), (0x2E, "/\\"),
                       (0x44, "⟨⟩"), (0x68, "[]⌊⌋⌈⌉{}")):
    for _k, _c in enumerate(_chars):
        _CMEX[_start + _k] = (Kind.OPEN, _c)
for _code, _c in ((0x30, "("), (0x31, ")"), (0x32, "["), (0x33, "]"), (0x34, "["), (0x35, "]"), (0x36, "["),
                  (0x37, "]"), (0x38, "{"), (0x39, "}"), (0x3A, "{"), (0x3B, "}"), (0x3C, "{"), (0x3D, "}"),
                  (0x3E, "{"), (0x3F, "|"), (0x40, "("), (0x41, ")"), (0x42, "("), (0x43, ")"), (0x77, "‖"),
                  (0x74, "√"), (0x75, "√"), (0x76, "√")):
    _CMEX[_code] = (Kind.PIECE, _c)
for _start, _chars in ((0x46, "⊔⊔∮∮⊙⊙⊕⊕⊗⊗∑∏∫⋃⋂⊎∧∨∑∏∫⋃⋂⊎∧∨∐∐"),):
    for _k, _c in enumerate(_chars):
        _CMEX[_start + _k] = (Kind.BIGOP, _c)
for _code in range(0x62, 0x65):
    _CMEX[_code] = (Kind.ACCENT, "ˆ")
for _code in range(0x65, 0x68):
    _CMEX[_code] = (Kind.ACCENT, "˜")
for _code in range(0x70, 0x74):
    _CMEX[_code] = (Kind.RADICAL, "√")
_BIGOP_LATEX = {"⊔": r"\bigsqcup", "⊙": r"\bigodot", "⊕": r"\bigoplus", "⊗": r"\bigotimes", "⊎": r"\biguplus",
                "∧": r"\bigwedge", "∨": r"\bigvee", "⋃": r"\bigcup", "⋂": r"\bigcap"}

# Pieces of extensible delimiters under Adobe's private-use codes and Unicode's own bracket pieces.
_PIECES = {**dict.fromkeys("\uf8eb\uf8ec\uf8ed⎛⎜⎝", "("), **dict.fromkeys("\uf8f6\uf8f7\uf8f8⎞⎟⎠", ")"),
           **dict.fromkeys("\uf8ee\uf8ef\uf8f0⎡⎢⎣", "["), **dict.fromkeys("\uf8f9\uf8fa\uf8fb⎤⎥⎦", "]"),
           **dict.fromkeys("\uf8f1\uf8f2\uf8f3\uf8f4⎧⎨⎩⎪", "{"), **dict.fromkeys("\uf8fc\uf8fd\uf8fe⎫⎬⎭", "}"),
           **dict.fromkeys("\uf8e6⏐", "|"), **dict.fromkeys("⌠⌡⎮\uf8f5", "∫")}

# cmsy by character code, for glyph names PyMuPDF does not know (then it reports the code).
_CMSY_LOW = ("−·×∗÷⋄±∓⊕⊖⊗⊘⊙◯∘•≍≡⊆⊇≤≥⪯⪰∼≈⊂⊃≪≫≺≻←→↑↓↔↗↘≃⇐⇒⇑⇓⇔↖↙∝"
             "′∞∈∋△▽̸↦∀∃¬∅ℜℑ⊤⊥ℵ")

_ALPHANUMERIC_STYLES = (("DOUBLE-STRUCK", r"\mathbb"), ("FRAKTUR", r"\mathfrak"), ("SCRIPT", r"\mathcal"),
                        ("BOLD", r"\mathbf"), ("MONOSPACE", r"\mathtt"), ("SANS-SERIF", r"\mathsf"))


def _plain(char: str, kind: Kind, latex: str, math: bool) -> Meaning:
    return Meaning(kind, latex, char, math)


def _alphanumeric(char: str) -> Meaning | None:
    """A Unicode mathematical alphanumeric (𝑥, 𝐱, 𝔼, 𝒳 …) as its letter with LaTeX's style command."""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    if not name.startswith("MATHEMATICAL ") or not ("0x1D400" <= f"0x{ord(char):05X}" <= "0x1D7FF"):
        return None
    base = unicodedata.normalize("NFKC", char)
    if len(base) != 1:
        return None
    inner = GREEK.get(base, base)
    for word, command in _ALPHANUMERIC_STYLES:
        if word in name:
            kind = Kind.DIGIT if base.isdigit() else Kind.LETTER
            return _plain(base, kind, f"{command}{{{inner}}}", True)
    return _plain(base, Kind.DIGIT if base.isdigit() else Kind.LETTER, inner, True)


_CMEX_CODED = re.compile(r"^(cmex|cmbex|lmex|txex|pxex|rtxex|zxex|eurmex|mathkerncmex|fourier-math-extension)", re.I)
_CMSY_CODED = re.compile(r"^(cmsy|cmbsy|lmsy|rtxsy|txsy|pxsy|zxsy)", re.I)


def meaning(char: str, role: FontRole, family: str = "") -> Meaning:
    """What ``char`` set in a font of ``role`` (family name ``family``) stands for."""
    if role is FontRole.EXTENSION:
        found = _extension(char, bool(_CMEX_CODED.match(family)))
        if found is not None:
            return found
    if role is FontRole.SYMBOL and len(char) == 1:
        code = ord(char)
        if _CMSY_CODED.match(family) and (code < 0x20 or 0x21 <= code <= 0x40):
            char = _CMSY_LOW[code]
        elif "A" <= char <= "Z":
            return _plain(char, Kind.LETTER, rf"\mathcal{{{char}}}", True)
    if role in (FontRole.BLACKBOARD,) and char.isalnum() and char.isascii():
        return _plain(char, Kind.LETTER, rf"\mathbb{{{char}}}", True)
    if role is FontRole.SCRIPT and char.isascii() and char.isalpha():
        return _plain(char, Kind.LETTER, rf"\mathcal{{{char}}}", True)
    if role is FontRole.FRAKTUR and char.isascii() and char.isalpha():
        return _plain(char, Kind.LETTER, rf"\mathfrak{{{char}}}", True)
    if role is FontRole.MATH_ITALIC and char == "~":
        return _plain("⃗", Kind.ACCENT, r"\vec", True)
    math_font = role is not FontRole.TEXT
    if char in _PIECES:
        return _plain(_PIECES[char], Kind.PIECE, "", True)
    if char in GREEK:
        return _plain(char, Kind.LETTER, GREEK[char], True)
    if char in _SYMBOLS:
        kind, latex = _SYMBOLS[char]
        if char in _WORDS:
            return _plain(char, kind, latex, False)
        return _plain(char, kind, latex, math_font or char in _ALWAYS_MATH)
    if char.isdigit() and char.isascii():
        return _plain(char, Kind.DIGIT, char, math_font)
    if char.isalpha():
        if char.isascii():
            return _plain(char, Kind.LETTER, char, math_font)
        styled = _alphanumeric(char)
        if styled is not None:
            return styled
        return _plain(char, Kind.LETTER, char, math_font)
    return _plain(char, Kind.OTHER, char, math_font)


def _extension(char: str, coded: bool) -> Meaning | None:
    if char in _PIECES:
        return _plain(_PIECES[char], Kind.PIECE, "", True)
    if coded and len(char) == 1 and ord(char) in _CMEX:
        kind, value = _CMEX[ord(char)]
        if kind is Kind.BIGOP:
            latex = _BIGOP_LATEX.get(value) or _SYMBOLS[value][1]
            return _plain(value, kind, latex, True)
        if kind is Kind.ACCENT:
            return _plain(value, kind, _SYMBOLS[value][1], True)
        if kind is Kind.RADICAL:
            return _plain(value, kind, r"\sqrt", True)
        if kind is Kind.OPEN:  # a single sized delimiter: open or close as its character says
            return _plain(value, _SYMBOLS.get(value, (Kind.OPEN, value))[0], _SYMBOLS.get(value, (Kind.OPEN, value))[1],
                          True)
        return _plain(value, Kind.PIECE, "", True)
    return None


def delimiter_latex(char: str) -> str:
    """LaTeX for a delimiter character ("(" → "(", "{" → "\\{", "‖" → "\\|")."""
    return _SYMBOLS.get(char, (Kind.OTHER, char))[1]
