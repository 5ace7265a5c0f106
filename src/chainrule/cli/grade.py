"""``chainrule grade ASSIGNMENT SUBMISSION...``: verdicts, marks and located findings for each submission.

Without ``-o`` the reports go to stdout (JSON formats as one array when there are several submissions);
with ``-o DIR`` each submission gets its own file there, named after it. The progress bar is drawn on
stderr, here only: the library reports progress through a callback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError

FORMAT_CHOICES = ("text", "md", "html", "json", "gradescope")
MAX_JOBS = 64
MAX_TIMEOUT_S = 86_400.0


def grade(
    assignment: Annotated[str, typer.Argument(help="Built-in assignment id (e.g. nyu-dl-hw1-2022) or a spec YAML.")],
    submissions: Annotated[list[Path], typer.Argument(help="Submission files (Markdown with LaTeX).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, md, html, json or gradescope.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write one report per submission here.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Submissions graded in parallel.")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per submission.")] = 300.0,
) -> None:
    """Grade submissions against an assignment: a verdict and marks per question, each finding at its line."""
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.batch import grade_many
    from chainrule.reports.grade import FORMATS, render_grade

    if fmt not in FORMAT_CHOICES:
        raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMAT_CHOICES)})", "--format")
    if not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"--jobs must be between 1 and {MAX_JOBS}", "--jobs")
    if not 0 < timeout <= MAX_TIMEOUT_S:  # also refuses nan and inf, which the wait would choke on
        raise InputError(f"--timeout must be positive and at most {MAX_TIMEOUT_S:g} seconds", "--timeout")
    spec = load_assignment(assignment)
    if output is not None:
        if output.exists() and not output.is_dir():
            raise InputError("not a folder", str(output))
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot make this folder ({error.strerror or error})", str(output)) from None
    results = _grade_with_progress(spec, [_refuse_unending(path) for path in submissions], jobs, timeout, grade_many)
    if output is not None:
        used: set[str] = set()
        for result in results:
            name = _report_name(Path(result.submission), fmt, FORMATS[fmt], used)
            (output / name).write_text(render_grade(result, fmt), encoding="utf-8")
            typer.echo(f"{result.submission}: {result.score:g}/{result.max_score:g} → {output / name}")
        return
    if fmt in ("json", "gradescope") and len(results) > 1:
        typer.echo(json.dumps([json.loads(render_grade(r, fmt)) for r in results], indent=2, ensure_ascii=False))
        return
    for result in results:
        typer.echo(render_grade(result, fmt), nl=False)


def _refuse_unending(path: Path) -> Path | InputError:
    """A device or a pipe (``/dev/zero``) could be read forever: it becomes its error, in its place (N in, N out)."""
    if path.exists() and not path.is_file() and not path.is_dir():
        return InputError("not a regular file", str(path))
    return path


def _grade_with_progress(spec, submissions, jobs, timeout, grade_many):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=len(submissions) < 2 or not console.is_terminal,
    ) as bar:
        task = bar.add_task("grading", total=len(submissions))

        def advance(done: int, total: int, _result: object) -> None:
            bar.update(task, completed=done)

        return grade_many(spec, submissions, jobs=jobs, progress=advance, timeout=timeout)


def _report_name(submission: Path, fmt: str, extension: str, used: set[str]) -> str:
    """``alice.md`` → ``alice.html``; Gradescope files are ``<name>.results.json``; clashes get a number."""
    stem = submission.stem or "submission"
    suffix = ".results.json" if fmt == "gradescope" else f".{extension}"
    name, count = f"{stem}{suffix}", 2
    while name in used:
        name, count = f"{stem}-{count}{suffix}", count + 1
    used.add(name)
    return name
