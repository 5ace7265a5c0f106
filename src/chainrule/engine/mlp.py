"""The exact forward and backward pass of a multi-layer perceptron, every intermediate kept with its rule.

A network is a stack of dense layers h⁽ˡ⁾ = σₗ(W⁽ˡ⁾ h⁽ˡ⁻¹⁾ + b⁽ˡ⁾) with h⁽⁰⁾ = x and ŷ = h⁽ᴸ⁾, scored by a
loss L(ŷ, y). Layout: vectors are columns and samples are the columns of a batch; every gradient has the
shape of the thing it differentiates by, so ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ h⁽ˡ⁻¹⁾ᵀ has W⁽ˡ⁾'s shape, with
δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾. Decimals are exact rationals, so ReLU networks give exact rational answers (AMA564 A1
Q1b: ŷ = 1.33); smooth activations give exact closed forms.

The result is a :class:`Trace`: each :class:`Step` holds its value beside the symbolic formula and the
formula with its operands named (:class:`Ref`), so a renderer can print a worked pass without knowing
any backpropagation. The float twin lives in :mod:`chainrule.engine.mlp_float` and fills the same Trace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import sympy

from chainrule.display import Displayable
from chainrule.engine.activations import Activation, ElementwiseActivation, X, get_activation
from chainrule.engine.bounded import call_bounded
from chainrule.engine.losses import Loss, Reduction, get_loss
from chainrule.errors import ChainruleError, InputError

Mode = Literal["exact", "float"]
Stage = Literal["given", "forward", "backward"]

MAX_LAYERS = 64
MAX_MATRIX_ENTRIES = 4096
MAX_BATCH = 1024
DEFAULT_EXACT_TIMEOUT_S = 30.0

# ----------------------------------------------------------------------------------------- the problem


@dataclass(frozen=True)
class DenseLayer:
    """One layer h = σ(W h_prev + b), with the activation named (so the problem pickles) and its parameters."""

    W: sympy.ImmutableMatrix
    b: sympy.ImmutableMatrix  # a column
    activation: str = "identity"
    params: Mapping[str, sympy.Expr] = field(default_factory=dict)

    def build_activation(self) -> Activation:
        return get_activation(self.activation, **dict(self.params))


@dataclass(frozen=True)
class NetworkProblem:
    """A network with its data: inputs (n₀ × N) and targets (K × N) hold one sample per column.

    ``batched`` says the data came as a batch, even of one sample, so the loss is written as a mean or
    sum over samples. ``reduction`` overrides the loss's own batch reduction.
    """

    layers: tuple[DenseLayer, ...]
    inputs: sympy.ImmutableMatrix
    targets: sympy.ImmutableMatrix
    loss: str = "half_squared_error"
    loss_params: Mapping[str, sympy.Expr] = field(default_factory=dict)
    reduction: Reduction | None = None
    batched: bool = False

    def __post_init__(self) -> None:
        check_shapes(self)

    @property
    def batch_size(self) -> int:
        return self.inputs.cols

    def build_loss(self) -> Loss:
        return get_loss(self.loss, **dict(self.loss_params))

    def batch_reduction(self) -> Reduction:
        return self.reduction or self.build_loss().batch_reduction


def check_shapes(problem: NetworkProblem) -> None:
    """Raise :class:`InputError` naming the field when the layers and data do not fit together."""
    if not 1 <= len(problem.layers) <= MAX_LAYERS:
        raise InputError(f"expected 1 to {MAX_LAYERS} layers, got {len(problem.layers)}", "layers")
    width = problem.inputs.rows
    for index, layer in enumerate(problem.layers):
        where = f"layers[{index}]"
        if layer.W.rows * layer.W.cols > MAX_MATRIX_ENTRIES or layer.W.rows == 0:
            raise InputError(f"W must have 1 to {MAX_MATRIX_ENTRIES} entries, got {layer.W.rows}×{layer.W.cols}", where)
        if layer.W.cols != width:
            source = "the input's" if index == 0 else f"layer {index - 1}'s"
            raise InputError(f"W has {layer.W.cols} columns but {source} size is {width}", f"{where}.W")
        if layer.b.shape != (layer.W.rows, 1):
            raise InputError(f"b has {layer.b.rows} entries but W has {layer.W.rows} rows", f"{where}.b")
        width = layer.W.rows
    if problem.targets.rows != width:
        raise InputError(f"target has {problem.targets.rows} entries but the network outputs {width}", "target")
    if problem.targets.cols != problem.inputs.cols:
        raise InputError(f"{problem.inputs.cols} inputs but {problem.targets.cols} targets", "targets")
    if not 1 <= problem.inputs.cols <= MAX_BATCH:
        raise InputError(f"expected 1 to {MAX_BATCH} samples, got {problem.inputs.cols}", "inputs")


# ------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class Ref:
    """An operand inside a substituted formula: the value of step ``key`` (one ``entry`` of it, or transposed)."""

    key: str
    entry: tuple[int, int] | None = None
    transpose: bool = False


Cell = tuple["str | Ref", ...]


@dataclass(frozen=True)
class Grid:
    """A matrix whose entries are small formulas (each a sequence of LaTeX text and :class:`Ref`)."""

    rows: tuple[tuple[Cell, ...], ...]


Part = "str | Ref | Grid"


@dataclass(frozen=True)
class Step:
    """One intermediate of the pass: ``symbol = formula = substitution = value``.

    ``formula`` is LaTeX in symbols; ``substitution`` is the same right-hand side with the operands named
    (a renderer puts their numbers in); ``rule`` says in words which rule produced it.
    """

    key: str
    symbol: str
    formula: str
    substitution: tuple[Any, ...]
    value: Any  # sympy.ImmutableMatrix (exact) or a 2-D numpy float64 array; samples are columns
    stage: Stage
    rule: str
    layer: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class LayerInfo:
    """What a renderer needs to know about a layer, without the (unpicklable) activation object."""

    index: int  # 1-based, as assignments number layers
    inputs: int
    outputs: int
    activation: str
    title: str
    params: Mapping[str, sympy.Expr]
    elementwise: bool
    kink_note: str | None


@dataclass(frozen=True)
class Definition:
    """A named exact intermediate: ``symbol`` stands for ``expression`` (in earlier symbols), ≈ ``approximation``.

    Naming each irrational pre-activation and upstream gradient keeps every expression the size of one
    layer; without it a sigmoid network's closed forms grow exponentially with depth.
    """

    symbol: sympy.Symbol
    expression: sympy.Expr
    approximation: sympy.Float
    meaning: str


@dataclass(frozen=True, repr=False)
class Trace(Displayable):
    """The whole worked pass: given values, forward steps, backward steps, in the order they are computed."""

    def __repr__(self) -> str:
        return f"<Trace {self.mode}: {len(self.layers)} layers, loss {self.loss}>"

    mode: Mode
    layers: tuple[LayerInfo, ...]
    loss: str
    loss_title: str
    loss_params: Mapping[str, sympy.Expr]
    loss_note: str | None
    reduction: Reduction
    batch_size: int
    batched: bool
    steps: tuple[Step, ...]
    definitions: tuple[Definition, ...] = ()
    # count_ops of each definition, filled on demand: a wide layer has thousands of entries to print
    _definition_ops: dict[sympy.Symbol, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getitem__(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def stage(self, stage: Stage) -> list[Step]:
        return [step for step in self.steps if step.stage == stage]

    @property
    def depth(self) -> int:
        return len(self.layers)

    @property
    def output(self) -> Any:
        return self[f"h{self.depth}"].value

    @property
    def loss_value(self) -> Any:
        return self["L"].value

    def closed_form(self, value: Any, max_ops: int | None = None) -> Any:
        """``value`` with every named intermediate replaced by its definition: exact, but its size can grow
        exponentially with depth, so ``max_ops`` stops early and returns ``None`` once it is exceeded."""
        if not self.definitions or not isinstance(value, sympy.Basic):
            return value
        if max_ops is not None and sympy.count_ops(value) > max_ops:
            return None
        free = value.free_symbols
        for definition in reversed(self.definitions):
            if definition.symbol not in free:
                continue
            # Each use of the symbol brings in at least the definition's own operations: when that alone is over
            # the limit, stop before substituting (in a wide layer one substitution can be enormous).
            if max_ops is not None and self._operations_of(definition) > max_ops:
                return None
            value = value.xreplace({definition.symbol: definition.expression})
            if max_ops is not None and sympy.count_ops(value) > max_ops:
                return None
            free = value.free_symbols
        return value

    def _operations_of(self, definition: Definition) -> int:
        if definition.symbol not in self._definition_ops:
            self._definition_ops[definition.symbol] = sympy.count_ops(definition.expression)
        return self._definition_ops[definition.symbol]

    def approximate(self, value: Any, digits: int = 30) -> Any:
        """A float (or float array) for an exact value, evaluated through the named intermediates."""
        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, sympy.MatrixBase):
            return np.array([[self.approximate(entry, digits) for entry in row] for row in value.tolist()], dtype=float)
        return float(self.approximate_value(value, digits))

    def approximate_value(self, value: Any, digits: int = 30) -> sympy.Float:
        """An exact scalar evaluated through the named intermediates, as a SymPy float (any size, unlike float64)."""
        numbers = {d.symbol: d.approximation for d in self.definitions}
        exact = sympy.sympify(value, strict=True)  # safe: strict mode never parses text
        return sympy.Float(exact.xreplace(numbers).evalf(digits))

    def gradients(self) -> dict[str, Any]:
        """∂L/∂W⁽ˡ⁾ and ∂L/∂b⁽ˡ⁾ keyed ``W1``, ``b1``, ... in layer order; each has its parameter's shape."""
        result: dict[str, Any] = {}
        for layer in self.layers:
            result[f"W{layer.index}"] = self[f"dW{layer.index}"].value
            result[f"b{layer.index}"] = self[f"db{layer.index}"].value
        return result


