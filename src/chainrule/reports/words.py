"""Words for people: the boundary where findings and solutions become text a person reads.

The grader and the engine describe formulas in several spellings — LaTeX, the reader's Unicode text
(``1 − tanh(x²)``), and sometimes SymPy's own (``exp(-x)/(1 + exp(-x))**2``, ``7*q/10``, ``True``), or an
internal key (``dl_dyhat``). Whatever reaches a person passes through here:

* :func:`formula_html` — a formula as MathML (LaTeX directly; other spellings parsed by a small expression
  reader into LaTeX); text it cannot read is shown as escaped text, never half-converted;
* :func:`formula_text` — the same formula in Unicode mathematical notation for a terminal (``e^{−x}``,
  ``x²``, ``∂ℓ/∂ŷ``, ``7q/10``);
* :func:`sentence` — a reason or note in plain words: SymPy fragments inside it rewritten, internal phrasing
  (``simplify(first − second) = 0``) said in words, exception texts replaced.

This never evaluates anything: the expression reader only rearranges tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

MAX_FORMULA_CHARS = 600

GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
         "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()
UNICODE_TO_LATEX = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "ζ": r"\zeta",
    "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu",
    "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "φ": r"\varphi", "ϕ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta",
    "Λ": r"\Lambda", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "ℓ": r"\ell", "∂": r"\partial",
    "∇": r"\nabla", "∞": r"\infty", "·": r"\cdot", "×": r"\times", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "≈": r"\approx", "→": r"\to", "∈": r"\in", "ŷ": r"\hat{y}", "ŵ": r"\hat{w}", "θ̂": r"\hat{\theta}",
    "⊤": r"\top", "ᵀ": r"^{\top}", "∑": r"\sum", "∏": r"\prod", "±": r"\pm", "√": r"\sqrt", "⊙": r"\odot",
    "−": "-", "ℝ": r"\mathbb{R}", "𝟙": r"\mathbb{1}",
}
FUNCTIONS_LATEX = {"sin", "cos", "tan", "sinh", "cosh", "tanh", "log", "ln", "exp", "max", "min", "det", "arctan",
                   "lim", "sup", "inf"}
SUPERSCRIPT = str.maketrans("0123456789+-−=()nixyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱˣʸᶻᵀ")
SUBSCRIPT = str.maketrans("0123456789+-=()aeioxjk", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢₒₓⱼₖ")

# Phrases of the engine's and grader's that are not words for people, and what to say instead.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"simplify\(first\s*[−-]\s*second\)\s*=\s*0,?\s*and values agree to (\d+) digits at (\d+) random "
                r"points"), r"equal to the correct answer (the difference simplifies to 0, and the two agree to \1 "
                            r"digits at \2 random points)"),
    (re.compile(r"simplify\(first\s*[−-]\s*second\)\s*=\s*0\s*\(numeric check inconclusive\)"),
     "equal to the correct answer (the difference simplifies to 0)"),
    (re.compile(r"simplify\(first\s*[−-]\s*second\)\s*=\s*0"), "the difference simplifies to 0"),
    (re.compile(r"values agree to (\d+) digits at (\d+) random points"),
     r"agrees with the correct answer to \1 digits at \2 random points"),
    (re.compile(r"\binf vs inf\b"), "both are too large to compare this way"),
    (re.compile(r"\b(?:Traceback|[A-Z][A-Za-z]*(?:Error|Exception))\b[:(][^;)\n]*"), "an internal error"),
)
# A run of SymPy/Python syntax inside a sentence: something with ** or name( or a*b between word characters.
_CODE_RUN = re.compile(r"(?<![\w$\\])((?:[A-Za-z_][\w]*\(|[\w.)]+\s*\*\*?\s*[\w(])[^,;:—]*?)(?=$|[,;:—]\s|\.\s|\.$)")
_INTERNAL_NAME = re.compile(r"\bd([A-Za-z]+\d*)_d([A-Za-z]+\d*)\b")
_BOOLEANS = {"True": "true", "False": "false", "None": "nothing"}
# Question types and finding kinds, as a person says them.
KIND_WORDS = {"gd_dynamics": "gradient-descent dynamics", "mlp_numeric": "a numeric forward and backward pass",
              "symbolic_backprop": "symbolic backpropagation", "matrix_gradient": "a matrix gradient",
              "activation_derivative": "an activation's derivative", "training_experiment": "a training experiment"}
# An identifier made of words (``training_experiment``, ``gd_dynamics``) is said as the words.
_SNAKE_WORDS = re.compile(r"(?<![\w\\])[a-z]{2,}(?:_[a-z]{2,})+(?![\w(])")


# --------------------------------------------------------------------------------------------------------------
# A small expression reader: tokens → tree → LaTeX or Unicode. It only rearranges; nothing is evaluated.
# --------------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|(\*\*|[−\-+*/^·×=<>≤≥≠≈(),\[\]|!]|→)|"
                    r"([^\W\d][\w′']*(?:[₀-₉]+)?)|(\S))", re.UNICODE)


_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_FROM_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


class Unreadable(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    kind: str  # num, name, call, op, neg, group, list, rel
    text: str = ""
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        number, operator, name, other = match.groups()
        if number is not None:
            out.append(("num", number))
        elif operator is not None:
            out.append(("op", {"−": "-", "·": "*", "×": "*", "^": "**"}.get(operator, operator)))
        elif name is not None:
            out.append(("name", name))
        elif other is not None:
            if other in UNICODE_TO_LATEX:
                out.append(("name", other))
            else:
                raise Unreadable(other)
    return out


_BINARY = {"=": 1, "<": 1, ">": 1, "≤": 1, "≥": 1, "≠": 1, "≈": 1, "→": 1, "+": 2, "-": 2, "*": 3, "/": 3,
           "**": 5}


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise Unreadable("end")
        self.at += 1
        return token

    def expression(self, floor: int = 0) -> Node:
        left = self.prefix()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in _BINARY:
            power = _BINARY[token[1]]
            if power < floor:
                break
            self.take()
            right = self.expression(power if token[1] == "**" else power + 1)
            left = Node("rel" if power == 1 else "op", token[1], (left, right))
        return left

    def prefix(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return self.postfix(Node("num", text))
        if kind == "name":
            following = self.peek()
            if following == ("op", "("):
                self.take()
                args = self.items(")")
                return self.postfix(Node("call", text, tuple(args)))
            return self.postfix(Node("name", text))
        if text == "-":
            return Node("neg", "", (self.expression(4),))
        if text == "+":
            return self.expression(4)
        if text in ("(", "["):
            closing = ")" if text == "(" else "]"
            items = self.items(closing)
            node = Node("group", text, tuple(items)) if len(items) == 1 else Node("list", text, tuple(items))
            return self.postfix(node)
        if text == "|":
            inner = self.expression(2)
            if self.take() != ("op", "|"):
                raise Unreadable("|")
            return Node("call", "Abs", (inner,))
        raise Unreadable(text)

    def postfix(self, node: Node) -> Node:
        while self.peek() == ("op", "!"):
            self.take()
            node = Node("call", "factorial", (node,))
        return node

    def items(self, closing: str) -> list[Node]:
        items: list[Node] = []
        if self.peek() == ("op", closing):
            self.take()
            return items
        while True:
            items.append(self.expression())
            _, text = self.take()
            if text == closing:
                return items
            if text != ",":
                raise Unreadable(text)


@lru_cache(maxsize=2048)
def read_formula(text: str) -> Node:
    """The tree of a formula written in SymPy's or the reader's plain spelling (raises :class:`Unreadable`)."""
    if len(text) > MAX_FORMULA_CHARS or "\\" in text or "$" in text:
        raise Unreadable("not a plain formula")
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "**" + m.group().translate(_FROM_SUPERSCRIPT), text)
    text = re.sub(r"(?<=\w)[₀₁₂₃₄₅₆₇₈₉]+", lambda m: "_" + m.group().translate(_FROM_SUBSCRIPT), text)
    reader = _Reader(_tokens(text))
    node = reader.expression()
    if reader.peek() is not None:
        raise Unreadable("trailing text")
    return node


def _name_latex(name: str) -> str:
    if name in _BOOLEANS:
        return rf"\text{{{_BOOLEANS[name]}}}"
    if name == "oo":
        return r"\infty"
    if name == "E":
        return "e"
    if name in UNICODE_TO_LATEX:
        return UNICODE_TO_LATEX[name]
    internal = _INTERNAL_NAME.fullmatch(name)
    if internal:
        top, bottom = (_name_latex(_hat(internal.group(index))) for index in (1, 2))
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"
    primes = len(name) - len(name.rstrip("′'"))
    base = name.rstrip("′'")
    head, _, index = base.partition("_")
    digits = re.search(r"[₀-₉]+$", head)
    if digits:
        index = digits.group().translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")) + (index and f",{index}")
        head = head[: digits.start()]
    if head.endswith("hat") and len(head) > 3:
        head = rf"\hat{{{_name_latex(head[:-3])}}}"
    elif head in GREEK or head == "ell":
        head = f"\\{head}"
    elif len(head) > 1 and not head.startswith("\\"):
        head = rf"\mathrm{{{head}}}"
    head += "'" * primes
    return f"{head}_{{{index}}}" if index else head


def _hat(name: str) -> str:
    return name[:-3] + "hat" if name.endswith("hat") else ("ell" if name == "l" else name)


def _is_atom(node: Node) -> bool:
    return node.kind in ("num", "name", "call", "group", "list")


def to_latex(node: Node) -> str:
    kind = node.kind
    if kind == "num":
        return node.text
    if kind == "name":
        return _name_latex(node.text)
    if kind == "group":
        return rf"\left({to_latex(node.args[0])}\right)"
    if kind == "list":
        return r"\left(" + ", ".join(to_latex(arg) for arg in node.args) + r"\right)"
    if kind == "neg":
        inner = node.args[0]
        text = to_latex(inner)
        bare = _is_atom(inner) or (inner.kind == "op" and inner.text in ("*", "/", "**"))
        return f"-{text}" if bare else rf"-\left({text}\right)"
    if kind == "call":
        args = [to_latex(arg) for arg in node.args]
        name = node.text
        if name == "exp" and len(args) == 1:
            return f"e^{{{args[0]}}}"
        if name == "sqrt" and len(args) == 1:
            return rf"\sqrt{{{args[0]}}}"
        if name == "Abs" and len(args) == 1:
            return rf"\left|{args[0]}\right|"
        if name == "factorial" and len(args) == 1:
            return f"{args[0]}!"
        if name in ("Max", "Min"):
            name = name.lower()
        head = f"\\{name}" if name in FUNCTIONS_LATEX else (
            _name_latex(name) if len(name) == 1 or name in GREEK else rf"\operatorname{{{name}}}")
        return rf"{head}\left({', '.join(args)}\right)"
    left, right = node.args
    if kind == "rel":
        symbol = {"=": "=", "<": "<", ">": ">", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx",
                  "→": r"\to"}[node.text]
        return f"{to_latex(left)} {symbol} {to_latex(right)}"
    op = node.text
    if op == "**":
        base = to_latex(left)
        if not (left.kind in ("num", "name", "group", "list") or (left.kind == "call" and left.text not in ("exp",))):
            base = rf"\left({base}\right)"
        return f"{{{base}}}^{{{_strip_group(right)}}}"
    if op == "/":
        return rf"\frac{{{_strip_group(left)}}}{{{_strip_group(right)}}}"
    if op == "*":
        a, b = _factor(left), _factor(right)
        joiner = r" \cdot " if right.kind == "num" or (left.kind == "num" and right.kind == "neg") else " "
        return f"{a}{joiner}{b}"
    a, b = to_latex(left), to_latex(right)
    if op == "+" and right.kind == "neg":
        return f"{a} - {to_latex(right.args[0])}"
    if op == "-" and right.kind == "op" and right.text in "+-":
        b = rf"\left({b}\right)"
    return f"{a} {op} {b}"


def _strip_group(node: Node) -> str:
    return to_latex(node.args[0]) if node.kind == "group" else to_latex(node)


def _factor(node: Node) -> str:
    text = to_latex(node)
    return rf"\left({text}\right)" if (node.kind == "op" and node.text in "+-") or node.kind == "rel" else text


# --------------------------------------------------------------------------------------------------------------
# The boundary functions
# --------------------------------------------------------------------------------------------------------------

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_PYTHON_SYNTAX = re.compile(r"\*\*|\*|\bexp\(|\bsqrt\(|\bAbs\(|\bTrue\b|\bFalse\b|\boo\b|\b\w+_\w+\b|\bE\b")


def looks_like_latex(text: str) -> bool:
    return bool(_LATEX_COMMAND.search(text))


def formula_latex(text: str) -> str | None:
    """LaTeX for a formula in any of the spellings above, or None when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    if looks_like_latex(text):
        return text.strip("$")
    try:
        return to_latex(read_formula(text))
    except (Unreadable, RecursionError):
        return None


