"""LaTeX and plain-text forms of a matrix expression, parenthesised by precedence.

Products are written by juxtaposition and sums inside products get parentheses, so a gradient reads
``(w^{T} x - y) x`` or ``2 x \\left(W x + b - y\\right)^{T}`` exactly as in a worked solution.
"""

from __future__ import annotations

import re

import sympy

from .expr import Add, Apply, Diag, Expr, Hadamard, Identity, MatMul, Ones, Scale, SqNorm, Symbol, Transpose, Zero
from .functions import elementwise_fn

__all__ = ["entry_latex", "reads_as_compound", "symbol_latex", "to_latex", "to_text"]

_ADD, _SCALE, _HADAMARD, _MATMUL, _ATOM = 10, 20, 25, 30, 100
_INDEXED = re.compile(r"([A-Za-z]+)(\d+)")


def _precedence(node: Expr) -> int:
    if isinstance(node, Add):
        return _ADD
    if isinstance(node, Scale):
        return _SCALE
    if isinstance(node, Hadamard):
        return _HADAMARD
    if isinstance(node, MatMul):
        return _MATMUL
    if isinstance(node, Apply):
        return {"sum": _ADD, "product": _MATMUL}.get(elementwise_fn(node.fn).reads_as, _ATOM)
    return _ATOM


def symbol_latex(symbol: Symbol) -> str:
    """A symbol's LaTeX: its ``tex`` if given, else ``W1`` → ``W_{1}``."""
    if symbol.tex:
        return symbol.tex
    match = _INDEXED.fullmatch(symbol.name)
    return f"{match.group(1)}_{{{match.group(2)}}}" if match else symbol.name


def to_latex(node: Expr) -> str:
    return _Printer(latex=True).print(node)


def to_text(node: Expr) -> str:
    return _Printer(latex=False).print(node)


class _Printer:
    def __init__(self, latex: bool) -> None:
        self.latex = latex

    def paren(self, text: str) -> str:
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def wrapped(self, node: Expr, below: int) -> str:
        text = self.print(node)
        return self.paren(text) if _precedence(node) <= below else text

    def coefficient(self, value: sympy.Expr) -> str:
        return sympy.latex(value) if self.latex else str(value)

    def print(self, node: Expr) -> str:
        method = getattr(self, f"_print_{type(node).__name__}")
        return method(node)

    def _print_Symbol(self, node: Symbol) -> str:
        return symbol_latex(node) if self.latex else node.name

    def _print_Identity(self, node: Identity) -> str:
        if node.size == 1:
            return "1"
        return f"I_{{{node.size}}}" if self.latex else f"I_{node.size}"

    def _print_Ones(self, node: Ones) -> str:
        return rf"\mathbf{{1}}_{{{node.size}}}" if self.latex else f"1_{node.size}"

    def _print_Zero(self, node: Zero) -> str:
        return "0"

    def _print_Transpose(self, node: Transpose) -> str:
        inner = self.print(node.arg)
        if not isinstance(node.arg, Symbol | Apply | Diag | Ones | Identity) or _precedence(node.arg) < _ATOM:
            inner = self.paren(inner)
        return f"{inner}^{{T}}" if self.latex else f"{inner}^T"

    def _print_MatMul(self, node: MatMul) -> str:
        return " ".join(self.wrapped(f, _HADAMARD) for f in node.factors)

    def _print_Scale(self, node: Scale) -> str:
        c = node.coefficient
        if isinstance(node.arg, Identity) and node.arg.size == 1:  # c times the scalar 1 is the number c
            return self.coefficient(c)
        if c.could_extract_minus_sign():
            return "-" + self._print_Scale(Scale(-c, node.arg)) if c != -1 else "-" + self.wrapped(node.arg, _SCALE)
        arg = self.wrapped(node.arg, _HADAMARD)
        return f"{self.coefficient(c)} {arg}"

    def _print_Add(self, node: Add) -> str:
        parts = [self.print(node.terms[0])]
        for term in node.terms[1:]:
            if isinstance(term, Scale) and term.coefficient.could_extract_minus_sign():
                positive = Scale(-term.coefficient, term.arg) if term.coefficient != -1 else term.arg
                parts.append("- " + self.wrapped(positive, _ADD))
            else:
                parts.append("+ " + self.print(term))
        return " ".join(parts)

    def _print_Hadamard(self, node: Hadamard) -> str:
        op = r" \odot " if self.latex else " ⊙ "
        return self.wrapped(node.left, _MATMUL) + op + self.wrapped(node.right, _MATMUL)

    def _print_Apply(self, node: Apply) -> str:
        fn = elementwise_fn(node.fn)
        inner = self.print(node.arg)
        return fn.latex(inner) if self.latex else fn.text(inner)

    def _print_Diag(self, node: Diag) -> str:
        inner = self.print(node.arg)
        return rf"\operatorname{{diag}}\left({inner}\right)" if self.latex else f"diag({inner})"

    def _print_SqNorm(self, node: SqNorm) -> str:
        inner = self.print(node.arg)
        if node.arg.shape.is_scalar:
            return f"{self.paren(inner)}^{{2}}" if self.latex else f"({inner})^2"
        return rf"\left\lVert {inner} \right\rVert^{{2}}" if self.latex else f"||{inner}||^2"


