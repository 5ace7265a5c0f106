"""The ``chainrule`` command: registers each subcommand and turns chainrule errors into exit codes.

Library code never prints or exits; this module is the one place where an :class:`InputError`
becomes a one-line message on stderr and exit code 2 (a failed run that is not the user's fault
exits 1).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

import typer

from chainrule.errors import ChainruleError, InputError

app = typer.Typer(
    name="chainrule",
    help="Solve, explain and check the mathematics of neural networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each entry is (command name, module under chainrule.cli, function in it). Modules stay light at import
# time: heavy imports (torch, matplotlib) happen inside the command functions.
COMMANDS: list[tuple[str, str, str]] = [
    ("check", "check", "check"),
    ("derive", "derive", "derive"),
    ("train", "train", "train"),
    ("parse", "parse", "parse"),
    ("solve", "solve", "solve"),
    ("schema", "schema", "schema"),
    ("grade", "grade", "grade"),
    ("backprop", "backprop", "backprop"),
]



def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so chainrule errors print as one line with an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        except ChainruleError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None

    return wrapper


for _name, _module, _function in COMMANDS:
    app.command(_name)(located_errors(getattr(importlib.import_module(f"chainrule.cli.{_module}"), _function)))


def main() -> None:
    """Console-script entry point."""
    app()
