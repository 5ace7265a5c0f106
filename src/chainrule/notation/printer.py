"""Print an expression back: as LaTeX (``to_latex``) and as a readable one-line text (``to_text``).

One printer class per format with a shared dispatcher ``_print_<Class>`` (SymPy's printer layout); children
are always printed through the dispatcher so precedence rules apply at every level. Parentheses are added by
precedence, so printing the tree of a parsed span and parsing the result gives the same tree back.
"""

from __future__ import annotations

from typing import Any

from chainrule.notation import nodes as n

GREEK_TEXT = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "partial": "∂", "nabla": "∇",
    "top": "⊤", "star": "⋆",
}
FUNCTION_LATEX = {
    "sin": "\\sin", "cos": "\\cos", "tan": "\\tan", "tanh": "\\tanh", "sinh": "\\sinh", "cosh": "\\cosh",
    "log": "\\log", "ln": "\\ln", "exp": "\\exp", "det": "\\det", "max": "\\max", "min": "\\min",
    "sigma": "\\sigma", "arctan": "\\arctan", "sup": "\\sup", "inf": "\\inf",
}
REL_LATEX = {
    "≤": "\\le", "≥": "\\ge", "≠": "\\neq", "≈": "\\approx", "→": "\\to", "⇒": "\\Rightarrow",
    "⇔": "\\Leftrightarrow", "∈": "\\in", "≜": "\\triangleq", "≡": "\\equiv", "∝": "\\propto",
    "↦": "\\mapsto", "∼": "\\sim", "∉": "\\notin", "⊂": "\\subset", "⊆": "\\subseteq", "≪": "\\ll",
    "≫": "\\gg", "∣": "\\mid", "⇐": "\\Leftarrow", "←": "\\leftarrow", ":=": "\\coloneqq", "≐": "\\doteq",
    "=:": "=:", "⊄": "\\not\\subset",
}
STYLE_LATEX = {"bold": "\\mathbf", "bb": "\\mathbb", "cal": "\\mathcal", "sf": "\\mathsf", "rm": "\\mathrm",
               "frak": "\\mathfrak"}
MUL_LATEX = {"implicit": " ", "cdot": " \\cdot ", "times": " \\times ", "star": " * ", "circ": " \\circ ",
             "otimes": " \\otimes "}
MUL_TEXT = {"implicit": " ", "cdot": "·", "times": "×", "star": "*", "circ": "∘", "otimes": "⊗"}

# precedence: higher binds tighter
PREC_REL, PREC_SEQ, PREC_ADD, PREC_MUL, PREC_NEG, PREC_POW, PREC_ATOM = 1, 0, 10, 20, 25, 30, 40


def precedence(node: n.Node) -> int:
    if isinstance(node, n.Chain | n.Relation):
        return PREC_REL
    if isinstance(node, n.Seq | n.Block):
        return PREC_SEQ
    if isinstance(node, n.Add):
        return PREC_ADD
    if isinstance(node, n.Derivative):
        return PREC_ATOM if node.of is None or isinstance(node.of, n.Symbol | n.Number | n.Apply) else PREC_MUL
    if isinstance(node, n.Gradient):
        return PREC_POW
    if isinstance(node, n.Mul | n.Hadamard | n.BigOp | n.Limit):
        return PREC_MUL
    if isinstance(node, n.Div):
        return PREC_MUL if node.written == "slash" else PREC_ATOM
    if isinstance(node, n.Neg):
        return PREC_NEG
    if isinstance(node, n.Number) and node.text.startswith("-"):
        return PREC_NEG
    if isinstance(node, n.Power | n.Transpose | n.Prime | n.Factorial | n.Indexed):
        return PREC_POW
    return PREC_ATOM


class Printer:
    """Base: dispatch on the node's class name."""

    def doprint(self, node: n.Node) -> str:
        return self._print(node)

    def _print(self, node: Any) -> str:
        method = getattr(self, f"_print_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot print {type(node).__name__}")
        return method(node)

    def paren(self, node: n.Node, level: int, strict: bool = False) -> str:
        text = self._print(node)
        p = precedence(node)
        if p < level or (strict and p == level):
            return self.wrap(text)
        return text

    def wrap(self, text: str) -> str:
        return f"({text})"


