"""Reader nodes back into short plain text with Unicode (``1 − tanh(z₁²)``, ``∂ℓ/∂z₃``), for reports.

A finding quotes what the student wrote; this printer keeps their notation (names, accents, layer labels)
rather than SymPy's rewriting of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from chainrule.grading.findings import Finding
from chainrule.notation import nodes as n

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "ell": "ℓ", "Delta": "Δ", "Sigma": "Σ", "Theta": "Θ", "Phi": "Φ", "Omega": "Ω", "nabla": "∇",
}
ACCENT_MARK = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "dot": "\u0307", "vec": "\u20d7"}
MAX_CHARS = 160


def accented(name: str, accent: str | None) -> str:
    """``ŷ``, ``ŷ1`` (the mark on the letter, not on the digit), or ``hat(xy)`` where a mark cannot sit."""
    if not accent:
        return name
    if accent in ACCENT_MARK and name[:1].isalpha() and (len(name) == 1 or not name[1:2].isalpha()):
        return name[0] + ACCENT_MARK[accent] + name[1:]
    return f"{accent}({name})"


def display_name(key: str) -> str:
    """A variable's key (``hat y1``, ``ell``, ``W^(1)``) as people write it (``ŷ1``, ``ℓ``, ``W^(1)``)."""
    words = key.split(" ")
    accent = words[0] if len(words) > 1 and words[0] in ACCENT_MARK else None
    base = words[-1]
    head, sep, rest = base.partition("_")
    head, caret, layer = head.partition("^")
    return accented(GREEK.get(head, head), accent) + caret + layer + sep + rest


def to_text(node: n.Node | None) -> str:
    text = _print(node, 0)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _print(node: n.Node | None, depth: int) -> str:
    if node is None:
        return ""
    if depth > 40:
        return "…"
    p = lambda child: _print(child, depth + 1)  # noqa: E731
    wrap = lambda child: _wrapped(child, depth + 1)  # noqa: E731
    if isinstance(node, n.Number):
        return node.text
    if isinstance(node, n.Symbol):
        name = accented(GREEK.get(node.name, node.name), node.accent)
        if node.layer is not None:
            name += f"^({p(node.layer)})"
        if node.sub:
            name += "_" + ",".join(p(s) for s in node.sub) if len(node.sub) == 1 and len(p(node.sub[0])) == 1 \
                else "_{" + ",".join(p(s) for s in node.sub) + "}"
        return name
    if isinstance(node, n.Function):
        written = re.sub(r"\\[a-zA-Z]+\{([^{}]*)\}", r"\1", node.written).replace("\\", "")
        return GREEK.get(written, written) or node.name
    if isinstance(node, n.Text):
        return node.text
    if isinstance(node, n.Infinity):
        return "∞"
    if isinstance(node, n.Dots):
        return "…"
    if isinstance(node, n.Placeholder):
        return "·"
    if isinstance(node, n.Elided):
        return ""
    if isinstance(node, n.Space):
        field = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "C": "ℂ"}.get(node.field, node.field)
        return field + ("^{" + "×".join(p(d) for d in node.dims) + "}" if node.dims else "")
    if isinstance(node, n.Neg):
        return "−" + wrap(node.operand)
    if isinstance(node, n.Add):
        out = p(node.terms[0])
        for term in node.terms[1:]:
            out += " − " + wrap(term.operand) if isinstance(term, n.Neg) else " + " + p(term)
        return out
    if isinstance(node, n.Mul):
        joiner = {"cdot": "·", "times": "×", "star": "*"}.get(node.op, " ")
        return joiner.join(wrap(f) for f in node.factors)
    if isinstance(node, n.Hadamard):
        return " ⊙ ".join(wrap(f) for f in node.factors)
    if isinstance(node, n.Div):
        return f"{wrap(node.numerator)}/{wrap(node.denominator)}"
    if isinstance(node, n.Power):
        return f"{wrap(node.base)}^{wrap(node.exponent)}"
    if isinstance(node, n.Root):
        return f"√({p(node.radicand)})"
    if isinstance(node, n.Transpose):
        return f"{wrap(node.operand)}ᵀ"
    if isinstance(node, n.Prime):
        return p(node.operand) + "′" * node.order
    if isinstance(node, n.Factorial):
        return f"{wrap(node.operand)}!"
    if isinstance(node, n.Indexed):
        return f"{wrap(node.base)}_{{{','.join(p(i) for i in node.indices)}}}"
    if isinstance(node, n.Accent):
        return f"{node.accent}({p(node.operand)})"
    if isinstance(node, n.Apply):
        func = p(node.func)
        if isinstance(node.func, n.Function) and node.func.name == "relu" and "^+" in node.func.written:
            return f"({p(node.args[0])})⁺"
        return f"{func}({', '.join(p(a) for a in node.args)})"
    if isinstance(node, n.Derivative):
        d = "∂" if node.partial else "d"
        order = "" if node.order == 1 else str(node.order)
        if node.of is None:
            return f"{d}{order}/{d}{p(node.wrt)}{order}"
        of = p(node.of)
        if isinstance(node.of, n.Symbol):
            return f"{d}{order}{of}/{d}{p(node.wrt)}{order}"
        return f"{d}{order}/{d}{p(node.wrt)}{order} {of}"
    if isinstance(node, n.Gradient):
        return f"∇{p(node.wrt) if node.wrt else ''} {p(node.of)}"
    if isinstance(node, n.Limit):
        side = node.direction or ""
        return f"lim_{{{p(node.var)}→{p(node.to)}{side}}} {p(node.body)}"
    if isinstance(node, n.BigOp):
        return f"{node.op}_{{{p(node.lower)}}}^{{{p(node.upper)}}} {p(node.body)}"
    if isinstance(node, n.Norm):
        bar = "‖" if node.kind == "norm" else "|"
        return f"{bar}{p(node.operand)}{bar}" + (f"_{p(node.sub)}" if node.sub is not None else "")
    if isinstance(node, n.Tuple):
        close = {"(": ")", "[": "]", "{": "}"}.get(node.delim, ")")
        return node.delim + ", ".join(p(i) for i in node.items) + close
    if isinstance(node, n.SetOf):
        return "{" + ", ".join(p(i) for i in node.items) + "}"
    if isinstance(node, n.Matrix):
        return "[" + "; ".join(", ".join(p(c) for c in row) for row in node.rows) + "]"
    if isinstance(node, n.Cases):
        return "{ " + "; ".join(p(pc.value) + (f" if {p(pc.condition)}" if pc.condition is not None else "")
                                for pc in node.pieces) + " }"
    if isinstance(node, n.Boxed):
        return p(node.body)
    if isinstance(node, n.Chain):
        out = p(node.terms[0])
        for op, term in zip(node.ops, node.terms[1:], strict=False):
            out += f" {op.op} {p(term)}"
        return out
    if isinstance(node, n.Relation):
        return f"{p(node.left)} {node.op} {p(node.right)}"
    if isinstance(node, n.Seq):
        return ", ".join(p(i) for i in node.items)
    if isinstance(node, n.Block):
        return "; ".join(p(r) for r in node.rows)
    return type(node).__name__