# ------------------------------------------------------------------------------------ symbols and rules


def h_symbol(layer: int, depth: int) -> str:
    """h⁽⁰⁾ is the input x and h⁽ᴸ⁾ the output ŷ: the names assignments use."""
    if layer == 0:
        return "x"
    if layer == depth:
        return r"\hat y"
    return rf"h^{{({layer})}}"


def partial(of: str) -> str:
    return rf"\frac{{\partial L}}{{\partial {of}}}"


def activation_latex(info: LayerInfo) -> str:
    """The activation's name as an operator: ReLU, Leaky ReLU, or (5·ReLU) for a scaled one."""
    thin_space, times = r"\,", r"\cdot "
    if info.title.replace(" ", "").isalpha():
        return r"\operatorname{" + info.title.replace(" ", thin_space) + "}"
    words = re.sub(r"[A-Za-z]{2,}", lambda m: r"\operatorname{" + m.group(0) + "}", info.title)
    return r"\left(" + words.replace("·", times) + r"\right)"


def layer_info(index: int, layer: DenseLayer, activation: Activation) -> LayerInfo:
    return LayerInfo(
        index=index,
        inputs=layer.W.cols,
        outputs=layer.W.rows,
        activation=activation.name,
        title=activation.title,
        params=dict(activation.params),
        elementwise=isinstance(activation, ElementwiseActivation),
        kink_note=getattr(activation, "kink_note", None),
    )


