"""The hand-written tokenizer that feeds the lark grammar.

Why by hand: LaTeX's lexical rules depend on context a regular lexer cannot see — ``\\text{…}`` swallows raw
words, ``^23`` takes one digit, a bar ``|`` opens or closes depending on what came before, ``\\left``
forces the next delimiter open — and one linear pass keeps the reader well under a millisecond per span.
The pass also checks that every brace, bracket and environment is balanced, so the commonest mistake gets
the plainest message ("unbalanced brace") at the exact place, and it bounds the nesting depth.

Tokens are small :class:`Tok` records (type, value, line, column and offsets in the *document*); the parser
drives lark's LALR tables with them directly.
"""

from __future__ import annotations

import re

from chainrule.notation.errors import (
    InputTooLarge,
    NotationError,
    UnbalancedDelimiter,
    UnknownCommand,
    caret_snippet,
)

MAX_NESTING = 60

GREEK = {
    "alpha": "alpha", "beta": "beta", "gamma": "gamma", "delta": "delta", "epsilon": "epsilon",
    "varepsilon": "epsilon", "zeta": "zeta", "eta": "eta", "theta": "theta", "vartheta": "theta",
    "iota": "iota", "kappa": "kappa", "lambda": "lambda", "mu": "mu", "nu": "nu", "xi": "xi", "pi": "pi",
    "varpi": "pi", "rho": "rho", "varrho": "rho", "sigma": "sigma", "varsigma": "sigma", "tau": "tau",
    "upsilon": "upsilon", "phi": "phi", "varphi": "phi", "chi": "chi", "psi": "psi", "omega": "omega",
    "Gamma": "Gamma", "Delta": "Delta", "Theta": "Theta", "Lambda": "Lambda", "Xi": "Xi", "Pi": "Pi",
    "Sigma": "Sigma", "Upsilon": "Upsilon", "Phi": "Phi", "Psi": "Psi", "Omega": "Omega", "ell": "ell",
}
UNICODE_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "ℓ": "ell",
}

RELATIONS = {
    "=": "=", "<": "<", ">": ">", "lt": "<", "gt": ">", "le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥",
    "geq": "≥", "geqslant": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "simeq": "≈", "sim": "∼", "equiv": "≡",
    "triangleq": "≜", "coloneqq": ":=", "eqqcolon": "=:", "doteq": "≐", "propto": "∝", "in": "∈",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "to": "→", "rightarrow": "→", "longrightarrow": "→",
    "mapsto": "↦", "leftarrow": "←", "Rightarrow": "⇒", "Longrightarrow": "⇒", "implies": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "Longleftrightarrow": "⇔", "iff": "⇔", "ll": "≪", "gg": "≫",
    "mid": "∣",
}
UNICODE_RELATIONS = {
    "≤": "≤", "≥": "≥", "≠": "≠", "≈": "≈", "→": "→", "⇒": "⇒", "⇔": "⇔", "∈": "∈", "≜": "≜", "≡": "≡",
    "∝": "∝", "⟹": "⇒", "⟺": "⇔", "↦": "↦", "∼": "∼", "⩽": "≤", "⩾": "≥",
}
MULOPS = {"cdot": "cdot", "times": "times", "odot": "odot", "circ": "circ", "otimes": "otimes", "ast": "star",
          "div": "slash", "bullet": "cdot"}
UNICODE_MULOPS = {"·": "cdot", "×": "times", "⊙": "odot", "∘": "circ", "⊗": "otimes", "∗": "star", "÷": "slash"}
FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "log": "log",
    "ln": "ln", "exp": "exp", "det": "det", "sgn": "sign", "arctan": "arctan", "arcsin": "arcsin",
    "arccos": "arccos", "coth": "coth", "lg": "log", "Pr": "Pr", "tr": "trace", "Tr": "trace",
}
BIGOPS = {"sum": "sum", "prod": "prod", "int": "int", "iint": "iint", "iiint": "iiint", "oint": "oint"}
MAXMIN = {"max": "max", "min": "min", "sup": "sup", "inf": "inf", "argmax": "argmax", "argmin": "argmin"}
STYLES = {
    "mathbf": "bold", "boldsymbol": "bold", "bm": "bold", "pmb": "bold", "mathbb": "bb", "mathcal": "cal",
    "mathscr": "cal", "mathsf": "sf", "mathit": "plain", "mathfrak": "frak", "bf": "bold", "mathbfit": "bold",
}
ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar",
           "overline": "bar", "dot": "dot", "ddot": "ddot", "vec": "vec", "check": "check"}
