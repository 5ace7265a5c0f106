"""Stage 1, read: find the math in Markdown/LaTeX and parse it into typed expressions.

Public API (stable; later versions add, never rename):

- :func:`find_math` ``(markdown_text) -> list[MathSpan]`` — every ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``
  and bare ``\\begin{align}…`` span of a Markdown document (tables and list items included), each with the
  ``line``/``column`` of its first character in the file as given. :func:`find_tex_math` does the same for
  the body of a .tex file.
- :func:`parse_math` ``(latex, *, line=1, column=1, options=None) -> Node`` — one span into a typed tree of
  the frozen dataclasses in :mod:`chainrule.notation.nodes`, each node with ``line``/``column``. Display math
  with ``\\\\`` rows becomes a :class:`Block`; ``a = b = c`` a :class:`Chain` whose links keep their own
  positions (:func:`relations`). Raises :class:`NotationError` (a subclass of ``chainrule.errors.InputError``)
  with the place and a plain reason; nothing else escapes, and nothing is ever evaluated.
- :func:`read_document` ``(text) -> list[ParsedSpan]`` — find and parse every span; failures are recorded
  per span so a batch goes on.
- :func:`to_latex`, :func:`to_text` — print an expression back as LaTeX or as readable text.
- :func:`infer_shape` ``(node, declarations) -> Shape`` and :func:`declarations` — shapes from bold type and
  ``x \\in \\mathbb{R}^{m \\times n}`` declarations, as :class:`chainrule.shapes.Shape`.
- :func:`normalize_layers` — the alias hook: ``w^1``, ``W_1``, ``W1`` read as ``W^{(1)}`` for the names a spec
  lists.
- :func:`to_dict` — a tree as a JSON-ready dict with positions and inferred shapes (``chainrule parse --json``).
- :class:`ReaderOptions` — the names read as functions (``f(x)`` applies, ``W(x)`` multiplies) and whether
  ``e`` is a variable.
"""

from chainrule.notation.builder import DEFAULT_FUNCTION_NAMES, ReaderOptions
from chainrule.notation.document import ParsedSpan, read_document
from chainrule.notation.errors import (
    InputTooLarge,
    NotationError,
    UnbalancedDelimiter,
    UnexpectedInput,
    UnknownCommand,
)
from chainrule.notation.layers import normalize_layers
from chainrule.notation.markdown import MathSpan, find_math, find_tex_math
from chainrule.notation.nodes import (
    Accent,
    Add,
    Apply,
    BigOp,
    Block,
    Boxed,
    Cases,
    Chain,
    Derivative,
    Div,
    Dots,
    Elided,
    Factorial,
    Function,
    Gradient,
    Hadamard,
    Indexed,
    Infinity,
    Limit,
    Matrix,
    Mul,
    Neg,
    Node,
    Norm,
    Number,
    Piece,
    Placeholder,
    Power,
    Prime,
    Relation,
    RelOp,
    Root,
    Seq,
    SetOf,
    Space,
    Symbol,
    Text,
    Transpose,
    Tuple,
    relations,
    statements,
)
from chainrule.notation.parser import parse_math
from chainrule.notation.printer import to_latex, to_text
from chainrule.notation.serialize import to_dict
from chainrule.notation.shapes import declarations, infer_shape

__all__ = [
    "DEFAULT_FUNCTION_NAMES",
    "Accent",
    "Add",
    "Apply",
    "BigOp",
    "Block",
    "Boxed",
    "Cases",
    "Chain",
    "Derivative",
    "Div",
    "Dots",
    "Elided",
    "Factorial",
    "Function",
    "Gradient",
    "Hadamard",
    "Indexed",
    "Infinity",
    "InputTooLarge",
    "Limit",
    "MathSpan",
    "Matrix",
    "Mul",
    "Neg",
    "Node",
    "Norm",
    "NotationError",
    "Number",
    "ParsedSpan",
    "Piece",
    "Placeholder",
    "Power",
    "Prime",
    "ReaderOptions",
    "RelOp",
    "Relation",
    "Root",
    "Seq",
    "SetOf",
    "Space",
    "Symbol",
    "Text",
    "Transpose",
    "Tuple",
    "UnbalancedDelimiter",
    "UnexpectedInput",
    "UnknownCommand",
    "declarations",
    "find_math",
    "find_tex_math",
    "infer_shape",
    "normalize_layers",
    "parse_math",
    "read_document",
    "relations",
    "statements",
    "to_dict",
    "to_latex",
    "to_text",
]