_PLACEHOLDER = re.compile("\x00([^\x00]*)\x00")


def _placeholder(key: str, row: int, col: int) -> str:
    return f"\x00{key}|{row}|{col}\x00"


def _parts(latex: str) -> Cell:
    """Split LaTeX that contains placeholders back into text and :class:`Ref` parts."""
    pieces: list[str | Ref] = []
    position = 0
    for match in _PLACEHOLDER.finditer(latex):
        if match.start() > position:
            pieces.append(latex[position : match.start()])
        key, row, col = match.group(1).split("|")
        pieces.append(Ref(key, (int(row), int(col))))
        position = match.end()
    if position < len(latex):
        pieces.append(latex[position:])
    return tuple(pieces)


def loss_substitution(loss: Loss, prediction: str, target: str, size: int, sample: int) -> tuple[Cell, list[Cell]]:
    """The loss and its gradient for one sample, written out with each entry of ŷ and y as a :class:`Ref`."""
    predictions = [_placeholder(prediction, i, sample) for i in range(size)]
    targets = [_placeholder(target, i, sample) for i in range(size)]
    value = _parts(loss.expanded(predictions, targets))
    gradient = [_parts(entry) for entry in loss.expanded_gradient(predictions, targets)]
    return value, gradient


# ------------------------------------------------------------------------------------- the exact pass


