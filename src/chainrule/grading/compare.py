"""Compare a question's claims with the spec's truth: by value at random points, with shapes and layout.

A submission's relation chains (``∂ℓ/∂W₂ = z₂ ∂ℓ/∂z₃ = …``) are read once per document. Each term is
evaluated numerically where the spec gives every name in it a value: the network's parameters, inputs,
intermediates and every Jacobian (``∂ℓ/∂ŷ``, ``∂z₂/∂z₁``, ``∂ŷ/∂z₃`` …) get random values of the right shapes
(sizes ``n``, ``m``, ``K`` drawn distinct, so a transposed or mis-sized answer cannot agree by accident), and
the truth is computed by a forward and backward pass in the assignment's layout. A term is then

* right when it equals the truth of the chain's subject (the quantity named on the left);
* wrong when it differs — with the reason: transposed (a wrong answer under numerator layout, only a note
  under denominator layout), a product whose shapes do not fit, a wrong size in ``∈ ℝ^…``, a full matrix where
  an elementwise map's Jacobian is diagonal, two indices on a row vector;
* left alone when any name in it has no value (a tensor, an index sum, a symbol the spec does not know).

Names go through the spec's aliases (``w^1 = W^{(1)} = W_1``) and, first, the renamings a submission
declares (``Output of f: z^{(2)} → z^{(1)}``). Where a one-symbol change (``⊤``↔``+``, ``l``↔``1``, a lost
``²``) would make a wrong term right, the finding says so: scanned work is often misread there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.errors import ChainruleError
from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.scalar_answers import DynamicsChecker, parameter_count_findings
from chainrule.grading.split import Section, SplitResult
from chainrule.notation import nodes as n

MAX_STEPS = 20_000
MAX_DECLARATION_LINE = 400
SIZES = {"n": 3, "m": 4, "K": 5}
POINTS = 2
RELATIVE_TOLERANCE = 1e-7


class Unevaluable(Exception):
    """A term that has no value here (an unknown name, a tensor, an unbound index)."""


class ShapeError(Unevaluable):
    """A product or sum whose operands' shapes do not fit."""

    def __init__(self, message: str, node: n.Node) -> None:
        super().__init__(message)
        self.node = node


class _Eye:
    """An identity matrix whose size comes from its neighbours (``I`` written without a size)."""


# --- names ------------------------------------------------------------------------------------------------

LOSS_NAMES = frozenset({"ell", "l", "L", "E", "J"})


def symbol_key(node: n.Node) -> str | None:
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
        base = symbol_key(node.base)
        return f"{base}^{node.exponent.text}" if base else None
    return None


def _indices(node: n.Symbol) -> tuple[n.Node, ...]:
    """The subscripts that index entries: all of them after a layer label (``W^{(1)}_{ij}``), else all but a
    leading number that is part of the name (``z_{1,1}`` is entry 1 of ``z_1``)."""
    sub = tuple(item for item in node.sub if isinstance(item, n.Number | n.Symbol))  # \\text{MSE} is a label
    if node.layer is not None:
        return sub
    if sub and node.sub and sub[0] is node.sub[0] and isinstance(sub[0], n.Number):
        return sub[1:]
    return sub


_ROLE_WORDS = {"linear1": "z1", "f": "z2", "linear2": "z3", "g": "yhat"}
_ROLE = r"(?P<role>linear\s*_?\s*\{?\s*[12]\s*\}?|f|g)"
_DECLARATION_PATTERNS = (
    r"output\s+of\s*" + _ROLE + r"\s*:\s*(?P<old>[^\s→]+?)\s*(?:→|->|\\rightarrow|\\to)\s*(?P<new>[^\s,.;]+)",
    r"(?P<new>[A-Za-z][A-Za-z0-9_^{}()\\]*)\s*(?:=|:=|is|denotes)\s*(?:the\s+)?(?:output\s+of\s+)?"
    + _ROLE
    + r"(?:'s)?\s+output",
    r"(?P<new>[A-Za-z][A-Za-z0-9_^{}()\\]*)\s*(?:=|:=|is|denotes)\s*(?:the\s+)?output\s+of\s+" + _ROLE + r"\b",
)
_DECLARATIONS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in _DECLARATION_PATTERNS)


def _plain(line: str) -> str:
    """A line with LaTeX wrappers removed, for reading declarations in words."""
    text = re.sub(r"\\(?:text|mathrm|textrm|operatorname|boldsymbol|mathbf|bm)\s*\{([^{}]*)\}", r"\1", line)
    text = re.sub(r"\\(?:text|mathrm|boldsymbol|mathbf|bm)\s*\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\[;,:! ]|\\quad|\\qquad|\$|\*\*", " ", text)
    return text


def declared_renamings(lines: Iterable[str]) -> dict[str, str]:
    """Student name key → the assignment's canonical network name, from declarations in words."""
    from chainrule.notation.parser import parse_math

    found: dict[str, str] = {}
    for line in lines:
        if len(line) > MAX_DECLARATION_LINE or "output" not in line.lower():
            continue  # declarations are short sentences; long lines are not read for them (bounded work)
        plain = _plain(line)
        for pattern in _DECLARATIONS:
            for match in pattern.finditer(plain):
                role = re.sub(r"[^a-z0-9]", "", match.group("role").lower())
                canonical = _ROLE_WORDS.get(role)
                if canonical is None:
                    continue
                try:
                    key = symbol_key(parse_math(match.group("new").strip()))
                except Exception:  # not a name the reader can take: no renaming
                    continue
                if key and key not in found:
                    found[key] = canonical
    return found


# --- the truth of a question ------------------------------------------------------------------------------


@dataclass
class Truth:
    """Values of every name the question's answers may use, at one random point, and the layout."""

    values: dict[str, np.ndarray] = field(default_factory=dict)
    derivatives: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    functions: dict[str, Callable[[np.ndarray], np.ndarray]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    layout: str = "numerator"
    diagonal: set[tuple[str, str]] = field(default_factory=set)

    def size_name(self, size: int) -> str:
        for name, value in self.sizes.items():
            if value == size:
                return name
        return str(size)

    def shape_text(self, shape: tuple[int, ...]) -> str:
        return "×".join(self.size_name(size) for size in shape)


def _activation(ref: Any, symbols: Mapping[str, Any] | None = None) -> tuple[Callable, Callable]:
    from chainrule.engine.activations import get_activation
    from chainrule.engine.exact import to_rational

    params = {key: float(to_rational(value)) for key, value in ref.params.items()}
    activation = get_activation(ref.name, **params)
    scale = float(to_rational(ref.scale))
    return (lambda z: scale * activation.numpy(z)), (lambda z: scale * activation.numpy_grad(z))


def _numerator_to_layout(truth: Truth) -> None:
    if truth.layout == "denominator":
        truth.derivatives = {key: value.T.copy() for key, value in truth.derivatives.items()}


def network_truth(question: Any, layout: str, rng: np.random.Generator) -> Truth:
    """Forward and backward pass of ``Linear1 → f → Linear2 → g → loss`` at random values (numerator layout
    first, transposed for denominator layout)."""
    sizes = dict(SIZES)
    n_, m_, k_ = sizes["n"], sizes["m"], sizes["K"]
    f, f_grad = _activation(question.f)
    g, g_grad = _activation(question.g)
    x = rng.normal(size=(n_, 1))
    w1, b1 = rng.normal(size=(m_, n_)), rng.normal(size=(m_, 1))
    w2, b2 = rng.normal(size=(k_, m_)) / 2, rng.normal(size=(k_, 1)) / 2
    bce = question.loss == "bce_mean"
    y = rng.uniform(0.1, 0.9, size=(k_, 1)) if bce else rng.normal(size=(k_, 1))
    z1 = w1 @ x + b1
    z2 = f(z1)
    z3 = w2 @ z2 + b2
    yhat = g(z3)
    if bce:
        loss = np.mean(-(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)))
        dl_dyhat = ((-(y / yhat) + (1 - y) / (1 - yhat)) / k_).T
    else:
        loss = float(np.sum((yhat - y) ** 2))
        dl_dyhat = 2 * (yhat - y).T
    dyhat_dz3 = np.diagflat(g_grad(z3))
    dz2_dz1 = np.diagflat(f_grad(z1))
    dl_dz3 = dl_dyhat @ dyhat_dz3
    dl_dz2 = dl_dz3 @ w2
    dl_dz1 = dl_dz2 @ dz2_dz1
    truth = Truth(sizes=sizes, layout=layout)
    truth.values = {
        "x": x,
        "y": y,
        "W1": w1,
        "b1": b1,
        "W2": w2,
        "b2": b2,
        "z1": z1,
        "z2": z2,
        "z3": z3,
        "yhat": yhat,
        "loss": np.array([[loss]]),
    }
    truth.derivatives = {
        ("loss", "yhat"): dl_dyhat,
        ("yhat", "z3"): dyhat_dz3,
        ("z2", "z1"): dz2_dz1,
        ("z3", "z2"): w2,
        ("z1", "x"): w1,
        ("loss", "z3"): dl_dz3,
        ("loss", "z2"): dl_dz2,
        ("loss", "z1"): dl_dz1,
        ("loss", "x"): dl_dz1 @ w1,
        ("loss", "W2"): z2 @ dl_dz3,
        ("loss", "b2"): dl_dz3,
        ("loss", "W1"): x @ dl_dz1,
        ("loss", "b1"): dl_dz1,
        ("z3", "b2"): np.eye(k_),
        ("z1", "b1"): np.eye(m_),
        ("yhat", "yhat"): np.eye(k_),
    }
    truth.diagonal = {("yhat", "z3"), ("z2", "z1")}
    truth.functions = {"f": f, "g": g}
    for name, ref in (("f", question.f), ("g", question.g)):
        if ref.name in ("sigmoid", "logistic"):
            truth.functions["sigma"] = truth.functions[name]
    _numerator_to_layout(truth)
    return truth


