"""The claims a document makes: relation chains ``a = b = c …`` with their lines, and what it declares.

A chain is what a student asserts in one breath; each adjacent pair is one checkable step. Besides chains,
a document *declares* things the checkers need: shapes (``x ∈ ℝⁿ``, ``W^{(1)} ∈ ℝ^{m×n}``), parameter domains
(``a ∈ (0, 1)``, ``0 < a < 1``), its layout convention ("using numerator layout" in the prose), and what σ
means (many courses write σ for ReLU; a chain such as ``σ(a) = max{a, 0}`` says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import sympy

from chainrule.grading.checkers.terms import Environment
from chainrule.grading.meaning import Condition, declared_by, declared_shape, document_functions, read_math, symbol_key
from chainrule.notation import nodes as n

__all__ = ["ReadDocument", "RelationChain", "chains_in", "declare", "declare_from", "read_document"]

MAX_CHAINS = 5000
# Signs that join statements rather than expressions: a chain is cut there.
CONNECTIVES = frozenset({"⇔", "⇒", "⟸", "⟹", "⟺", "\\Leftrightarrow", "\\Rightarrow", "\\iff", "\\implies"})


@dataclass(frozen=True)
class RelationChain:
    """``terms[0] ops[0] terms[1] ops[1] …`` as written; ``op_lines`` are where each sign stands."""

    terms: tuple[n.Node, ...]
    ops: tuple[str, ...]
    op_lines: tuple[int, ...]
    line: int
    caveat: str | None = None  # why a "wrong" here may be the reader's mistake (e.g. a dropped percent sign)
    condition: Condition | None = None  # where the claim is claimed (``for $x < 0$``), from the words around it

    def __post_init__(self) -> None:
        if len(self.terms) != len(self.ops) + 1:
            raise ValueError("a chain has one more term than relation signs")


@dataclass
class ReadDocument:
    """A document's chains in reading order, and the spans the reader could not read (located messages)."""

    chains: list[RelationChain] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""


def read_document(text: str, extra_texts: tuple[str, ...] = ()) -> ReadDocument:
    """Find, parse and interpret every math span (:func:`~chainrule.grading.meaning.read_math`, the reading
    ``grade`` shares); an unreadable span is recorded and skipped, row by row where possible. ``extra_texts``
    (an assignment's prompts) may declare function names."""
    document = ReadDocument(text=text)
    read = read_math(text, extra_texts)
    document.errors.extend(read.errors)
    for span in read.spans:
        caveat = _caveat(span.span.latex)
        condition = span.condition
        if condition is not None and not condition.intervals:
            caveat = caveat or f"{condition.caveat}, which the check does not apply"
        for node in span.nodes:
            chains = chains_in(node)
            document.chains.extend(replace(chain, caveat=caveat, condition=condition) for chain in chains)
            if len(document.chains) > MAX_CHAINS:
                document.errors.append(f"more than {MAX_CHAINS} relations: the rest of the document is not checked")
                return document
    return document


def _caveat(latex: str) -> str | None:
    """Text the reader does not keep but that changes values: ``50\\%`` reads as 50."""
    if "%" in latex:
        return "the math contains a percent sign, which is not read as a factor of 1/100"
    return None


def chains_in(node: n.Node) -> list[RelationChain]:
    """The relation chains of one parsed span, cut at logical connectives (⇒, ⇔), boxes opened."""
    found: list[RelationChain] = []
    listed: list[n.Symbol] = []  # "z_1, z_2 ∈ ℝᵐ" reads as z_1 then the chain z_2 ∈ ℝᵐ: z_1 shares it
    for statement in n.statements(node):
        statement = _unbox(statement)
        if isinstance(statement, n.Symbol):
            listed.append(statement)
            continue
        if isinstance(statement, n.Chain):
            terms, ops, lines = _flatten(statement)
            if listed and ops[:1] == ["∈"] and isinstance(terms[0], n.Symbol):
                found.extend(RelationChain((name, terms[1]), ("∈",), (lines[0],), name.line) for name in listed)
            found.extend(_cut(terms, ops, lines))
        listed = []
    return found


def _unbox(node: n.Node) -> n.Node:
    while isinstance(node, n.Boxed):
        node = node.body
    return node


