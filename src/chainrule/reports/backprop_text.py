"""A backpropagation trace as a short terminal summary: the answers first, then the pass in one line each."""

from __future__ import annotations

from typing import Any

import sympy

from chainrule.engine.exact import short_number
from chainrule.engine.mlp import Trace
from chainrule.reports.backprop_json import exact_text


def _value(value: Any, trace: Trace, matrix: bool = False) -> str:
    rows = value.tolist()

    def entry(item: Any) -> str:
        if isinstance(item, sympy.Basic):
            text = exact_text(item, trace)
            if not isinstance(item, sympy.Rational):
                approximation = f"≈{short_number(trace.approximate_value(item), 6)}"
                named = "^{(" in text  # still written with named intermediates: --md/--json define them
                text = approximation if named or len(text) > 40 else f"{text} ({approximation})"
            return text
        return f"{float(item):.10g}"

    if len(rows) == 1 and len(rows[0]) == 1:
        return entry(rows[0][0])
    if all(len(row) == 1 for row in rows) and not matrix:  # a column vector
        return "[" + ", ".join(entry(row[0]) for row in rows) + "]"
    return "[" + ", ".join("[" + ", ".join(entry(e) for e in row) + "]" for row in rows) + "]"


def render_text(trace: Trace) -> str:
    """Plain text: network, output, loss, gradients (shaped like the parameters), then every step."""
    widths = [str(trace.layers[0].inputs)] + [f"{layer.outputs} ({layer.title})" for layer in trace.layers]
    lines = [
        f"network   {' -> '.join(widths)}",
        f"loss      {trace.loss_title}" + (f", {trace.reduction} over {trace.batch_size} samples" if trace.batched
                                           else ""),
        f"mode      {trace.mode}" + (" (decimals read as exact fractions)" if trace.mode == "exact" else " (float64)"),
        "",
        f"output    y_hat = {_value(trace.output, trace)}",
        f"loss      L = {_value(trace.loss_value, trace)}",
        "",
        "gradients (each shaped like its parameter: a matrix as a list of rows, a vector as a list)",
    ]
    for layer in trace.layers:
        lines.append(f"  dL/dW{layer.index} = {_value(trace[f'dW{layer.index}'].value, trace, matrix=True)}")
        lines.append(f"  dL/db{layer.index} = {_value(trace[f'db{layer.index}'].value, trace)}")
    lines += ["", "steps (a batch's matrices have one column per sample, printed as a list of rows)"]
    for step in trace:
        if step.stage != "given":
            lines.append(f"  {step.key:<8} {_value(step.value, trace)}   [{step.rule}]")
    notes = [note for note in [trace.loss_note, *(layer.kink_note for layer in trace.layers)] if note]
    for note in dict.fromkeys(notes):
        lines.append(f"note: {note}")
    if trace.definitions:
        lines.append(f"note: {len(trace.definitions)} irrational intermediates are named; --md or --json lists them")
    return "\n".join(lines) + "\n"