def mlp_truth(question: Any, layout: str) -> Truth:
    """The exact network of an ``mlp_numeric`` question at its given numbers (floats suffice for comparing
    with the digits a student writes), with every intermediate under the names the assignment uses."""
    from chainrule.engine.exact import to_rational

    def matrix(rows: list[list[Any]]) -> np.ndarray:
        return np.array([[float(to_rational(v)) for v in row] for row in rows])

    a = np.array([[float(to_rational(v))] for v in question.x])
    y = np.array([[float(to_rational(v))] for v in question.y])
    truth = Truth(layout=layout)
    truth.values["x"] = a
    truth.values["y"] = y
    upstream: list[tuple[str, str, np.ndarray, np.ndarray, Callable | None]] = []
    for index, layer in enumerate(question.layers, start=1):
        w, b = matrix(layer.W), matrix([[v] for v in layer.b])
        z = w @ a + b
        truth.values.update({f"W{index}": w, f"b{index}": b, f"z{index}": z})
        if layer.activation is not None:
            act, act_grad = _activation(layer.activation)
            out = act(z)
        else:
            act_grad, out = None, z
        truth.values[f"a{index}"] = truth.values[f"h{index}"] = out  # both names engines use for a layer's output
        upstream.append((f"W{index}", f"b{index}", a, z, act_grad))
        a = out
    loss_scale = {"half_squared": 0.5, "squared": 1.0}.get(question.loss)
    if loss_scale is None:
        raise Unevaluable(f"loss {question.loss} is not compared here")
    truth.values["yhat"] = a
    truth.values["loss"] = np.array([[loss_scale * float(np.sum((a - y) ** 2))]])
    grad = 2 * loss_scale * (a - y)  # column: denominator layout while going down
    truth.derivatives[("loss", "yhat")] = grad.T
    for index in range(len(question.layers), 0, -1):
        w_name, b_name, inp, z, act_grad = upstream[index - 1]
        truth.derivatives[("loss", f"a{index}")] = truth.derivatives[("loss", f"h{index}")] = grad.T
        dz = grad * act_grad(z) if act_grad is not None else grad
        truth.derivatives[("loss", f"z{index}")] = dz.T
        truth.derivatives[("loss", b_name)] = dz.T
        truth.derivatives[("loss", w_name)] = (dz @ inp.T).T
        grad = truth.values[w_name].T @ dz
    # The assignment's own names for intermediates (``{z1: a, a1: h}``) are aliases of these.
    _numerator_to_layout(truth)
    return truth


def matrix_truth(question: Any, assignment: Assignment, rng: np.random.Generator) -> Truth:
    """Random values of every symbol of a ``matrix_gradient`` question (sizes drawn distinct, so a transposed
    or mis-sized answer cannot agree by accident) and the engine's gradient there (``engine.matcalc``)."""
    from chainrule.assignments.solvers.matrix import build
    from chainrule.engine.matcalc import Layout, evaluate, gradient

    expression, variable, _symbols = build(question, assignment)
    names = sorted({dim for shape in question.shapes.values() for dim in shape if isinstance(dim, str)})
    sizes = {name: SIZES.get(name, 6 + index) for index, name in enumerate(names)}
    if len(set(sizes.values())) != len(sizes):
        sizes = {name: 3 + index for index, name in enumerate(names)}

    def dim(value: int | str) -> int:
        return sizes[value] if isinstance(value, str) else int(value)

    values = {name: rng.normal(size=(dim(rows), dim(cols))) for name, (rows, cols) in question.shapes.items()}
    grad = np.asarray(gradient(expression, variable, Layout.DENOMINATOR).evaluate(values), dtype=float)
    truth = Truth(sizes=sizes, layout=assignment.conventions.layout)
    truth.values = {**values, "loss": np.asarray(evaluate(expression, values), dtype=float).reshape(1, 1)}
    truth.derivatives = {("loss", question.with_respect_to): grad.T.copy()}  # numerator layout first
    _numerator_to_layout(truth)
    return truth


# --- evaluation of reader nodes ---------------------------------------------------------------------------


_ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp,
    "log": np.log,
    "ln": np.log,
    "tanh": np.tanh,
    "sin": np.sin,
    "cos": np.cos,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0),
    "positive_part": lambda z: np.maximum(z, 0),
    "abs": np.abs,
    "sqrt": np.sqrt,
}


