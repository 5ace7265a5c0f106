"""``parse_math``: one span of LaTeX in, one typed expression out, or a located :class:`NotationError`.

The pipeline is tokenizer (lexer.py) → split into rows at top-level ``\\\\`` → LALR(1) per row, driven by a
small loop over the tables lark compiles from grammars/latex.lark, with the Builder's method for each rule
called as the parser reduces (no parse tree is kept) → rows that start with a relation join the chain above
them. Bounds: the span length, the delimiter nesting (in the tokenizer) and the depth of the
finished tree, so nothing downstream can recurse without limit. Nothing here evaluates the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lark import Lark
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

from chainrule.notation import nodes as n
from chainrule.notation.builder import Builder, ReaderOptions
from chainrule.notation.errors import InputTooLarge, NotationError, UnexpectedInput, caret_snippet
from chainrule.notation.lexer import Tok, Tokenizer

MAX_SPAN_CHARS = 20_000
_DEFAULT_OPTIONS = ReaderOptions()
MAX_TREE_DEPTH = 120
GRAMMAR = Path(__file__).with_name("grammars") / "latex.lark"

# Labelled bad inputs: when the grammar rejects a span, the first example that fails at the same parser
# state names the problem in plain words (lark's match_examples idea).
BAD_INPUTS: dict[str, list[str]] = {
    "an operator with nothing after it": ["a +", "a \\cdot", "x = 2 -", "a + b \\times"],
    "a superscript or subscript with nothing after it": ["a^", "x_", "x^{2}_"],
    "an operator with nothing before it": ["\\cdot a", "* b", "= ^2"],
    "two relation signs in a row": ["a = = b", "a < = b", "a \\le \\ge b"],
    "a relation with nothing on its right": ["a =", "x \\le", "a = b ="],
    "a fraction needs two arguments": ["\\frac{a}", "\\frac"],
    "an alignment mark & outside a matrix or aligned rows": ["( a & b )", "\\frac{a & b}{c}"],
}


class _TokenList(Lexer):
    """Feeds lark the tokens the hand-written tokenizer already made."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any, *_: Any) -> Iterator[Tok]:  # type: ignore[override]
        return iter(data)


class _Rejected(Exception):
    """The LALR tables have no action for ``token`` in ``state`` (a grammar-level syntax error)."""

    def __init__(self, token: Tok | None, state: int) -> None:
        self.token = token
        self.state = state


class _Tables:
    """lark's compiled LALR(1) tables for latex.lark, flattened for a tight driver loop.

    lark's own driver checks invariants and looks rules up by object on every step; this loop does the
    same shifts and reductions with plain tuples, which halves the time per token. The callbacks are lark's
    (rule-shape filters around the Builder's methods), so the result is identical.
    """

    def __init__(self, options: ReaderOptions) -> None:
        lark = Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer=_TokenList,
                    transformer=Builder(options), maybe_placeholders=True)
        inner = lark.parser.parser.parser
        table = inner.parse_table
        self.start = table.start_states["start"]
        self.end = table.end_states["start"]
        callbacks = inner.callbacks
        self.actions: dict[int, dict[str, tuple[bool, Any]]] = {}
        for state, row in table.states.items():
            compiled: dict[str, tuple[bool, Any]] = {}
            for symbol, (action, arg) in row.items():
                key = "".join(symbol)  # a plain str: lark's Token keys compare in Python, slowly
                if action is Shift:
                    compiled[key] = (True, arg)
                else:
                    callback = callbacks[arg]
                    if len(arg.expansion) == 1 and type(callback).__name__ == "ExpandSingleChild":
                        callback = None  # a unit rule (?rule with one child): the value passes through
                    compiled[key] = (False, (len(arg.expansion), callback, "".join(arg.origin.name)))
            self.actions[state] = compiled

    def parse(self, tokens: list[Tok]) -> Any:
        actions = self.actions
        end = self.end
        states = [self.start]
        values: list[Any] = []
        for token in [*tokens, None]:
            kind = token.type if token is not None else "$END"
            while True:
                try:
                    shift, arg = actions[states[-1]][kind]
                except KeyError:
                    raise _Rejected(token, states[-1]) from None
                if shift:
                    if token is None:
                        raise _Rejected(None, states[-1])
                    states.append(arg)
                    values.append(token)
                    break
                size, callback, origin = arg
                if callback is None:
                    del states[-1]
                    states.append(actions[states[-1]][origin][1])
                elif size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                    values.append(callback(children))
                    states.append(actions[states[-1]][origin][1])
                else:
                    values.append(callback([]))
                    states.append(actions[states[-1]][origin][1])
                if token is None and states[-1] == end:
                    return values[-1]
        raise AssertionError("unreachable")


