"""Typed expression nodes produced by the reader.

Every node is a small frozen dataclass. ``line`` and ``column`` (1-based, in the *document* the span came
from) say where the node starts, so a verdict can point at "line 41, col 12". Positions, and spelling
details that do not change the meaning (``\\cdot`` or juxtaposition, ``\\frac`` or ``/``, pmatrix or bmatrix),
take no part in equality or hashing: two readings of ``W^{(1)}x`` at different places compare equal,
which is what a grader comparing a claim with the truth wants.

The nodes keep what the writer meant, not how LaTeX spells it: ``\\mathbf{x}`` and ``\\boldsymbol{x}`` are
both ``Symbol("x", style="bold")``, ``\\tanh^2(z)`` is ``Power(Apply(tanh, z), 2)``, ``e^{-x}`` is
``Apply(exp, -x)``. Numbers keep their digits as written (``0.5812`` states four decimal places).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from fractions import Fraction

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Node:
    """Base of every expression node; ``line``/``column`` are where it starts in the document."""

    line: int = field(default=0, kw_only=True, compare=False, repr=False)
    column: int = field(default=0, kw_only=True, compare=False, repr=False)

    def children(self) -> tuple[Node, ...]:
        """The direct sub-expressions, in reading order."""
        found: list[Node] = []
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in fields(self) if f.name not in ("line", "column"))
        for name in names:
            value = getattr(self, name)
            if isinstance(value, Node):
                found.append(value)
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Node):
                        found.append(item)
                    elif isinstance(item, tuple):
                        found.extend(x for x in item if isinstance(x, Node))
        return tuple(found)

    def walk(self) -> Iterator[Node]:
        """Every node of the tree, this one first (iterative, so deep trees cannot overflow the stack)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    @property
    def where(self) -> str:
        return f"line {self.line}, col {self.column}"


# ---------------------------------------------------------------- atoms


@dataclass(frozen=True)
class Number(Node):
    """A number as written. ``text`` keeps the digits: ``0.5812`` is given to 4 decimal places."""

    text: str

    @property
    def value(self) -> Fraction:
        """The exact value (a decimal is an exact rational, never a float)."""
        return Fraction(self.text)

    @property
    def decimals(self) -> int:
        """How many places after the decimal point the writer gave (0 for an integer)."""
        return len(self.text.split(".", 1)[1]) if "." in self.text else 0


@dataclass(frozen=True)
class Symbol(Node):
    """A named quantity: ``x``, ``\\hat{y}_i``, ``W^{(1)}``, ``\\mathbf{z}_{3,1}``, ``\\ell``.

    ``name`` is the letter or word (Greek spelled out: ``"sigma"``, ``"ell"``); ``style`` is ``"plain"``,
    ``"bold"`` (mathbf, boldsymbol, bm), ``"bb"`` (blackboard), ``"cal"``, ``"sf"``, ``"rm"`` or ``"frak"``;
    ``accent`` is ``"hat"``, ``"tilde"``, ``"bar"``, ``"dot"``, ``"ddot"``, ``"vec"`` or ``None``;
    ``sub`` holds the subscript indices (``z_{3,1}`` → ``(3, 1)``); ``layer`` is a parenthesised superscript
    (``W^{(1)}`` → ``1``), which is a label, not a power.
    """

    name: str
    style: str = "plain"
    accent: str | None = None
    sub: tuple[Node, ...] = ()
    layer: Node | None = None

    @property
    def is_bold(self) -> bool:
        return self.style == "bold"


@dataclass(frozen=True)
class Function(Node):
    """A known function name: ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu``, ``exp``, ``log``, ``max``,
    ``min``, ``indicator``, ``diag``, ``sign``, ``softmax``… ``written`` is how it appeared (``\\sigma``,
    ``\\text{LReLU}``, ``(·)^+``)."""

    name: str
    written: str = field(default="", compare=False)


@dataclass(frozen=True)
class Text(Node):
    """Words inside ``\\text{…}`` that are not a function name (``"if"``, ``"the discrete version is"``)."""

    text: str


@dataclass(frozen=True)
class Infinity(Node):
    """``\\infty`` (a sign in front is a :class:`Neg` or a unary plus dropped)."""


@dataclass(frozen=True)
class Dots(Node):
    """An ellipsis standing for omitted entries: ``\\cdots``, ``\\vdots``, ``\\ddots``, ``\\ldots``."""

    kind: str = "ldots"