class Evaluator:
    """Numeric value of a reader node under a :class:`Truth`; raises :class:`Unevaluable` when it has none."""

    def __init__(self, truth: Truth, resolve: Callable[[n.Node], str | None], elementwise_dot: bool) -> None:
        self.truth = truth
        self.resolve = resolve
        self.elementwise_dot = elementwise_dot
        self.steps = 0
        self.indices: dict[str, int] = {}
        self.zero_based = False  # entries numbered from 0, as in code (``s_0``)

    def value(self, node: n.Node) -> np.ndarray:
        result = self.value_of(node)
        if isinstance(result, _Eye):
            raise Unevaluable("an identity of unknown size")
        return result

    def value_of(self, node: n.Node) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Unevaluable("the term is too large to evaluate")
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is None:
            raise Unevaluable(f"no value for {type(node).__name__}")
        return method(node)

    # atoms
    def _eval_Number(self, node: n.Number) -> np.ndarray:
        return np.array([[float(node.value)]])

    def _eval_Symbol(self, node: n.Symbol) -> Any:
        if node.name == "I" and not node.accent:
            size = [self.truth.sizes.get(c.name) for c in node.sub if isinstance(c, n.Symbol)]
            if len(size) == 1 and size[0]:
                return np.eye(size[0])
            if not node.sub:
                return _Eye()
        if node.name == "delta" and len(node.sub) == 2 and all(isinstance(i, n.Symbol) for i in node.sub):
            first, second = (self._index(index, np.zeros((1, 1))) for index in node.sub)
            return np.array([[1.0 if first == second else 0.0]])  # Kronecker's delta on bound indices
        name = self.resolve(node)
        if name is None and not node.sub and node.name in self.truth.sizes and node.layer is None:
            return np.array([[float(self.truth.sizes[node.name])]])
        if name is None or name not in self.truth.values:
            raise Unevaluable(f"no value for {node.name}")
        value = self.truth.values[name]
        indices = _indices(node)
        if not indices:
            return value
        return self._element(value, indices)

    def _element(self, value: np.ndarray, indices: tuple[n.Node, ...]) -> np.ndarray:
        positions = [self._index(index, value) for index in indices]
        flat = value.reshape(-1) if 1 in value.shape and len(positions) == 1 else value
        try:
            return np.array([[flat[tuple(positions)] if len(positions) > 1 else flat[positions[0]]]])
        except IndexError:
            raise Unevaluable("index out of range") from None

    def _index(self, index: n.Node, value: np.ndarray) -> int:
        if isinstance(index, n.Number) and index.value.denominator == 1:
            return int(index.value) - (0 if self.zero_based else 1)
        if isinstance(index, n.Symbol) and not index.sub:
            if index.name in self.indices:
                return self.indices[index.name]
            if index.name in self.truth.sizes:
                return self.truth.sizes[index.name] - 1
        raise Unevaluable("an index without a value")

    def _eval_Boxed(self, node: n.Boxed) -> Any:
        return self.value_of(node.body)

    def _eval_Tuple(self, node: n.Tuple) -> Any:
        if len(node.items) == 1:
            return self.value_of(node.items[0])
        items = [self.value(item) for item in node.items]
        if all(item.shape == (1, 1) for item in items):
            return np.array([[item[0, 0]] for item in items])  # (a, b) read as a column, as students write it
        raise Unevaluable("a tuple of matrices")

    def _eval_Matrix(self, node: n.Matrix) -> np.ndarray:
        rows = []
        for row in node.rows:
            cells = []
            for cell in row:
                if isinstance(cell, n.Dots):
                    raise Unevaluable("a matrix written with dots")
                value = self.value(cell)
                if value.shape != (1, 1):
                    raise Unevaluable("a block matrix")
                cells.append(value[0, 0])
            rows.append(cells)
        if len({len(row) for row in rows}) != 1:
            raise Unevaluable("ragged matrix")
        return np.array(rows, dtype=float)

    def _eval_Derivative(self, node: n.Derivative) -> np.ndarray:
        if node.of is None or node.order != 1:
            raise Unevaluable("a derivative operator")
        of, wrt = self.resolve(node.of), self.resolve(node.wrt)
        if of is None or wrt is None:
            raise Unevaluable("a derivative of unknown quantities")
        if isinstance(node.of, n.Symbol) and _indices(node.of):
            raise Unevaluable("a derivative of one entry")
        value = self.truth.derivatives.get((of, wrt))
        if value is None:
            raise Unevaluable("a derivative the spec does not give")
        if isinstance(node.wrt, n.Symbol) and _indices(node.wrt):
            if of != "loss":
                raise Unevaluable("a derivative with respect to one entry")
            return self._element(value, _indices(node.wrt))
        return value

    def _eval_Gradient(self, node: n.Gradient) -> np.ndarray:
        if node.wrt is None:
            raise Unevaluable("a gradient without its variable")
        return self._eval_Derivative(n.Derivative(node.of, node.wrt, partial=True))

    # arithmetic
    def _eval_Neg(self, node: n.Neg) -> np.ndarray:
        return -self.value(node.operand)

    def _eval_Add(self, node: n.Add) -> np.ndarray:
        total = self.value(node.terms[0])
        for term in node.terms[1:]:
            value = self.value(term)
            if total.shape == value.shape or value.shape == (1, 1) or total.shape == (1, 1):
                total = total + value
            else:
                raise ShapeError(
                    f"adds a {self.truth.shape_text(total.shape)} and a {self.truth.shape_text(value.shape)}", term
                )
        return total

    def _eval_Mul(self, node: n.Mul) -> Any:
        result: Any = None
        for factor in node.factors:
            value = self.value_of(factor)
            if result is None or isinstance(result, _Eye):
                result = value
                continue
            if isinstance(value, _Eye):
                continue
            result = self._product(result, value, factor, node.op)
        return result

    def _product(self, left: np.ndarray, right: np.ndarray, at: n.Node, op: str) -> np.ndarray:
        if left.shape == (1, 1) or right.shape == (1, 1):
            return left * right
        if left.shape[1] == right.shape[0]:
            return left @ right
        if left.shape == right.shape and (self.elementwise_dot or 1 in left.shape):
            # "∂L/∂h · I(a > 0)", "diag(σ(z)(1 − σ(z)))": two vectors of one shape side by side have no matrix
            # product, so even a strict layout reads them entrywise (the values then decide)
            return left * right
        raise ShapeError(
            f"multiplies a {self.truth.shape_text(left.shape)} by a {self.truth.shape_text(right.shape)}", at
        )

    def _eval_Hadamard(self, node: n.Hadamard) -> np.ndarray:
        values = [self.value(factor) for factor in node.factors]
        result = values[0]
        for value in values[1:]:
            if value.shape != result.shape and (1, 1) not in (value.shape, result.shape):
                raise ShapeError("an entrywise product of different shapes", node)
            result = result * value
        return result

    def _eval_Div(self, node: n.Div) -> np.ndarray:
        top, bottom = self.value(node.numerator), self.value(node.denominator)
        if bottom.shape == (1, 1) or bottom.shape == top.shape:
            return top / bottom
        raise Unevaluable("a division by a matrix")

    def _eval_Power(self, node: n.Power) -> np.ndarray:
        if isinstance(node.base, n.Norm) and node.base.kind == "norm":
            inner = self.value(node.base.operand)
            exponent = self.value(node.exponent)
            return np.array([[float(np.sum(inner**2)) ** (float(exponent[0, 0]) / 2)]])
        base, exponent = self.value(node.base), self.value(node.exponent)
        if exponent.shape == (1, 1) and 1 in base.shape and isinstance(node.base, n.Apply) \
                and isinstance(node.base.func, n.Function):
            return base ** exponent[0, 0]  # tanh²(z₁) of a vector: the function's square, entry by entry
        if exponent.shape != (1, 1) or base.shape != (1, 1):
            raise Unevaluable("a power of a matrix")
        return base ** exponent[0, 0]

    def _eval_Norm(self, node: n.Norm) -> np.ndarray:
        inner = self.value(node.operand)
        if node.kind == "abs":
            return np.abs(inner)
        return np.array([[float(np.sqrt(np.sum(inner**2)))]])

    def _eval_Transpose(self, node: n.Transpose) -> np.ndarray:
        return self.value(node.operand).T

    def _eval_Apply(self, node: n.Apply) -> np.ndarray:
        name = node.func.name if isinstance(node.func, (n.Function, n.Symbol)) else None
        if name == "indicator" and len(node.args) == 1:
            return self._truth_of(node.args[0])
        if name in ("max", "min") and len(node.args) == 2:
            left, right = self.value(node.args[0]), self.value(node.args[1])
            return np.maximum(left, right) if name == "max" else np.minimum(left, right)
        if name == "diag" and len(node.args) == 1:
            return np.diagflat(self.value(node.args[0]))
        function = self.truth.functions.get(name or "") if isinstance(node.func, (n.Symbol, n.Function)) else None
        if function is None and isinstance(node.func, n.Function):
            function = _ELEMENTWISE.get(node.func.name)
        if function is None and isinstance(node.func, n.Symbol):
            # f(x; θ) where f names a computed quantity (the network's output): the arguments say what it
            # depends on, the value is the quantity's
            return self.value(node.func)
        if function is None or len(node.args) != 1:
            raise Unevaluable(f"no value for the function {name}")
        return function(self.value(node.args[0]))

    def _truth_of(self, node: n.Node) -> np.ndarray:
        if isinstance(node, n.SetOf) and len(node.items) == 1:
            node = node.items[0]
        if isinstance(node, n.Chain) and len(node.terms) == 2:
            left, right = self.value(node.terms[0]), self.value(node.terms[1])
            compare = {">": np.greater, "<": np.less, "≥": np.greater_equal, "≤": np.less_equal}.get(node.ops[0].op)
            if compare is not None:
                return compare(left, right).astype(float)
        raise Unevaluable("a condition that cannot be evaluated")

    def _eval_BigOp(self, node: n.BigOp) -> np.ndarray:
        if node.op != "sum" or not isinstance(node.lower, n.Chain) or node.upper is None:
            raise Unevaluable("a sum without explicit bounds")
        index, start = node.lower.terms[0], node.lower.terms[-1]
        if not isinstance(index, n.Symbol) or node.lower.ops[0].op != "=":
            raise Unevaluable("a sum over an unusual index")
        first = int(self.value(start)[0, 0])
        last = (
            int(self.value(node.upper)[0, 0])
            if not isinstance(node.upper, n.Symbol)
            else self.truth.sizes.get(node.upper.name, 0)
        )
        if not last or last - first > 100:
            raise Unevaluable("a sum with unknown bounds")
        total: np.ndarray | None = None
        saved = dict(self.indices)
        try:
            for position in range(first, last + 1):
                self.indices[index.name] = position - 1
                value = self.value(node.body)
                total = value if total is None else total + value
        finally:
            self.indices = saved
        if total is None:
            raise Unevaluable("an empty sum")
        return total


