"""``chainrule backprop NET.yaml``: the forward and backward pass of a small network, every step shown.

Exact by default (decimals are fractions); ``--float`` runs in float64 instead. ``--json`` prints the
values as data, ``--md`` the worked pass as Markdown with LaTeX. The exact pass runs in a killable child
process under a time bound, so an unexpectedly heavy network fails cleanly and suggests ``--float``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from chainrule.errors import CasTimeout, ChainruleError, InputError

EXACT_TIMEOUT_S = 30.0


def backprop(
    network: Annotated[Path, typer.Argument(help="NET.yaml: layers (W, b, activation), input, target, loss.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print every value as one JSON object.")] = False,
    as_markdown: Annotated[bool, typer.Option("--md", help="Print the worked pass as Markdown with LaTeX.")] = False,
    in_floats: Annotated[bool, typer.Option("--float", help="Compute in float64 instead of exactly.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed for the exact pass.")] = EXACT_TIMEOUT_S,
) -> None:
    """Forward and backward pass of a network: output, loss, and every gradient, worked step by step."""
    from chainrule.assignments.network import load_network
    from chainrule.engine.bounded import call_bounded
    from chainrule.engine.mlp import prepare
    from chainrule.engine.mlp_float import trace_float

    if as_json and as_markdown:
        raise InputError("choose one of --json and --md", "--json/--md")
    if not 0 < timeout <= 600:
        raise InputError(f"expected 0 < seconds <= 600, got {timeout:g}", "--timeout")
    problem = load_network(network)
    if as_json:
        fmt = "json"
    elif as_markdown:
        fmt = "md"
    else:
        fmt = "text"
    if in_floats:
        typer.echo(_render(trace_float(problem), fmt), nl=False)
        return
    prepare(problem)  # bad parameters fail here, with their location
    # The exact pass and its printing both run in a killable child: printing a wide layer's exact entries
    # can take longer than computing them, and the bound is for the whole command.
    try:
        status, payload = call_bounded(_exact_report, problem, fmt, timeout=timeout)
    except CasTimeout:
        raise ChainruleError(
            f"{network}: the exact pass took longer than {timeout:g} s; run with --float (or a larger --timeout)"
        ) from None
    if status == "input":
        raise InputError(*payload)
    if status == "error":
        raise ChainruleError(payload)
    typer.echo(payload, nl=False)


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