BOXES = {"boxed": "boxed", "underline": "underline", "fbox": "boxed"}
TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "mathrm", "operatorname", "mbox",
                 "textnormal", "operatorname*"}
DOTS = {"cdots": "cdots", "ldots": "ldots", "dots": "ldots", "vdots": "vdots", "ddots": "ddots",
        "dotsc": "ldots", "dotsb": "cdots", "dotsm": "cdots", "cdotp": "cdot"}
SPACING = {",", ";", ":", "!", " ", "enspace", "thinspace", "medspace", "thickspace", "negthinspace",
           "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag", "square",
           "blacksquare", "qed", "Box", "mathstrut", "strut", "left.", "right.", "middle", "quad", "qquad",
           "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
           "bigm", "Bigm", "allowbreak", "\n", "\t", "%", "#", "$", "&", "_"}
SKIP_WITH_ARGUMENT = {"label", "tag", "hspace", "vspace", "hspace*", "tag*", "phantom", "hphantom", "vphantom",
                      "color", "eqref", "ref"}
MATRIX_ENVS = {"pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix", "smallmatrix", "array"}
CASES_ENVS = {"cases", "dcases", "rcases"}
LAYOUT_ENVS = {"align", "align*", "aligned", "equation", "equation*", "gather", "gather*", "gathered", "split",
               "multline", "multline*", "alignat", "alignat*", "alignedat", "eqnarray", "eqnarray*", "flalign",
               "flalign*", "displaymath", "math"}
WORD_FUNCTIONS = {
    "max": "max", "min": "min", "log": "log", "ln": "ln", "exp": "exp", "tanh": "tanh", "sin": "sin",
    "cos": "cos", "diag": "diag", "softmax": "softmax", "sign": "sign", "sgn": "sign", "relu": "relu",
    "sigmoid": "sigmoid", "argmax": "argmax", "argmin": "argmin", "softplus": "softplus", "tr": "trace",
    "trace": "trace",
}

OPENERS = {"LPAR": ")", "LSQB": "]", "LBRACE": "}", "LSET": "\\}"}
CLOSER_TYPE = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE", "RSET": "LSET"}
DELIM_WORDS = {"LPAR": "parenthesis", "LSQB": "bracket", "LBRACE": "brace", "LSET": "set brace",
               "NORM": "norm bar", "ABS": "absolute-value bar"}
OPERAND_END = {"NUMBER", "LETTER", "WORD", "GREEK", "RPAR", "RSQB", "RBRACE", "RSET", "NORM_R", "ABS_R", "INF",
               "DOTS", "PRIME", "TEXT", "PLACEHOLDER", "END_MATRIX", "END_CASES", "TOP", "BANG"}

_UNICODE_BLACKBOARD = {"ℝ": "R", "ℕ": "N", "ℤ": "Z", "ℚ": "Q", "ℂ": "C", "𝟙": "1", "𝕀": "I", "𝔼": "E"}

# characters that always make the same one-character token, whatever surrounds them
_SIMPLE_CHARACTERS: dict[str, tuple[str, str]] = {
    "+": ("ADD", "+"), "-": ("ADD", "-"), "−": ("ADD", "-"), "±": ("ADD", "±"), "*": ("MULOP", "star"),
    "/": ("MULOP", "slash"), "^": ("CARET", "^"), "_": ("UNDERSCORE", "_"), "'": ("PRIME", "'"), "′": ("PRIME", "'"),
    "!": ("BANG", "!"), "=": ("REL", "="), "<": ("REL", "<"), ">": ("REL", ">"), ",": ("SEP", ","),
    ";": ("SEP", ";"), "&": ("AMP", "&"),
}