def _exact_columns(matrix: sympy.Matrix) -> list[sympy.Matrix]:
    return [matrix[:, j] for j in range(matrix.cols)]


_PRECISION = 60  # digits used to decide case splits on named irrational intermediates
_UNDECIDABLE = sympy.Float("1e-40")


class _Names:
    """The named intermediates of one exact pass, with high-precision values to decide case splits by."""

    def __init__(self) -> None:
        self.definitions: list[Definition] = []
        self.values: dict[sympy.Symbol, sympy.Float] = {}

    def evaluate(self, expression: sympy.Expr) -> sympy.Float:
        exact = sympy.sympify(expression, strict=True)  # safe: strict mode never parses text
        return exact.xreplace(self.values).evalf(_PRECISION)

    def _sign(self, difference: sympy.Expr, key: str) -> int:
        number = self.evaluate(difference)
        if not number.is_real or abs(number) < _UNDECIDABLE:
            raise ChainruleError(f"could not decide the sign of {difference} exactly in {key}; try the float mode")
        return 1 if number > 0 else -1

    def _branch(self, piecewise: sympy.Piecewise, key: str) -> sympy.Expr:
        for expression, condition in piecewise.args:
            if condition is sympy.true:
                return expression
            if condition is sympy.false:
                continue
            if not isinstance(condition, sympy.core.relational.Relational):
                raise ChainruleError(f"could not decide the condition {condition} exactly in {key}")
            sign = self._sign(condition.lhs - condition.rhs, key)
            holds = {"<": sign < 0, "<=": sign < 0, ">": sign > 0, ">=": sign > 0}.get(condition.rel_op)
            if holds is None:
                raise ChainruleError(f"could not decide the condition {condition} exactly in {key}")
            if holds:
                return expression
        raise ChainruleError(f"no case of {piecewise} applies in {key}")

    def _extreme(self, node: sympy.Expr, key: str) -> sympy.Expr:
        best = node.args[0]
        for candidate in node.args[1:]:
            better = self._sign(candidate - best, key) > 0
            if better == isinstance(node, sympy.Max):
                best = candidate
        return best

    def decide(self, value: sympy.Matrix, key: str) -> sympy.Matrix:
        """Resolve every case split (ReLU's kink, a max) that SymPy left open, by exact-enough numerics.

        A case split is only left open when its operands involve named irrational intermediates; their
        60-digit values decide it unless they are within 1e-40 of the kink, which is refused, not guessed.
        """

        def settle(entry: sympy.Expr) -> sympy.Expr:
            while entry.has(sympy.Piecewise, sympy.Max, sympy.Min):
                entry = entry.replace(lambda e: isinstance(e, sympy.Piecewise), lambda e: self._branch(e, key))
                entry = entry.replace(lambda e: isinstance(e, (sympy.Max, sympy.Min)), lambda e: self._extreme(e, key))
            return entry

        return sympy.Matrix(value).applyfunc(settle)

    def name(self, value: sympy.Matrix, label: str, meaning: str, batched: bool) -> sympy.ImmutableMatrix:
        """Replace each irrational entry by a symbol ``label_i`` (``label_{i,n}`` in a batch) defined as it."""
        named = sympy.Matrix(value)
        for i in range(named.rows):
            for n in range(named.cols):
                entry = named[i, n]
                if entry.is_Rational or entry in self.values or entry.free_symbols - set(self.values):
                    continue
                index = f"{i + 1},{n + 1}" if batched else f"{i + 1}"
                symbol = sympy.Symbol(f"{label}_{{{index}}}", real=True)
                approximation = self.evaluate(entry)
                self.definitions.append(Definition(symbol, entry, approximation, meaning))
                self.values[symbol] = approximation
                named[i, n] = symbol
        return sympy.ImmutableMatrix(named)


