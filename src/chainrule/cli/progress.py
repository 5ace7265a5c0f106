"""Spinners and progress bars for work that can take more than a second, drawn on stderr only.

Results go to stdout and may be piped or redirected; what is drawn here never mixes with them. When stderr
is not a terminal (a log, CI, a pipe) nothing is drawn at all, so logs stay clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ProgressCallback = Callable[[int, int], Any]


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def spinner(label: str) -> Iterator[None]:
    """A spinner with ``label`` and the time elapsed while the block runs (nothing when stderr is not a TTY)."""
    console = _console()
    if not console.is_terminal:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        bar.add_task(label, total=None)
        yield


@contextmanager
def progress_bar(label: str, total: int | None = None, *, at_least: int = 1) -> Iterator[ProgressCallback]:
    """A bar driven by the ``(done, total)`` callback it yields; drawn only on a TTY and for ``at_least`` items."""
    console = _console()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    hidden = not console.is_terminal or (total is not None and total < at_least)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=hidden) as bar:
        task = bar.add_task(label, total=total)

        def report(done: int, new_total: int) -> None:
            bar.update(task, completed=done, total=new_total)

        yield report