# --- the document, read once ------------------------------------------------------------------------------


@dataclass
class Statement:
    """One parsed math span: its first line, the node, and the chains inside it."""

    line: int
    node: n.Node


@dataclass
class GradingContext:
    """Everything read from one submission once and shared by its questions."""

    assignment: Assignment
    split: SplitResult
    statements: list[Statement]
    renamings: dict[str, str]
    aliases: dict[str, str]
    claim_timeout: float = 5.0
    errors: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, assignment: Assignment, split: SplitResult, claim_timeout: float = 5.0) -> GradingContext:
        import chainrule.engine.activations  # noqa: F401  (imported once here, not in every bounded child)
        from chainrule.notation.markdown import find_math
        from chainrule.notation.parser import parse_math

        text = "\n".join(split.lines)
        statements: list[Statement] = []
        errors: list[str] = []
        try:
            spans = find_math(text)
        except ChainruleError as error:
            spans = []
            errors.append(f"math could not be found: {str(error).splitlines()[0]}")
        for span in spans:
            try:
                statements.append(Statement(span.line, parse_math(span.latex, line=span.line, column=span.column)))
            except ChainruleError:
                continue  # the line checker reports reader errors; here an unread span simply has no claims
            except Exception as error:  # a fault in the reader must cost this span, not the submission
                errors.append(f"line {span.line}: the reader failed ({type(error).__name__}: {error})")
        return cls(
            assignment=assignment,
            split=split,
            statements=statements,
            renamings=declared_renamings(split.lines),
            aliases=_alias_keys(assignment),
            claim_timeout=claim_timeout,
            errors=errors,
        )

    def statements_in(self, section: Section) -> list[Statement]:
        return [statement for statement in self.statements if section.contains(statement.line)]


def _alias_keys(assignment: Assignment) -> dict[str, str]:
    from chainrule.notation.parser import parse_math

    keys: dict[str, str] = {}
    for symbol in assignment.conventions.symbols:
        for spelling in [symbol.name, symbol.tex, *symbol.aliases]:
            try:
                key = symbol_key(parse_math(spelling))
            except Exception:  # a spelling the reader cannot take is matched as written
                key = None
            keys.setdefault(key or spelling, symbol.name)
    return keys


def _resolver(context: GradingContext, question: QuestionBase) -> Callable[[n.Node], str | None]:
    names = dict(getattr(question, "names", {}) or {})
    own = {value: key for key, value in names.items()}  # the assignment's names for intermediates: {a: z1}

    def resolve(node: n.Node) -> str | None:
        if isinstance(node, n.Boxed):
            return resolve(node.body)
        if isinstance(node, n.Symbol) and node.name.startswith(_TRUTH_PREFIX):
            return node.name[len(_TRUTH_PREFIX) :]
        if isinstance(node, n.Apply) and isinstance(node.func, n.Symbol) and node.func.name == "f":
            return "yhat"  # f(x; θ), the network's output
        key = symbol_key(node)
        if key is None:
            return None
        if isinstance(node, n.Symbol) and node.name in LOSS_NAMES and not node.layer and not node.accent:
            if not [c for c in node.sub if isinstance(c, n.Number)]:
                return "loss"
        if key in context.renamings:
            return context.renamings[key]
        if key in own:
            return own[key]
        if key in context.aliases:
            return context.aliases[key]
        if key in ("x", "y", "haty"):
            return {"haty": "yhat"}.get(key, key)
        return None

    return resolve


# --- comparing chains -------------------------------------------------------------------------------------


