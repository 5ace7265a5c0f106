"""What a written function name means: one vocabulary for the symbolic route (``check``) and the numeric one
(``grade``), and the declarations that change a name's meaning.

The reader gives known names a :class:`~chainrule.notation.nodes.Function` (``\\tanh``, ``\\text{ReLU}``,
``\\sigma``) and leaves the writer's own names (``f``, ``g``, ``L_1``) as symbols. Here each becomes a
:class:`FunctionMeaning`: an activation of the engine's registry (so its definition and derivative are the
engine's), an elementary function, or one of the structural forms (``max``, ``min``, an indicator, ``diag``).

A name means what the place it is read in declares, in this order: the document's own definition (``σ(a) =
max{a, 0}`` makes σ a ReLU there, or an unknown function when it is defined by something unreadable), then the
assignment's (the question's ``f`` and ``g``, the activation its prompt writes as σ), then the common meaning.
``σ`` is kept apart from a spelled-out ``sigmoid`` because many courses write σ for whatever activation they
use (AMA564 writes σ for ReLU).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chainrule.notation import nodes as n

__all__ = [
    "ACTIVATION_KEYS", "ELEMENTARY", "STRUCTURAL", "FunctionMeaning", "declared_by", "document_functions",
    "function_key", "question_functions", "resolve_function",
]

# The reader's function names → the engine's activation registry keys.
ACTIVATION_KEYS = {
    "sigmoid": "sigmoid", "sigma": "sigmoid", "logistic": "sigmoid", "identity": "identity", "tanh": "tanh",
    "relu": "relu", "positive_part": "relu", "leaky_relu": "leaky_relu", "lrelu": "leaky_relu",
    "softplus": "softplus", "elu": "elu", "gelu": "gelu",
}
# The reader's function names → one name per elementary function (``ln`` is ``log``, ``sgn`` is ``sign``).
ELEMENTARY = {
    "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh",
    "cosh": "cosh", "sqrt": "sqrt", "sech": "sech", "abs": "abs", "sign": "sign", "sgn": "sign",
}
# Forms that are not elementwise functions of one value: each route reads them by their structure.
STRUCTURAL = frozenset({"max", "min", "indicator", "diag"})


# Parameters an activation takes its usual value for when a document names it without one (softplus is β = 1).
ACTIVATION_DEFAULTS: dict[str, dict[str, int]] = {"softplus": {"beta": 1}, "elu": {"alpha": 1}}


@dataclass(frozen=True)
class FunctionMeaning:
    """``kind`` is ``activation`` (``key`` in the engine's registry, with ``params`` and a ``scale`` in front),
    ``elementary`` or ``structural``."""

    kind: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()
    scale: Any = 1

    @classmethod
    def activation(cls, key: str, params: Mapping[str, Any] | None = None, scale: Any = 1) -> FunctionMeaning:
        return cls("activation", key, tuple(sorted((params or {}).items())), scale)

    def parameters(self) -> dict[str, Any]:
        """The parameter values, with the usual ones for those not given (a name stays a name)."""
        return {**ACTIVATION_DEFAULTS.get(self.key, {}), **dict(self.params)}


def function_key(func: n.Node) -> str:
    """How a document names a function, as declarations are keyed: ``σ`` for ``\\sigma`` (not a spelled-out
    sigmoid), the reader's name for other known functions, the symbol's name for the writer's own (``f``)."""
    if isinstance(func, n.Function):
        if "sigma" in func.written and "sigmoid" not in func.written.lower():
            return "σ"
        return func.name
    if isinstance(func, n.Symbol):
        return "σ" if func.name == "sigma" and not func.sub else func.name
    return "?"


def common_meaning(func: n.Node) -> FunctionMeaning | None:
    """The meaning a known function name has when nothing declares another (a bare σ, as in ``σ′(z)``, is the
    sigmoid as ``σ(z)`` is)."""
    name = func.name if isinstance(func, n.Function) else None
    if isinstance(func, n.Symbol) and func.name == "sigma" and not func.sub and func.layer is None:
        name = "sigmoid"
    if name in ACTIVATION_KEYS:
        return FunctionMeaning.activation(ACTIVATION_KEYS[name])
    if name in ELEMENTARY:
        return FunctionMeaning("elementary", ELEMENTARY[name])
    if name in STRUCTURAL:
        return FunctionMeaning("structural", name)
    return None


_UNDECLARED = object()


def resolve_function(func: n.Node, declared: Mapping[str, FunctionMeaning | None]) -> FunctionMeaning | None:
    """The meaning of ``func`` where ``declared`` holds (None: an unknown function, nothing to say about it)."""
    found = declared.get(function_key(func), _UNDECLARED)
    if found is not _UNDECLARED:
        return found  # type: ignore[return-value]
    return common_meaning(func)


def _ref_meaning(ref: Any) -> FunctionMeaning:
    return FunctionMeaning.activation(ref.name, dict(ref.params), ref.scale)


_PROMPT_SIGMA = re.compile(r"\\sigma\s*\(|σ\s*\(")


def question_functions(question: Any) -> dict[str, FunctionMeaning | None]:
    """The function names a question's spec gives a meaning: its network's ``f`` and ``g``, and σ.

    σ is the activation the question's prompt writes as σ when its network has one (AMA564 1b: "with ReLU σ");
    else the sigmoid when the network uses it; else, in a question whose network has no sigmoid, an unknown
    function (a student may name any activation σ); in a question without a network, the common sigmoid.
    """
    declared: dict[str, FunctionMeaning | None] = {}
    refs = []
    for name in ("f", "g"):
        ref = getattr(question, name, None)
        if ref is not None and hasattr(ref, "name"):
            declared[name] = _ref_meaning(ref)
            refs.append(ref)
    layers = getattr(question, "layers", None) or ()
    refs += [layer.activation for layer in layers if getattr(layer, "activation", None) is not None]
    if not refs:
        return declared
    prompt = getattr(question, "prompt", "") or ""
    hidden = {ref.name for ref in refs if ref.name != "identity"}
    if len(hidden) == 1 and _PROMPT_SIGMA.search(prompt):
        declared["σ"] = _ref_meaning(next(ref for ref in refs if ref.name != "identity"))
    elif not any(ACTIVATION_KEYS.get(ref.name) == "sigmoid" for ref in refs):
        declared["σ"] = None
    return declared


# --- what a document declares -------------------------------------------------------------------------------

_EQUALS = frozenset({"=", "≜", ":=", "≡", "\\coloneqq", "\\triangleq"})
_NOT_SIGMOID = frozenset({"max", "relu", "indicator", "leaky_relu", "tanh", "step", "elu", "softplus", "gelu"})


def declared_by(name_side: n.Node, value_side: n.Node) -> tuple[str, FunctionMeaning | None] | None:
    """What ``name = value`` declares about a function name, if anything.

    ``f = \tanh``, ``σ = ReLU``, ``f = 5 ReLU``, ``f(·) = tanh(·)``: the name is that activation. ``σ(a) = max{a,
    0}`` (σ equated with another activation's form): σ is not the sigmoid here, and which function it is the
    document's own definition says, so σ becomes unknown to the common vocabulary.
    """
    name = _function_name(name_side)
    if name is None:
        return None
    meaning = _activation_named(value_side)
    if meaning is not None:
        return name, meaning
    if name == "σ" and isinstance(name_side, n.Apply) and _is_other_activation(value_side):
        return name, None
    return None


def _function_name(node: n.Node) -> str | None:
    if isinstance(node, n.Apply) and all(isinstance(arg, n.Placeholder) for arg in node.args):
        node = node.func  # f(·)
    if isinstance(node, n.Apply) and isinstance(node.func, n.Function | n.Symbol):
        return "σ" if function_key(node.func) == "σ" else None  # σ(a) = …: only σ's redefinition is read
    if isinstance(node, n.Symbol) and not node.sub and node.layer is None and not node.accent:
        return function_key(node) if len(node.name) == 1 or node.name in _GREEK_NAMES else None
    return None


# The Greek letters a document may name its activation by (as the reader spells them).
_GREEK_NAMES = frozenset({"sigma", "phi", "varphi", "psi", "rho", "eta", "gamma", "tau", "chi", "omega"})


def _activation_named(node: n.Node) -> FunctionMeaning | None:
    scale: Any = 1
    if isinstance(node, n.Mul) and len(node.factors) == 2 and isinstance(node.factors[0], n.Number):
        scale, node = node.factors[0].value, node.factors[1]
    if isinstance(node, n.Apply) and all(isinstance(arg, n.Placeholder) for arg in node.args):
        node = node.func
    if isinstance(node, n.Function) and ACTIVATION_KEYS.get(node.name) and function_key(node) != "σ":
        return FunctionMeaning.activation(ACTIVATION_KEYS[node.name], scale=scale)
    return None


def _is_other_activation(term: n.Node) -> bool:
    if isinstance(term, n.Cases):
        return True
    if isinstance(term, n.Mul) and len(term.factors) == 2 and isinstance(term.factors[0], n.Number):
        term = term.factors[1]  # 5·ReLU(z)
    return isinstance(term, n.Apply) and isinstance(term.func, n.Function) and term.func.name in _NOT_SIGMOID


def document_functions(chains: Any) -> dict[str, FunctionMeaning | None]:
    """What the relation chains (each with ``terms`` and ``ops``) of a whole document declare function names to
    mean, later declarations winning; only σ's redefinition holds document-wide (see :func:`declared_by`)."""
    declared: dict[str, FunctionMeaning | None] = {}
    for chain in chains:
        ops = [getattr(op, "op", op) for op in chain.ops]
        for index, op in enumerate(ops):
            if op not in _EQUALS:
                continue
            pair = (chain.terms[index], chain.terms[index + 1])
            for this, other in (pair, pair[::-1]):
                found = declared_by(this, other)
                if found is not None and found[0] == "σ" and found[1] is None:
                    declared["σ"] = None
    return declared
