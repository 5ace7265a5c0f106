"""NET.yaml: a network, one sample or a batch, and a loss, for ``chainrule backprop``.

::

    layers:
      - {W: [[-0.8, 0.5, -1], [1.2, -0.7, 0.2]], b: [-0.4, 0.9], activation: relu}
      - {W: [[0.6, 1.1]], b: [-0.1]}                  # activation defaults to identity
    input: [1, 2, 3]
    target: [0.33]                                    # a scalar is a 1-entry vector
    loss: half_squared_error                          # loss_params: {tau: 0.25} for quantile
    # or, for a batch: inputs: [[...], [...]], targets: [[...], [...]], reduction: mean | sum

The YAML is read without evaluating anything: numbers become exact rationals through ``to_rational``
(0.33 is 33/100), never ``sympify``. The file is converted once, here, into the engine's
:class:`~chainrule.engine.mlp.NetworkProblem`; every mistake is an :class:`InputError` whose ``where``
names the file and the field path (``net.yaml: layers[1].W``) and whose message ends with the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import sympy
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from chainrule.assignments.yaml_source import dotted, locate, read_mapping
from chainrule.engine.activations import get_activation
from chainrule.engine.exact import format_exact, to_rational
from chainrule.engine.losses import get_loss
from chainrule.engine.mlp import MAX_BATCH, MAX_LAYERS, MAX_MATRIX_ENTRIES, DenseLayer, NetworkProblem
from chainrule.errors import InputError


def _number(value: Any) -> sympy.Rational:
    return to_rational(value)


def _listed(value: Any) -> Any:
    """Let a lone number stand for a 1-entry vector (``target: 0.33``, ``b: -0.1``)."""
    return value if isinstance(value, list) else [value]


Number = Annotated[Any, AfterValidator(_number)]
Vector = Annotated[list[Number], BeforeValidator(_listed), Field(min_length=1, max_length=MAX_MATRIX_ENTRIES)]
Rows = Annotated[list[Vector], Field(min_length=1, max_length=MAX_MATRIX_ENTRIES)]


class LayerSpec(BaseModel):
    """One dense layer: h = activation(W h_prev + b)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    W: Rows
    b: Vector
    activation: str = "identity"
    params: dict[str, Number] = Field(default_factory=dict)


class NetworkSpec(BaseModel):
    """The whole file, as typed data; :meth:`to_problem` checks that the pieces fit together."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    title: str | None = None
    layers: Annotated[list[LayerSpec], Field(min_length=1, max_length=MAX_LAYERS)]
    input: Vector | None = None
    target: Vector | None = None
    inputs: Annotated[list[Vector], Field(min_length=1, max_length=MAX_BATCH)] | None = None
    targets: Annotated[list[Vector], Field(min_length=1, max_length=MAX_BATCH)] | None = None
    loss: str = "half_squared_error"
    loss_params: dict[str, Number] = Field(default_factory=dict)
    reduction: Literal["mean", "sum"] | None = None

    def to_problem(self, filename: str = "net.yaml") -> NetworkProblem:
        """The engine's problem, after checking shapes, names and parameters with located errors."""

        def fail(message: str, path: str) -> InputError:
            return InputError(message, f"{filename}: {path}")

        single = self.input is not None or self.target is not None
        batch = self.inputs is not None or self.targets is not None
        if single and batch:
            raise fail("give either input/target (one sample) or inputs/targets (a batch), not both", "inputs")
        if not single and not batch:
            raise fail("missing the data: give input and target (or inputs and targets for a batch)", "input")
        if single:
            if self.input is None or self.target is None:
                raise fail("input and target go together; one is missing", "input" if self.input is None else "target")
            samples, labels = [self.input], [self.target]
        else:
            if self.inputs is None or self.targets is None:
                missing = "inputs" if self.inputs is None else "targets"
                raise fail("inputs and targets go together; one is missing", missing)
            samples, labels = self.inputs, self.targets
            if len(samples) != len(labels):
                raise fail(f"{len(samples)} inputs but {len(labels)} targets", "targets")

        layers = []
        width, source = len(samples[0]), "the input's"
        unit = "entr"
        for index, layer in enumerate(self.layers):
            where = f"layers[{index}]"
            columns = len(layer.W[0])
            for row_index, row in enumerate(layer.W):
                if len(row) != width:
                    raise fail(
                        f"expected {len(layer.W)} row{'s' * (len(layer.W) != 1)} of {width} "
                        f"entr{'ies' if width != 1 else 'y'} to match {source} {width} "
                        + (f"entr{'ies' if width != 1 else 'y'}" if unit == "entr" else f"output{'s' * (width != 1)}")
                        + f", got a row of {len(row)}",
                        f"{where}.W[{row_index}]" if len(row) != columns else f"{where}.W",
                    )
            if len(layer.W) * width > MAX_MATRIX_ENTRIES:
                raise fail(f"W has more than {MAX_MATRIX_ENTRIES} entries", f"{where}.W")
            if len(layer.b) != len(layer.W):
                raise fail(
                    f"expected {len(layer.W)} entr{'ies' if len(layer.W) != 1 else 'y'} (one per row of W), "
                    f"got {len(layer.b)}",
                    f"{where}.b",
                )
            params = self._activation_params(layer, where, fail)
            layers.append(DenseLayer(sympy.ImmutableMatrix(layer.W), sympy.ImmutableMatrix(layer.b),
                                     layer.activation, params))
            width, source, unit = len(layer.W), f"layer {index}'s", "output"

        label = "input" if single else "inputs"
        for n, sample in enumerate(samples):
            if len(sample) != len(samples[0]):
                raise fail(f"expected {len(samples[0])} entries like the first sample, got {len(sample)}",
                           f"{label}[{n}]")
        target_label = "target" if single else "targets"
        try:
            loss = get_loss(self.loss, **self.loss_params)
        except InputError as error:
            raise fail(error.message, "loss_params" if "unknown loss" not in error.message else "loss") from None
        for n, sample_target in enumerate(labels):
            where = target_label if single else f"targets[{n}]"
            if len(sample_target) != width:
                raise fail(f"expected {width} entr{'ies' if width != 1 else 'y'} to match the network's "
                           f"{width} output{'s' * (width != 1)}, got {len(sample_target)}", where)
            try:
                loss.check_target(sympy.Matrix(sample_target))
            except InputError as error:
                raise fail(error.message, where) from None

        try:
            return NetworkProblem(
                layers=tuple(layers),
                inputs=sympy.ImmutableMatrix(samples).T,
                targets=sympy.ImmutableMatrix(labels).T,
                loss=loss.name,
                loss_params=dict(self.loss_params),
                reduction=self.reduction,
                batched=batch,
            )
        except InputError as error:  # the engine's own check; the spec's checks above should come first
            raise fail(error.message, error.where or "layers") from None

    @staticmethod
    def _activation_params(layer: LayerSpec, where: str, fail: Any) -> dict[str, sympy.Expr]:
        try:
            activation = get_activation(layer.activation, **layer.params)
        except InputError as error:
            if error.where in layer.params:
                raise fail(error.message, f"{where}.params.{error.where}") from None
            raise fail(error.message, f"{where}.activation") from None
        except TypeError:
            allowed = _parameters_of(layer.activation)
            raise fail(
                f"{layer.activation} takes {('parameters ' + ', '.join(allowed)) if allowed else 'no parameters'}, "
                f"got {', '.join(sorted(layer.params))}",
                f"{where}.params",
            ) from None
        for name, value in activation.params.items():
            if not getattr(value, "is_number", False):
                raise fail(f"{activation.name} needs a number for its parameter {name}, e.g. params: {{{name}: ...}}",
                           f"{where}.params")
        return dict(activation.params)