def prepare(problem: NetworkProblem) -> tuple[list[Activation], Loss, tuple[LayerInfo, ...]]:
    """Build the activations and the loss, refusing parameters left symbolic (a pass needs numbers)."""
    activations = []
    for index, layer in enumerate(problem.layers, start=1):
        activation = layer.build_activation()
        for name, value in activation.params.items():
            if not getattr(value, "is_number", False):
                where = f"layers[{index - 1}].params"
                raise InputError(f"{activation.name} needs a number for its parameter {name}", where)
        activations.append(activation)
    infos = tuple(
        layer_info(index, layer, activation)
        for index, (layer, activation) in enumerate(zip(problem.layers, activations, strict=True), start=1)
    )
    return activations, problem.build_loss(), infos


def trace_exact(problem: NetworkProblem) -> Trace:
    """Run the forward and backward pass exactly (SymPy), keeping every intermediate with its rule."""
    activations, loss, infos = prepare(problem)
    builder = TraceBuilder(problem, infos, loss, mode="exact")
    names = _Names()
    depth, count = len(problem.layers), problem.batch_size
    batched = count > 1
    targets = _exact_columns(problem.targets)
    for column in targets:
        loss.check_target(column)

    h = sympy.Matrix(problem.inputs)
    builder.given(h, sympy.Matrix(problem.targets))
    pre_activations: list[sympy.Matrix] = []
    hs = [h]
    for index, (layer, activation) in enumerate(zip(problem.layers, activations, strict=True), start=1):
        z = names.decide(layer.W * h + layer.b * sympy.ones(1, count), f"z{index}")
        z = names.name(z, f"z^{{({index})}}", f"pre-activation of layer {index}", batched)
        columns = [activation.value(c) for c in _exact_columns(z)]
        h = sympy.ImmutableMatrix(names.decide(sympy.Matrix.hstack(*columns), f"h{index}"))
        builder.forward(index, z, h)
        pre_activations.append(z)
        hs.append(h)

    # naming an irrational output lets the loss and ∂L/∂ŷ read as formulas in ŷᵢ (BCE after a sigmoid)
    named_output = names.name(hs[-1], r"\hat y", "network output", batched)
    outputs = [names.decide(c, "output") for c in _exact_columns(named_output)]
    for column in outputs:
        # named intermediates are known to 60 digits, which decides all but the most saturated outputs
        loss.check_prediction(column if not column.free_symbols else column.applyfunc(names.evaluate))
    per_sample = names.decide(sympy.Matrix([[loss.value(p, t) for p, t in zip(outputs, targets, strict=True)]]), "L")
    reduction = problem.batch_reduction()
    scale = sympy.Rational(1, count) if reduction == "mean" else sympy.Integer(1)
    total = sympy.ImmutableMatrix([[sympy.Add(*per_sample) * scale]])
    builder.loss_step(sympy.ImmutableMatrix(per_sample), total)

    gradient = sympy.Matrix.hstack(*[loss.gradient(p, t) for p, t in zip(outputs, targets, strict=True)]) * scale
    upstream = sympy.ImmutableMatrix(names.decide(gradient, f"dh{depth}"))
    builder.loss_gradient_step(upstream)
    for index in range(depth, 0, -1):
        layer, activation, info = problem.layers[index - 1], activations[index - 1], infos[index - 1]
        z, h_prev = pre_activations[index - 1], hs[index - 1]
        columns = list(zip(_exact_columns(z), _exact_columns(upstream), strict=True))
        if info.elementwise and info.activation != "identity":
            derivative = sympy.Matrix.hstack(*[sympy.Matrix(activation.jacobian(c).diagonal()).T for c, _ in columns])
            builder.activation_derivative(index, sympy.ImmutableMatrix(names.decide(derivative, f"dact{index}")),
                                          activation)
        elif not info.elementwise and count == 1:
            jacobian = names.decide(activation.jacobian(columns[0][0]), f"jac{index}")
            builder.activation_jacobian(index, sympy.ImmutableMatrix(jacobian))
        delta = names.decide(sympy.Matrix.hstack(*[activation.vjp(c, g) for c, g in columns]), f"delta{index}")
        delta = sympy.ImmutableMatrix(delta)
        grad_w = sympy.ImmutableMatrix(delta * h_prev.T)
        grad_b = sympy.ImmutableMatrix(delta * sympy.ones(count, 1))
        towards = "the input x" if index == 1 else f"h of layer {index - 1}"
        upstream = names.name(layer.W.T * delta, f"g^{{({index - 1})}}", f"gradient of L with respect to {towards}",
                              batched)
        builder.backward(index, delta, grad_w, grad_b, upstream)
    return builder.build(tuple(names.definitions))


