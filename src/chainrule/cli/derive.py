"""``chainrule derive NAME``: an activation's definition, derivative, kink convention, limits, Lipschitz facts.

Parameters stay symbolic unless given (``--param a=0.01``); values are read as exact rationals, never
evaluated as code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainrule.cli.conventions import JsonFlag, Output, emit, legacy_format
from chainrule.errors import InputError

MAX_NAME_CHARS = 64
MAX_PARAMS = 8
# Other spellings of parameter names people use (PyTorch's keyword, Greek letters).
NAME_HELP = (
    "Activation: relu, leaky_relu, sigmoid, tanh, softplus, gelu, gelu_tanh, elu, selu, silu, swish, mish, hardtanh, "
    "relu6, softsign, softmax (or an alias)."
)
PARAMETER_ALIASES = {"negative_slope": "a", "slope": "a", "scale": "c", "β": "beta", "α": "alpha"}


def derive(
    name: Annotated[str, typer.Argument(help=NAME_HELP)],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Parameter value as NAME=VALUE, e.g. a=0.01 (repeatable)."),
    ] = None,
    fmt: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="text, or json: the facts as one object.")
    ] = "text",
    output: Output = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw f and f' into this .png/.svg/.pdf.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Derive an activation function: derivative, PyTorch's value at kinks, limits at ±∞, Lipschitz facts."""
    from chainrule.engine.activation_facts import derive as derive_facts

    as_json = legacy_format(fmt, "text", json=as_json) == "json"

    activation = build_activation(name, param or [])
    facts = derive_facts(activation)
    plotted = None
    if plot is not None:
        from chainrule.reports.activation_plot import plot_activation

        if any(not value.is_number for value in getattr(activation, "params", {}).values()):
            raise InputError("give every parameter a number (--param NAME=VALUE) to plot", "--plot")
        plotted = plot_activation(activation, plot)
    if as_json:
        data = facts.as_dict()
        if plotted is not None:
            data["plot"] = str(plotted)
        from chainrule.reports.jsonout import dumps

        emit(dumps(data), output)
    else:
        emit(render_text(facts.as_dict(), plotted), output)


def build_activation(name: str, assignments: list[str]) -> Any:
    """The activation with its ``NAME=VALUE`` parameters; every mistake names the argument it is in."""
    from chainrule.engine.activations import canonical_name, get_activation, parameter_names
    from chainrule.engine.exact import to_rational

    if len(name) > MAX_NAME_CHARS:
        raise InputError(f"activation name longer than {MAX_NAME_CHARS} characters", "NAME")
    if len(assignments) > MAX_PARAMS:
        raise InputError(f"at most {MAX_PARAMS} parameters", "--param")
    try:
        key = canonical_name(name)
    except InputError as error:
        raise InputError(error.message, "NAME") from None
    accepted = parameter_names(key)
    values: dict[str, Any] = {}
    for assignment in assignments:
        where = f"--param {assignment[:40]}"
        if "=" not in assignment:
            raise InputError("expected NAME=VALUE, e.g. a=0.01", where)
        raw_key, raw_value = (part.strip() for part in assignment.split("=", 1))
        parameter = raw_key if raw_key in accepted else PARAMETER_ALIASES.get(raw_key, raw_key)
        if parameter not in accepted:
            known = ", ".join(accepted) if accepted else "none"
            raise InputError(f"{key} has no parameter {raw_key!r} (parameters: {known})", where)
        if parameter in values:
            raise InputError(f"parameter {parameter} given twice", where)
        values[parameter] = to_rational(raw_value, where)
    try:
        return get_activation(key, **values)
    except InputError as error:
        raise InputError(error.message, f"--param {error.where}" if error.where else "--param") from None


def render_text(data: dict[str, Any], plotted: Path | None = None) -> str:
    """The facts as a short terminal page."""
    lines = [f"{data['title']} ({data['name']})"]
    if data["params"]:
        described = [
            f"{key} = {value}" if value != key else f"{key} (symbolic)" for key, value in data["params"].items()
        ]
        assumed = "; ".join(data["assumptions"].values())
        lines.append(f"  parameters:  {', '.join(described)}" + (f"; assumes {assumed}" if assumed else ""))
    lines.append(f"  f(x)  = {data['definition']}")
    lines.append(f"  f'(x) = {data['derivative']}")
    for form in data["equivalent_forms"]:
        if form["expression"] == data["derivative"]:
            continue
        lines.append(f"        = {form['expression']}    [{form['description']}]")
    if data["kink"]:
        points = ", ".join(data["kink"]["points"])
        values = ", ".join(data["kink"]["derivative_there"])
        lines.append(f"  kink:  not differentiable at x = {points}; derivative used there: {values}")
        lines.append(f"         {data['kink']['convention']}")
    lines.append(f"  limits of f'(x):  x → +∞: {data['limits']['+oo']};  x → −∞: {data['limits']['-oo']}")
    if data["limits_note"]:
        lines.append(f"         ({data['limits_note']})")
    lines.append(f"  f' Lipschitz?  {_lipschitz_line(data['lipschitz']['derivative'])}")
    lines.append(f"  f  Lipschitz?  {_lipschitz_line(data['lipschitz']['function'])}")
    if plotted is not None:
        lines.append(f"  plot written to {plotted}")
    return "\n".join(lines)


def _lipschitz_line(fact: dict[str, Any]) -> str:
    if fact["status"] == "lipschitz":
        approx = "" if fact["exact"] else " (found numerically)"
        value = fact["constant_value"]
        numeric = f" ≈ {value:.6g}" if value is not None and f"{value:.6g}" != fact["constant"] else ""
        line = f"yes, with smallest constant {fact['constant']}{numeric}{approx}"
    elif fact["status"] == "not lipschitz":
        line = f"no: {fact['reason']}"
    else:
        line = f"undecided: {fact['reason']}"
    for case in fact["special_cases"]:
        line += f"; when {case['when']}: {_lipschitz_line(case)}"
    return line
