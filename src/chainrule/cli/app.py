"""The ``chainrule`` command: registers each subcommand and is the one error boundary of the CLI.

Library code never prints or exits; this module is where every failure becomes one line on stderr and an
exit code (see :mod:`chainrule.cli.conventions`): bad input is a located line and exit 2; a run that could
not finish (a time limit, the disk) exit 3; an unexpected error — a bug — one line naming it and a hint to
rerun with ``--debug``, which shows the traceback. A reader that stops reading (``chainrule parse f | head``)
ends the run quietly.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer import exceptions as typer_errors  # Abort and Exit live here, not among click's usage errors
from typer._click import exceptions as click_errors  # typer (pinned) vendors click; its errors live here
from typer.core import TyperGroup

from chainrule import __version__
from chainrule.cli.conventions import EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED
from chainrule.errors import ChainruleError, InputError
from chainrule.reports.terminal import terminal_safe

DEBUG_FLAG = "--debug"
DEBUG_ENV = "CHAINRULE_DEBUG"


def _debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _say(message: str) -> None:
    """One line on stderr, with anything a terminal would act on made visible."""
    typer.echo(terminal_safe(" ".join(message.split())), err=True)


class OneLineErrors(TyperGroup):
    """The command group, with usage mistakes (a missing argument, a bad option value) told in one line.

    Typer draws those as a multi-line box; a one-line ``error: ...`` (exit 2) matches chainrule's own errors
    and is easy to read in a log or a grading script. Help output is untouched.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.ClickException as error:
            usage = isinstance(error, click_errors.UsageError)
            command = error.ctx.command_path if usage and error.ctx else "chainrule"
            message = " ".join(error.format_message().split())
            if message:  # empty when the help was shown instead (no arguments at all)
                _say(f"error: {command}: {message}" + (f" (see {command} --help)" if usage else ""))
            sys.exit(error.exit_code)
        except typer_errors.Abort:  # end of input at a prompt
            _say("error: aborted")
            sys.exit(1)
        except BrokenPipeError:
            _quiet_broken_pipe()
        try:
            sys.stdout.flush()  # a reader that closed the pipe is noticed here when the output was buffered
        except BrokenPipeError:
            _quiet_broken_pipe()
        if code == 130:  # typer turns Ctrl-C into exit 130 without a word
            _say("error: interrupted")
        sys.exit(code if isinstance(code, int) else 0)


def _quiet_broken_pipe() -> None:
    """The reader stopped reading (``| head``): end quietly, and keep Python from complaining at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chainrule {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="chainrule",
    cls=OneLineErrors,
    help="Solve, explain and check the mathematics of neural networks.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option(DEBUG_FLAG, help="Show the traceback of an unexpected error (a bug) instead of one line.")
    ] = False,
) -> None:
    """Solve, explain and check the mathematics of neural networks."""
    if debug:
        os.environ[DEBUG_ENV] = "1"


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
    ("list", "listing", "list_builtins"),
    ("review", "review", "review"),
    ("variants", "variants", "variants"),
]


def located_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so that every failure prints as one line with an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer_errors.Exit, typer_errors.Abort, click_errors.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            raise
        except InputError as error:
            _say(f"error: {error}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except ChainruleError as error:
            _say(f"error: {error}")
            raise typer.Exit(EXIT_FAILED) from None
        except OSError as error:  # the machine's fault (disk full, a folder removed meanwhile), not a bug
            where = f"{error.filename}: " if error.filename else ""
            _say(f"error: {where}{error.strerror or error}")
            raise typer.Exit(EXIT_FAILED) from None
        except Exception as error:  # a bug: one line and the way to see more
            if _debugging():
                traceback.print_exc()
            else:
                _say(f"error: unexpected {type(error).__name__} (a bug in chainrule); "
                     f"rerun with chainrule {DEBUG_FLAG} to see the traceback")
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper


for _name, _module, _function in COMMANDS:
    _callback = getattr(importlib.import_module(f"chainrule.cli.{_module}"), _function)
    app.command(_name, epilog=EXIT_CODES_HELP)(located_errors(_callback))

# Command groups: (group name, module under chainrule.cli, its help); the module lists its COMMANDS as
# (name, function) pairs, and each gets the same error boundary as a top-level command.
GROUPS: list[tuple[str, str, str]] = [
    ("export", "export", "Export a session (gradebook, feedback pages) or a grader for Gradescope/PrairieLearn."),
]

for _name, _module, _help in GROUPS:
    _group = typer.Typer(name=_name, help=_help, no_args_is_help=True, add_completion=False,
                         pretty_exceptions_enable=False)
    for _command, _callback in importlib.import_module(f"chainrule.cli.{_module}").COMMANDS:
        _group.command(_command, epilog=EXIT_CODES_HELP)(located_errors(_callback))
    app.add_typer(_group, name=_name)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point. ``--debug`` is accepted anywhere before ``--``, not only first."""
    args = list(sys.argv[1:] if argv is None else argv)
    end = args.index("--") if "--" in args else len(args)
    if DEBUG_FLAG in args[:end]:
        args = [arg for arg in args[:end] if arg != DEBUG_FLAG] + args[end:]
        os.environ[DEBUG_ENV] = "1"
    app(args=args, prog_name="chainrule")