class LatexPrinter(Printer):
    """Expression → LaTeX that the reader parses back to the same tree."""

    def wrap(self, text: str) -> str:
        return f"\\left({text}\\right)"

    def paren(self, node: n.Node, level: int, strict: bool = False) -> str:
        if level >= PREC_POW and isinstance(node, n.Derivative | n.Div):  # (\frac{1}{2})^2, not \frac{1}{2}^2
            return self.wrap(self._print(node))
        return super().paren(node, level, strict)

    def _print_Number(self, x: n.Number) -> str:
        return x.text

    def _print_Symbol(self, x: n.Symbol) -> str:
        if x.style == "op":
            return {"partial": "\\partial", "nabla": "\\nabla", "top": "\\top"}.get(x.name, x.name)
        name = x.name
        if name in GREEK_TEXT and name not in ("partial", "nabla", "top"):
            core = "\\" + name
        elif name.endswith("*") and len(name) > 1:
            core = self._print_Symbol(n.Symbol(name[:-1], x.style, x.accent)) + "^{*}"
            return core + self.scripts(x)
        elif len(name) > 1 and not name[1:].isdigit():
            # a word of three or more letters reads back as one name; shorter ones need \mathrm
            core = name if len(name) >= 3 and name.isalpha() and name.isascii() else f"\\mathrm{{{name}}}"
        else:
            core = name
        if x.style == "rm" and len(name) == 1:
            core = f"\\text{{{name}}}"
        elif x.style in STYLE_LATEX and x.style != "rm":
            core = f"{STYLE_LATEX[x.style]}{{{core}}}"
        if x.accent:
            core = f"\\{x.accent}{{{core}}}"
        return core + self.scripts(x)

    def scripts(self, x: n.Symbol) -> str:
        out = ""
        if x.sub:
            out += "_{" + ",".join(self._print(i) for i in x.sub) + "}"
        if isinstance(x.layer, n.Text):
            out += "^{" + self._print(x.layer) + "}"
        elif x.layer is not None:
            out += "^{(" + self._print(x.layer) + ")}"
        return out

    def _print_Function(self, x: n.Function) -> str:
        if x.name in FUNCTION_LATEX:
            return FUNCTION_LATEX[x.name]
        if x.name == "indicator":
            return "\\mathbb{I}"
        return f"\\operatorname{{{x.name}}}"

    def _print_Text(self, x: n.Text) -> str:
        return f"\\text{{{x.text}}}"

    def _print_Infinity(self, x: n.Infinity) -> str:
        return "\\infty"

    def _print_Dots(self, x: n.Dots) -> str:
        return "" if x.kind == "blank" else f"\\{x.kind}"

    def _print_Placeholder(self, x: n.Placeholder) -> str:
        return "\\cdot"

    def _print_Elided(self, x: n.Elided) -> str:
        return ""

    def _print_Space(self, x: n.Space) -> str:
        base = f"\\mathbb{{{x.field}}}"
        if not x.dims:
            return base
        if len(x.dims) == 1:
            return base + "^{" + self._print(x.dims[0]) + "}"
        return base + "^{" + " \\times ".join(self.paren(d, PREC_MUL, True) for d in x.dims) + "}"

    def _print_Neg(self, x: n.Neg) -> str:
        return "-" + self.paren(x.operand, PREC_MUL, True)

    def _print_Add(self, x: n.Add) -> str:
        out = self.paren(x.terms[0], PREC_ADD)
        for term in x.terms[1:]:
            if isinstance(term, n.Neg):
                out += " - " + self.paren(term.operand, PREC_ADD, True)
            else:
                out += " + " + self.paren(term, PREC_ADD, True)
        return out

    def _print_Mul(self, x: n.Mul) -> str:
        sep = MUL_LATEX.get(x.op, " ")
        return sep.join(self.paren(f, PREC_MUL, True) if i else self.paren(f, PREC_MUL)
                        for i, f in enumerate(x.factors))

    def _print_Hadamard(self, x: n.Hadamard) -> str:
        return " \\odot ".join(self.paren(f, PREC_MUL, True) if i else self.paren(f, PREC_MUL)
                               for i, f in enumerate(x.factors))

    def _print_Div(self, x: n.Div) -> str:
        if x.written == "slash":
            return f"{self.paren(x.numerator, PREC_MUL)} / {self.paren(x.denominator, PREC_MUL, True)}"
        return f"\\frac{{{self._print(x.numerator)}}}{{{self._print(x.denominator)}}}"

    def _print_Power(self, x: n.Power) -> str:
        base = self.paren(x.base, PREC_POW, True)
        if isinstance(x.base, n.Symbol) and (x.base.sub or x.base.layer is not None):
            base = "{" + base + "}"
        return f"{base}^{{{self._print(x.exponent)}}}"

    def _print_Root(self, x: n.Root) -> str:
        index = f"[{self._print(x.index)}]" if x.index is not None else ""
        return f"\\sqrt{index}{{{self._print(x.radicand)}}}"

    def _print_Transpose(self, x: n.Transpose) -> str:
        base = self.paren(x.operand, PREC_POW, True)
        if isinstance(x.operand, n.Symbol) and (x.operand.sub or x.operand.layer is not None):
            base = "{" + base + "}"
        return base + "^{\\top}"

    def _print_Prime(self, x: n.Prime) -> str:
        return self.paren(x.operand, PREC_POW, True) + "'" * x.order

    def _print_Factorial(self, x: n.Factorial) -> str:
        return self.paren(x.operand, PREC_POW, True) + "!"

    def _print_Indexed(self, x: n.Indexed) -> str:
        base = self.paren(x.base, PREC_POW, True)
        if not base.startswith("\\left("):
            base = "{" + base + "}"
        return base + "_{" + ",".join(self._print(i) for i in x.indices) + "}"

    def _print_Accent(self, x: n.Accent) -> str:
        return f"\\{x.accent}{{{self._print(x.operand)}}}"

    def _print_Apply(self, x: n.Apply) -> str:
        args = ", ".join(self._print(a) for a in x.args)
        if isinstance(x.func, n.Function):
            if x.func.name == "relu" and x.func.written == "(·)^+":
                return f"\\left({args}\\right)^{{+}}"
            if x.func.name == "exp" and x.func.written == "e^":
                return f"e^{{{args}}}"
            if x.func.name == "max" or x.func.name == "min":
                return f"\\{x.func.name}\\left({args}\\right)"
        head = self._print(x.func) if isinstance(x.func, n.Prime) else self.paren(x.func, PREC_ATOM)
        return f"{head}\\left({args}\\right)"

    def _print_Derivative(self, x: n.Derivative) -> str:
        d = "\\partial" if x.partial else "d"
        order = f"^{{{x.order}}}" if x.order > 1 else ""
        wrt = self._print(x.wrt)
        if x.order > 1:
            wrt = f"{{{wrt}}}^{{{x.order}}}"
        if x.of is None:
            return f"\\frac{{{d}{order}}}{{{d} {wrt}}}"
        if isinstance(x.of, n.Symbol | n.Number | n.Apply):
            return f"\\frac{{{d}{order} {self._print(x.of)}}}{{{d} {wrt}}}"
        return f"\\frac{{{d}{order}}}{{{d} {wrt}}} {self.paren(x.of, PREC_MUL)}"

    def _print_Gradient(self, x: n.Gradient) -> str:
        sub = f"_{{{self._print(x.wrt)}}}" if x.wrt is not None else ""
        return f"\\nabla{sub} {self.paren(x.of, PREC_POW)}"

    def _print_Limit(self, x: n.Limit) -> str:
        to = self._print(x.to) + (f"^{{{x.direction}}}" if x.direction else "")
        return f"\\lim_{{{self._print(x.var)} \\to {to}}} {self.paren(x.body, PREC_MUL)}"

    def _print_BigOp(self, x: n.BigOp) -> str:
        op = {"argmax": "\\arg\\max", "argmin": "\\arg\\min"}.get(x.op, "\\" + x.op)
        lower = f"_{{{self._print(x.lower)}}}" if x.lower is not None else ""
        upper = f"^{{{self._print(x.upper)}}}" if x.upper is not None else ""
        return f"{op}{lower}{upper} {self.paren(x.body, PREC_MUL)}"

    def _print_Norm(self, x: n.Norm) -> str:
        bar = "\\|" if x.kind == "norm" else "|"
        sub = f"_{{{self._print(x.sub)}}}" if x.sub is not None else ""
        return f"\\left{bar}{self._print(x.operand)}\\right{bar}{sub}"

    def _print_Tuple(self, x: n.Tuple) -> str:
        inner = ", ".join(self._print(i) for i in x.items)
        if x.delim == "[":
            return f"\\left[{inner}\\right]"
        return f"\\left({inner}\\right)"

    def _print_SetOf(self, x: n.SetOf) -> str:
        return "\\left\\{" + ", ".join(self._print(i) for i in x.items) + "\\right\\}"

    def _print_Matrix(self, x: n.Matrix) -> str:
        rows = " \\\\ ".join(" & ".join(self._print(c) for c in row) for row in x.rows)
        env = x.env if x.env != "array" else "matrix"
        return f"\\begin{{{env}}} {rows} \\end{{{env}}}"

    def _print_Piece(self, x: n.Piece) -> str:
        cond = self._print(x.condition) if x.condition is not None else "\\text{otherwise}"
        return f"{self._print(x.value)} & {cond}"

    def _print_Cases(self, x: n.Cases) -> str:
        return "\\begin{cases} " + " \\\\ ".join(self._print(p) for p in x.pieces) + " \\end{cases}"

    def _print_Boxed(self, x: n.Boxed) -> str:
        return f"\\{x.style}{{{self._print(x.body)}}}"

    def _print_RelOp(self, x: n.RelOp) -> str:
        return REL_LATEX.get(x.op, x.op)

    def _print_Relation(self, x: n.Relation) -> str:
        return f"{self._print(x.left)} {REL_LATEX.get(x.op, x.op)} {self._print(x.right)}"

    def _print_Chain(self, x: n.Chain) -> str:
        out = self._print(x.terms[0])
        for op, term in zip(x.ops, x.terms[1:], strict=True):
            out += f" {self._print(op)} {self.paren(term, PREC_REL, True)}"
        return out.strip()

    def _print_Seq(self, x: n.Seq) -> str:
        return ", \\quad ".join(self.paren(i, PREC_SEQ, True) for i in x.items)

    def _print_Block(self, x: n.Block) -> str:
        return " \\\\ ".join(self._print(r) for r in x.rows)