def formula_html(text: str | None) -> Markup:
    """A formula for a page: MathML where it can be read, else the text itself (escaped)."""
    from chainrule.reports.page import math_html

    if not text:
        return Markup("")
    latex = formula_latex(text)
    if latex is None:
        return escape(sentence(text))
    return math_html(latex)


def formula_text(text: str | None) -> str:
    """A formula for a terminal, in Unicode notation; text it cannot read is returned with its words fixed."""
    if not text:
        return ""
    if looks_like_latex(text):
        return text
    try:
        return to_unicode(read_formula(text.strip()))
    except (Unreadable, RecursionError):
        return sentence(text)


def to_unicode(node: Node) -> str:
    kind = node.kind
    if kind == "num":
        return node.text
    if kind == "name":
        return _name_unicode(node.text)
    if kind == "group":
        return f"({to_unicode(node.args[0])})"
    if kind == "list":
        return "(" + ", ".join(to_unicode(arg) for arg in node.args) + ")"
    if kind == "neg":
        inner = node.args[0]
        bare = _is_atom(inner) or inner.text in ("*", "/", "**")
        return f"−{to_unicode(inner)}" if bare else f"−({to_unicode(inner)})"
    if kind == "call":
        args = ", ".join(to_unicode(arg) for arg in node.args)
        if node.text == "exp":
            return f"e{_superscript(args)}" if len(node.args) == 1 else f"exp({args})"
        if node.text == "sqrt":
            return f"√({args})" if not _is_atom(node.args[0]) or node.args[0].kind == "call" else f"√{args}"
        if node.text == "Abs":
            return f"|{args}|"
        if node.text == "factorial":
            return f"{args}!"
        return f"{_name_unicode(node.text) if node.text not in ('Max', 'Min') else node.text.lower()}({args})"
    left, right = node.args
    if kind == "rel":
        return f"{to_unicode(left)} {node.text.replace('<=', '≤')} {to_unicode(right)}"
    op = node.text
    if op == "**":
        base = to_unicode(left)
        if left.kind not in ("num", "name", "group", "list", "call"):
            base = f"({base})"
        return base + _superscript(to_unicode(right.args[0] if right.kind == "group" else right))
    if op == "/":
        a = to_unicode(left) if _is_atom(left) or left.text in ("**", "*", "/") else f"({to_unicode(left)})"
        b = to_unicode(right) if _is_atom(right) or right.text == "**" else f"({to_unicode(right)})"
        return f"{a}/{b}"
    if op == "*":
        a = to_unicode(left) if left.kind != "op" or left.text not in "+-" else f"({to_unicode(left)})"
        b = to_unicode(right) if right.kind != "op" or right.text not in "+-" else f"({to_unicode(right)})"
        numeric = right.kind == "num" or (a[-1:].isdigit() and b[:1].isdigit())
        return f"{a}·{b}" if numeric or (len(b) > 1 and left.kind == "name" and len(a) > 1) else f"{a}{b}"
    if op == "+" and right.kind == "neg":
        return f"{to_unicode(left)} − {to_unicode(right.args[0])}"
    b = to_unicode(right)
    if op == "-" and right.kind == "op" and right.text in "+-":
        b = f"({b})"
    return f"{to_unicode(left)} {'−' if op == '-' else op} {b}"


