"""What a written name means in a question: which of the spec's quantities (or none) a symbol stands for.

Students spell one quantity many ways — ``W^{(1)}``, ``W_1``, ``\\mathbf{W}_1``, ``w^1`` — and rename the
network's outputs ("Output of f: z^{(2)} → z^{(1)}"). A :data:`Resolver` maps a written node to the name of a
truth quantity (``"W1"``, ``"z3"``, ``"yhat"``, ``"loss"``) through, in order: the renamings the submission
declares, the question's own names for intermediates, the assignment's symbol aliases, and the names every
course shares (``x``, ``y``, ``ŷ``; ℓ, L, E, J for the loss). A name it cannot place means nothing here, and a
claim using it is left alone rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.notation import nodes as n

__all__ = [
    "LOSS_NAMES", "TRUTH_PREFIX", "Resolver", "alias_keys", "entry_indices", "output_resolver", "quantity_key",
    "resolver", "without_argument", "without_words", "zero_based",
]

Resolver = Callable[[n.Node], "str | None"]

LOSS_NAMES = frozenset({"ell", "l", "L", "E", "J"})
TRUTH_PREFIX = "truth:"  # a subject the grader builds names the truth directly, past any renaming


def quantity_key(node: n.Node) -> str | None:
    """A spelling-free identity: ``W^{(1)}``, ``W_1`` and ``\\mathbf{W}_1`` all give ``"W1"``; ``\\hat y`` gives
    ``"haty"``. Non-numeric subscripts are indices, not part of the name."""
    if isinstance(node, n.Symbol):
        digits = [node.sub[0].text] if node.sub and isinstance(node.sub[0], n.Number) and node.layer is None else []
        if node.layer is not None:
            if not isinstance(node.layer, n.Number):
                return None
            digits.append(node.layer.text)
        return f"{'hat' if node.accent == 'hat' else ''}{node.name}{''.join(digits)}"
    if isinstance(node, n.Power) and isinstance(node.base, n.Symbol) and isinstance(node.exponent, n.Number):
        base = quantity_key(node.base)
        return f"{base}^{node.exponent.text}" if base else None
    return None


def entry_indices(node: n.Symbol) -> tuple[n.Node, ...]:
    """The subscripts that index entries: all of them after a layer label (``W^{(1)}_{ij}``), else all but a
    leading number that is part of the name (``z_{1,1}`` is entry 1 of ``z_1``)."""
    sub = tuple(item for item in node.sub if isinstance(item, n.Number | n.Symbol))  # \\text{MSE} is a label
    if node.layer is not None:
        return sub
    if sub and node.sub and sub[0] is node.sub[0] and isinstance(sub[0], n.Number):
        return sub[1:]
    return sub


def zero_based(node: n.Node) -> bool:
    """Whether entries are numbered from 0 here: some subscript index is the number 0."""
    for item in node.walk():
        if isinstance(item, n.Symbol):
            if any(isinstance(index, n.Number) and index.text == "0" for index in entry_indices(item)):
                return True
    return False


def alias_keys(assignment: Assignment) -> dict[str, str]:
    """Every spelling the assignment gives a symbol (``w^1``, ``W^{(1)}``) → that symbol's name."""
    from chainrule.notation.parser import parse_math

    keys: dict[str, str] = {}
    for symbol in assignment.conventions.symbols:
        for spelling in [symbol.name, symbol.tex, *symbol.aliases]:
            try:
                key = quantity_key(parse_math(spelling))
            except Exception:  # a spelling the reader cannot take is matched as written
                key = None
            keys.setdefault(key or spelling, symbol.name)
    return keys


def resolver(question: QuestionBase, renamings: Mapping[str, str], aliases: Mapping[str, str]) -> Resolver:
    """The resolver of one question under a submission's declared ``renamings`` and the assignment's ``aliases``."""
    names = dict(getattr(question, "names", {}) or {})
    own = {value: key for key, value in names.items()}  # the assignment's names for intermediates: {a: z1}

    def resolve(node: n.Node) -> str | None:
        if isinstance(node, n.Boxed):
            return resolve(node.body)
        if isinstance(node, n.Symbol) and node.name.startswith(TRUTH_PREFIX):
            return node.name[len(TRUTH_PREFIX) :]
        if isinstance(node, n.Apply) and isinstance(node.func, n.Symbol) and node.func.name == "f":
            return "yhat"  # f(x; θ), the network's output
        key = quantity_key(node)
        if key is None:
            return None
        if isinstance(node, n.Symbol) and node.name in LOSS_NAMES and not node.layer and not node.accent:
            if not [c for c in node.sub if isinstance(c, n.Number)]:
                return "loss"
        if key in renamings:
            return renamings[key]
        if key in own:
            return own[key]
        if key in aliases:
            return aliases[key]
        if key in ("x", "y", "haty"):
            return {"haty": "yhat"}.get(key, key)
        return None

    return resolve


def output_resolver(resolve: Resolver, output: str) -> Resolver:
    """The question's function name (``f``) is the scalar being differentiated, as the loss is elsewhere."""

    def resolved(node: n.Node) -> str | None:
        if isinstance(node, n.Symbol) and node.name == output and not node.sub and node.layer is None:
            return "loss"
        return resolve(node)

    return resolved


def without_words(node: n.Node) -> n.Node:
    """``since z_3`` → ``z_3``: words in front of the quantity a relation is about."""
    if isinstance(node, n.Mul):
        factors = [factor for factor in node.factors if not isinstance(factor, n.Text)]
        if len(factors) == 1:
            return factors[0]
    return node


def without_argument(node: n.Node, resolve: Resolver) -> n.Node:
    """``∇_w L(w)`` → ``∇_w L``: the reader takes ``L(w)`` as a product; the variable repeated is an argument."""
    if isinstance(node, n.Mul) and len(node.factors) == 2:
        derivative, argument = node.factors
        if isinstance(derivative, n.Gradient | n.Derivative) and derivative.wrt is not None:
            if isinstance(argument, n.Symbol) and resolve(argument) is not None:
                if resolve(argument) == resolve(derivative.wrt):
                    return derivative
    return node