def _chains(node: n.Node) -> Iterator[n.Chain]:
    """Every relation chain, but not those inside labels: sub- and superscripts, sum bounds, conditions."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Chain):
            yield item
        if isinstance(item, n.Symbol | n.Indexed | n.Piece | n.Limit):
            continue
        if isinstance(item, n.Power):
            stack.append(item.base)
            continue
        if isinstance(item, n.BigOp):
            stack.append(item.body)
            continue
        if isinstance(item, n.Apply) and isinstance(item.func, n.Function) and item.func.name == "indicator":
            continue
        stack.extend(reversed(item.children()))


def _is_shape_arithmetic(chain: n.Chain, sizes: set[str]) -> bool:
    """``(n×m)(m×1) = n×1``: a shape check written with ×, built only from sizes and whole numbers.

    It states shapes, not values, so multiplying the sizes out and comparing them would judge the wrong thing.
    """
    if not any(isinstance(node, n.Mul) and node.op == "times" for term in chain.terms for node in term.walk()):
        return False
    for term in chain.terms:
        for node in term.walk():
            if isinstance(node, n.Symbol) and symbol_key(node) not in sizes:
                return False
            if isinstance(node, n.Number) and node.value.denominator != 1:
                return False
            if not isinstance(node, n.Symbol | n.Number | n.Mul):
                return False
    return True


_ROLE_TEXT = {
    "z1": "Linear1 output z_1",
    "z2": "f output z_2",
    "z3": "Linear2 output z_3",
    "yhat": "g output ŷ",
    "loss": "the loss ℓ",
}


def _written(node: n.Node) -> str:
    """The student's formula in the findings' plain text (``∂ℓ/∂z_3``, ``ŷ``: no style words such as bold)."""
    from chainrule.grading.checkers.printing import to_text

    if isinstance(node, n.Symbol) and node.name.startswith(_TRUTH_PREFIX):
        name = node.name[len(_TRUTH_PREFIX) :]
        return _ROLE_TEXT.get(name, name)

    try:
        return to_text(node)
    except Exception:  # the printer is a convenience; a finding must not be lost to it
        return type(node).__name__


def _latex(*parts: n.Node | str) -> str | None:
    """The same claim as LaTeX for HTML (``None`` when a part cannot be printed or names a grader's quantity)."""
    from chainrule.notation import to_latex

    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if isinstance(part, n.Symbol) and part.name.startswith(_TRUTH_PREFIX):
            return None
        try:
            out.append(to_latex(part))
        except Exception:  # the printer is a convenience; a finding must not be lost to it
            return None
    return " ".join(out)


def in_float_range(evaluate: Callable[[], list[np.ndarray]]) -> list[np.ndarray]:
    """Run a float64 evaluation that must stay inside float64's range, or raise :class:`Unevaluable`.

    An overflow (``inf``), an underflow (a nonzero value rounded to 0 or to a denormal) or an invalid operation
    would make a claim right or wrong by accident: ``2^{-65536} = 0`` is not right, and two infinities are not
    a comparison. Such a claim is left to the exact checks, or undecided.
    """
    with np.errstate(over="raise", under="raise", invalid="raise", divide="raise"):
        try:
            values = evaluate()
        except (FloatingPointError, OverflowError) as error:
            raise Unevaluable(f"a value outside float64's range ({error})") from None
    if not all(np.all(np.isfinite(np.asarray(value, dtype=float))) for value in values):
        raise Unevaluable("a value outside float64's range")
    return values


def _same(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.all(np.abs(a - b) <= tolerance + RELATIVE_TOLERANCE * scale))


def _numbers_tolerance(node: n.Node) -> float:
    """Half a unit in the last place written, for a term made of numbers only; 0 (exact) otherwise."""
    decimals = [item.decimals for item in node.walk() if isinstance(item, n.Number)]
    other = [item for item in node.walk() if isinstance(item, (n.Symbol, n.Derivative, n.Apply))]
    if not decimals or other:
        return 0.0
    # Entries written as whole numbers (the 0 of "(0, 1.3)") are exact; the rounding is that of the decimals.
    return 0.5 * 10 ** (-max(decimals)) * 1.0001 if max(decimals) > 0 else 0.0


_FORWARD_ITEMS = ("z1", "z2", "z3", "yhat", "loss")
_GRADIENT_ITEMS = ("W1", "b1", "W2", "b2")


def asked_items(question: QuestionBase) -> frozenset[str]:
    """The truth items a question asks for and the comparison can match one by one; empty when it asks for
    something the comparison cannot tell apart (local Jacobians, explanations), so such a question is never
    marked right on these items alone."""
    if question.type == "mlp_numeric":
        layers = len(getattr(question, "layers", ()))
        gradients = {f"∂loss/∂{kind}{index}" for index in range(1, layers + 1) for kind in ("W", "b")}
        return frozenset({"yhat", *gradients})
    if question.type == "matrix_gradient":
        return frozenset({f"∂loss/∂{question.with_respect_to}"})  # type: ignore[attr-defined]
    if question.type == "symbolic_backprop":
        asks = set(getattr(question, "asks", ()) or ())
        if not asks or not asks <= {"forward", "gradients"}:
            return frozenset()
        items: set[str] = set()
        if "forward" in asks:
            items.update(_FORWARD_ITEMS)
        if "gradients" in asks:
            items.update(f"∂loss/∂{name}" for name in _GRADIENT_ITEMS)
        return frozenset(items)
    return frozenset()


class QuestionComparer:
    """Compares one question's chains with its truth (built afresh at each of a few random points)."""

    def __init__(self, question: QuestionBase, context: GradingContext) -> None:
        self.question = question
        self.context = context
        self.layout = context.assignment.conventions.layout
        self.strict = self.layout == "numerator"
        self.resolve = _resolver(context, question)
        if question.type == "matrix_gradient":
            self.resolve = _output_resolver(self.resolve, getattr(question, "output", "f"))
        self.truths = self._truths()
        self.stated_layout: str | None = None  # the layout a submission says its answers are in, if it says one
        self._free: tuple[str, int] | None = None
        self.asked = asked_items(question)

    def answered(self, subject: n.Node) -> str | None:
        """The asked truth item that ``subject`` names (the network's output, a loss gradient), or None."""
        if isinstance(subject, n.Gradient) and subject.wrt is not None:
            subject = n.Derivative(subject.of, subject.wrt, partial=True)
        if isinstance(subject, n.Derivative) and subject.of is not None:
            if self.resolve(subject.of) != "loss" or not isinstance(subject.wrt, n.Symbol | n.Power):
                return None
            if isinstance(subject.wrt, n.Symbol) and _indices(subject.wrt) and self._free is None:
                return None  # one entry, not the whole gradient
            item = f"∂loss/∂{self.resolve(subject.wrt)}"
        elif isinstance(subject, n.Symbol | n.Apply) and not (isinstance(subject, n.Symbol) and _indices(subject)):
            name = self.resolve(subject)
            last = len(getattr(self.question, "layers", ()))
            item = "yhat" if name in (f"h{last}", f"a{last}") and self.question.type == "mlp_numeric" else name or ""
        else:
            return None
        return item if item in self.asked else None

    def _truths(self) -> list[Truth]:
        kind = self.question.type
        if kind == "symbolic_backprop":
            return [network_truth(self.question, self.layout, np.random.default_rng(seed)) for seed in range(POINTS)]
        if kind == "matrix_gradient":
            rngs = (np.random.default_rng(seed) for seed in range(POINTS))
            return [matrix_truth(self.question, self.context.assignment, rng) for rng in rngs]
        if kind == "mlp_numeric":
            try:
                return [mlp_truth(self.question, self.layout)]
            except Unevaluable:
                return []  # a loss this comparison does not model: the line checker still reads the answer
        return []

    def evaluators(self) -> list[Evaluator]:
        return [Evaluator(truth, self.resolve, elementwise_dot=not self.strict) for truth in self.truths]

    def _evaluate_all(self, node: n.Node) -> list[np.ndarray]:
        """The node's value at each truth point, never outside float64's range (see :func:`in_float_range`)."""
        return in_float_range(lambda: self._evaluate_each(node))

    def _evaluate_each(self, node: n.Node) -> list[np.ndarray]:
        """The node's value at each truth point; with a free index (``ŷ_i``) the column of its entries."""
        values = []
        for evaluator in self.evaluators():
            evaluator.zero_based = _zero_based(node)
            if self._free is None:
                values.append(evaluator.value(node))
                continue
            name, size = self._free
            entries = []
            for position in range(size):
                evaluator.indices = {name: position}
                value = evaluator.value(node)
                if value.shape != (1, 1):
                    raise Unevaluable("an indexed term that is not a number")
                entries.append(value[0, 0])
            values.append(np.array(entries).reshape(-1, 1))
        return values

    def _free_index(self, subject: n.Node) -> tuple[str, int] | None:
        """The one free index of a subject such as ``∂ℓ/∂ŷ_i``, with its range, or None."""
        truth = self.truths[0]
        found: dict[str, int] = {}
        for item in subject.walk():
            if not isinstance(item, n.Symbol):
                continue
            for index in _indices(item):
                if isinstance(index, n.Symbol) and not index.sub and index.name not in truth.sizes:
                    base = self.resolve(item)
                    if base in truth.values:
                        found[index.name] = max(truth.values[base].shape)
        return next(iter(found.items())) if len(found) == 1 else None

    def table_chains(self, statements: list[Statement]) -> list[n.Chain]:
        """Claims made by table rows.

        ``| $W^{(1)}$ | $x ∂ℓ/∂z_3 …$ |`` (a parameter and a formula) claims ∂ℓ/∂(parameter) = formula;
        ``| f | input | output |`` (a layer of ``Linear1 → f → Linear2 → g``, or the loss) claims that layer's
        output = the last formula of the row.
        """
        asks = set(getattr(self.question, "asks", ()) or ())
        by_line: dict[int, list[n.Node]] = {}
        for statement in statements:
            if self.context.split.lines[statement.line - 1].lstrip().startswith("|"):
                by_line.setdefault(statement.line, []).append(statement.node)
        chains = []
        for line, nodes in by_line.items():
            first, formula = nodes[0], nodes[-1]
            place = {"line": formula.line, "column": formula.column}
            role = _row_role(self.context.split.lines[line - 1]) if "forward" in asks else None
            if role is not None and not isinstance(formula, n.Chain):
                subject: n.Node = n.Symbol(f"{_TRUTH_PREFIX}{role}", **place)
            elif "gradients" in asks and len(nodes) >= 2 and isinstance(first, n.Symbol):
                if self.resolve(first) not in ("W1", "b1", "W2", "b2"):
                    continue
                subject = n.Derivative(n.Symbol("ell"), first, partial=True, **place)
            else:
                continue
            chains.append(n.Chain((subject, formula), (n.RelOp("=", **place),), **place))
        return chains

    def findings(self, statements: list[Statement]) -> list[Finding]:
        found: list[Finding] = []
        if not self.truths:
            return found
        for chain in self.table_chains(statements):
            try:
                found.extend(self.compare_chain(chain))
            except (Unevaluable, FloatingPointError, ValueError, IndexError, ZeroDivisionError):
                continue
        for statement in statements:
            for chain in _chains(statement.node):
                try:
                    found.extend(self.compare_chain(chain))
                except (Unevaluable, FloatingPointError, ValueError, IndexError, ZeroDivisionError):
                    continue
        return found

    # -- one chain
    def compare_chain(self, chain: n.Chain) -> list[Finding]:
        findings: list[Finding] = []
        terms, ops = chain.terms, [op.op for op in chain.ops]
        if _is_shape_arithmetic(chain, set().union(*(truth.sizes for truth in self.truths))):
            return findings
        subject = _without_argument(_without_words(terms[0]), self.resolve)
        self._free = None if isinstance(subject, n.Indexed) else self._free_index(subject)
        subject_values = self._values(subject)
        for index, term in enumerate(terms[1:], start=1):
            op = ops[index - 1]
            if op == "∈":
                found = self._membership(chain, index)
                if found:
                    findings.append(found)
                continue
            if op != "=":
                continue
            if (
                self.question.type == "symbolic_backprop"
                and isinstance(subject, n.Symbol)
                and isinstance(term, n.Number)
            ):
                continue  # "L = 1", "i = 0": an index or a layer number, not a value at random points
            if isinstance(subject, n.Indexed) and index == 1:
                found = self._entries(subject, term)
                if found:
                    findings.append(found)
                continue
            if isinstance(term, n.Matrix) and any(isinstance(c, n.Dots) for row in term.rows for c in row):
                found = self._pattern_matrix(subject, term)
                if found:
                    findings.append(found)
                continue
            reference = subject_values if index == 1 or subject_values is not None else None
            reference_node = subject
            if reference is None and index >= 2:
                reference_node = terms[index - 1]
                reference = self._values(reference_node)
            found = self._compare_term(term, reference, reference_node, ops[index - 1])
            if found:
                findings.append(found)
        return findings

    def _values(self, node: n.Node) -> list[np.ndarray] | None:
        try:
            return self._evaluate_all(node)
        except Unevaluable:
            return None

    def _compare_term(
        self, term: n.Node, reference: list[np.ndarray] | None, reference_node: n.Node, op: str
    ) -> Finding | None:
        line = term.line or reference_node.line
        written = f"{_written(reference_node)} = {_written(term)}"
        latex = _latex(reference_node, "=", term)
        answers = self.answered(reference_node)
        try:
            values = self._evaluate_all(term)
        except ShapeError as error:
            if not self.strict:
                return Finding(
                    Verdict.UNDECIDED,
                    line,
                    _written(term),
                    f"as written the term {error}; read as an outer or entrywise product it may be meant right",
                    kind="shape",
                )
            notes = self._ocr_notes(term, reference)
            return Finding(
                Verdict.WRONG, line, _written(term), f"the shapes do not fit: it {error}", kind="shape", notes=notes
            )
        except Unevaluable:
            return None
        if reference is None:
            return None
        tolerance = _numbers_tolerance(term)
        if all(_same(v, r, tolerance) for v, r in zip(values, reference, strict=True)):
            in_layout = ""
            if self.question.type == "matrix_gradient" and answers:
                shape = self.truths[0].shape_text(reference[0].shape)
                in_layout = f", in the assignment's {self.layout} layout ({shape})"
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"agrees with the truth at random values of every name{in_layout}",
                kind="symbolic",
                notes=self._forbidden_notes(term) if self._is_asked(reference_node) else (),
                latex=latex,
                answers=answers,
            )
        expected = self._expected_text(reference_node, reference[0])
        if all(_same(v.T, r, tolerance) for v, r in zip(values, reference, strict=True)):
            shape = self.truths[0].shape_text(reference[0].shape)
            if self.question.type == "matrix_gradient":
                return self._transposed_gradient(line, written, expected, shape, latex, answers)
            if self.strict:
                return Finding(
                    Verdict.WRONG,
                    line,
                    written,
                    f"transposed: in numerator layout this is {shape}",
                    expected=expected,
                    kind="layout",
                    latex=latex,
                    answers=answers,
                )
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"right up to orientation (the {self.layout} layout makes it {shape})",
                kind="layout",
                notes=("written transposed",),
                latex=latex,
                answers=answers,
            )
        if values[0].shape != reference[0].shape:
            reason = (
                f"it is {self.truths[0].shape_text(values[0].shape)} but "
                f"{_written(reference_node)} is {self.truths[0].shape_text(reference[0].shape)}"
            )
        else:
            reason = "differs from the truth at random values of every name"
        return Finding(
            Verdict.WRONG,
            line,
            written,
            reason,
            expected=expected,
            kind="symbolic",
            notes=self._ocr_notes(term, reference),
            latex=latex,
            answers=answers,
        )

    def _transposed_gradient(
        self, line: int | None, written: str, expected: str | None, shape: str, latex: str | None, answers: str | None
    ) -> Finding:
        """A gradient written as its transpose: right in the layout the answer states, else wrong under the
        assignment's stated layout — with the layouts named either way."""
        other = "numerator" if self.layout == "denominator" else "denominator"
        if self.stated_layout == other:
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"right in the {other} layout the answer states (the assignment's {self.layout} layout makes it "
                f"{shape}, the transpose)",
                kind="layout",
                notes=(f"written in {other} layout",),
                latex=latex,
                answers=answers,
            )
        return Finding(
            Verdict.WRONG,
            line,
            written,
            f"transposed: this is the {other}-layout form; in the assignment's {self.layout} layout it is {shape}",
            expected=expected,
            kind="layout",
            latex=latex,
        )

    def _is_asked(self, subject: n.Node) -> bool:
        """Whether the subject is one of the gradients asked for (∂ℓ/∂ of a parameter), not a working step."""
        if not isinstance(subject, n.Derivative) or subject.of is None:
            return False
        return self.resolve(subject.of) == "loss" and self.resolve(subject.wrt) in ("W1", "b1", "W2", "b2")

    def _forbidden_notes(self, term: n.Node) -> tuple[str, ...]:
        """Names the question does not allow in an answer: noted, never a reason for "wrong" by itself."""
        allowed = set(getattr(self.question, "allowed_symbols", ()) or ())
        if not allowed:
            return ()
        used: list[str] = []
        stack = [term]
        while stack:
            item = stack.pop()
            name = None
            if not isinstance(item, n.Derivative | n.Symbol):
                stack.extend(reversed(item.children()))
            if isinstance(item, n.Derivative) and item.of is not None:
                of, wrt = self.resolve(item.of), self.resolve(item.wrt)
                if of and wrt:
                    name = f"d{'l' if of == 'loss' else of}_d{wrt}"
                    shown = _written(item)
            elif isinstance(item, n.Symbol):
                name, shown = self.resolve(item), _written(item)
            if name and name not in allowed and shown not in used:
                used.append(shown)
        if not used:
            return ()
        return (f"uses {', '.join(used)}, which the question does not allow in the answer; the mathematics is right",)

    def _expected_text(self, node: n.Node, value: np.ndarray) -> str | None:
        if self.question.type == "mlp_numeric":
            return np.array2string(value.squeeze(), precision=4, separator=", ")
        return None

    # -- a wrong size in ∈ R^{…}
    def _membership(self, chain: n.Chain, index: int) -> Finding | None:
        space = chain.terms[index]
        if not isinstance(space, n.Space) or space.field != "R":
            return None
        subject = next((t for t in chain.terms[:index] if self._values(t) is not None), None)
        if subject is None or isinstance(subject, n.Matrix):
            return None
        dims: list[int] = []
        truth = self.truths[0]
        for dim in space.dims:
            if isinstance(dim, n.Number) and dim.value.denominator == 1:
                dims.append(int(dim.value))
            elif isinstance(dim, n.Symbol) and dim.name in truth.sizes and not dim.sub:
                dims.append(truth.sizes[dim.name])
            elif isinstance(dim, n.Mul) and all(isinstance(f, n.Symbol) and f.name in truth.sizes for f in dim.factors):
                dims.extend(truth.sizes[f.name] for f in dim.factors)  # type: ignore[union-attr]
            else:
                return None
        value = Evaluator(truth, self.resolve, not self.strict).value(subject)
        if sorted(d for d in dims if d != 1) == sorted(d for d in value.shape if d != 1):
            return None
        return Finding(
            Verdict.WRONG,
            space.line or chain.line,
            f"{_written(subject)} ∈ {_written(space)}",
            f"{_written(subject)} is {truth.shape_text(value.shape)}, not {truth.shape_text(tuple(dims))}",
            kind="shape",
        )

    # -- entries (·)_{ij} of a Jacobian
    def _entries(self, subject: n.Indexed, term: n.Node) -> Finding | None:
        base = (
            subject.base.items[0]
            if isinstance(subject.base, n.Tuple) and len(subject.base.items) == 1
            else (subject.base)
        )
        try:
            value = Evaluator(self.truths[0], self.resolve, not self.strict).value(base)
        except Unevaluable:
            return None
        truth = self.truths[0]
        line = _first_line(term) or subject.line
        written = f"{_written(subject)} = {_written(term)}"
        if len(subject.indices) == 2 and 1 in value.shape:
            rows = truth.shape_text(value.shape)
            size = truth.size_name(max(value.shape))
            return Finding(
                Verdict.WRONG,
                line,
                written,
                f"{_written(base)} is {rows}; entries with two indices make it a {size}×{size} matrix",
                kind="shape",
            )
        key = (self.resolve(base.of), self.resolve(base.wrt)) if isinstance(base, n.Derivative) else None
        if len(subject.indices) == 2 and key in truth.diagonal and not _mentions_diagonal(term, subject.indices):
            if not (isinstance(term, n.Number) and term.value == 0):
                return Finding(
                    Verdict.WRONG,
                    line,
                    written,
                    f"{_written(base)} is the Jacobian of an elementwise map: "
                    "it is diagonal, so entries off the diagonal are 0 (δ_ij)",
                    kind="jacobian",
                )
        return self._diagonal_entries(base, term, subject.indices, line, written)

    def _diagonal_entries(
        self, base: n.Node, term: n.Node, indices: tuple[n.Node, ...], line: int, written: str
    ) -> Finding | None:
        if len(indices) != 2 or not all(isinstance(i, n.Symbol) for i in indices):
            return None
        for truth in self.truths:
            evaluator = Evaluator(truth, self.resolve, not self.strict)
            try:
                expected = evaluator.value(base)
            except Unevaluable:
                return None
            size = expected.shape[0]
            for position in range(size):
                evaluator.indices = {indices[0].name: position, indices[1].name: position}  # type: ignore[union-attr]
                try:
                    entry = _entry_value(evaluator, term)
                except Unevaluable:
                    return None
                if entry is None:
                    return None
                if abs(entry - expected[position, position]) > 1e-7 * max(1, abs(expected[position, position])):
                    return Finding(
                        Verdict.WRONG, line, written, "the diagonal entries differ from the truth", kind="jacobian"
                    )
        return Finding(Verdict.RIGHT, line, written, "the diagonal entries agree with the truth", kind="jacobian")

    # -- a diagonal matrix written with dots
    def _pattern_matrix(self, subject: n.Node, term: n.Matrix) -> Finding | None:
        rows = term.rows
        if len(rows) < 2 or not rows[0] or not rows[-1]:
            return None
        first, last = rows[0][0], rows[-1][-1]
        written = f"{_written(subject)} = {_written(term)}"
        for truth in self.truths:
            evaluator = Evaluator(truth, self.resolve, not self.strict)
            evaluator.zero_based = _zero_based(term)
            try:
                expected = evaluator.value(subject)
            except Unevaluable:
                return None
            if expected.shape[0] != expected.shape[1]:
                return None
            try:
                top = evaluator.value(first)
            except Unevaluable:
                return None
            if top.shape != (1, 1):
                return None
            if abs(top[0, 0] - expected[0, 0]) > 1e-7 * max(1.0, abs(expected[0, 0])):
                notes = self._ocr_notes(first, [expected[:1, :1]])
                return Finding(
                    Verdict.WRONG,
                    first.line or term.line,
                    written,
                    f"the first diagonal entry {_written(first)} differs from the truth",
                    kind="jacobian",
                    notes=notes,
                )
            try:
                bottom = evaluator.value(last)
            except Unevaluable:
                continue
            if bottom.shape == (1, 1) and abs(bottom[0, 0] - expected[-1, -1]) > 1e-7 * max(1.0, abs(expected[-1, -1])):
                return None  # the last entry is indexed in another size; the size check speaks to that
        return Finding(
            Verdict.RIGHT,
            first.line or term.line,
            written,
            "the diagonal entries agree with the truth",
            kind="jacobian",
        )

    # -- OCR
    def _ocr_notes(self, term: n.Node, reference: list[np.ndarray] | None) -> tuple[str, ...]:
        if reference is None:
            return ()
        notes: list[str] = []
        for description, variant in one_symbol_variants(term):
            try:
                values = self._evaluate_all(variant)
            except Unevaluable:
                continue
            if all(_same(v, r, 0.0) for v, r in zip(values, reference, strict=True)):
                notes.append(f"with {description} it would be right: a likely OCR misreading of a scan")
                break
        return tuple(notes)


