"""``chainrule check FILE``: decide the claims of a Markdown/LaTeX answer on its own, without a spec.

Exit status: 0 when nothing is wrong, 1 when some claim is wrong, 2 on bad input (unreadable file, bad option).
FILE ``-`` reads standard input.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainrule.cli.conventions import EXIT_WRONG, Output, emit, read_input_document
from chainrule.cli.progress import spinner
from chainrule.errors import CasTimeout, InputError

FORMATS = ("text", "md", "html", "json")
SHOWS = ("wrong", "undecided", "all")
DEFAULT_BUDGET_S = 120.0
# The checker stops starting chains once its budget is spent (the rest become undecided), but a chain already
# running is not its to stop. So the checker is given this share of the budget, and the whole check runs in a
# killable child stopped at the full budget: the bound holds whatever the document holds.
CHECKER_SHARE = 0.75


def check(
    file: Annotated[Path, typer.Argument(
        help="The answers: Markdown (OCR output is fine), LaTeX, a notebook, Python or a PDF; - reads stdin.")],
    output_format: Annotated[
        Literal["text", "md", "html", "json"], typer.Option("--format", "-f", help="text, md, html or json.")
    ] = "text",
    output: Output = None,
    show: Annotated[
        str, typer.Option("--show", help="Which findings to list (not in json): wrong (default), undecided or all.")
    ] = "wrong",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per algebra call.")] = 3.0,
    budget: Annotated[
        float, typer.Option("--budget", help="Seconds allowed for the whole document.")
    ] = DEFAULT_BUDGET_S,
) -> None:
    """Check every claim in FILE: right, wrong or undecided, each with its line and reason.

    Exits 0 when nothing is wrong, 1 when at least one claim is wrong, 2 on bad input.
    """
    if show not in SHOWS:
        raise InputError(f"--show must be one of {', '.join(SHOWS)}, got {show!r}", "--show")
    if not 0 < timeout <= 60:
        raise InputError("--timeout must be between 0 and 60 seconds", "--timeout")
    if not 0 < budget <= 3600:
        raise InputError("--budget must be between 0 and 3600 seconds", "--budget")
    document = read_input_document(file)
    text, source = document.text, document.source

    import chainrule.grading.check  # noqa: F401  (imported here once, not in every forked child)
    from chainrule.engine.bounded import call_bounded
    from chainrule.grading.findings import Verdict

    group = multiprocessing.get_context("fork").Value("i", 0)
    try:
        whole_check = functools.partial(_check_or_refusal, text, source, timeout, budget * CHECKER_SHARE, group)
        with spinner(f"checking {source}"):
            result = call_bounded(whole_check, timeout=budget)
    except CasTimeout:
        raise InputError(f"checking did not finish within the {budget:g} s budget (a claim too heavy to check); "
                         "nothing was decided", source) from None
    finally:
        _end_group(group.value)
    if isinstance(result, tuple):  # the checker refused the document: (message, where)
        raise InputError(*result)
    result = result.locate(document)
    from chainrule.reports.check import render_check

    emit(render_check(result, output_format, show=show, text=text), output)
    for note in document.notes:  # what reading left out, one located line each
        typer.echo(f"note: {note}", err=True)
    if document.refused:  # part of the file was not read: the check is incomplete
        raise typer.Exit(2)
    if result.count(Verdict.WRONG):
        raise typer.Exit(EXIT_WRONG)


def _check_or_refusal(text: str, source: str, timeout: float, budget: float, group: Any) -> Any:
    """Run in the bounded child: the check's result, or an InputError as (message, where) so it crosses back.

    The child leads a process group of its own, so the claims' own bounded calls (its children) can be ended with
    it: killing only the child at the budget would leave a grandchild computing, orphaned, for as long as SymPy
    takes.
    """
    from chainrule.grading.check import check_document

    os.setpgid(0, 0)
    group.value = os.getpid()
    try:
        return check_document(text, source, timeout=timeout, budget=budget)
    except InputError as error:
        return (error.message, error.where)


def _end_group(group: int) -> None:
    """Kill whatever is left of the check's process group (nothing, when the check finished in time)."""
    if group > 0:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