_PARSERS: dict[ReaderOptions, _Tables] = {}


def _parser(options: ReaderOptions) -> _Tables:
    """One set of tables per set of options (the Builder's callbacks are bound when lark compiles)."""
    parser = _PARSERS.get(options)
    if parser is None:
        if len(_PARSERS) > 16:
            _PARSERS.clear()
        parser = _Tables(options)
        _PARSERS[options] = parser
    return parser


def _parse_row(tokens: list[Tok], options: ReaderOptions | None) -> n.Node:
    return _parser(options or _DEFAULT_OPTIONS).parse(tokens)


def split_rows(tokens: list[Tok]) -> list[list[Tok]]:
    """Break at ``\\\\`` that sit at the top (not inside a matrix, cases or brackets); drop top-level ``&``."""
    rows: list[list[Tok]] = [[]]
    depth = 0
    for tok in tokens:
        t = tok.type
        if t in ("LPAR", "LSQB", "LBRACE", "LSET", "NORM_L", "ABS_L", "BEGIN_MATRIX", "BEGIN_CASES"):
            depth += 1
        elif t in ("RPAR", "RSQB", "RBRACE", "RSET", "NORM_R", "ABS_R", "END_MATRIX", "END_CASES"):
            depth -= 1
        elif depth == 0 and t == "ROWSEP":
            rows.append([])
            continue
        elif depth == 0 and t == "AMP":
            continue
        rows[-1].append(tok)
    return [r for r in rows if r]


def parse_math(latex: str, *, line: int = 1, column: int = 1, options: ReaderOptions | None = None) -> n.Node:
    """Parse one math span (the text between its delimiters) whose first character is at ``line``/``column``
    of the document. Returns a node (a :class:`~chainrule.notation.nodes.Block` when display math has
    several rows); raises :class:`NotationError` (an InputError) with the place and a plain reason."""
    if not isinstance(latex, str):
        raise NotationError("math must be text", line, column)
    if len(latex) > MAX_SPAN_CHARS:
        raise InputTooLarge(f"a math span of {len(latex)} characters is longer than the {MAX_SPAN_CHARS} "
                            "the reader accepts", line, column)
    tokenizer = Tokenizer(latex, line, column)
    tokens = tokenizer.run()
    rows = split_rows(_strip_labels(tokens))
    if not rows:
        raise UnexpectedInput("no mathematics in this span", line, column, caret_snippet(latex, 0))
    built: list[n.Node] = []
    for row in rows:
        try:
            node = _parse_row(row, options)
        except NotationError as error:
            if not error.line:
                error = type(error)(error.message, row[0].line, row[0].column, error.snippet)
            raise error from None
        except _Rejected as error:
            raise _located(error, latex, tokenizer, row) from None
        except RecursionError:
            raise InputTooLarge("nested too deeply to read", row[0].line, row[0].column) from None
        if 2 * len(row) + 3 > MAX_TREE_DEPTH:  # each level of the tree costs at least half a token
            _check_depth(node, row[0])
        if built and _continues(node):
            built[-1] = _join(built[-1], node)
            continue
        built.append(node)
    if len(built) == 1:
        return built[0]
    return n.Block(tuple(built), line=built[0].line, column=built[0].column)


def _continues(node: n.Node) -> bool:
    """A row that starts with a relation (``&= c``) carries on the statement above it."""
    first = node.items[0] if isinstance(node, n.Seq) else node
    return isinstance(first, n.Chain) and isinstance(first.terms[0], n.Elided)