def _flatten(chain: n.Chain) -> tuple[list[n.Node], list[str], list[int]]:
    """A boxed chain inside a chain (``\\boxed{ŷ = 1.33} ≜ f(x; θ)``) joins its host."""
    terms: list[n.Node] = []
    ops: list[str] = []
    lines: list[int] = []
    for index, term in enumerate(chain.terms):
        term = _unbox(term)
        if isinstance(term, n.Chain):
            inner_terms, inner_ops, inner_lines = _flatten(term)
            terms.extend(inner_terms)
            ops.extend(inner_ops)
            lines.extend(inner_lines)
        else:
            terms.append(term)
        if index < len(chain.ops):
            ops.append(chain.ops[index].op)
            lines.append(chain.ops[index].line)
    return terms, ops, lines


def _cut(terms: list[n.Node], ops: list[str], lines: list[int]) -> list[RelationChain]:
    pieces: list[RelationChain] = []
    start = 0
    for index, op in enumerate([*ops, None]):
        if op is None or op in CONNECTIVES:
            piece_terms = [t for t in terms[start:index + 1] if not isinstance(t, n.Elided)]
            piece_ops = ops[start:index]
            if len(piece_terms) == len(piece_ops) + 1 and piece_ops:
                pieces.append(RelationChain(tuple(piece_terms), tuple(piece_ops), tuple(lines[start:index]),
                                            piece_terms[0].line or (lines[start] if lines else 0)))
            start = index + 1
    return pieces


# --- declarations ------------------------------------------------------------------------------------------


def declare(document: ReadDocument, env: Environment) -> None:
    """Put what holds for the whole document into ``env``: its layout convention and the meaning of σ.

    Shapes and domains are declared line by line with :func:`declare_from` as the reading reaches them (``x``
    may be a number in question 1 and a vector in question 2).
    """
    layouts = {match.lower() for match in re.findall(r"(numerator|denominator)[\s-]*layout", document.text,
                                                     re.IGNORECASE)}
    env.numerator_layout = layouts == {"numerator"}  # a text naming both layouts does not say which it uses
    env.functions.update(document_functions(document.chains))


def declare_from(chain: RelationChain, env: Environment) -> None:
    """The shapes (``x ∈ ℝⁿ``), parameter domains (``a ∈ (0, 1)``, ``0 < a < 1``) and function names (``f =
    tanh``, ``σ = ReLU``) one chain declares, from its line on."""
    for index, op in enumerate(chain.ops):
        target = chain.terms[index + 1]
        if op in ("=", "≜", ":=") and index == 0 and len(chain.terms) == 2:
            found = declared_by(chain.terms[0], target)
            if found is not None and found[1] is not None:
                env.functions[found[0]] = found[1]
        if op == "∈":
            names = _names_before(chain, index)
            if isinstance(target, n.Space):
                shape = declared_shape(target)
                for name in names:
                    if shape is not None:
                        env.shapes[name] = shape
            elif isinstance(target, n.Tuple) and len(target.items) == 2:
                interval = _interval(target)
                for name in names:
                    if interval is not None:
                        env.domains[name] = interval
    # 0 < a < 1 written as a chain of comparisons around one name
    if len(chain.terms) == 3 and all(op in ("<", "≤") for op in chain.ops) and isinstance(chain.terms[1], n.Symbol):
        low, high = _number(chain.terms[0]), _number(chain.terms[2])
        if low is not None and high is not None and low < high:
            env.domains[symbol_key(chain.terms[1])] = sympy.Interval(low, high, chain.ops[0] == "<",
                                                                     chain.ops[1] == "<")


def _names_before(chain: RelationChain, index: int) -> list[str]:
    """The plain names equated with each other just before an ``∈`` (``ŷ = g(z₃) ∈ ℝᴷ`` declares ŷ)."""
    names = []
    position = index
    while position >= 0:
        term = chain.terms[position]
        if isinstance(term, n.Symbol):
            names.append(symbol_key(term))
        elif isinstance(term, n.Seq | n.Tuple) and all(isinstance(i, n.Symbol) for i in getattr(term, "items", ())):
            names.extend(symbol_key(i) for i in term.items)
        if position == 0 or chain.ops[position - 1] not in ("=", "≜", ":="):
            break
        position -= 1
    return names


def _interval(node: n.Tuple) -> sympy.Interval | None:
    low, high = _number(node.items[0]), _number(node.items[1])
    if low is None or high is None or not low < high:
        return None
    closed = node.delim == "["
    return sympy.Interval(low, high, not closed, not closed)


def _number(node: n.Node) -> sympy.Expr | None:
    if isinstance(node, n.Number):
        return sympy.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, n.Neg) and isinstance(node.operand, n.Number):
        value = _number(node.operand)
        return -value if value is not None else None
    if isinstance(node, n.Infinity):
        return sympy.oo
    if isinstance(node, n.Neg) and isinstance(node.operand, n.Infinity):
        return -sympy.oo
    return None