def _wrapped(node: n.Node, depth: int) -> str:
    text = _print(node, depth)
    if isinstance(node, n.Add | n.Neg):
        return f"({text})"
    if isinstance(node, n.Div | n.Mul) and " " in text:
        return f"({text})"
    return text


_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_ONE_DIGIT_SUBSCRIPT = re.compile(r"(?<=[^\W\d_]|[\u0300-\u036f])_(\d)(?![\d,{}_A-Za-z])")


def readable(text: str | None) -> str | None:
    """A finding's formula as people read it: one-digit indices as subscripts (``z_3`` → ``z₃``), accents composed.

    Done on the finished text, not in :func:`to_text`, whose output also serves as a name key; an entry index
    (``z_{1,1}``) and anything longer keep the underscore so nothing is misread.
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text)  # y + a combining hat → the one letter ŷ, where Unicode has it
    return _ONE_DIGIT_SUBSCRIPT.sub(lambda match: match.group(1).translate(_SUBSCRIPT_DIGITS), text)


def readable_finding(finding: Finding) -> Finding:
    """The finding with every formula in it as people read it (see :func:`readable`)."""
    return replace(
        finding,
        written=readable(finding.written) or "",
        expected=readable(finding.expected),
        reason=readable(finding.reason) or "",
        notes=tuple(readable(note) or "" for note in finding.notes),
    )


def formula_text(expr: object) -> str:
    """A SymPy result the way the findings quote formulas: ``1 − tanh(z)^2``, ``oo`` as ``∞``."""
    import sympy

    text = sympy.sstr(expr)
    text = text.replace("**", "^").replace("*", "·").replace("oo", "∞").replace(" - ", " − ")
    return re.sub(r"(^|[(\s])-", r"\1−", text)