def _zero_based(node: n.Node) -> bool:
    """Whether entries are numbered from 0 here: some subscript index is the number 0."""
    for item in node.walk():
        if isinstance(item, n.Symbol):
            if any(isinstance(index, n.Number) and index.text == "0" for index in _indices(item)):
                return True
    return False


_TRUTH_PREFIX = "truth:"  # a subject the grader builds names the truth directly, past any renaming
_ROW_ROLES = {"linear1": "z1", "f": "z2", "linear2": "z3", "g": "yhat", "loss": "loss"}


def _row_role(line: str) -> str | None:
    """The network quantity a table row is about, from its first cell (``$Linear_1$``, ``f``, ``Loss``)."""
    cells = line.strip().strip("|").split("|")
    if len(cells) < 2:
        return None
    first = re.sub(r"\\(?:text|mathrm|textrm|mathbf|operatorname)\s*", "", cells[0])
    return _ROW_ROLES.get(re.sub(r"[^a-z0-9]", "", first.lower()))


def _without_words(node: n.Node) -> n.Node:
    """``since z_3`` → ``z_3``: words in front of the quantity a relation is about."""
    if isinstance(node, n.Mul):
        factors = [factor for factor in node.factors if not isinstance(factor, n.Text)]
        if len(factors) == 1:
            return factors[0]
    return node