_COMMAND = re.compile(r"\\([A-Za-z]+\*?|.)", re.S)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LETTERS = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"[0-9]+")
_SPACE = re.compile(r"[ \t\r\n]+")
_ENV_NAME = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


class Tok:
    """One token: ``type`` is the grammar's terminal name; positions are in the document."""

    __slots__ = ("column", "end_pos", "line", "start_pos", "type", "value")

    def __init__(self, type_: str, value: str, start_pos: int, line: int, column: int, end_pos: int) -> None:
        self.type = type_
        self.value = value
        self.start_pos = start_pos
        self.line = line
        self.column = column
        self.end_pos = end_pos

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.line}:{self.column})"



class _Bar:
    """A ``|`` or ``‖`` whose opening/closing role is decided once the tokens around it are known."""

    __slots__ = ("force", "kind", "pos")

    def __init__(self, kind: str, force: str | None, pos: int) -> None:
        self.kind, self.force, self.pos = kind, force, pos


class Tokenizer:
    """One pass over a span: ``Tokenizer(text, line, column).run()`` returns the token list."""

    def __init__(self, text: str, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.line0 = line
        self.column0 = column
        self.tokens: list[Tok] = []
        self.stack: list[tuple[str, int]] = []  # (opener type or env name, offset)
        self.sized: str | None = None  # "left"/"right" after \left, \right
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # ------------------------------------------------------------ positions and errors

    def position(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        col = offset - self._line_starts[lo] + 1
        return self.line0 + lo, (col + self.column0 - 1 if lo == 0 else col)

    def error(self, cls: type[NotationError], message: str, offset: int) -> NotationError:
        line, column = self.position(offset)
        return cls(message, line, column, caret_snippet(self.text, offset))

    def emit(self, type_: str, value: str, start: int, end: int) -> None:
        self.tokens.append(Tok(type_, value, start, 0, 0, end))  # line and column: see _place()

    def _place(self) -> None:
        """Give every token its line and column in one pass (offsets only grow along the list)."""
        starts = self._line_starts
        last = len(starts) - 1
        k = 0
        line0, column0 = self.line0, self.column0
        for tok in self.tokens:
            start = tok.start_pos
            while k < last and starts[k + 1] <= start:
                k += 1
            tok.line = line0 + k
            tok.column = start + column0 if k == 0 else start - starts[k] + 1

    # ------------------------------------------------------------ delimiters

    def open(self, type_: str, value: str, start: int, end: int) -> None:
        if len(self.stack) >= MAX_NESTING:
            raise self.error(InputTooLarge, f"nested more than {MAX_NESTING} levels deep", start)
        self.stack.append((type_, start))
        self.emit(type_, value, start, end)

    def close(self, type_: str, value: str, start: int, end: int) -> None:
        want = CLOSER_TYPE[type_]
        if not self.stack or self.stack[-1][0] != want:
            if self.stack and self.stack[-1][0] in DELIM_WORDS:
                what, at = self.stack[-1]
                line, column = self.position(at)
                raise self.error(UnbalancedDelimiter, f"unbalanced {DELIM_WORDS[want]}: '{value}' closes the "
                                 f"{DELIM_WORDS[what]} opened at line {line}, col {column}", start)
            raise self.error(UnbalancedDelimiter, f"unbalanced {DELIM_WORDS[want]}: '{value}' has no opening "
                             "partner", start)
        self.stack.pop()
        self.emit(type_, value, start, end)

    def bar(self, kind: str, force: str | None, start: int, end: int) -> None:
        """Place a bar now, deciding from the previous token and the open delimiters whether it closes."""
        prev = self.tokens[-1].type if self.tokens else None
        top = self.stack[-1][0] if self.stack else None
        closing = force == "right" or (force is None and top == kind and prev in OPERAND_END)
        if closing:
            if top != kind:
                raise self.error(UnbalancedDelimiter, f"unbalanced {DELIM_WORDS[kind]}: it closes nothing", start)
            self.stack.pop()
            self.emit(f"{kind}_R", "|" if kind == "ABS" else "‖", start, end)
        else:
            if len(self.stack) >= MAX_NESTING:
                raise self.error(InputTooLarge, f"nested more than {MAX_NESTING} levels deep", start)
            self.stack.append((kind, start))
            self.emit(f"{kind}_L", "|" if kind == "ABS" else "‖", start, end)

    def delimiter(self, symbol: str, start: int, end: int) -> None:
        """A delimiter character or command, honouring a pending \\left or \\right."""
        force, self.sized = self.sized, None
        if symbol in ("(", "["):
            self.open("LPAR" if symbol == "(" else "LSQB", symbol, start, end)
        elif symbol in (")", "]"):
            self.close("RPAR" if symbol == ")" else "RSQB", symbol, start, end)
        elif symbol == "\\{":
            self.open("LSET", symbol, start, end)
        elif symbol == "\\}":
            self.close("RSET", symbol, start, end)
        elif symbol in ("langle",):
            self.open("LPAR", "⟨", start, end)
        elif symbol in ("rangle",):
            self.close("RPAR", "⟩", start, end)
        elif symbol in ("|", "vert", "lvert", "rvert"):
            self.bar("ABS", "left" if symbol == "lvert" else "right" if symbol == "rvert" else force, start, end)
        elif symbol in ("\\|", "Vert", "lVert", "rVert", "‖"):
            self.bar("NORM", "left" if symbol == "lVert" else "right" if symbol == "rVert" else force, start, end)
        elif symbol == ".":
            pass  # \left. or \right.: an invisible delimiter
        else:
            raise self.error(UnbalancedDelimiter, f"'{symbol}' cannot follow \\left or \\right", start)

    # ------------------------------------------------------------ the pass

    def read_group(self, pos: int) -> tuple[str, int]:
        """The raw text of a ``{…}`` argument at ``pos`` (after spaces) and the offset after it."""
        text = self.text
        m = _SPACE.match(text, pos)
        if m:
            pos = m.end()
        if pos >= len(text) or text[pos] != "{":
            if pos < len(text) and text[pos] not in "\\}":
                return text[pos], pos + 1
            raise self.error(UnbalancedDelimiter, "unbalanced brace: expected '{' with an argument here", pos)
        depth, i = 0, pos
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[pos + 1:i], i + 1
            i += 1
        raise self.error(UnbalancedDelimiter, "unbalanced brace: '{' is never closed", pos)

    def run(self) -> list[Tok]:
        text = self.text
        n = len(text)
        i = 0
        script = False  # the previous token was ^ or _: the next one takes a single character
        while i < n:
            ch = text[i]
            after_script, script = script, False
            if ch in " \t\r\n":
                m = _SPACE.match(text, i)
                i = m.end() if m else i + 1
                script = after_script
                continue
            if "0" <= ch <= "9":
                if after_script:
                    self.emit("NUMBER", ch, i, i + 1)
                    i += 1
                    continue
                if self.tokens and self.tokens[-1].type == "FRAC_DIGITS":
                    self.tokens.pop()
                    self.emit("NUMBER", ch, i, i + 1)
                    i += 1
                    continue
                m = _NUMBER.match(text, i)
                assert m is not None
                self.emit("NUMBER", m.group(), i, m.end())
                i = m.end()
                continue
            if "a" <= ch <= "z" or "A" <= ch <= "Z":
                m = _LETTERS.match(text, i)
                assert m is not None
                word = m.group()
                if after_script:
                    end = i + 1
                    prev = self.tokens[-1].value if self.tokens else ""
                    d = _DIGITS.match(text, end)
                    if prev == "_" and d:  # E_y1: the writer means E_{y1}
                        end = d.end()
                    self.emit("LETTER", text[i:end], i, end)
                    i = end
                    continue
                if len(word) >= 3:
                    self.emit("WORD", word, i, m.end())
                    i = m.end()
                    continue
                # one or two letters: each its own symbol; a letter glued to digits (z1, w5) is one name
                base = i
                for k in range(len(word)):
                    start = base + k
                    end = start + 1
                    if k == len(word) - 1:
                        d = _DIGITS.match(text, end)
                        if d:
                            end = d.end()
                    self.emit("LETTER", text[start:end], start, end)
                    i = end
                continue
            if ch == "\\":
                i = self.command(i, after_script)
                if self.tokens and self.tokens[-1].type in ("CARET", "UNDERSCORE"):
                    script = True
                continue
            simple = _SIMPLE_CHARACTERS.get(ch)
            if simple is not None:
                self.tokens.append(Tok(simple[0], simple[1], i, 0, 0, i + 1))
                script = simple[0] in ("CARET", "UNDERSCORE")
                i += 1
                continue
            i = self.character(ch, i, after_script)
        if self.sized:
            raise self.error(UnbalancedDelimiter, f"\\{self.sized} has no delimiter after it", n)
        if self.stack:
            what, at = self.stack[-1]
            word = DELIM_WORDS.get(what, f"environment {what}")
            raise self.error(UnbalancedDelimiter, f"unbalanced {word}: it is never closed", at)
        self._place()
        return _post_process(self.tokens)

    def character(self, ch: str, i: int, after_script: bool) -> int:
        text = self.text
        if ch in "()[]":
            self.delimiter(ch, i, i + 1)
            return i + 1
        if ch == "{":
            self.open("LBRACE", "{", i, i + 1)
            return i + 1
        if ch == "}":
            self.close("RBRACE", "}", i, i + 1)
            return i + 1
        if ch == "|" or ch == "‖":
            if ch == "|" and text.startswith("||", i) and self.sized is None:
                self.delimiter("\\|", i, i + 2)
                return i + 2
            self.delimiter("|" if ch == "|" else "‖", i, i + 1)
            return i + 1
        if ch in "+-−±∓":
            self.emit("ADD", {"−": "-", "∓": "±"}.get(ch, ch), i, i + 1)
            return i + 1
        if ch == "*":
            self.emit("MULOP", "star", i, i + 1)
            return i + 1
        if ch == "/":
            self.emit("MULOP", "slash", i, i + 1)
            return i + 1
        if ch == "^":
            self.emit("CARET", "^", i, i + 1)
            return i + 1
        if ch == "_":
            self.emit("UNDERSCORE", "_", i, i + 1)
            return i + 1
        if ch in "'′":
            self.emit("PRIME", "'", i, i + 1)
            return i + 1
        if ch == "!":
            self.emit("BANG", "!", i, i + 1)
            return i + 1
        if ch == ":":
            if text.startswith(":=", i):
                self.emit("REL", ":=", i, i + 2)
                return i + 2
            self.emit("REL", ":", i, i + 1)
            return i + 1
        if ch in "=<>":
            self.emit("REL", ch, i, i + 1)
            return i + 1
        if ch == ",":
            self.emit("SEP", ",", i, i + 1)
            return i + 1
        if ch == ";":
            self.emit("SEP", ";", i, i + 1)
            return i + 1
        if ch == ".":
            if text.startswith("...", i):
                self.emit("DOTS", "ldots", i, i + 3)
                return i + 3
            self.emit("SEP", ".", i, i + 1)
            return i + 1
        if ch == "&":
            self.emit("AMP", "&", i, i + 1)
            return i + 1
        if ch == "~":
            return i + 1
        if ch == "%":  # a LaTeX comment runs to the end of the line
            nl = text.find("\n", i)
            return len(text) if nl < 0 else nl
        if ch in UNICODE_GREEK:
            self.emit("GREEK", UNICODE_GREEK[ch], i, i + 1)
            return i + 1
        if ch in UNICODE_RELATIONS:
            self.emit("REL", UNICODE_RELATIONS[ch], i, i + 1)
            return i + 1
        if ch in UNICODE_MULOPS:
            self.emit("MULOP", UNICODE_MULOPS[ch], i, i + 1)
            return i + 1
        if ch in _UNICODE_BLACKBOARD:  # ℝ is \mathbb{R}, 𝟙 is \mathbb{1}
            letter = _UNICODE_BLACKBOARD[ch]
            self.emit("STYLE", "bb", i, i + 1)
            self.emit("NUMBER" if letter == "1" else "LETTER", letter, i, i + 1)
            return i + 1
        if ch == "∞":
            self.emit("INF", "infty", i, i + 1)
            return i + 1
        if ch == "∂":
            self.emit("PARTIAL", "partial", i, i + 1)
            return i + 1
        if ch == "∇":
            self.emit("NABLA", "nabla", i, i + 1)
            return i + 1
        if ch == "⊤":
            self.emit("TOP", "top", i, i + 1)
            return i + 1
        if ch in "∑∏∫":
            self.emit("BIGOP", {"∑": "sum", "∏": "prod", "∫": "int"}[ch], i, i + 1)
            return i + 1
        if ch in "…⋯":
            self.emit("DOTS", "ldots" if ch == "…" else "cdots", i, i + 1)
            return i + 1
        if ch == "√":
            self.emit("SQRT", "sqrt", i, i + 1)
            return i + 1
        shown = ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"U+{ord(ch):04X}"
        raise self.error(NotationError, f"unexpected character '{shown}'", i)

    def command(self, i: int, after_script: bool) -> int:
        text = self.text
        m = _COMMAND.match(text, i)
        if m is None:
            raise self.error(NotationError, "a backslash with nothing after it", i)
        name = m.group(1)
        end = m.end()
        if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"):
            self.sized = "left" if name in ("left", "bigl", "Bigl", "biggl", "Biggl") else "right"
            sp = _SPACE.match(text, end)
            if sp:
                end = sp.end()
            if end >= len(text):
                raise self.error(UnbalancedDelimiter, f"\\{name} has no delimiter after it", i)
            d = _COMMAND.match(text, end)
            if d:
                symbol = d.group(1)
                symbol = "\\" + symbol if symbol in ("{", "}", "|") else symbol
                self.delimiter(symbol, i, d.end())
                return d.end()
            self.delimiter(text[end], i, end + 1)
            return end + 1
        if name in ("{", "}", "|", "langle", "rangle", "vert", "lvert", "rvert", "Vert", "lVert", "rVert"):
            self.delimiter("\\" + name if name in "{}|" else name, i, end)
            return end
        if name == "\\" or name == "newline" or name == "cr":
            self.emit("ROWSEP", "\\\\", i, end)
            return end
        if name in ("quad", "qquad"):
            self.emit("SEP", "quad", i, end)
            return end
        if name in SPACING:
            return end
        if name in SKIP_WITH_ARGUMENT:
            return self.read_group(end)[1]
        if name in GREEK:
            self.emit("GREEK", GREEK[name], i, end)
            return end
        if name in RELATIONS:
            self.emit("REL", RELATIONS[name], i, end)
            return end
        if name in ("not",):
            nxt = _COMMAND.match(text, end)
            if nxt and nxt.group(1) in ("in", "subset"):
                self.emit("REL", "∉" if nxt.group(1) == "in" else "⊄", i, nxt.end())
                return nxt.end()
            if end < len(text) and text[end] == "=":
                self.emit("REL", "≠", i, end + 1)
                return end + 1
            raise self.error(UnknownCommand, "\\not must be followed by = or \\in", i)
        if name in MULOPS:
            self.emit("MULOP", MULOPS[name], i, end)
            return end
        if name in ("pm", "mp"):
            self.emit("ADD", "±", i, end)
            return end
        if name == "arg":
            nxt = _COMMAND.match(text, _SPACE.match(text, end).end() if _SPACE.match(text, end) else end)
            if nxt and nxt.group(1) in ("max", "min"):
                self.emit("MAXMIN", "arg" + nxt.group(1), i, nxt.end())
                return nxt.end()
            self.emit("FUNC", "arg", i, end)
            return end
        if name in FUNCTIONS:
            self.emit("FUNC", FUNCTIONS[name], i, end)
            return end
        if name in BIGOPS:
            self.emit("BIGOP", BIGOPS[name], i, end)
            return end
        if name in MAXMIN:
            self.emit("MAXMIN", MAXMIN[name], i, end)
            return end
        if name == "lim":
            self.emit("LIM", "lim", i, end)
            return end
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            self.emit("FRAC", "frac", i, end)
            sp = _SPACE.match(text, end)
            nxt = sp.end() if sp else end
            if nxt < len(text) and "0" <= text[nxt] <= "9":
                self.tokens.append(Tok("FRAC_DIGITS", "", nxt, 0, 0, nxt))  # \frac12: each digit is one argument
            return end
        if name in ("sqrt",):
            self.emit("SQRT", "sqrt", i, end)
            return end
        if name in STYLES:
            self.emit("STYLE", STYLES[name], i, end)
            return end
        if name in ACCENTS:
            self.emit("ACCENT", ACCENTS[name], i, end)
            return end
        if name in BOXES:
            self.emit("BOX", BOXES[name], i, end)
            return end
        if name in TEXT_COMMANDS:
            words, stop = self.read_group(end)
            if len(words) > 200 or "\\" in words.replace("\\ ", " ").replace("\\,", " "):
                words = re.sub(r"\\[A-Za-z]+|\\.", " ", words)
            self.emit("TEXT", " ".join(words.replace("{", " ").replace("}", " ").split()) or " ", i, stop)
            return stop
        if name in DOTS:
            if DOTS[name] == "cdot":
                self.emit("MULOP", "cdot", i, end)
            else:
                self.emit("DOTS", DOTS[name], i, end)
            return end
        if name in ("infty", "infin"):
            self.emit("INF", "infty", i, end)
            return end
        if name == "partial":
            self.emit("PARTIAL", "partial", i, end)
            return end
        if name == "nabla":
            self.emit("NABLA", "nabla", i, end)
            return end
        if name == "star":
            self.emit("GREEK", "star", i, end)
            return end
        if name in ("forall", "exists"):
            self.emit("TEXT", "for all" if name == "forall" else "there exists", i, end)
            return end
        if name in ("top", "intercal", "T"):
            self.emit("TOP", "top", i, end)
            return end
        if name == "prime":
            self.emit("PRIME", "'", i, end)
            return end
        if name in ("underset", "overset", "stackrel"):
            self.emit("UNDERSET", name, i, end)
            return end
        if name in ("begin", "end"):
            return self.environment(name, i, end)
        if name in ("in",):
            self.emit("REL", "∈", i, end)
            return end
        if name in ("ne",):
            self.emit("REL", "≠", i, end)
            return end
        if name in ("%", "#", "$", "&", "_"):
            return end
        if name == "mathds":
            self.emit("STYLE", "bb", i, end)
            return end
        raise self.error(UnknownCommand, f"unknown command \\{name}", i)

    def environment(self, which: str, i: int, end: int) -> int:
        m = _ENV_NAME.match(self.text, end)
        if m is None:
            raise self.error(UnbalancedDelimiter, f"\\{which} needs an environment name in braces", i)
        env = m.group(1)
        stop = m.end()
        if env in LAYOUT_ENVS:
            if env.startswith("alignat") and which == "begin":
                stop = self.read_group(stop)[1]
            return stop
        if env not in MATRIX_ENVS and env not in CASES_ENVS:
            raise self.error(UnknownCommand, f"unknown environment {env}", i)
        kind = "MATRIX" if env in MATRIX_ENVS else "CASES"
        if which == "begin":
            if len(self.stack) >= MAX_NESTING:
                raise self.error(InputTooLarge, f"nested more than {MAX_NESTING} levels deep", i)
            self.stack.append((env, i))
            self.emit(f"BEGIN_{kind}", env, i, stop)
            if env == "array":
                stop = self.read_group(stop)[1]  # the column specification
            return stop
        if not self.stack or self.stack[-1][0] != env:
            if self.stack:
                what, at = self.stack[-1]
                line, column = self.position(at)
                opened = DELIM_WORDS.get(what, f"environment {what}")
                raise self.error(UnbalancedDelimiter, f"unbalanced environment: \\end{{{env}}} while the {opened} "
                                 f"opened at line {line}, col {column} is still open", i)
            raise self.error(UnbalancedDelimiter, f"unbalanced environment: \\end{{{env}}} without \\begin", i)
        self.stack.pop()
        self.emit(f"END_{kind}", env, i, stop)
        return stop


_BARE_ARGUMENT = frozenset({"NUMBER", "LETTER", "GREEK", "PARTIAL", "INF"})


def _post_process(tokens: list[Tok]) -> list[Tok]:
    """Context fixes that need the neighbours: ``(\\cdot)`` placeholders, ``^{+}``, ``^{\\prime}``, stray
    digit markers."""
    out: list[Tok] = []
    n = len(tokens)
    k = 0
    while k < n:
        tok = tokens[k]
        t = tok.type
        if t == "FRAC_DIGITS":
            k += 1
            continue
        if (t == "LBRACE" and k + 2 < n and tokens[k + 2].type == "RBRACE"
                and tokens[k + 1].type in _BARE_ARGUMENT):
            out.append(tokens[k + 1])  # {x} is x: the parser is spared a whole group for one token
            k += 3
            continue
        if t == "UNDERSET":
            j = _skip_argument(tokens, _skip_argument(tokens, k + 1))
            if j < n and tokens[j].type == "SEP" and tokens[j].value == "quad":
                out.extend(tokens[k:j])  # \underset{θ}{\text{minimize}} \quad L(θ): the space is not a list
                k = j + 1
                continue
        if t == "BIGOP" or (t == "MAXMIN" and k + 1 < n and tokens[k + 1].type == "UNDERSCORE"):
            j = _skip_scripts(tokens, k + 1)
            if j < n and tokens[j].type == "SEP" and tokens[j].value == "quad":
                out.extend(tokens[k:j])
                k = j + 1
                continue
            if j < n and tokens[j].type == "ADD" and tokens[j].value in ("-", "+"):
                # \sum_i -x_i: the sign belongs to the summand, not to a sum with nothing before it
                out.extend(tokens[k:j])
                sign = tokens[j]
                out.append(Tok("SIGN", sign.value, sign.start_pos, sign.line, sign.column, sign.end_pos))
                k = j + 1
                continue
        if t == "MULOP" and tok.value == "cdot":
            prev = out[-1].type if out else None
            nxt = tokens[k + 1].type if k + 1 < n else None
            if (prev in ("LPAR", "LSQB", None) or (prev == "SEP" and out[-1].value in ",;")) and (
                    nxt in ("RPAR", "RSQB", None) or (nxt == "SEP" and tokens[k + 1].value in ",;")):
                out.append(Tok("PLACEHOLDER", "cdot", tok.start_pos, tok.line, tok.column, tok.end_pos))
                k += 1
                continue
        if t == "CARET" and k + 1 < n:
            nxt = tokens[k + 1]
            if nxt.type == "PRIME":
                k += 1
                continue
            if (nxt.type == "LBRACE" and k + 2 < n and tokens[k + 2].type in ("ADD", "MULOP", "PRIME")
                    and k + 3 < n and tokens[k + 3].type == "RBRACE"):
                inner = tokens[k + 2]
                if inner.type != "PRIME":
                    out.append(tok)
                out.append(inner)
                k += 4
                continue
            if nxt.type == "LBRACE" and k + 2 < n and tokens[k + 2].type == "PRIME":
                j = k + 2
                while j < n and tokens[j].type == "PRIME":
                    j += 1
                if j < n and tokens[j].type == "RBRACE":
                    out.extend(tokens[k + 2:j])
                    k = j + 1
                    continue
        out.append(tok)
        k += 1
    return out


def _skip_argument(tokens: list[Tok], k: int) -> int:
    """The index after the one-token or ``{…}`` argument at ``k``."""
    n = len(tokens)
    if k < n and tokens[k].type == "LBRACE":
        depth = 0
        while k < n:
            if tokens[k].type == "LBRACE":
                depth += 1
            elif tokens[k].type == "RBRACE":
                depth -= 1
                if depth == 0:
                    break
            k += 1
    return k + 1


def _skip_scripts(tokens: list[Tok], k: int) -> int:
    """The index after the ``_…``/``^…`` scripts that start at ``k``."""
    while k < len(tokens) and tokens[k].type in ("CARET", "UNDERSCORE"):
        k = _skip_argument(tokens, k + 1)
    return k


def tokenize(text: str, line: int = 1, column: int = 1) -> list[Tok]:
    """The tokens of one math span whose first character sits at ``line``/``column`` of the document."""
    return Tokenizer(text, line, column).run()
