"""``chainrule backprop NET.yaml``: the forward and backward pass of a small network, every step shown.

Exact by default (decimals are fractions); ``--float`` runs in float64 instead. ``--format json`` prints the
values as data, ``--format md`` the worked pass as Markdown with LaTeX. The exact pass runs in a killable child
process under a time bound, so an unexpectedly heavy network fails cleanly and suggests ``--float``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainrule.cli.conventions import JsonFlag, MarkdownFlag, Output, emit, legacy_format
from chainrule.cli.progress import spinner
from chainrule.errors import CasTimeout, ChainruleError, InputError

EXACT_TIMEOUT_S = 30.0


def backprop(
    network: Annotated[Path, typer.Argument(help="NET.yaml: layers (W, b, activation), input, target, loss.")],
    fmt: Annotated[
        Literal["text", "md", "json"],
        typer.Option("--format", "-f", help="text; md: the worked pass with LaTeX; json: every value as data."),
    ] = "text",
    output: Output = None,
    in_floats: Annotated[bool, typer.Option("--float", help="Compute in float64 instead of exactly.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed for the exact pass.")] = EXACT_TIMEOUT_S,
    as_json: JsonFlag = False,
    as_markdown: MarkdownFlag = False,
) -> None:
    """Forward and backward pass of a network: output, loss, and every gradient, worked step by step."""
    from chainrule.assignments.network import load_network
    from chainrule.engine.bounded import call_bounded
    from chainrule.engine.mlp import prepare
    from chainrule.engine.mlp_float import trace_float

    fmt = legacy_format(fmt, "text", json=as_json, md=as_markdown)
    if not 0 < timeout <= 600:
        raise InputError(f"expected 0 < seconds <= 600, got {timeout:g}", "--timeout")
    problem = load_network(network)
    if in_floats:
        import numpy as np

        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported in the output, not as warnings
            emit(_render(trace_float(problem), fmt), output)
        return
    prepare(problem)  # bad parameters fail here, with their location
    # The exact pass and its printing both run in a killable child: printing a wide layer's exact entries
    # can take longer than computing them, and the bound is for the whole command.
    try:
        with spinner(f"working the exact pass of {network}"):
            status, payload = call_bounded(_exact_report, problem, fmt, timeout=timeout)
    except CasTimeout:
        raise ChainruleError(
            f"{network}: the exact pass took longer than {timeout:g} s; run with --float (or a larger --timeout)"
        ) from None
    if status == "input":
        raise InputError(*payload)
    if status == "error":
        raise ChainruleError(payload)
    emit(payload, output)


def _render(trace: Any, fmt: str) -> str:
    if fmt == "json":
        from chainrule.reports.backprop_json import render_json

        return render_json(trace) + "\n"
    if fmt == "md":
        from chainrule.reports.backprop_markdown import render_markdown

        return render_markdown(trace)
    from chainrule.reports.backprop_text import render_text

    return render_text(trace)


def _exact_report(problem: Any, fmt: str) -> tuple[str, Any]:
    """Run in the bounded child: ("ok", report text), ("input", (message, where)) or ("error", message)."""
    from chainrule.engine.mlp import trace_exact

    try:
        return "ok", _render(trace_exact(problem), fmt)
    except InputError as error:
        return "input", (error.message, error.where)
    except ChainruleError as error:
        return "error", str(error)
