"""``chainrule list``: what chainrule knows by name — built-in assignments, activations and losses.

Every name listed here works where the other commands take one: ``solve ID``, ``grade ID``, ``derive NAME``,
a ``loss:`` or ``activation:`` in a network file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer

from chainrule.cli.conventions import Output, emit

KINDS = ("assignments", "activations", "losses")


def list_builtins(
    kind: Annotated[
        Literal["all", "assignments", "activations", "losses"],
        typer.Argument(help="Which names to list: assignments, activations, losses or all."),
    ] = "all",
    fmt: Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="text or json.")] = "text",
    output: Output = None,
) -> None:
    """List the built-in assignments, activations and losses, each with its title and parameters."""
    catalogue = builtin_catalogue(KINDS if kind == "all" else (kind,))
    if fmt == "json":
        from chainrule.reports.jsonout import dumps

        emit(dumps(catalogue), output)
        return
    lines: list[str] = []
    for section, entries in catalogue.items():
        lines.append(f"{section}:")
        width = max(len(entry["name"]) for entry in entries)
        for entry in entries:
            params = f"  (parameters: {', '.join(entry['parameters'])})" if entry.get("parameters") else ""
            lines.append(f"  {entry['name']:<{width}}  {entry['title']}{params}")
        lines.append("")
    emit("\n".join(lines).rstrip("\n"), output)


def builtin_catalogue(kinds: tuple[str, ...] = KINDS) -> dict[str, list[dict[str, Any]]]:
    """``{"assignments": [{"name", "title"}], "activations": [...], "losses": [...]}`` for the kinds asked."""
    catalogue: dict[str, list[dict[str, Any]]] = {}
    if "assignments" in kinds:
        from chainrule.assignments.loader import builtin_ids, load_assignment

        catalogue["assignments"] = [{"name": key, "title": load_assignment(key).title} for key in builtin_ids()]
    if "activations" in kinds:
        from chainrule.engine.activations import activation_names, get_activation, parameter_names

        catalogue["activations"] = [
            {"name": key, "title": getattr(get_activation(key), "title", key), "parameters": parameter_names(key)}
            for key in activation_names()
        ]
    if "losses" in kinds:
        catalogue["losses"] = [_loss_entry(key) for key in _loss_keys()]
    return catalogue


def _loss_keys() -> list[str]:
    from chainrule.engine.losses import loss_names

    return loss_names()


def _loss_entry(key: str) -> dict[str, Any]:
    import inspect

    import sympy

    from chainrule.engine import losses

    accepted = list(inspect.signature(losses._REGISTRY[key]).parameters)
    try:
        title = losses.get_loss(key, **{name: sympy.Symbol(name, positive=True) for name in accepted}).title
    except Exception:  # a loss that needs numbers to be built still has a name worth listing
        title = key.replace("_", " ")
    return {"name": key, "title": title, "parameters": accepted}