def trace_exact_bounded(problem: NetworkProblem, timeout: float = DEFAULT_EXACT_TIMEOUT_S) -> Trace:
    """:func:`trace_exact` in a killable child process; raises :class:`~chainrule.errors.CasTimeout`.

    Chainrule's own errors raised in the child come back as the same kind (an :class:`InputError` keeps
    its message and location), so callers handle them exactly as they would inline.
    """
    prepare(problem)  # bad parameters fail here, in this process
    status, payload = call_bounded(_trace_or_error, problem, timeout=timeout)
    if status == "input":
        message, where = payload
        raise InputError(message, where)
    if status == "error":
        raise ChainruleError(payload)
    return payload


def _trace_or_error(problem: NetworkProblem) -> tuple[str, Any]:
    try:
        return "ok", trace_exact(problem)
    except InputError as error:
        return "input", (error.message, error.where)
    except ChainruleError as error:
        return "error", str(error)


# ------------------------------------------------------------------- recording steps (exact and float)


class TraceBuilder:
    """Writes the steps of a pass in order; shared by the exact and the float pass so both read alike."""

    def __init__(self, problem: NetworkProblem, infos: tuple[LayerInfo, ...], loss: Loss, mode: Mode) -> None:
        self.problem, self.infos, self.loss, self.mode = problem, infos, loss, mode
        self.depth = len(infos)
        self.count = problem.batch_size
        self.batched = problem.batched or self.count > 1
        self.reduction = problem.batch_reduction()
        self.steps: list[Step] = []

    def _add(self, key: str, symbol: str, formula: str, substitution: Sequence[Any], value: Any, stage: Stage,
             rule: str, layer: int | None = None, note: str | None = None) -> None:
        self.steps.append(Step(key, symbol, formula, tuple(substitution), value, stage, rule, layer, note))

    def given(self, inputs: Any, targets: Any) -> None:
        self._add("h0", "x", "", (), inputs, "given", "the input" + (" batch, one sample per column" * self.batched))
        self._add("y", "y", "", (), targets, "given", "the target" + (" batch, one sample per column" * self.batched))
        for info, layer in zip(self.infos, self.problem.layers, strict=True):
            values = (layer.W, layer.b) if self.mode == "exact" else (_float(layer.W), _float(layer.b))
            self._add(f"W{info.index}", rf"W^{{({info.index})}}", "", (), values[0], "given", "weights", info.index)
            self._add(f"b{info.index}", rf"b^{{({info.index})}}", "", (), values[1], "given", "biases", info.index)

    def forward(self, index: int, z: Any, h: Any) -> None:
        info = self.infos[index - 1]
        previous = h_symbol(index - 1, self.depth)
        ones = r"\mathbf{1}^\top" if self.count > 1 else ""
        self._add(
            f"z{index}", rf"z^{{({index})}}", rf"W^{{({index})}} {previous} + b^{{({index})}}{ones}",
            (Ref(f"W{index}"), Ref(f"h{index - 1}"), " + ", Ref(f"b{index}"), ones), z, "forward",
            "affine map of layer " + str(index) + (", the bias added to every sample" if self.count > 1 else ""),
            index,
        )
        if info.activation == "identity":
            self._add(f"h{index}", h_symbol(index, self.depth), rf"z^{{({index})}}", (Ref(f"z{index}"),), h,
                      "forward", "no activation (identity) on this layer", index)
            return
        name = activation_latex(info)
        self._add(
            f"h{index}", h_symbol(index, self.depth), rf"{name}\left(z^{{({index})}}\right)",
            (rf"{name}\left(", Ref(f"z{index}"), r"\right)"), h, "forward",
            f"{info.title} applied " + ("entrywise" if info.elementwise else "to each column"), index,
        )

    def loss_step(self, per_sample: Any, total: Any) -> None:
        size = self.infos[-1].outputs
        formula = self.loss.formula(r"\hat y", "y", size)
        if not self.batched:
            expanded, _ = loss_substitution(self.loss, f"h{self.depth}", "y", size, 0)
            self._add("L", "L", formula, expanded, total, "forward", self.loss.title, note=self.loss.kink_note)
            return
        self._add(
            "ell", r"\ell_n", self.loss.formula(r"{\hat y_n}", "{y_n}", size), (), per_sample, "forward",
            f"{self.loss.title} of each sample (one column per sample)",
        )
        cells = [(Ref("ell", (0, n)),) for n in range(self.count)]
        terms: list[Any] = []
        for n, cell in enumerate(cells):
            terms.extend(((" + ",) if n else ()) + cell)
        if self.reduction == "mean":
            self._add("L", "L", rf"\frac{{1}}{{{self.count}}}\sum_{{n=1}}^{{{self.count}}} \ell_n",
                      (rf"\frac{{1}}{{{self.count}}}\left(", *terms, r"\right)"), total, "forward",
                      "mean of the per-sample losses", note=self.loss.kink_note)
        else:
            self._add("L", "L", rf"\sum_{{n=1}}^{{{self.count}}} \ell_n", tuple(terms), total, "forward",
                      "sum of the per-sample losses", note=self.loss.kink_note)

    def loss_gradient_step(self, gradient: Any) -> None:
        size = self.infos[-1].outputs
        key = f"dh{self.depth}"
        formula = self.loss.gradient_formula(r"\hat y", "y", size)
        columns = [loss_substitution(self.loss, f"h{self.depth}", "y", size, n)[1] for n in range(self.count)]
        grid = Grid(tuple(tuple(columns[n][i] for n in range(self.count)) for i in range(size)))
        prefix = rf"\frac{{1}}{{{self.count}}}" if self.batched and self.reduction == "mean" else ""
        if self.batched:
            formula = rf"{prefix}\left[\nabla_{{\hat y}}\,\ell(\hat y_n, y_n)\right]_{{n=1..{self.count}}}"
        self._add(key, partial(r"\hat y"), formula, ((prefix,) if prefix else ()) + (grid,), gradient, "backward",
                  f"derivative of the {self.loss.title.lower()} with respect to the output", note=self.loss.kink_note)

    def activation_derivative(self, index: int, derivative: Any, activation: Activation) -> None:
        info = self.infos[index - 1]
        name = activation_latex(info)
        symbol = rf"{name}'\left(z^{{({index})}}\right)"
        formula = ""
        if isinstance(activation, ElementwiseActivation):
            formula = sympy.latex(activation.derivative.subs(X, sympy.Symbol("z_i", real=True)))
        z = self.steps_by_key(f"z{index}").value
        rows, cols = (z.rows, z.cols) if self.mode == "exact" else z.shape
        grid = Grid(tuple(tuple((rf"{name}'\left(", Ref(f"z{index}", (i, j)), r"\right)") for j in range(cols))
                          for i in range(rows)))
        self._add(f"dact{index}", symbol, formula, (grid,), derivative, "backward",
                  f"derivative of {info.title}, entry by entry", index, note=info.kink_note)

    def activation_jacobian(self, index: int, jacobian: Any) -> None:
        info = self.infos[index - 1]
        self._add(f"jac{index}", rf"J_{{{activation_latex(info)}}}\left(z^{{({index})}}\right)",
                  rf"\frac{{\partial h^{{({index})}}}}{{\partial z^{{({index})}}}}", (), jacobian, "backward",
                  f"Jacobian of {info.title} (not entrywise, so a full matrix)", index)

    def backward(self, index: int, delta: Any, grad_w: Any, grad_b: Any, upstream: Any) -> None:
        info = self.infos[index - 1]
        h_out = h_symbol(index, self.depth)
        h_in = h_symbol(index - 1, self.depth)
        substitution: tuple[Any, ...]
        if info.activation == "identity":
            formula, substitution = partial(h_out), (Ref(f"dh{index}"),)
            rule = "no activation on this layer, so the upstream gradient passes through unchanged"
        elif info.elementwise:
            formula = rf"{activation_latex(info)}'\left(z^{{({index})}}\right) \odot {partial(h_out)}"
            substitution = (Ref(f"dact{index}"), r" \odot ", Ref(f"dh{index}"))
            rule = "chain rule through an entrywise activation: multiply entry by entry"
        else:
            formula = rf"J_{{{activation_latex(info)}}}\left(z^{{({index})}}\right)^\top {partial(h_out)}"
            substitution = (Ref(f"jac{index}", transpose=True), Ref(f"dh{index}")) if self.count == 1 else ()
            rule = "chain rule through the activation: transposed Jacobian times the upstream gradient"
        self._add(f"delta{index}", rf"\delta^{{({index})}} = {partial(f'z^{{({index})}}')}", formula, substitution,
                  delta, "backward", rule, index)
        self._add(f"dW{index}", partial(f"W^{{({index})}}"), rf"\delta^{{({index})}} {{{h_in}}}^\top",
                  (Ref(f"delta{index}"), Ref(f"h{index - 1}", transpose=True)), grad_w, "backward",
                  "gradient of the weights: an outer product (summed over samples), shaped like W", index)
        if self.count > 1:
            self._add(f"db{index}", partial(f"b^{{({index})}}"), rf"\delta^{{({index})}}\mathbf{{1}}",
                      (Ref(f"delta{index}"), r"\mathbf{1}"), grad_b, "backward",
                      "gradient of the biases: δ summed over the samples", index)
        else:
            self._add(f"db{index}", partial(f"b^{{({index})}}"), rf"\delta^{{({index})}}", (Ref(f"delta{index}"),),
                      grad_b, "backward", "gradient of the biases: ∂z/∂b is the identity", index)
        self._add(f"dh{index - 1}", partial(h_in), rf"W^{{({index})\top}} \delta^{{({index})}}",
                  (Ref(f"W{index}", transpose=True), Ref(f"delta{index}")), upstream, "backward",
                  "pass the gradient back through the weights", index)

    def steps_by_key(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def build(self, definitions: tuple[Definition, ...] = ()) -> Trace:
        return Trace(
            mode=self.mode,
            layers=self.infos,
            loss=self.loss.name,
            loss_title=self.loss.title,
            loss_params=dict(self.loss.params),
            loss_note=self.loss.kink_note,
            reduction=self.reduction,
            batch_size=self.count,
            batched=self.batched,
            steps=tuple(self.steps),
            definitions=definitions,
        )


def _float(matrix: sympy.Matrix) -> np.ndarray:
    return np.array(matrix.tolist(), dtype=float).reshape(matrix.shape)
