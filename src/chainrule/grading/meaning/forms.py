"""Written forms whose meaning is not their shape on the page, decided once for both routes.

The reader builds a tree from the syntax; some forms mean something else than that tree says, and what they
mean must not depend on which checker reads them. :func:`interpret` rewrites a tree so that

* ``x^{T}``, ``x^\\top`` is a transpose and ``x^{+}`` the positive part, not powers;
* ``w^{k+1}``, ``w^k``, ``θ^t`` of an iterated quantity (one the document writes with both ``k`` and ``k+1``)
  are indices — the iterate — not powers;
* ``4.54 × 10^{-5}`` is one written number (precise to its mantissa's digits);
* ``\\mathrm{sech}^2 x``: a function name the reader kept as words, followed by its argument, is applied;
* ``r ∘ r`` of functions is a composition (nothing to multiply), and ``a ∘ b`` of values is the entrywise
  product ``a ⊙ b``.

:func:`is_shape_statement` tells a shape annotation (``(n×n)(n×1) = n×1``) from arithmetic, and
:func:`statement_shape` reads the shape such a term states. Each rule is here once; the symbolic route
(:mod:`chainrule.grading.translate`) and the numeric one (:mod:`chainrule.grading.evaluate`) both read the
interpreted tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace

from chainrule.grading.meaning.functions import ELEMENTARY
from chainrule.notation import nodes as n
from chainrule.shapes import Shape, ShapeMismatch

__all__ = [
    "COMPOSE", "DocumentForms", "interpret", "is_shape_statement", "iterated_bases", "reads_as_exponent_notation",
    "statement_shape", "without_argument", "without_words",
]

COMPOSE = "compose"  # the structural function name of a composition f ∘ g (no value without its argument)
MAX_NODES = 20_000
_TRANSPOSE_MARKS = frozenset({"T", "top", "intercal", "⊤"})
_INDEX_LETTERS = frozenset({"k", "t", "i", "j", "n", "s", "tau"})


@dataclass(frozen=True)
class DocumentForms:
    """What the whole document says about its forms: the names it iterates (``w`` of ``w^{k+1} = w^k − …``)
    and the names it uses as functions."""

    iterated: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()


def interpret(node: n.Node, forms: DocumentForms | None = None) -> n.Node:
    """The tree with every form above given its meaning (idempotent; bounded in size)."""
    forms = forms or DocumentForms()
    budget = [MAX_NODES]

    def visit(item: n.Node) -> n.Node:
        budget[0] -= 1
        if budget[0] < 0:
            return item
        rebuilt = _rebuild(item, visit)
        rule = _RULES.get(type(rebuilt))
        return rule(rebuilt, forms) if rule else rebuilt

    return visit(node)


def _rebuild(node: n.Node, visit: Callable[[n.Node], n.Node]) -> n.Node:
    """``node`` with its children visited (the same object when nothing changed)."""
    changes = {}
    for item in fields(node):
        if item.name in ("line", "column"):
            continue
        value = getattr(node, item.name)
        if isinstance(value, n.Node):
            new = visit(value)
            if new is not value:
                changes[item.name] = new
        elif isinstance(value, tuple) and value and any(isinstance(v, n.Node | tuple) for v in value):
            new_items = tuple(_visit_item(v, visit) for v in value)
            if any(a is not b for a, b in zip(new_items, value, strict=True)):
                changes[item.name] = new_items
    return replace(node, **changes) if changes else node


def _visit_item(value: object, visit: Callable[[n.Node], n.Node]) -> object:
    if isinstance(value, n.Node):
        return visit(value)
    if isinstance(value, tuple):
        items = tuple(visit(v) if isinstance(v, n.Node) else v for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _place(node: n.Node) -> dict[str, int]:
    return {"line": node.line, "column": node.column}


# --- powers ------------------------------------------------------------------------------------------------


def _power(node: n.Power, forms: DocumentForms) -> n.Node:
    exponent = node.exponent
    if isinstance(exponent, n.Symbol) and exponent.name in _TRANSPOSE_MARKS and not exponent.sub:
        return n.Transpose(node.base, **_place(node))
    if (isinstance(exponent, n.Symbol) and exponent.name == "+") or (
            isinstance(exponent, n.Text) and exponent.text == "+"):
        return n.Apply(n.Function("positive_part", "(·)^+"), (node.base,), **_place(node))
    base = node.base
    if isinstance(base, n.Symbol) and base.layer is None and base.name in forms.iterated and _is_index(exponent):
        return replace(base, layer=exponent)  # w^{k+1}: the iterate, a label
    return node


def _is_index(node: n.Node) -> bool:
    """``k``, ``t``, ``k+1``, ``t−1``: an iteration counter, possibly shifted by a whole number."""
    if isinstance(node, n.Symbol):
        return node.name in _INDEX_LETTERS and not node.sub and node.layer is None
    if isinstance(node, n.Add) and len(node.terms) == 2:
        first, second = node.terms
        second = second.operand if isinstance(second, n.Neg) else second
        return _is_index(first) and isinstance(second, n.Number) and second.value.denominator == 1
    return False


def iterated_bases(nodes: Iterable[n.Node]) -> frozenset[str]:
    """Names a document iterates: written with an index ``k`` and with ``k ± 1`` (``w^{k+1} = w^k − α g``).

    One without the other is a power (``x^n``); both together are a sequence, whatever letter counts it.
    """
    plain: dict[str, set[str]] = {}
    shifted: dict[str, set[str]] = {}
    for node in nodes:
        for item in node.walk():
            if not (isinstance(item, n.Power) and isinstance(item.base, n.Symbol) and item.base.layer is None):
                continue
            exponent = item.exponent
            if isinstance(exponent, n.Symbol) and _is_index(exponent):
                plain.setdefault(item.base.name, set()).add(exponent.name)
            elif isinstance(exponent, n.Add) and _is_index(exponent) and isinstance(exponent.terms[0], n.Symbol):
                shifted.setdefault(item.base.name, set()).add(exponent.terms[0].name)
    return frozenset(name for name, letters in shifted.items() if letters & plain.get(name, set()))


# --- products ----------------------------------------------------------------------------------------------


def _mul(node: n.Mul, forms: DocumentForms) -> n.Node:
    factors = _indicators_applied(_text_functions_applied(node.factors))
    scientific = _scientific(factors)
    if scientific is not None:  # 4.54 × 10^{-5}: one written number, precise to its mantissa's digits
        return n.Number(scientific, **_place(node))
    if node.op == "circ":
        if any(_is_function(factor, forms) for factor in factors):
            return n.Apply(n.Function(COMPOSE, "∘"), factors, **_place(node))
        return n.Hadamard(factors, **_place(node))
    if len(factors) == 1:
        return factors[0]
    return replace(node, factors=factors) if factors != node.factors else node


def _is_function(node: n.Node, forms: DocumentForms) -> bool:
    if isinstance(node, n.Function):
        return True
    return isinstance(node, n.Symbol) and not node.sub and node.name in forms.functions


def _text_functions_applied(factors: tuple[n.Node, ...]) -> tuple[n.Node, ...]:
    r"""``\operatorname{sech}^2 x``, ``\mathrm{cosh}\, u``: an elementary function's name the reader did not apply.

    The reader knows ``\tanh`` but leaves ``\mathrm{sech}`` as words; followed by an argument in a product it
    is that function of the argument (its power, if any, taken after: sech²x = (sech x)²).
    """
    out: list[n.Node] = []
    index = 0
    while index < len(factors):
        factor = factors[index]
        base, exponent = (factor.base, factor.exponent) if isinstance(factor, n.Power) else (factor, None)
        name = base.text.strip().lower() if isinstance(base, n.Text) else None
        if isinstance(base, n.Function) and index + 1 < len(factors) and base.name in ELEMENTARY:
            name = base.name  # \mathrm{cosh}^2 u: a known name set in roman, not applied by the reader
        if name in ELEMENTARY and index + 1 < len(factors):
            applied: n.Node = n.Apply(n.Function(name, written=name), (factors[index + 1],), **_place(factor))
            out.append(n.Power(applied, exponent, **_place(factor)) if exponent is not None else applied)
            index += 2
            continue
        out.append(factor)
        index += 1
    return tuple(out)


_COMPARISONS = frozenset({"<", ">", "≤", "≥", "\\le", "\\ge", "\\leq", "\\geq", "≠", "\\neq"})


def _indicators_applied(factors: tuple[n.Node, ...]) -> tuple[n.Node, ...]:
    """``𝟙[z > 0]``, ``\\mathbb{1}\\{z > 0\\}``, ``1\\{z > 0\\}``: a one in front of a bracketed condition is the
    indicator of that condition (a number times a condition has no other meaning)."""
    out: list[n.Node] = []
    index = 0
    while index < len(factors):
        factor = factors[index]
        one = (isinstance(factor, n.Symbol) and factor.style == "bb" and factor.name in ("1", "I") and not factor.sub) \
            or (isinstance(factor, n.Number) and factor.text == "1")
        condition = _condition(factors[index + 1]) if one and index + 1 < len(factors) else None
        if condition is not None:
            out.append(n.Apply(n.Function("indicator", "𝟙"), (condition,), **_place(factor)))
            index += 2
            continue
        out.append(factor)
        index += 1
    return tuple(out)


def _condition(node: n.Node) -> n.Node | None:
    while isinstance(node, n.SetOf | n.Tuple) and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, n.Chain) and node.ops and all(op.op in _COMPARISONS for op in node.ops):
        return node
    return None


def _scientific(factors: tuple[n.Node, ...]) -> str | None:
    """``4.54 \\times 10^{-5}`` as the text ``4.54e-5``, or None when the factors are not that form."""
    if len(factors) != 2 or not isinstance(factors[0], n.Number) or not isinstance(factors[1], n.Power):
        return None
    base, exponent = factors[1].base, factors[1].exponent
    if not (isinstance(base, n.Number) and base.text == "10"):
        return None
    sign = ""
    if isinstance(exponent, n.Neg):
        sign, exponent = "-", exponent.operand
    if not isinstance(exponent, n.Number):
        return None
    digits = exponent.text.lstrip("+-−")
    if not (digits.isdigit() and len(digits) <= 4):
        return None
    if exponent.text[:1] in "-−" and digits != exponent.text:
        sign = "" if sign else "-"
    return f"{factors[0].text}e{sign}{digits}"


def reads_as_exponent_notation(first: n.Node, second: n.Node) -> bool:
    """``1e-3`` read as ``1·e − 3``: a number with the letter e (or E) right after it, without a space.

    ``4e^{2x}`` is fine: there the e carries its own exponent.
    """
    return (isinstance(first, n.Number) and isinstance(second, n.Symbol) and second.name in ("e", "E")
            and not second.sub and second.line == first.line and second.column == first.column + len(first.text))


_RULES: dict[type, Callable[[n.Node, DocumentForms], n.Node]] = {n.Power: _power, n.Mul: _mul}  # type: ignore[dict-item]


# --- subjects of a relation --------------------------------------------------------------------------------


def without_words(node: n.Node) -> n.Node:
    """``since z_3`` → ``z_3``: words in front of the quantity a relation is about."""
    if isinstance(node, n.Mul):
        factors = [factor for factor in node.factors if not isinstance(factor, n.Text)]
        if len(factors) == 1:
            return factors[0]
    return node


def without_argument(node: n.Node, same: Callable[[n.Node, n.Node], bool]) -> n.Node:
    """``∇_w L(w)`` → ``∇_w L``: the variable repeated after the derivative is its argument, not a factor.

    ``same`` says whether two written names are one quantity (the caller's notion of identity).
    """
    if isinstance(node, n.Mul) and len(node.factors) == 2:
        derivative, argument = node.factors
        if isinstance(derivative, n.Gradient | n.Derivative) and derivative.wrt is not None:
            if isinstance(argument, n.Symbol) and same(argument, derivative.wrt):
                return derivative
    if isinstance(node, n.Gradient | n.Derivative) and isinstance(node.of, n.Apply) and node.wrt is not None:
        args = node.of.args
        if len(args) == 1 and same(args[0], node.wrt) and isinstance(node.of.func, n.Symbol):
            return replace(node, of=node.of.func)  # ∇_w L(w) read as an application: the same gradient
    return node


# --- shape annotations -------------------------------------------------------------------------------------


def is_shape_statement(terms: tuple[n.Node, ...], sizes: Iterable[str] | None = None) -> bool:
    """``(n×n)(n×1) = n×1``: a statement about shapes, built only from sizes with ``×``, not arithmetic.

    Every leaf is a whole number or a size (a plain name; with ``sizes`` given, one of them), and some ``×``
    appears. Without known sizes every side must be written as a product with ``×`` (``2 × 3 = 6`` stays
    arithmetic); with them, a side may be a single size.
    """
    known = set(sizes) if sizes is not None else None
    if not any(isinstance(item, n.Mul) and item.op == "times" for term in terms for item in term.walk()):
        return False
    for term in terms:
        for item in term.walk():
            if isinstance(item, n.Symbol):
                if item.sub or item.accent or item.layer is not None or (len(item.name) > 1 and known is None):
                    return False
                if known is not None and item.name not in known:
                    return False
            elif isinstance(item, n.Number):
                if item.value.denominator != 1:
                    return False
            elif not isinstance(item, n.Mul | n.Add | n.Neg | n.Tuple):
                return False
    if known is None:
        return all(any(isinstance(item, n.Mul) and item.op == "times" for item in term.walk()) for term in terms)
    return True


def statement_shape(term: n.Node) -> Shape | None:
    """The shape a term of a shape statement states: ``n×1`` is (n×1), ``(n×m)(m×1)`` their product (n×1),
    a sum the common shape. None when the term does not state one shape (three factors, a sum of two shapes);
    :class:`~chainrule.shapes.ShapeMismatch` when it multiplies sizes that do not fit (``(n×m)(n×1)``)."""
    if isinstance(term, n.Tuple) and len(term.items) == 1:
        return statement_shape(term.items[0])
    if isinstance(term, n.Neg):
        return statement_shape(term.operand)
    if isinstance(term, n.Mul) and term.op == "times":
        if len(term.factors) != 2 or not all(isinstance(f, n.Symbol | n.Number) for f in term.factors):
            return None
        rows, cols = (_size(f) for f in term.factors)
        return Shape(rows, cols)
    if isinstance(term, n.Mul):
        shapes = [statement_shape(f) for f in term.factors]
        if any(s is None for s in shapes):
            return None
        result = shapes[0]
        for shape in shapes[1:]:
            if result.cols != shape.rows:  # type: ignore[union-attr]
                raise ShapeMismatch("matmul", result, shape)  # type: ignore[arg-type]
            result = Shape(result.rows, shape.cols)  # type: ignore[union-attr]
        return result
    if isinstance(term, n.Add):
        shapes = [statement_shape(t) for t in term.terms]
        if any(s is None for s in shapes):
            return None
        for shape in shapes[1:]:
            if shape != shapes[0]:
                raise ShapeMismatch("add", shapes[0], shape)  # type: ignore[arg-type]
        return shapes[0]
    return None


def _size(node: n.Node) -> int | str:
    return int(node.value) if isinstance(node, n.Number) else node.name  # type: ignore[union-attr]