@dataclass(frozen=True)
class Placeholder(Node):
    """The argument dot in ``f(\\cdot)`` or ``(\\cdot)^+``."""


@dataclass(frozen=True)
class Elided(Node):
    """The missing left side of a continued line (``&= c`` or a span that starts with ``=``)."""


@dataclass(frozen=True)
class Space(Node):
    """A set of numbers such as ``\\mathbb{R}^{m \\times n}``: ``field`` is ``"R"``, ``"N"``, ``"Z"``, ``"C"``;
    ``dims`` are the sizes written in the exponent (empty for plain ``\\mathbb{R}``)."""

    field: str
    dims: tuple[Node, ...] = ()


# ---------------------------------------------------------------- arithmetic


@dataclass(frozen=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True)
class Add(Node):
    """A sum; subtraction is ``Add((a, Neg(b)))``."""

    terms: tuple[Node, ...]


@dataclass(frozen=True)
class Mul(Node):
    """A product. ``op`` is how it was written: ``"implicit"`` (juxtaposition), ``"cdot"``, ``"times"`` or
    ``"star"``; a Hadamard product is :class:`Hadamard`."""

    factors: tuple[Node, ...]
    op: str = field(default="implicit", compare=False)


@dataclass(frozen=True)
class Hadamard(Node):
    """An elementwise product ``a ⊙ b``."""

    factors: tuple[Node, ...]


@dataclass(frozen=True)
class Div(Node):
    """``numerator / denominator``; ``written`` is ``"frac"`` or ``"slash"``."""

    numerator: Node
    denominator: Node
    written: str = field(default="frac", compare=False)


@dataclass(frozen=True)
class Power(Node):
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Root(Node):
    """``\\sqrt[index]{radicand}``; ``index`` is None for a square root."""

    radicand: Node
    index: Node | None = None


@dataclass(frozen=True)
class Transpose(Node):
    operand: Node


@dataclass(frozen=True)
class Prime(Node):
    """``f'`` or ``\\sigma^{\\prime}``: a derivative written with primes; ``order`` counts them."""

    operand: Node
    order: int = 1


@dataclass(frozen=True)
class Factorial(Node):
    operand: Node


@dataclass(frozen=True)
class Indexed(Node):
    """A subscript on something that is not a plain symbol: ``(\\partial z_2/\\partial z_1)_{ij}``."""

    base: Node
    indices: tuple[Node, ...]


@dataclass(frozen=True)
class Accent(Node):
    """An accent over an expression that is not a single symbol (``\\hat{f(x)}``)."""

    accent: str
    operand: Node


# ---------------------------------------------------------------- functions and operators


@dataclass(frozen=True)
class Apply(Node):
    """A function applied to arguments: ``\\sigma(a)``, ``f(x; \\theta)``, ``\\max\\{a, 0\\}``, ``(·)^+``.

    ``func`` is a :class:`Function` for known names or a :class:`Symbol` (``f``, ``L_1``, ``F_i``) for the
    writer's own functions.
    """

    func: Node
    args: tuple[Node, ...]

    @property
    def name(self) -> str:
        """The function's name: a known name (``"tanh"``), the symbol with its plain subscripts (``"L_1"``), or
        the kind of expression applied (``"prime"`` for ``f'(x)``). The printer spells the whole function."""
        if isinstance(self.func, Function):
            return self.func.name
        if isinstance(self.func, Symbol):
            sub = ",".join(
                item.text if isinstance(item, Number) else item.name if isinstance(item, Symbol) else "?"
                for item in self.func.sub
            )
            return f"{self.func.name}_{sub}" if sub else self.func.name
        return type(self.func).__name__.lower()


@dataclass(frozen=True)
class Derivative(Node):
    """``d of / d wrt`` or ``∂ of / ∂ wrt``; ``of`` is None for a bare operator that applied to nothing.

    ``\\frac{\\partial \\ell}{\\partial W^{(1)}}`` → ``Derivative(of=ℓ, wrt=W^(1), partial=True)``;
    ``\\frac{d}{dx} f(x)`` → ``Derivative(of=f(x), wrt=x, partial=False)``.
    """

    of: Node | None
    wrt: Node
    partial: bool = False
    order: int = 1


@dataclass(frozen=True)
class Gradient(Node):
    """``\\nabla f(x)``; ``wrt`` is the subscript of ``\\nabla_{\\theta}`` when given."""

    of: Node
    wrt: Node | None = None