def entry_latex(node: Expr, index: str = "i") -> str:
    """The LaTeX of entry ``index`` of an elementwise expression (a column, a row, or a diagonal's entry).

    ``5 diag(1[z₁ > 0])`` gives ``5 \\mathbb{1}[(z_1)_i > 0]``; a non-elementwise part prints as ``(Wx)_i``.
    """
    if isinstance(node, Symbol):
        tex = symbol_latex(node)
        return rf"\left({tex}\right)_{{{index}}}" if "_" in tex or "^" in tex else f"{tex}_{{{index}}}"
    if isinstance(node, Ones):
        return "1"
    if isinstance(node, Zero):
        return "0"
    if isinstance(node, Transpose | Diag):
        return entry_latex(node.arg, index)
    if isinstance(node, Scale):
        c = node.coefficient
        inner = entry_latex(node.arg, index)
        if _precedence(_bare(node.arg)) <= _HADAMARD and not _is_fraction(node.arg):
            inner = rf"\left({inner}\right)"
        if c == -1:
            return "-" + inner
        return f"{sympy.latex(c)} {inner}"
    if isinstance(node, Add):
        parts = [entry_latex(node.terms[0], index)]
        for term in node.terms[1:]:
            text = entry_latex(term, index)
            parts.append(f"- {text[1:]}" if text.startswith("-") else f"+ {text}")
        return " ".join(parts)
    if isinstance(node, Hadamard):
        def wrap(part: Expr) -> str:
            text = entry_latex(part, index)
            return rf"\left({text}\right)" if _precedence(_bare(part)) <= _SCALE else text

        if _is_fraction(node):  # a_i · 1/b_i reads as a fraction
            denominator = _bare(node.right).arg
            return rf"\frac{{{entry_latex(node.left, index)}}}{{{entry_latex(denominator, index)}}}"
        return f"{wrap(node.left)} {wrap(node.right)}"
    if isinstance(node, Apply):
        return elementwise_fn(node.fn).latex(entry_latex(node.arg, index))
    return rf"\left({to_latex(node)}\right)_{{{index}}}"


def _is_fraction(node: Expr) -> bool:
    """``a ⊙ reciprocal(b)``, whose entries print as ``\\frac{a_i}{b_i}``."""
    node = _bare(node)
    if not isinstance(node, Hadamard):
        return False
    right = _bare(node.right)
    return isinstance(right, Apply) and right.fn == "reciprocal"


def _bare(node: Expr) -> Expr:
    while isinstance(node, Transpose | Diag):
        node = node.arg
    return node


def reads_as_compound(node: Expr) -> bool:
    """Whether the printed entries of ``node`` need parentheses after a factor (``δᵢⱼ (1 − tanh²)``)."""
    return _precedence(_bare(node)) < _ATOM
