"""Items as LaTeX math, in the notation chainrule's reader parses.

Glyphs print as their meaning (cmmi's σ → ``\\sigma``, bold → ``\\mathbf``), groups as their construction
(``\\frac``, ``\\sqrt``, ``\\hat``, ``\\begin{bmatrix}``), scripts as ``_{…}`` / ``^{…}`` (a superscript of
primes as ``'``). Runs of upright letters are words: an operator name (``\\tanh``, ``\\operatorname{ReLU}``) or
``\\mathrm{…}``. Items are written as placed: letters set close together stay together (``ReLU``), a visible
gap becomes a space.
"""

from __future__ import annotations

import re

from chainrule.documents.pdf.fonts import FontRole
from chainrule.documents.pdf.items import Glyph, Group, GroupKind, Item
from chainrule.documents.pdf.rows import attach_scripts, cluster_rows, flatten
from chainrule.documents.pdf.symbols import GREEK, Kind

# Upright words TeX sets as operators (\tanh …) and names the notation reader knows as functions.
OPERATOR_NAMES = {"sin", "cos", "tan", "tanh", "sinh", "cosh", "exp", "log", "ln", "det", "max", "min", "sup",
                  "inf", "lim", "arg", "dim", "ker", "deg", "gcd", "Pr", "sec", "csc", "cot", "arcsin", "arccos",
                  "arctan", "coth"}
FUNCTION_WORDS = {"ReLU", "relu", "softmax", "softplus", "sigmoid", "sign", "sgn", "diag", "tr", "Tr", "argmax",
                  "argmin", "Var", "Cov", "rank", "LeakyReLU", "ELU", "GELU", "SiLU", "Softmax", "Sigmoid",
                  "Tanh", "MSE", "BCE", "CE", "Linear", "logsumexp", "erf", "abs", "vec", "mean", "span", "Swish",
                  "swish", "elu", "gelu", "silu", "leaky", "tanh"}
_WORD_GAP = 0.12  # em: a gap this wide between math items is written as a space


def glyph_latex(g: Glyph) -> str:
    latex = g.mean.latex or g.char
    if g.kind is Kind.LETTER and g.bold and not latex.startswith(r"\math"):
        return rf"\boldsymbol{{{latex}}}" if g.char in GREEK else rf"\mathbf{{{latex}}}"
    if g.role is FontRole.TEXT and g.mono and g.kind is Kind.LETTER:
        return latex
    return latex


def item_latex(item: Item) -> str:
    """One item with its scripts."""
    body = _body(item)
    if item.sub:
        body += "_{" + items_latex(flatten(item.sub)) + "}"
    if item.sup:
        primes = [s for s in item.sup if isinstance(s, Glyph) and s.char in "′'″"]
        if len(primes) == len(item.sup):
            body += "'" * sum(2 if p.char == "″" else 1 for p in primes)
        else:
            body += "^{" + items_latex(flatten(item.sup)) + "}"
    return body


def _body(item: Item) -> str:
    if isinstance(item, Glyph):
        return glyph_latex(item)
    assert isinstance(item, Group)
    if item.kind is GroupKind.FRACTION:
        return r"\frac{" + items_latex(item.parts[0]) + "}{" + items_latex(item.parts[1]) + "}"
    if item.kind is GroupKind.ROOT:
        index = items_latex(item.parts[1]) if item.parts[1] else ""
        return r"\sqrt" + (f"[{index}]" if index else "") + "{" + items_latex(item.parts[0]) + "}"
    if item.kind is GroupKind.ACCENT:
        inner = item.parts[0]
        command = item.command
        if len(inner) > 1 and command in (r"\hat", r"\tilde"):
            command = r"\widehat" if command == r"\hat" else r"\widetilde"
        return command + "{" + items_latex(inner) + "}"
    if item.kind is GroupKind.OVERLINE:
        inner = item.parts[0]
        return (r"\bar{" if len(inner) == 1 else r"\overline{") + items_latex(inner) + "}"
    if item.kind is GroupKind.LIMITS:
        op, below, above = item.parts
        text = items_latex(op)
        if below:
            text += "_{" + items_latex(below) + "}"
        if above:
            text += "^{" + items_latex(above) + "}"
        return text
    rows = [" & ".join(items_latex(cell) for cell in row) for row in item.rows]
    return rf"\begin{{{item.command}}} " + r" \\ ".join(rows) + rf" \end{{{item.command}}}"


def items_latex(items: list[Item]) -> str:
    """Items that belong together (a numerator, a script, a cell): scripts attached, rows joined by spaces."""
    if not items:
        return ""
    anchors = attach_scripts(items)
    rows = cluster_rows(anchors)
    return " ".join(sequence_latex(row) for row in rows)


def sequence_latex(row: list[Item]) -> str:
    """Anchors of one row, left to right, with upright letter runs read as words."""
    out = ""
    previous: Item | None = None
    k = 0
    while k < len(row):
        first = row[k]
        word, taken = _upright_word(row, k)
        if word:
            last = row[k + taken - 1]
            token = _word_latex(word, last)
            k += taken
        else:
            last = first
            token = item_latex(first)
            k += 1
        gap = previous is not None and first.x0 - previous.right > _WORD_GAP * max(previous.size, first.size)
        out = join(out, token, space=gap)
        previous = last
    return out


def join(out: str, token: str, *, space: bool = False) -> str:
    """Append ``token``, with a space where TeX needs one (after a command word) or a gap was visible."""
    if not out:
        return token
    needs = bool(re.search(r"\\[A-Za-z]+$", out)) and bool(re.match(r"[A-Za-z0-9]", token))
    return out + (" " if space or needs else "") + token


def _upright_word(row: list[Item], k: int) -> tuple[str, int]:
    """The run of upright text-font letters starting at ``row[k]`` (at least two, none with scripts inside)."""
    letters: list[Glyph] = []
    j = k
    while j < len(row):
        g = row[j]
        if not (isinstance(g, Glyph) and g.kind is Kind.LETTER and g.role is FontRole.TEXT and not g.italic
                and g.char.isascii()):
            break
        if letters and (g.x0 - letters[-1].x1 > 0.2 * g.size or letters[-1].sub or letters[-1].sup):
            break
        letters.append(g)
        j += 1
    if len(letters) < 2:
        return "", 0
    return "".join(g.char for g in letters), len(letters)


def _word_latex(word: str, last: Item) -> str:
    if word in OPERATOR_NAMES:
        text = "\\" + word
    elif word in FUNCTION_WORDS:
        text = rf"\operatorname{{{word}}}"
    else:
        text = rf"\mathrm{{{word}}}"
    if last.sub:
        text += "_{" + items_latex(flatten(last.sub)) + "}"
    if last.sup:
        text += "^{" + items_latex(flatten(last.sup)) + "}"
    return text