@dataclass(frozen=True)
class Limit(Node):
    """``\\lim_{var \\to to} body``; ``direction`` is ``"+"`` or ``"-"`` for one-sided limits written
    ``x \\to 0^+``."""

    var: Node
    to: Node
    body: Node
    direction: str | None = None


@dataclass(frozen=True)
class BigOp(Node):
    """``\\sum``, ``\\prod``, ``\\int``, ``\\iint`` and subscripted ``\\max``/``\\min``/``\\arg\\min`` with
    their limits: ``op`` is ``"sum"``, ``"prod"``, ``"int"``, ``"iint"``, ``"max"``, ``"min"``, ``"argmax"``,
    ``"argmin"``, ``"sup"``, ``"inf"``. ``lower`` is the whole subscript (``i=1`` or ``1 \\le k \\le T``)."""

    op: str
    body: Node
    lower: Node | None = None
    upper: Node | None = None


@dataclass(frozen=True)
class Norm(Node):
    """``\\|x\\|`` (``kind="norm"``) or ``|x|`` (``kind="abs"``); ``sub`` is the p of ``\\|x\\|_p``."""

    operand: Node
    kind: str = "norm"
    sub: Node | None = None


# ---------------------------------------------------------------- structures


@dataclass(frozen=True)
class Tuple(Node):
    """A parenthesised list ``(a, b)`` or an interval-like pair; ``delim`` is ``"("``, ``"["``, ``"{"``."""

    items: tuple[Node, ...]
    delim: str = "("


@dataclass(frozen=True)
class SetOf(Node):
    """``\\{ … \\}`` written as a set (or as the argument braces of ``\\max\\{a, 0\\}`` before folding)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Matrix(Node):
    """``pmatrix``/``bmatrix``/``vmatrix``/``matrix``/``array``: ``rows`` of cells; an empty cell is
    :class:`Dots` ``kind="blank"``."""

    rows: tuple[tuple[Node, ...], ...]
    env: str = field(default="pmatrix", compare=False)

    @property
    def size(self) -> tuple[int, int]:
        return len(self.rows), max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True)
class Piece(Node):
    """One line of a ``cases`` block: ``value`` if ``condition`` (None for "otherwise")."""

    value: Node
    condition: Node | None = None


@dataclass(frozen=True)
class Cases(Node):
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Boxed(Node):
    """``\\boxed{…}`` or ``\\underline{…}`` (``style``): an emphasis that does not change the meaning."""

    body: Node
    style: str = "boxed"


@dataclass(frozen=True)
class RelOp(Node):
    """One relation sign inside a chain, with its own position: ``=``, ``<``, ``≤``, ``≈``, ``⇔``, ``⇒``,
    ``≜``, ``∈``, ``→``, ``:``…"""

    op: str


@dataclass(frozen=True)
class Relation(Node):
    """One link ``left op right`` of a chain; positioned at its relation sign."""

    left: Node
    op: str
    right: Node


@dataclass(frozen=True)
class Chain(Node):
    """``a = b = c``: ``terms`` are the expressions, ``ops`` the signs between them (one fewer)."""

    terms: tuple[Node, ...]
    ops: tuple[RelOp, ...]

    @property
    def links(self) -> tuple[Relation, ...]:
        """Each adjacent pair as a :class:`Relation`, placed at its own relation sign."""
        return tuple(
            Relation(self.terms[i], op.op, self.terms[i + 1], line=op.line, column=op.column)
            for i, op in enumerate(self.ops)
        )


@dataclass(frozen=True)
class Seq(Node):
    """Statements on one line separated by commas, semicolons or ``\\quad`` (``a \\in (0,1)`` after a
    definition)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Block(Node):
    """The rows of display math broken with ``\\\\`` or an ``align`` environment, each its own statement
    at its own source line. A row that starts with a relation (``&= c``) continues the chain above it."""

    rows: tuple[Node, ...]


def statements(node: Node) -> tuple[Node, ...]:
    """The top-level statements of a parsed span: a Block's rows and a Seq's items, flattened."""
    if isinstance(node, Block):
        return tuple(s for row in node.rows for s in statements(row))
    if isinstance(node, Seq):
        return node.items
    return (node,)


def relations(node: Node) -> tuple[Relation, ...]:
    """Every relation link in a parsed span, in reading order, each with its own position."""
    found: list[Relation] = []
    for top in statements(node):
        if isinstance(top, Chain):
            found.extend(top.links)
    return tuple(found)