def _parameters_of(activation: str) -> list[str]:
    try:
        return sorted(get_activation(activation).params)
    except (InputError, TypeError):
        return []


# A network file describes a teaching-size network: 256 KB holds dozens of 64×64 layers. Refusing a larger one
# before YAML reads it keeps the refusal instant (reading 600 KB of numbers with line marks takes seconds).
MAX_NETWORK_BYTES = 262_144


def parse_network(text: str, filename: str = "net.yaml") -> NetworkProblem:
    """Validate NET.yaml text into a problem; errors name ``filename`` and the field path."""
    if len(text) > MAX_NETWORK_BYTES:
        raise InputError(f"{len(text)} characters, more than the {MAX_NETWORK_BYTES} a network file may have", filename)
    node, data = read_mapping(
        text,
        filename,
        empty="the file is empty; it needs layers, input, target and loss",
        not_mapping="expected a mapping with layers, input, target and loss",
    )
    try:
        spec = NetworkSpec.model_validate(data)
    except ValidationError as error:
        item = error.errors(include_url=False)[0]
        _, line = locate(node, item["loc"])
        field = dotted(item["loc"]) or "(top level)"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = f"missing field {item['loc'][-1]!r}"
        elif item["type"] == "extra_forbidden":
            allowed = ", ".join(NetworkSpec.model_fields if len(item["loc"]) == 1 else LayerSpec.model_fields)
            message = f"unknown field {item['loc'][-1]!r}; allowed: {allowed}"
        more = error.error_count() - 1
        suffix = f" (line {line}{f'; {more} more error' + 's' * (more > 1) if more else ''})"
        raise InputError(message + suffix, f"{filename}: {field}") from None
    return spec.to_problem(filename)


def load_network(path: str | Path) -> NetworkProblem:
    """Read and validate a NET.yaml file."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", str(path))
    if not path.is_file():  # a device or a pipe may never end
        raise InputError("not a regular file", str(path))
    if path.stat().st_size > MAX_NETWORK_BYTES:
        raise InputError(f"larger than the {MAX_NETWORK_BYTES} bytes a network file may have", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", str(path)) from None
    return parse_network(text, path.name)


def describe(problem: NetworkProblem) -> str:
    """One line for a terminal: widths, activations and loss (``3 → 2 (ReLU) → 1; half_squared_error``)."""
    widths = [str(problem.inputs.rows)]
    for layer in problem.layers:
        widths.append(f"{layer.W.rows} ({layer.activation})")
    params = "".join(f", {k}={format_exact(v)}" for k, v in problem.loss_params.items())
    samples = f"; {problem.batch_size} samples" if problem.batched else ""
    return " → ".join(widths) + f"; {problem.loss}{params}{samples}"
