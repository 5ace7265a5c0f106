"""The tree walk: one Transformer method per grammar rule, each returning a small node from nodes.py.

The grammar leaves juxtaposition flat (``juxt``), so the decisions that need meaning happen here: whether
``f(x)`` applies a function or ``W(x+b)`` multiplies, whether ``^{(1)}`` labels a layer or raises a power,
whether ``\\frac{\\partial L}{\\partial w}`` is a derivative, and how far ``\\sum`` or ``\\frac{d}{dx}`` reaches
(to the end of the product, as people read it). Groups and operator heads travel as private helper objects
until a consumer decides what they are, then become ordinary nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from lark import Transformer

from chainrule.notation import nodes as n
from chainrule.notation.errors import NotationError, UnexpectedInput
from chainrule.notation.lexer import WORD_FUNCTIONS, Tok

# Names that read as functions when a parenthesis follows them directly; everything else multiplies.
DEFAULT_FUNCTION_NAMES = frozenset({"f", "g", "h", "F", "G", "H", "P", "E", "R", "ell", "l", "I", "phi", "psi", "rho"})
TEXT_FUNCTIONS = {
    "sigmoid": "sigmoid", "sigm": "sigmoid", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu",
    "lrelu": "leaky_relu", "leaky relu": "leaky_relu", "leakyrelu": "leaky_relu", "leaky_relu": "leaky_relu",
    "prelu": "leaky_relu", "elu": "elu", "gelu": "gelu", "selu": "selu", "softplus": "softplus",
    "softmax": "softmax", "softargmax": "softmax", "swish": "swish", "silu": "swish", "mish": "mish",
    "max": "max", "min": "min", "exp": "exp", "log": "log", "ln": "ln", "diag": "diag", "sign": "sign",
    "sgn": "sign", "argmax": "argmax", "argmin": "argmin", "card": "card", "tr": "trace", "trace": "trace",
    "linear": "linear", "mse": "mse", "loss": "loss", "var": "var", "cov": "cov", "sinh": "sinh",
    "cosh": "cosh", "sin": "sin", "cos": "cos", "det": "det", "rank": "rank", "vec": "vec", "abs": "abs",
    "id": "identity", "identity": "identity", "hardtanh": "hardtanh", "step": "step", "heaviside": "step",
}
CONDITION_WORDS = ("if", "for", "when", "where", "otherwise", "else", "for all", "if and only if")


@dataclass(frozen=True)
class ReaderOptions:
    """Hooks a spec can set. ``functions`` are the single names that apply to a parenthesis (``f(x)``);
    ``e_is_variable`` keeps ``e^{x}`` a power of a variable e instead of exp(x)."""

    functions: frozenset[str] = DEFAULT_FUNCTION_NAMES
    e_is_variable: bool = False


@dataclass
class _Group:
    """A bracketed list not yet decided: arguments of a call, a tuple, or just grouping."""

    items: list[Any]
    delim: str
    line: int
    column: int
    post: list[tuple[str, Any, int, int]] = field(default_factory=list)  # postfix ops applied to it


@dataclass
class _Head:
    """An operator that reaches to its right: ``\\sum``, ``\\lim``, ``\\max``, ``\\tanh``, ``\\nabla``, ∂."""

    kind: str
    name: str
    line: int
    column: int
    lower: Any = None
    upper: Any = None
    power: Any = None


class _Items(list):
    """The comma/semicolon/\\quad-separated items of a bracket or brace (None for an empty place)."""

    __slots__ = ()

    @property
    def items(self) -> _Items:
        return self


@dataclass
class _ChainAcc:
    """A relation chain being read: expressions and the relation tokens between them."""

    terms: list[Any]
    ops: list[Any]


@dataclass
class _JuxtAcc:
    """Factors written side by side, folded into applications and products when first needed."""

    items: list[Any]


def _pos(x: Any) -> dict[str, int]:
    return {"line": getattr(x, "line", 0) or 0, "column": getattr(x, "column", 0) or 0}


def _fail(message: str, at: Any) -> NotationError:
    p = _pos(at)
    return UnexpectedInput(message, p["line"], p["column"])


class Builder(Transformer):
    """Turns the LALR parse of one row into nodes; run inline by the parser (no parse tree is built)."""

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(visit_tokens=False)
        self.options = options or ReaderOptions()

    # ------------------------------------------------------------ conversion of pending objects

    def node(self, x: Any) -> n.Node:
        """Decide what a pending group or head is when it stands alone."""
        if isinstance(x, n.Node):
            return x
        if isinstance(x, _JuxtAcc):
            return self.node(self.fold(x.items))
        if isinstance(x, _ChainAcc):
            first = x.terms[0]
            terms = (n.Elided(**_pos(x.ops[0])) if first is None else self.node(first),
                     *(self.node(t) for t in x.terms[1:]))
            ops = tuple(n.RelOp(t.value, **_pos(t)) for t in x.ops)
            return n.Chain(terms, ops, **_pos(terms[0]))
        if isinstance(x, _Items):
            items = [self.node(i) for i in x.items if i is not None]
            if not items:
                raise _fail("empty braces", x)
            return items[0] if len(items) == 1 else n.Tuple(tuple(items), delim="{", **_pos(items[0]))
        if isinstance(x, _Group):
            items = [self.node(i) for i in x.items if i is not None]
            if len(items) == 1 and x.delim in ("(", "[", "{"):
                result: n.Node = items[0]
            elif not items:
                raise _fail("empty brackets", x)
            elif x.delim == "\\{":
                result = n.SetOf(tuple(items), **_pos(x))
            else:
                result = n.Tuple(tuple(items), delim=x.delim, **_pos(x))
            if x.delim == "\\{" and len(items) == 1:
                result = n.SetOf((items[0],), **_pos(x))
            for op, arg, line, column in x.post:
                result = self.postfix(result, op, arg, line, column)
            return result
        if isinstance(x, _Head):
            if x.kind == "func":
                base: n.Node = n.Function(x.name, **_pos(x))
                if x.power is not None:
                    base = n.Power(base, self.node(x.power), **_pos(x))
                return base
            if x.kind == "partial":
                return n.Symbol("partial", style="op", **_pos(x))
            if x.kind == "nabla":
                return n.Symbol("nabla", style="op", **_pos(x))
            if x.kind in ("maxmin", "bigop", "lim"):
                if x.kind == "maxmin" and x.lower is None:
                    return n.Function(x.name, **_pos(x))
                raise _fail(f"\\{x.name} has nothing to apply to", x)
        if x is None:
            raise _fail("missing expression", x)
        raise _fail("could not read this expression", x)

    def postfix(self, base: n.Node, op: str, arg: Any, line: int, column: int) -> n.Node:
        p = {"line": line, "column": column}
        if op == "sup":
            return self.superscript(base, arg, p)
        if op == "sub":
            return self.subscript(base, arg, p)
        if op == "prime":
            if isinstance(base, n.Prime):
                return replace(base, order=base.order + 1)
            if _is_matrixish(base):
                return n.Transpose(base, **_pos(base))
            return n.Prime(base, **_pos(base))
        if op == "bang":
            return n.Factorial(base, **_pos(base))
        raise AssertionError(op)

    # ------------------------------------------------------------ scripts

    def superscript(self, base: n.Node, arg: Any, p: dict[str, int]) -> n.Node:
        if isinstance(arg, str):  # ^+, ^-, ^*
            if arg == "+":
                return n.Apply(n.Function("relu", "(·)^+", **p), (base,), **_pos(base))
            if arg == "-":
                return n.Apply(n.Function("negative_part", "(·)^-", **p), (base,), **_pos(base))
            if isinstance(base, n.Symbol):
                return _sym(base, name=base.name + "*")
            return n.Power(base, n.Text("*", **p), **_pos(base))
        if (isinstance(arg, _Group) and arg.delim == "(" and not arg.post and len(arg.items) == 1
                and isinstance(base, n.Symbol) and base.layer is None):
            return _sym(base, layer=self.node(arg.items[0]))
        exponent = self.node(arg)
        if _is_transpose_mark(exponent):
            return n.Transpose(base, **_pos(base))
        if isinstance(exponent, n.Text) and isinstance(base, n.Symbol) and base.layer is None and exponent.text:
            return _sym(base, layer=exponent)  # \ell^{\text{CE}}: a label, not a power
        if isinstance(base, n.Space) and not base.dims:
            dims = exponent.factors if isinstance(exponent, n.Mul) and exponent.op == "times" else (exponent,)
            return replace(base, dims=tuple(dims))
        if (isinstance(base, n.Symbol) and base.name == "e" and base.style == "plain" and not base.sub
                and base.accent is None and base.layer is None and not self.options.e_is_variable):
            return n.Apply(n.Function("exp", "e^", **_pos(base)), (exponent,), **_pos(base))
        return n.Power(base, exponent, **_pos(base))

    def subscript(self, base: n.Node, arg: Any, p: dict[str, int]) -> n.Node:
        if isinstance(arg, str):
            arg = n.Text(arg, **p)
        if isinstance(arg, _Group) and arg.delim == "(" and not arg.post:
            index: n.Node = self.node(arg)
            indices: tuple[n.Node, ...] = (index,)
        else:
            items = arg.items if isinstance(arg, _Items) else [arg]
            indices = tuple(self.node(i) for i in items if i is not None)
            if len(indices) == 1:
                only = indices[0]
                if isinstance(only, n.Mul) and only.op == "implicit" and all(_is_index_atom(f) for f in only.factors):
                    indices = only.factors
        if (isinstance(base, n.Symbol) and base.style in ("bb", "bold") and base.name in ("1", "I") and not base.sub
                and len(indices) == 1 and _is_condition(indices[0])):
            condition = indices[0]
            if isinstance(condition, n.SetOf) and len(condition.items) == 1:
                condition = condition.items[0]
            return n.Apply(n.Function("indicator", "1_{…}", **_pos(base)), (condition,), **_pos(base))
        if isinstance(base, n.Symbol) and not base.sub:
            return _sym(base, sub=indices)
        if isinstance(base, n.Norm) and base.sub is None and len(indices) == 1:  # \|x\|_2
            return replace(base, sub=indices[0])
        return n.Indexed(base, indices, **_pos(base))

    # ------------------------------------------------------------ top level and lists

    def start(self, c: list[Any]) -> n.Node:
        items = [self.node(i) for i in c[0].items if i is not None]
        if not items:
            raise UnexpectedInput("no mathematics in this span", 0, 0)
        return items[0] if len(items) == 1 else n.Seq(tuple(items), **_pos(items[0]))

    def seq_first(self, c: list[Any]) -> _Items:
        return _Items(c[:1])

    def seq_empty(self, c: list[Any]) -> _Items:
        return _Items((None,))

    def seq_next(self, c: list[Any]) -> _Items:
        c[0].append(c[2])
        return c[0]

    def seq_gap(self, c: list[Any]) -> _Items:
        c[0].append(None)
        return c[0]

    def chain_next(self, c: list[Any]) -> _ChainAcc:
        left, rel, right = c
        if isinstance(left, _ChainAcc):
            left.terms.append(right)
            left.ops.append(rel)
            return left
        return _ChainAcc([left, right], [rel])

    def chain_open(self, c: list[Any]) -> _ChainAcc:
        return _ChainAcc([None, c[1]], [c[0]])

    # ------------------------------------------------------------ arithmetic

    def unary(self, c: list[Any]) -> n.Node:
        sign, operand = c[0], self.node(c[1])
        if sign.value == "+":
            return operand
        if sign.value == "±":
            return n.Apply(n.Function("plus_minus", "±", **_pos(sign)), (operand,), **_pos(sign))
        if isinstance(operand, n.Number):
            return n.Number("-" + operand.text, **_pos(sign))
        return n.Neg(operand, **_pos(sign))

    def addsub(self, c: list[Any]) -> n.Node:
        left, sign, right = self.node(c[0]), c[1], self.node(c[2])
        if sign.value == "-":
            right = n.Neg(right, **_pos(sign))
        elif sign.value == "±":
            right = n.Apply(n.Function("plus_minus", "±", **_pos(sign)), (right,), **_pos(sign))
        terms = (*left.terms, right) if isinstance(left, n.Add) else (left, right)
        return n.Add(terms, **_pos(left))

    def mulop(self, c: list[Any]) -> n.Node:
        left, op, right = self.node(c[0]), c[1].value, self.node(c[2])
        if op == "slash":
            return _divide(left, right, "slash", _pos(left))
        if op == "odot":
            factors = (*left.factors, right) if isinstance(left, n.Hadamard) else (left, right)
            return n.Hadamard(factors, **_pos(left))
        if isinstance(left, n.Mul) and left.op == op:
            return n.Mul((*left.factors, right), op=op, **_pos(left))
        return n.Mul((left, right), op=op, **_pos(left))

    def juxt_next(self, c: list[Any]) -> _JuxtAcc:
        left, right = c
        if isinstance(left, _JuxtAcc):
            left.items.append(right)
            return left
        return _JuxtAcc([left, right])

    def fold(self, items: list[Any]) -> Any:
        # pass 1: function applications, left to right
        applied: list[Any] = []
        i = 0
        while i < len(items):
            it = items[i]
            nxt = items[i + 1] if i + 1 < len(items) else None
            if isinstance(nxt, _Group) and self.callable(it, nxt):
                applied.append(self.apply(it, nxt))
                i += 2
                continue
            if isinstance(it, _Head) and it.kind == "func" and nxt is not None and not isinstance(nxt, _Head):
                after = items[i + 2] if i + 2 < len(items) else None
                if isinstance(after, _Group) and self.callable(nxt, after):  # \log \sigma(x) is log(σ(x))
                    applied.append(self.apply(it, _Group([self.apply(nxt, after)], "", *_xy(nxt))))
                    i += 3
                    continue
                applied.append(self.apply(it, _Group([nxt], "", *_xy(nxt))))
                i += 2
                continue
            applied.append(it)
            i += 1
        # pass 2: operators that reach to the end of the product, right to left
        acc: list[Any] = []  # the factors to the right of the scan point, nearest last
        for it in reversed(applied):
            if _absorbs(it):
                if not acc:
                    if isinstance(it, _Head) and it.kind == "nabla":
                        acc = [self.node(it)]
                        continue
                    if isinstance(it, n.Derivative):
                        acc = [it]
                        continue
                    if isinstance(it, _Head) and it.kind == "maxmin" and it.lower is None:
                        acc = [self.node(it)]
                        continue
                    raise _fail(f"\\{it.name} has nothing to apply to", it)
                if isinstance(it, _Head) and it.kind == "nabla":
                    target = self.node(acc[-1])
                    if isinstance(target, n.Transpose):  # \nabla f(x)^T reads (\nabla f(x))^T
                        acc[-1] = replace(target, operand=self.operate(it, target.operand))
                    else:
                        acc[-1] = self.operate(it, target)
                else:
                    acc = [self.operate(it, self.product(acc[::-1]))]
            else:
                acc.append(it)
        if len(acc) == 1:
            return acc[0]
        return self.product(acc[::-1])

    def product(self, items: list[Any]) -> n.Node:
        factors = [self.node(x) for x in items]
        if len(factors) == 1:
            return factors[0]
        flat: list[n.Node] = []
        for f in factors:  # (AB)C and A(BC) are one product: keep it flat
            if isinstance(f, n.Mul) and f.op == "implicit":
                flat.extend(f.factors)
            else:
                flat.append(f)
        return n.Mul(tuple(flat), op="implicit", **_pos(flat[0]))

    def callable(self, head: Any, group: _Group) -> bool:
        if group.delim not in ("(", "\\{", "["):
            return False
        if isinstance(head, _Head):
            if head.kind == "func":
                return True
            if head.kind == "maxmin" and head.lower is None:
                return True
            return False
        if isinstance(head, n.Prime):  # σ'(z), f'(x), \tanh'(x): the derivative applied to a value
            return self.callable(head.operand, group)
        if group.delim == "[":  # E[X], \mathbb{E}_x[…], P[A]: expectation-like brackets
            return isinstance(head, n.Symbol) and head.name in ("E", "P", "Var", "Cov") and head.style in (
                "plain", "bb", "rm")
        if isinstance(head, n.Function):
            return True
        if isinstance(head, n.Symbol):
            if head.accent is not None or head.style in ("op",):
                return False
            name = head.name
            if group.delim == "\\{" and name != "E":
                return False
            if name in ("sigma",) and head.style == "plain":
                return not _mentions(group, head)
            if head.style == "bb" and name in ("I", "1", "E", "P"):
                return True
            if head.style == "cal":  # \mathcal{L}(\theta), \mathcal{R}_n(f): calligraphic names are functionals
                return True
            if head.style in ("bold",):
                return False
            if name in self.options.functions or (name[0] == "L" and head.sub and len(name) == 1):
                return not _mentions(group, head)
            return len(name) > 1 and name.isalpha() and name[0].isupper() and not name.isupper()
        if isinstance(head, n.Power) and isinstance(head.base, n.Function):
            return True
        return False

    def apply(self, head: Any, group: _Group) -> n.Node:
        args = tuple(self.node(i) for i in group.items if i is not None)
        if not args:
            raise _fail("a function call with no argument", group)
        power = None
        if isinstance(head, _Head):
            power = head.power
            name = head.name
            if power is not None and isinstance(power, n.Number) and power.text == "-1":
                func: n.Node = n.Function(name + "^-1", f"\\{name}^{{-1}}", **_pos(head))
                power = None
            else:
                func = n.Function(name, f"\\{name}", **_pos(head))
        elif isinstance(head, n.Power):
            func, power = head.base, head.exponent
        elif isinstance(head, n.Symbol) and head.style == "bb" and head.name in ("I", "1"):
            func = n.Function("indicator", f"\\mathbb{{{head.name}}}", **_pos(head))
        elif (isinstance(head, n.Symbol) and head.name == "I" and head.style == "plain" and len(args) == 1
              and isinstance(args[0], n.Chain)):
            func = n.Function("indicator", "I", **_pos(head))
        elif isinstance(head, n.Symbol) and head.name == "sigma" and head.style == "plain" and not head.sub:
            func = n.Function("sigma", "\\sigma", **_pos(head))
        else:
            func = head
        result: n.Node = n.Apply(func, args, **_pos(head))
        for op, arg, line, column in group.post:
            result = self.postfix(result, op, arg, line, column)
        if power is not None:
            result = n.Power(result, self.node(power), **_pos(head))
        return result

    def operate(self, head: Any, body: n.Node) -> n.Node:
        if isinstance(head, n.Derivative):
            return replace(head, of=body)
        p = _pos(head)
        if head.kind == "nabla":
            return n.Gradient(body, self.node(head.lower) if head.lower is not None else None, **p)
        if head.kind == "lim":
            return self.limit(head, body)
        if head.kind == "func":
            return self.apply(head, _Group([body], "", **p))
        lower = self.node(head.lower) if head.lower is not None else None
        upper = self.node(head.upper) if head.upper is not None else None
        return n.BigOp(head.name, body, lower, upper, **p)

    def limit(self, head: _Head, body: n.Node) -> n.Node:
        if head.lower is None:
            raise _fail("\\lim needs a subscript such as x \\to 0", head)
        lower = self.node(head.lower)
        if not (isinstance(lower, n.Chain) and len(lower.ops) == 1 and lower.ops[0].op == "→"):
            raise _fail("\\lim needs a subscript such as x \\to 0", head)
        var, to = lower.terms
        direction = None
        if isinstance(to, n.Apply) and isinstance(to.func, n.Function) and to.func.name in ("relu", "negative_part"):
            direction = "+" if to.func.name == "relu" else "-"
            to = to.args[0]
        return n.Limit(var, to, body, direction, **_pos(head))

    # ------------------------------------------------------------ postfix rules

    def sup(self, c: list[Any]) -> Any:
        base, caret, arg = c
        if isinstance(base, _Head):
            if base.kind in ("bigop", "maxmin", "lim"):
                base.upper = arg
                return base
            if base.kind == "func":
                base.power = self.node(arg) if not isinstance(arg, str) else arg
                return base
        if isinstance(base, _Group):
            base.post.append(("sup", arg, caret.line, caret.column))
            return base
        if isinstance(base, n.Derivative) and base.of is None:
            raise _fail("a power on a derivative operator", caret)
        return self.superscript(self.node(base), arg, _pos(caret))

    def sub(self, c: list[Any]) -> Any:
        base, mark, arg = c
        if isinstance(base, _Head):
            base.lower = arg if not isinstance(arg, _Items) else self.node(_Group(arg.items, "(", *_xy(base)))
            return base
        if isinstance(base, _Group):
            base.post.append(("sub", arg, mark.line, mark.column))
            return base
        return self.subscript(self.node(base), arg, _pos(mark))

    def prime(self, c: list[Any]) -> Any:
        base, mark = c
        if isinstance(base, _Group):
            base.post.append(("prime", None, mark.line, mark.column))
            return base
        return self.postfix(self.node(base), "prime", None, mark.line, mark.column)

    def signed(self, c: list[Any]) -> n.Node:
        return self.unary(c)

    def factorial(self, c: list[Any]) -> Any:
        return n.Factorial(self.node(c[0]), **_pos(c[0]))

    def script_sign(self, c: list[Any]) -> str:
        value = c[0].value
        return {"star": "*", "slash": "/", "cdot": "*"}.get(value, value)

    # ------------------------------------------------------------ atoms

    def number(self, c: list[Tok]) -> n.Node:
        return n.Number(c[0].value, **_pos(c[0]))

    def letter(self, c: list[Tok]) -> n.Node:
        return n.Symbol(c[0].value, **_pos(c[0]))

    def word(self, c: list[Tok]) -> n.Node:
        tok = c[0]
        low = tok.value.lower()
        if low in WORD_FUNCTIONS:
            return n.Function(WORD_FUNCTIONS[low], tok.value, **_pos(tok))
        if low in TEXT_FUNCTIONS and tok.value[0].isupper():
            return n.Function(TEXT_FUNCTIONS[low], tok.value, **_pos(tok))
        return n.Symbol(tok.value, **_pos(tok))

    def greek(self, c: list[Tok]) -> n.Node:
        return n.Symbol(c[0].value, **_pos(c[0]))

    def infinity(self, c: list[Tok]) -> n.Node:
        return n.Infinity(**_pos(c[0]))

    def dots(self, c: list[Tok]) -> n.Node:
        return n.Dots(c[0].value, **_pos(c[0]))

    def placeholder(self, c: list[Tok]) -> n.Node:
        return n.Placeholder(**_pos(c[0]))

    def top(self, c: list[Tok]) -> n.Node:
        return n.Symbol("top", style="op", **_pos(c[0]))

    def partial(self, c: list[Tok]) -> Any:
        return n.Symbol("partial", style="op", **_pos(c[0]))

    def nabla(self, c: list[Tok]) -> Any:
        return _Head("nabla", "nabla", **_pos(c[0]))

    def func(self, c: list[Tok]) -> Any:
        return _Head("func", c[0].value, **_pos(c[0]))

    def bigop(self, c: list[Tok]) -> Any:
        return _Head("bigop", c[0].value, **_pos(c[0]))

    def lim(self, c: list[Tok]) -> Any:
        return _Head("lim", "lim", **_pos(c[0]))

    def maxmin(self, c: list[Tok]) -> Any:
        return _Head("maxmin", c[0].value, **_pos(c[0]))

    def text(self, c: list[Tok]) -> n.Node:
        tok = c[0]
        words = tok.value.strip()
        low = words.lower()
        if low in TEXT_FUNCTIONS:
            return n.Function(TEXT_FUNCTIONS[low], f"\\text{{{words}}}", **_pos(tok))
        if len(words) == 1 and words.isalpha():
            return n.Symbol(words, style="rm", **_pos(tok))
        if words.isascii() and words.isdigit():
            return n.Number(words, **_pos(tok))
        return n.Text(words, **_pos(tok))

    def paren(self, c: list[Any]) -> _Group:
        return _Group(c[1].items, c[0].value if c[0].value != "⟨" else "⟨", **_pos(c[0]))

    def setbraces(self, c: list[Any]) -> _Group:
        return _Group(c[1].items, "\\{", **_pos(c[0]))

    def brace(self, c: list[Any]) -> Any:
        items = [i for i in c[1].items if i is not None]
        if not items:
            return n.Text("", **_pos(c[0]))
        if len(items) == 1:
            return items[0]
        return _Items(items)

    def norm(self, c: list[Any]) -> n.Node:
        return n.Norm(self.node(_Group(c[1].items, "(", **_pos(c[0]))), "norm", **_pos(c[0]))

    def abs(self, c: list[Any]) -> n.Node:
        return n.Norm(self.node(_Group(c[1].items, "(", **_pos(c[0]))), "abs", **_pos(c[0]))

    def frac(self, c: list[Any]) -> n.Node:
        return _divide(self.arg(c[1]), self.arg(c[2]), "frac", _pos(c[0]))

    def arg(self, x: Any) -> n.Node:
        if isinstance(x, _Items):
            return self.node(_Group(x.items, "(", *_xy(x.items[0])))
        return self.node(x)

    def sqrt(self, c: list[Any]) -> n.Node:
        return n.Root(self.arg(c[1]), None, **_pos(c[0]))

    def nthroot(self, c: list[Any]) -> n.Node:
        return n.Root(self.arg(c[4]), self.node(_Group(c[2].items, "(", **_pos(c[1]))), **_pos(c[0]))

    def style(self, c: list[Any]) -> Any:
        tok, body = c[0], c[1]
        if isinstance(body, _Items):
            body = self.arg(body)
        elif isinstance(body, _JuxtAcc | _ChainAcc):
            body = self.node(body)
        styled = _restyle(body, tok.value, self)
        if isinstance(styled, n.Symbol):
            styled = _sym(styled, line=tok.line, column=tok.column)
        elif isinstance(styled, n.Space):
            styled = replace(styled, **_pos(tok))
        return styled

    def accent(self, c: list[Any]) -> n.Node:
        tok, body = c[0], self.arg(c[1])
        if isinstance(body, n.Symbol) and body.accent is None:
            return _sym(body, accent=tok.value, line=tok.line, column=tok.column)
        return n.Accent(tok.value, body, **_pos(tok))

    def boxed(self, c: list[Any]) -> n.Node:
        return n.Boxed(self.arg(c[1]), c[0].value, **_pos(c[0]))

    def underset(self, c: list[Any]) -> Any:
        below, body = c[1], c[2]
        if isinstance(body, _Head):
            body.lower = below
            return body
        if isinstance(body, n.Text) and body.text.lower() in ("minimize", "maximize", "min", "max"):
            return _Head("maxmin", "min" if body.text.lower().startswith("min") else "max", **_pos(c[0]),
                         lower=below)
        return self.node(body)

    def matrix(self, c: list[Any]) -> n.Node:
        rows = _trim(c[1])
        cells = tuple(tuple(self.cell(x) for x in row) for row in rows)
        matrix = n.Matrix(cells, c[0].value, **_pos(c[0]))
        if c[0].value == "vmatrix":  # bars around a matrix: its determinant
            return n.Apply(n.Function("det", "vmatrix", **_pos(c[0])), (matrix,), **_pos(c[0]))
        if c[0].value == "Vmatrix":
            return n.Norm(matrix, "norm", **_pos(c[0]))
        return matrix

    def cell(self, items: _Items) -> n.Node:
        found = [self.node(i) for i in items.items if i is not None]
        if not found:
            return n.Dots("blank")
        return found[0] if len(found) == 1 else n.Seq(tuple(found), **_pos(found[0]))

    def cases(self, c: list[Any]) -> n.Node:
        pieces = []
        for row in _trim(c[1]):
            if not row:
                continue
            value = self.cell(row[0])
            condition = self.cell(row[1]) if len(row) > 1 else None
            if len(row) > 2:
                raise _fail("a cases line with more than two columns", c[0])
            if isinstance(value, n.Dots) and value.kind == "blank":
                raise _fail("a cases line without a value", c[0])
            pieces.append(n.Piece(value, _condition(condition), **_pos(value)))
        if not pieces:
            raise _fail("empty cases", c[0])
        return n.Cases(tuple(pieces), **_pos(c[0]))

    def rows_first(self, c: list[Any]) -> list[list[_Items]]:
        return [c[0]]

    def rows_next(self, c: list[Any]) -> list[list[_Items]]:
        c[0].append(c[2])
        return c[0]

    def row_first(self, c: list[Any]) -> list[_Items]:
        return [c[0]]

    def row_next(self, c: list[Any]) -> list[_Items]:
        c[0].append(c[2])
        return c[0]


# ---------------------------------------------------------------- helpers


def _sym(x: n.Symbol, **changes: Any) -> n.Symbol:
    """``x`` with some fields changed (dataclasses.replace is generic and several times slower)."""
    return n.Symbol(
        changes.get("name", x.name), changes.get("style", x.style), changes.get("accent", x.accent),
        changes.get("sub", x.sub), changes.get("layer", x.layer),
        line=changes.get("line", x.line), column=changes.get("column", x.column),
    )


def _trim(rows: list[list[_Items]]) -> list[list[_Items]]:
    """Drop the empty row a trailing ``\\\\`` leaves before ``\\end{…}``."""
    while rows and all(not cell.items or all(i is None for i in cell.items) for cell in rows[-1]):
        rows.pop()
    return rows


def _xy(x: Any) -> tuple[int, int]:
    p = _pos(x)
    return p["line"], p["column"]


def _absorbs(x: Any) -> bool:
    if isinstance(x, n.Derivative):
        return x.of is None
    if isinstance(x, _Head):
        return x.kind in ("bigop", "lim", "nabla") or (x.kind == "maxmin" and x.lower is not None)
    return False


def _mentions(group: _Group, head: n.Symbol) -> bool:
    """Whether the bracket mentions the head symbol bare (σ(1-σ) multiplies: σ is a value there)."""
    for item in group.items:
        if isinstance(item, n.Node):
            for node in item.walk():
                if node == head:
                    return True
    return False


def _is_condition(x: n.Node) -> bool:
    """A relation, or a set holding one: the subscript of an indicator ``\\mathbb{1}_{x > 0}``."""
    if isinstance(x, n.SetOf) and len(x.items) == 1:
        x = x.items[0]
    return isinstance(x, n.Chain)


def _is_index_atom(x: n.Node) -> bool:
    if isinstance(x, n.Symbol):
        return len(x.name) == 1 and not x.sub and x.layer is None
    return isinstance(x, n.Number) and "." not in x.text and len(x.text) == 1


def _is_transpose_mark(x: n.Node) -> bool:
    if isinstance(x, n.Symbol):
        return (x.name == "T" and not x.sub and x.accent is None and x.layer is None) or x.name == "top"
    return False


def _is_matrixish(x: n.Node) -> bool:
    if isinstance(x, n.Symbol):
        return x.style == "bold" or (len(x.name) == 1 and x.name.isupper() and x.style == "plain" and x.sub == ())
    return isinstance(x, n.Matrix | n.Transpose)


def _condition(x: n.Node | None) -> n.Node | None:
    """Strip the words "if", "for"… in front of a cases condition; "otherwise" becomes None."""
    if x is None or (isinstance(x, n.Dots) and x.kind == "blank"):
        return None
    if isinstance(x, n.Text) and x.text.lower().strip(". ") in ("otherwise", "else", "o.w."):
        return None
    if isinstance(x, n.Chain) and isinstance(x.terms[0], n.Mul):
        first = x.terms[0].factors
        if isinstance(first[0], n.Text) and first[0].text.lower().strip() in CONDITION_WORDS:
            rest = first[1:]
            left = rest[0] if len(rest) == 1 else n.Mul(rest, **_pos(rest[0]))
            return replace(x, terms=(left, *x.terms[1:]))
    if isinstance(x, n.Mul) and isinstance(x.factors[0], n.Text) and x.factors[0].text.lower() in CONDITION_WORDS:
        rest = x.factors[1:]
        return rest[0] if len(rest) == 1 else n.Mul(rest, **_pos(rest[0]))
    return x


def _is_d(x: n.Node) -> tuple[bool, bool]:
    """(is a differential mark, is partial) for ``d``, ``\\mathrm{d}``, ``\\partial``."""
    if isinstance(x, n.Symbol) and not x.sub and x.accent is None and x.layer is None:
        if x.name == "partial" and x.style == "op":
            return True, True
        if x.name == "d" and x.style in ("plain", "rm"):
            return True, False
    return False, False


def _split_d(x: n.Node) -> tuple[bool, bool, n.Node | None, int]:
    """Read ``d``, ``d f``, ``∂^2 f`` into (matches, partial, rest, order)."""
    order = 1
    if isinstance(x, n.Power) and isinstance(x.exponent, n.Number) and x.exponent.decimals == 0:
        is_d, partial = _is_d(x.base)
        if is_d:
            return True, partial, None, int(x.exponent.value)
    is_d, partial = _is_d(x)
    if is_d:
        return True, partial, None, order
    if isinstance(x, n.Mul) and x.op == "implicit" and len(x.factors) >= 2:
        ok, partial, _, order = _split_d(x.factors[0])
        if ok:
            rest = x.factors[1:]
            return True, partial, rest[0] if len(rest) == 1 else n.Mul(rest, **_pos(rest[0])), order
    return False, False, None, 1


def _divide(num: n.Node, den: n.Node, written: str, p: dict[str, int]) -> n.Node:
    """A fraction, or a derivative when it reads d…/dx or ∂…/∂x."""
    ok_num, partial_num, of, order = _split_d(num)
    if ok_num:
        ok_den, partial_den, wrt, _ = _split_d(den)
        if ok_den and wrt is not None and partial_num == partial_den:
            if isinstance(wrt, n.Power) and order > 1:
                wrt = wrt.base
            return n.Derivative(of, wrt, partial_num, order, **p)
    return n.Div(num, den, written, **p)


def _restyle(x: Any, style: str, builder: Builder) -> Any:
    """Push a font style (bold, blackboard…) down onto the symbols it covers."""
    if isinstance(x, n.Symbol):
        if style == "bb" and x.name in ("R", "N", "Z", "C", "Q") and not x.sub and x.layer is None:
            return n.Space(x.name, **_pos(x))
        return _sym(x, style=style if x.style in ("plain", "rm") or style == "bold" else x.style)
    if isinstance(x, n.Number) and "." not in x.text and x.text in ("0", "1"):
        return n.Symbol(x.text, style=style, **_pos(x))
    if isinstance(x, n.Function | n.Text | n.Dots):
        return x
    if isinstance(x, n.Power):
        return replace(x, base=_restyle(x.base, style, builder))
    if isinstance(x, n.Transpose):
        return replace(x, operand=_restyle(x.operand, style, builder))
    if isinstance(x, n.Indexed):
        return replace(x, base=_restyle(x.base, style, builder))
    if isinstance(x, n.Mul):
        return replace(x, factors=tuple(_restyle(f, style, builder) for f in x.factors))
    if isinstance(x, n.Accent):
        return replace(x, operand=_restyle(x.operand, style, builder))
    if isinstance(x, n.Apply):
        return replace(x, args=tuple(_restyle(a, style, builder) for a in x.args))
    if isinstance(x, _Group | _Head):
        return x
    return x