def _without_argument(node: n.Node, resolve: Callable[[n.Node], str | None]) -> n.Node:
    """``∇_w L(w)`` → ``∇_w L``: the reader takes ``L(w)`` as a product; the variable repeated is an argument."""
    if isinstance(node, n.Mul) and len(node.factors) == 2:
        derivative, argument = node.factors
        if isinstance(derivative, n.Gradient | n.Derivative) and derivative.wrt is not None:
            if isinstance(argument, n.Symbol) and resolve(argument) is not None:
                if resolve(argument) == resolve(derivative.wrt):
                    return derivative
    return node


def _output_resolver(resolve: Callable[[n.Node], str | None], output: str) -> Callable[[n.Node], str | None]:
    """The question's function name (``f``) is the scalar being differentiated, as the loss is elsewhere."""

    def resolved(node: n.Node) -> str | None:
        if isinstance(node, n.Symbol) and node.name == output and not node.sub and node.layer is None:
            return "loss"
        return resolve(node)

    return resolved


def _both_layouts_shown(findings: list[Finding]) -> list[Finding]:
    """A numerator-layout working step beside the gradient given right in the assignment's layout is a step
    (``∂f/∂x = xᵀ(A + Aᵀ) + zᵀ``, then its transpose), not a wrong answer."""
    from dataclasses import replace

    if not any(f.verdict is Verdict.RIGHT and f.answers for f in findings):
        return findings
    return [
        replace(
            f,
            verdict=Verdict.RIGHT,
            reason="the other layout's form (the transpose) of the gradient the answer also gives in the "
            "assignment's layout",
            notes=(*f.notes, f"as a final answer: {f.reason}"),
        )
        if f.verdict is Verdict.WRONG and f.kind == "layout"
        else f
        for f in findings
    ]


def stated_layout(lines: Iterable[str]) -> str | None:
    """``numerator`` or ``denominator`` when a submission names exactly one of the two layouts it uses."""
    named = {match.lower() for line in lines for match in re.findall(r"(numerator|denominator)[- ]layout", line, re.I)}
    return next(iter(named)) if len(named) == 1 else None


def _first_line(node: n.Node) -> int | None:
    lines = [item.line for item in node.walk() if item.line]
    return max(lines[:3]) if lines else None


def _mentions_diagonal(term: n.Node, indices: tuple[n.Node, ...]) -> bool:
    names = {i.name for i in indices if isinstance(i, n.Symbol)}
    for item in term.walk():
        if isinstance(item, n.Symbol) and item.name == "delta":
            return True
        condition = item.condition if isinstance(item, n.Piece) else None
        if condition is not None and names and names <= _bare_symbols(condition):
            return True  # "1 if i = j and (z₁)ᵢ > 0": a case split on the indices, however the reader joined it
        if isinstance(item, n.Chain):
            mentioned = {t.name for t in item.terms if isinstance(t, n.Symbol)}
            if names and names <= mentioned:
                return True
        if isinstance(item, n.Text) and re.search(r"\bi\s*[=≠]\s*j\b|diagonal", item.text):
            return True
    return False