class TextPrinter(Printer):
    """Expression → readable one-line text: ``∂ℓ/∂W^(1) = x·(ŷ − y)ᵀ``-style, for messages and reports."""

    def paren(self, node: n.Node, level: int, strict: bool = False) -> str:
        # a slash fraction under a power, index or transpose needs brackets in one-line text
        if level >= PREC_POW and isinstance(node, n.Derivative | n.Div):
            return f"({self._print(node)})"
        return super().paren(node, level, strict)

    def _print_Number(self, x: n.Number) -> str:
        return x.text

    def _print_Symbol(self, x: n.Symbol) -> str:
        name = GREEK_TEXT.get(x.name, x.name)
        if x.style == "bold":
            name = "bold " + name
        elif x.style == "bb":
            name = {"R": "ℝ", "N": "ℕ", "1": "𝟙", "I": "𝕀"}.get(x.name, "bb " + name)
        elif x.style in ("cal", "sf", "frak"):
            name = f"{x.style} {name}"
        if x.accent:
            name = f"{x.accent} {name}"
        if x.sub:
            name += "_" + ",".join(self.atom(i) for i in x.sub)
        if isinstance(x.layer, n.Text):
            name += f"^{x.layer.text}"
        elif x.layer is not None:
            name += f"^({self._print(x.layer)})"
        return name

    def atom(self, x: n.Node) -> str:
        text = self._print(x)
        return text if precedence(x) >= PREC_ATOM else f"({text})"

    def _print_Function(self, x: n.Function) -> str:
        return {"sigma": "σ", "indicator": "𝟙"}.get(x.name, x.name)

    def _print_Text(self, x: n.Text) -> str:
        return f'"{x.text}"'

    def _print_Infinity(self, x: n.Infinity) -> str:
        return "∞"

    def _print_Dots(self, x: n.Dots) -> str:
        return "" if x.kind == "blank" else "…"

    def _print_Placeholder(self, x: n.Placeholder) -> str:
        return "·"

    def _print_Elided(self, x: n.Elided) -> str:
        return "…"

    def _print_Space(self, x: n.Space) -> str:
        base = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "C": "ℂ", "Q": "ℚ"}.get(x.field, x.field)
        if not x.dims:
            return base
        return base + "^(" + "×".join(self._print(d) for d in x.dims) + ")"

    def _print_Neg(self, x: n.Neg) -> str:
        return "−" + self.paren(x.operand, PREC_MUL, True)

    def _print_Add(self, x: n.Add) -> str:
        out = self.paren(x.terms[0], PREC_ADD)
        for term in x.terms[1:]:
            if isinstance(term, n.Neg):
                out += " − " + self.paren(term.operand, PREC_ADD, True)
            else:
                out += " + " + self.paren(term, PREC_ADD, True)
        return out

    def _print_Mul(self, x: n.Mul) -> str:
        sep = MUL_TEXT.get(x.op, " ")
        return sep.join(self.paren(f, PREC_MUL, True) if i else self.paren(f, PREC_MUL)
                        for i, f in enumerate(x.factors))

    def _print_Hadamard(self, x: n.Hadamard) -> str:
        return " ⊙ ".join(self.paren(f, PREC_MUL, True) for f in x.factors)

    def _print_Div(self, x: n.Div) -> str:
        return f"{self.paren(x.numerator, PREC_MUL)}/{self.paren(x.denominator, PREC_POW)}"

    def _print_Power(self, x: n.Power) -> str:
        return f"{self.paren(x.base, PREC_POW, True)}^{self.atom(x.exponent)}"

    def _print_Root(self, x: n.Root) -> str:
        index = f"[{self._print(x.index)}]" if x.index is not None else ""
        return f"sqrt{index}({self._print(x.radicand)})"

    def _print_Transpose(self, x: n.Transpose) -> str:
        return self.paren(x.operand, PREC_POW, True) + "ᵀ"

    def _print_Prime(self, x: n.Prime) -> str:
        return self.paren(x.operand, PREC_POW, True) + "'" * x.order

    def _print_Factorial(self, x: n.Factorial) -> str:
        return self.paren(x.operand, PREC_POW, True) + "!"

    def _print_Indexed(self, x: n.Indexed) -> str:
        return self.paren(x.base, PREC_POW, True) + "_" + ",".join(self.atom(i) for i in x.indices)

    def _print_Accent(self, x: n.Accent) -> str:
        return f"{x.accent}({self._print(x.operand)})"

    def _print_Apply(self, x: n.Apply) -> str:
        head = self._print(x.func) if isinstance(x.func, n.Prime) else self.atom(x.func)
        return f"{head}({', '.join(self._print(a) for a in x.args)})"

    def _print_Derivative(self, x: n.Derivative) -> str:
        d = "∂" if x.partial else "d"
        order = f"^{x.order} " if x.order > 1 else ""
        wrt = self.atom(x.wrt) + (f"^{x.order}" if x.order > 1 else "")
        if x.of is None:
            return f"{d}{order}/{d}{wrt}"
        return f"{d}{order}{self.atom(x.of)}/{d}{wrt}"

    def _print_Gradient(self, x: n.Gradient) -> str:
        sub = f"_{self.atom(x.wrt)} " if x.wrt is not None else ""
        return f"∇{sub}{self.atom(x.of)}"

    def _print_Limit(self, x: n.Limit) -> str:
        to = self._print(x.to) + (x.direction or "")
        return f"lim[{self._print(x.var)}→{to}] {self.paren(x.body, PREC_MUL)}"

    def _print_BigOp(self, x: n.BigOp) -> str:
        limits = ""
        if x.lower is not None or x.upper is not None:
            low = self._print(x.lower) if x.lower is not None else ""
            up = f"..{self._print(x.upper)}" if x.upper is not None else ""
            limits = f"[{low}{up}]"
        return f"{x.op}{limits} {self.paren(x.body, PREC_MUL)}"

    def _print_Norm(self, x: n.Norm) -> str:
        bar = "‖" if x.kind == "norm" else "|"
        sub = f"_{self.atom(x.sub)}" if x.sub is not None else ""
        return f"{bar}{self._print(x.operand)}{bar}{sub}"

    def _print_Tuple(self, x: n.Tuple) -> str:
        inner = ", ".join(self._print(i) for i in x.items)
        return f"[{inner}]" if x.delim == "[" else f"({inner})"

    def _print_SetOf(self, x: n.SetOf) -> str:
        return "{" + ", ".join(self._print(i) for i in x.items) + "}"

    def _print_Matrix(self, x: n.Matrix) -> str:
        return "[" + "; ".join(", ".join(self._print(c) or "_" for c in row) for row in x.rows) + "]"

    def _print_Piece(self, x: n.Piece) -> str:
        cond = f" if {self._print(x.condition)}" if x.condition is not None else " otherwise"
        return self._print(x.value) + cond

    def _print_Cases(self, x: n.Cases) -> str:
        return "{" + "; ".join(self._print(p) for p in x.pieces) + "}"

    def _print_Boxed(self, x: n.Boxed) -> str:
        return self._print(x.body)

    def _print_RelOp(self, x: n.RelOp) -> str:
        return x.op

    def _print_Relation(self, x: n.Relation) -> str:
        return f"{self._print(x.left)} {x.op} {self._print(x.right)}"

    def _print_Chain(self, x: n.Chain) -> str:
        out = self._print(x.terms[0])
        for op, term in zip(x.ops, x.terms[1:], strict=True):
            out += f" {op.op} {self._print(term)}"
        return out.strip()

    def _print_Seq(self, x: n.Seq) -> str:
        return ", ".join(self._print(i) for i in x.items)

    def _print_Block(self, x: n.Block) -> str:
        return "; ".join(self._print(r) for r in x.rows)


def to_latex(node: n.Node) -> str:
    """LaTeX for ``node`` that reads back to the same expression."""
    return LatexPrinter().doprint(node)


def to_text(node: n.Node) -> str:
    """A readable one-line rendering of ``node`` (Unicode, no LaTeX commands)."""
    return TextPrinter().doprint(node)