def _join(previous: n.Node, row: n.Node) -> n.Node:
    """Append a continued row's links to the chain of the row above (the first statement of each line)."""
    tail = row.items[0] if isinstance(row, n.Seq) else row
    extra = row.items[1:] if isinstance(row, n.Seq) else ()
    assert isinstance(tail, n.Chain)
    rest: tuple[n.Node, ...] = ()
    head = previous
    if isinstance(previous, n.Seq):
        head, rest = previous.items[0], previous.items[1:]
    if isinstance(head, n.Chain):
        merged = n.Chain((*head.terms, *tail.terms[1:]), (*head.ops, *tail.ops), line=head.line, column=head.column)
    elif isinstance(head, n.Block):
        return n.Block((*head.rows, row), line=head.line, column=head.column)
    else:
        merged = n.Chain((head, *tail.terms[1:]), tail.ops, line=head.line, column=head.column)
    items = (merged, *rest, *extra)
    return items[0] if len(items) == 1 else n.Seq(items, line=merged.line, column=merged.column)


def _strip_labels(tokens: list[Tok]) -> list[Tok]:
    """Drop an exercise label that OCR left inside the math: ``1. (a) \\quad``, ``(b) \\quad``, ``2.``."""
    k = 0
    if (len(tokens) > 2 and tokens[0].type == "NUMBER" and tokens[0].value.isdigit() and tokens[1].type == "SEP"
            and tokens[1].value == "."):
        k = 2
    if (len(tokens) > k + 3 and tokens[k].type == "LPAR" and tokens[k + 1].type == "LETTER"
            and tokens[k + 1].value in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "ii", "iii")
            and tokens[k + 2].type == "RPAR" and tokens[k + 3].type == "SEP" and tokens[k + 3].value == "quad"):
        k += 4
    elif k and tokens[k].type == "SEP" and tokens[k].value == "quad":
        k += 1
    return tokens[k:] if k and k < len(tokens) else tokens


def _located(error: _Rejected, latex: str, tokenizer: Tokenizer, row: list[Tok]) -> NotationError:
    token = error.token
    if token is None:
        last = row[-1]
        offset = last.end_pos or len(latex)
        line, column = tokenizer.position(offset)
        label = _match_example(error) or "the math ends too early"
        return UnexpectedInput(label, line, column, caret_snippet(latex, offset))
    label = _match_example(error)
    shown = token.value if token.type not in ("ROWSEP",) else "\\\\"
    message = label or f"unexpected '{shown}' here"
    return UnexpectedInput(message, token.line, token.column, caret_snippet(latex, token.start_pos or 0))


_EXAMPLE_STATES: dict[str, list[tuple[Any, str]]] | None = None


def _match_example(error: _Rejected) -> str | None:
    """The label of the first bad example whose failure happens in the same parser state."""
    global _EXAMPLE_STATES
    state = error.state
    token = error.token
    if _EXAMPLE_STATES is None:
        table: dict[str, list[tuple[Any, str]]] = {}
        for label, examples in BAD_INPUTS.items():
            for text in examples:
                try:
                    _parse_row(Tokenizer(text).run(), None)
                except _Rejected as ex:
                    table.setdefault(label, []).append((ex.state, ex.token.type if ex.token else "$END"))
                except NotationError:
                    continue
        _EXAMPLE_STATES = table
    token_type = token.type if token is not None else "$END"
    for label, states in _EXAMPLE_STATES.items():
        for ex_state, ex_type in states:
            if ex_state == state and ex_type == token_type:
                return label
    for label, states in _EXAMPLE_STATES.items():
        for ex_state, _ in states:
            if ex_state == state:
                return label
    return None


def _check_depth(node: n.Node, at: Tok) -> None:
    stack: list[tuple[n.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise InputTooLarge(f"an expression nested more than {MAX_TREE_DEPTH} levels deep", at.line, at.column)
        stack.extend((child, depth + 1) for child in current.children())