def _superscript(text: str) -> str:
    if all(char in "0123456789+-−=()nixyzT" for char in text):
        return text.translate(SUPERSCRIPT)
    return f"^({text})" if len(text) > 1 else f"^{text}"


def _name_unicode(name: str) -> str:
    if name in _BOOLEANS:
        return _BOOLEANS[name]
    if name == "oo":
        return "∞"
    if name == "E":
        return "e"
    internal = _INTERNAL_NAME.fullmatch(name)
    if internal:
        return f"∂{_name_unicode(_hat(internal.group(1)))}/∂{_name_unicode(_hat(internal.group(2)))}"
    head, _, index = name.partition("_")
    if head.endswith("hat") and len(head) > 3:
        head = _name_unicode(head[:-3]) + "\u0302"
    elif head in GREEK or head == "ell":
        from chainrule.reports.math_letters import styled  # noqa: F401  (keeps the module list honest)

        head = {"ell": "ℓ"}.get(head, _GREEK_CHAR.get(head, head))
    if index and all(char in "0123456789+-=()aeioxjk" for char in index):
        index = index.translate(SUBSCRIPT)
    elif index:
        index = f"_{index}"
    import unicodedata

    return unicodedata.normalize("NFC", head + index)


_GREEK_CHAR = {name: char for char, latex in UNICODE_TO_LATEX.items() for name in (latex.lstrip("\\"),)
               if latex.lstrip("\\") in GREEK}


def sentence(text: str | None) -> str:
    """A reason, note or summary in plain words (see the module docstring)."""
    if not text:
        return ""
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{([^{}\\]*)\}", r"\1", text)
    text = _CODE_RUN.sub(lambda match: _rewrite_run(match.group(1)), text)
    text = _INTERNAL_NAME.sub(lambda match: _name_unicode(match.group()), text)
    text = _SNAKE_WORDS.sub(lambda match: KIND_WORDS.get(match.group(), match.group().replace("_", " ")), text)
    return re.sub(r"\b(True|False)\b", lambda match: _BOOLEANS[match.group()], text)


def _rewrite_run(run: str) -> str:
    stripped = run.strip()
    try:
        return run.replace(stripped, to_unicode(read_formula(stripped)))
    except (Unreadable, RecursionError):
        return run.replace("**", "^")


_KEPT = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`\n]*`|\]\([^)\s]*\)", re.DOTALL)


def sentence_markdown(text: str | None) -> str:
    """:func:`sentence` for Markdown: math (``$…$``), code spans and link targets are left as written."""
    if not text:
        return ""
    parts: list[str] = []
    position = 0
    for match in _KEPT.finditer(text):
        parts.append(sentence(text[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(sentence(text[position:]))
    return "".join(parts)