def _bare_symbols(node: n.Node) -> set[str]:
    """Names written on the line, not as subscripts: in ``z_{ij} > 0`` neither i nor j is compared with anything."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Symbol):
            found.add(item.name)
            continue
        if isinstance(item, n.Indexed):
            stack.append(item.base)
            continue
        stack.extend(item.children())
    return found


def _entry_value(evaluator: Evaluator, term: n.Node) -> float | None:
    if isinstance(term, n.Cases):
        for piece in term.pieces:
            if piece.condition is None or _condition_holds(evaluator, piece.condition):
                value = evaluator.value(piece.value)
                return float(value[0, 0]) if value.shape == (1, 1) else None
        return None
    value = evaluator.value(term)
    return float(value[0, 0]) if value.shape == (1, 1) else None


def _condition_holds(evaluator: Evaluator, condition: n.Node) -> bool:
    if isinstance(condition, n.Chain) and len(condition.terms) == 2:
        left, right = condition.terms
        if (
            isinstance(left, n.Symbol)
            and isinstance(right, n.Symbol)
            and {left.name, right.name} <= set(evaluator.indices)
        ):
            equal = evaluator.indices[left.name] == evaluator.indices[right.name]
            return (
                equal if condition.ops[0].op == "=" else not equal if condition.ops[0].op in ("≠", "\\neq") else False
            )
        return bool(evaluator._truth_of(condition)[0, 0])
    raise Unevaluable("a condition that cannot be evaluated")


def one_symbol_variants(term: n.Node) -> Iterator[tuple[str, n.Node]]:
    """Terms that differ from ``term`` by one symbol a scan is known to confuse: ⊤↔+, a dropped ², 1↔l."""
    from dataclasses import replace

    def rebuild(node: n.Node, target: n.Node, new: n.Node) -> n.Node:
        if node is target:
            return new
        changes: dict[str, Any] = {}
        for name in node.__dataclass_fields__:
            if name in ("line", "column"):
                continue
            value = getattr(node, name)
            if isinstance(value, n.Node):
                rebuilt = rebuild(value, target, new)
                if rebuilt is not value:
                    changes[name] = rebuilt
            elif isinstance(value, tuple) and any(isinstance(v, n.Node) for v in value):
                items = tuple(rebuild(v, target, new) if isinstance(v, n.Node) else v for v in value)
                if any(a is not b for a, b in zip(items, value, strict=True)):
                    changes[name] = items
        return replace(node, **changes) if changes else node

    count = 0
    for item in term.walk():
        if count > 40:
            return
        if isinstance(item, n.Transpose):
            count += 1
            plus = n.Apply(n.Function("positive_part", "(·)^+"), (item.operand,))
            yield f"^+ instead of ^⊤ at line {item.line}", rebuild(term, item, plus)
        elif isinstance(item, n.Apply) and isinstance(item.func, n.Function) and item.func.name == "positive_part":
            count += 1
            yield f"^⊤ instead of ^+ at line {item.line}", rebuild(term, item, n.Transpose(item.args[0]))
        elif isinstance(item, n.Symbol) and item.name == "l" and not item.sub:
            count += 1
            yield f"1 instead of l at line {item.line}", rebuild(term, item, n.Number("1"))
        elif isinstance(item, n.Number) and item.text == "1":
            count += 1
            yield f"l instead of 1 at line {item.line}", rebuild(term, item, n.Symbol("l"))
        elif isinstance(item, n.Apply | n.Symbol) and count < 40:
            count += 1
            yield f"a square on {_written(item)} at line {item.line}", rebuild(term, item, n.Power(item, n.Number("2")))


# --- limits of activation derivatives ---------------------------------------------------------------------


def _limit_findings(question: Any, statements: list[Statement]) -> list[Finding]:
    import sympy

    from chainrule.assignments.solvers.common import build_activation, parameter_symbols
    from chainrule.engine.activations import X
    from chainrule.engine.equivalence import decide_equal
    from chainrule.engine.limits import limit_at_infinity

    if len(question.activations) != 1:
        return []
    symbols = parameter_symbols(question.parameters)
    activation = build_activation(question.activations[0], symbols, f"{question.id}.activations[0]")
    domains = {
        symbol: sympy.Interval(
            -sympy.oo if p.lower is None else sympy.Rational(str(p.lower)),
            sympy.oo if p.upper is None else sympy.Rational(str(p.upper)),
            p.lower_open,
            p.upper_open,
        )
        for p in question.parameters
        if (symbol := symbols.get(p.name)) is not None
    }
    derivative = getattr(activation, "derivative", None)
    if derivative is None:
        return []
    cache: dict[str, Any] = {}
    found: list[Finding] = []
    for statement in statements:
        for chain in _chains(statement.node):
            for left, op, right in zip(chain.terms, chain.ops, chain.terms[1:], strict=False):
                if op.op != "=" or not isinstance(left, n.Limit) or not _is_derivative(left.body):
                    continue
                point = _infinity(left.to)
                value = _simple_value(right, symbols)
                if point is None or value is None:
                    continue
                if point not in cache:
                    cache[point] = limit_at_infinity(derivative, X, point, domains)
                fact = cache[point]
                if fact.status != "exists":
                    continue
                decision = decide_equal(value, fact.value, domains=domains)
                written = f"{_written(left)} = {_written(right)}"
                latex = _latex(left, "=", right)
                if decision.equal:
                    found.append(
                        Finding(
                            Verdict.RIGHT,
                            op.line or statement.line,
                            written,
                            "the limit of the derivative agrees",
                            kind="limit",
                            latex=latex,
                        )
                    )
                elif decision.different:
                    found.append(
                        Finding(
                            Verdict.WRONG,
                            op.line or statement.line,
                            written,
                            f"the limit as x → {point.replace('oo', '∞')} is {fact.value}",
                            expected=str(fact.value),
                            kind="limit",
                            latex=latex,
                        )
                    )
    return found


def _is_derivative(node: n.Node) -> bool:
    if isinstance(node, n.Apply) and isinstance(node.func, n.Prime | n.Derivative):
        return True  # f'(x), σ'(x): the derivative applied to the variable
    return isinstance(node, n.Derivative | n.Prime) or (
        isinstance(node, n.Mul) and any(isinstance(f, n.Derivative) for f in node.factors)
    )


def _infinity(node: n.Node) -> str | None:
    if isinstance(node, n.Infinity):
        return "+oo"
    if isinstance(node, n.Neg) and isinstance(node.operand, n.Infinity):
        return "-oo"
    return None


def _simple_value(node: n.Node, symbols: Mapping[str, Any]) -> Any:
    import sympy

    if isinstance(node, n.Number):
        return sympy.Rational(node.text)
    if isinstance(node, n.Neg):
        inner = _simple_value(node.operand, symbols)
        return -inner if inner is not None else None
    if isinstance(node, n.Symbol) and not node.sub and node.name in symbols:
        return symbols[node.name]
    if isinstance(node, n.Infinity):
        return sympy.oo
    return None


# --- misconceptions ---------------------------------------------------------------------------------------


def misconception_findings(question: Any, section: Section, lines: list[str]) -> list[Finding]:
    """The spec's known wrong patterns (literal text, case-insensitive), each at the first line showing it."""
    found: list[Finding] = []
    for misconception in getattr(question, "misconceptions", ()) or ():
        pattern = misconception.pattern.lower()
        for line in section.lines():
            if pattern in lines[line - 1].lower():
                verdict = Verdict.UNDECIDED if getattr(misconception, "verdict", "wrong") == "review" else Verdict.WRONG
                found.append(
                    Finding(verdict, line, lines[line - 1].strip()[:200], misconception.note, kind="misconception")
                )
                break
    return found


# --- entry point ------------------------------------------------------------------------------------------


def _compare(question: QuestionBase, section: Section, context: GradingContext) -> list[Finding]:
    statements = context.statements_in(section)
    findings = misconception_findings(question, section, context.split.lines)
    if question.type == "activation_derivative" and "limits" in getattr(question, "asks", ()):
        findings.extend(_limit_findings(question, statements))
    if question.type == "activation_derivative" and "derivative" in getattr(question, "asks", ()):
        from chainrule.grading.activation_claims import derivative_findings

        findings.extend(derivative_findings(question, statements))
    asks = set(getattr(question, "asks", ()) or ())
    if question.type == "parameter_count" or (question.type == "training_experiment" and "parameter_count" in asks):
        findings.extend(parameter_count_findings(question, context.split.lines, section.lines()))
    if question.type == "gd_dynamics":
        findings.extend(DynamicsChecker(question, context.split.lines, list(section.lines())).findings(statements))
    if question.type in ("symbolic_backprop", "mlp_numeric", "matrix_gradient"):
        comparer = QuestionComparer(question, context)
        comparer.stated_layout = stated_layout(context.split.lines[line - 1] for line in section.lines())
        compared = comparer.findings(statements)
        if question.type == "matrix_gradient":
            compared = _both_layouts_shown(compared)
        findings.extend(compared)
    return findings


def compare_question(question: QuestionBase, section: Section, context: GradingContext) -> list[Finding]:
    """Findings from comparing one question's answer with the truth.

    Each chain is evaluated under a step budget and every computer-algebra call (limits, equivalence) under
    its own time bound, so one bad claim costs that claim, never the question: a failure becomes one
    ``undecided`` finding with the reason.
    """
    try:
        return _compare(question, section, context)
    except Exception as error:  # lark's VisitError lesson: a fault in one comparison is reported, never raised
        reason = (
            f"comparing with the truth failed: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
        )
    return [Finding(Verdict.UNDECIDED, section.start, question.id, reason, kind="error")]
