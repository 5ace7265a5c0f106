"""A backpropagation trace as JSON-ready data, and the plain-text forms of its values.

Exact values are strings as a person writes them (``"1.33"``, ``"-16/5"``); an irrational value is its
SymPy text (closed form when short, otherwise in the trace's named intermediates, which are listed under
``definitions``), and ``approx`` repeats every headline number as a float. Float-mode values are JSON
numbers. Layout: a single sample's vectors are flat lists; a batch's are one list per sample; matrices
(∂L/∂W) are lists of rows, shaped like the parameter.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from chainrule.engine.exact import float_or_none, format_exact, printable
from chainrule.engine.mlp import Trace
from chainrule.reports.jsonout import dumps, has_non_finite

MAX_CLOSED_FORM_OPS = 40  # beyond this the named form (with its definitions) reads better


def exact_text(entry: sympy.Expr, trace: Trace) -> str:
    """``1.33``, ``1/3``, or SymPy text for an irrational entry (its closed form if that is short)."""
    if isinstance(entry, sympy.Rational):
        return format_exact(entry)
    if entry.free_symbols and trace.definitions:
        closed = trace.closed_form(entry, max_ops=MAX_CLOSED_FORM_OPS)
        if closed is not None:
            return str(printable(closed))
    return str(printable(entry))


def _entry(entry: Any, trace: Trace) -> Any:
    if isinstance(entry, sympy.Basic):
        return exact_text(entry, trace)
    return float(entry)


def _matrix(value: Any) -> list[list[Any]]:
    return value.tolist()


def layout(value: Any, trace: Trace, *, parameter: str | None = None, approximate: bool = False) -> Any:
    """Nested lists in the documented layout; ``parameter`` ``"W"`` keeps a matrix as rows, ``"b"`` is flat."""
    convert = (lambda e: float_or_none(trace.approximate_value(e)) if isinstance(e, sympy.Basic) else float(e)) \
        if approximate else (lambda e: _entry(e, trace))
    rows = _matrix(value)
    if rows and len(rows) == 1 and len(rows[0]) == 1 and not parameter:
        return convert(rows[0][0])
    if parameter == "b":
        return [convert(row[0]) for row in rows]
    if parameter == "W":
        return [[convert(e) for e in row] for row in rows]
    columns = list(zip(*rows, strict=True))
    if len(columns) == 1:
        return [convert(e) for e in columns[0]]
    return [[convert(e) for e in column] for column in columns]  # one list per sample


def trace_to_data(trace: Trace) -> dict[str, Any]:
    """The JSON document for ``chainrule backprop --json``."""
    forward = {step.key: layout(step.value, trace) for step in trace.stage("forward") if step.key not in {"L", "ell"}}
    backward = {step.key: layout(step.value, trace) for step in trace.stage("backward")
                if not step.key.startswith(("dW", "db"))}
    gradients: dict[str, Any] = {}
    for layer in trace.layers:
        gradients[f"W{layer.index}"] = layout(trace[f"dW{layer.index}"].value, trace, parameter="W")
        gradients[f"b{layer.index}"] = layout(trace[f"db{layer.index}"].value, trace, parameter="b")
    output = layout(trace.output, trace)
    data: dict[str, Any] = {
        "mode": trace.mode,
        "network": {
            "layers": [
                {"index": layer.index, "inputs": layer.inputs, "outputs": layer.outputs,
                 "activation": layer.activation, "params": {k: format_exact(v) for k, v in layer.params.items()}}
                for layer in trace.layers
            ],
            "loss": trace.loss,
            "loss_params": {k: format_exact(v) for k, v in trace.loss_params.items()},
            "reduction": trace.reduction,
            "batch_size": trace.batch_size,
        },
        "layout": "vectors are columns; each gradient has the shape of its parameter (dL/dW = delta h^T)",
        "output": output if isinstance(output, list) else [output],
        "loss": layout(trace.loss_value, trace),
        "forward": forward,
        "backward": backward,
        "gradients": gradients,
    }
    if trace.mode == "exact":
        approx_output = layout(trace.output, trace, approximate=True)
        data["approx"] = {
            "output": approx_output if isinstance(approx_output, list) else [approx_output],
            "loss": layout(trace.loss_value, trace, approximate=True),
            "gradients": {
                key: layout(trace[f"d{key}"].value, trace, parameter=key[0], approximate=True) for key in gradients
            },
        }
    if trace.definitions:
        data["definitions"] = [
            {"name": str(d.symbol), "meaning": d.meaning, "expression": str(printable(d.expression)),
             "approx": float_or_none(d.approximation)}
            for d in trace.definitions
        ]
    notes = [note for note in [trace.loss_note, *(layer.kink_note for layer in trace.layers)] if note]
    if notes:
        data["notes"] = list(dict.fromkeys(notes))
    return data


OVERFLOW_NOTE = ("some values are beyond float64 (overflow to ±∞ or not a number) and are written as null; "
                 "run without --float for exact values")


def render_json(trace: Trace, indent: int | None = 2) -> str:
    """Strict JSON: a float64 value that overflowed is ``null``, and a note says so (never ``Infinity``)."""
    data = trace_to_data(trace)
    if has_non_finite(data):
        data["notes"] = [*data.get("notes", []), OVERFLOW_NOTE]
    return dumps(data, indent=indent, default=_fallback)


def _fallback(value: Any) -> Any:
    if isinstance(value, np.generic):
        item = value.item()
        return None if isinstance(item, float) and not np.isfinite(item) else item
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
