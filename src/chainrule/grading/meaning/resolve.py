"""Which of the spec's quantities a written name stands for, in one question (the numeric route's names).

Students spell one quantity many ways — ``W^{(1)}``, ``W_1``, ``\\mathbf{W}_1``, ``w^1`` — and rename the
network's outputs ("Output of f: z^{(2)} → z^{(1)}"). A :data:`Resolver` maps a written node to the name of a
truth quantity (``"W1"``, ``"z3"``, ``"yhat"``, ``"loss"``) through, in order: the renamings the submission
declares, the question's own names for intermediates, the assignment's symbol aliases, and the names every
course shares (``x``, ``y``, ``ŷ``; the loss names). A name it cannot place means nothing here, and a claim
using it is left alone rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.grading.meaning.names import LOSS_NAMES, quantity_key
from chainrule.notation import nodes as n

__all__ = ["TRUTH_PREFIX", "Resolver", "alias_keys", "output_resolver", "resolver"]

Resolver = Callable[[n.Node], "str | None"]

TRUTH_PREFIX = "truth:"  # a subject the grader builds names the truth directly, past any renaming


def alias_keys(assignment: Assignment) -> dict[str, str]:
    """Every spelling the assignment gives a symbol (``w^1``, ``W^{(1)}``) → that symbol's name."""
    from chainrule.notation.parser import parse_math

    keys: dict[str, str] = {}
    for symbol in assignment.conventions.symbols:
        for spelling in [symbol.name, symbol.tex, *symbol.aliases]:
            try:
                node = parse_math(spelling)
                key = quantity_key(node)
            except Exception:  # a spelling the reader cannot take is matched as written
                node, key = None, None
            keys.setdefault(key or spelling, symbol.name)
            if isinstance(node, n.Power) and isinstance(node.base, n.Symbol) and isinstance(node.exponent, n.Number):
                # a name listed as w^1 is the layer label w^{(1)}: a spec lists names, never powers
                labelled = quantity_key(n.Symbol(node.base.name, node.base.style, node.base.accent, (), node.exponent))
                keys.setdefault(labelled or spelling, symbol.name)
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
                return "loss" if _same_loss(node, question) else None
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


_LOSS_KINDS = {"mse": "squared", "se": "squared", "l2": "squared", "squared": "squared", "bce": "cross_entropy",
               "ce": "cross_entropy", "nll": "cross_entropy", "xent": "cross_entropy", "crossentropy": "cross_entropy"}


def _same_loss(node: n.Symbol, question: QuestionBase) -> bool:
    """``ℓ_{BCE}`` is the cross-entropy, ``L_{MSE}`` the squared error: a loss name whose subscript names a kind
    of loss other than the question's is another loss, not this question's."""
    words = {(item.text if isinstance(item, n.Text) else getattr(item, "written", "") or getattr(item, "name", ""))
             for item in node.sub}
    written = {_LOSS_KINDS.get(word.strip().lower().replace("-", "").replace(" ", "")) for word in words} - {None}
    loss = str(getattr(question, "loss", "") or "").lower()
    own = "cross_entropy" if "bce" in loss or "entropy" in loss else "squared" if "squared" in loss or "mse" in loss \
        else None
    return not written or own is None or own in written


def output_resolver(resolve: Resolver, output: str) -> Resolver:
    """The question's function name (``f``) is the scalar being differentiated, as the loss is elsewhere."""

    def resolved(node: n.Node) -> str | None:
        if isinstance(node, n.Symbol) and node.name == output and not node.sub and node.layer is None:
            return "loss"
        return resolve(node)

    return resolved
