"""``chainrule grade ASSIGNMENT SUBMISSION...``: verdicts, marks and located findings for each submission.

Without ``-o`` the reports go to stdout (JSON formats as one array when there are several submissions);
with ``-o DIR`` each submission gets its own file there, named after it. The progress bar is drawn on
stderr, here only: the library reports progress through a callback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from chainrule.cli.conventions import EXIT_WRONG, STDIN
from chainrule.errors import InputError

FORMAT_CHOICES = ("text", "md", "html", "json", "gradescope")
MAX_JOBS = 64
MAX_TIMEOUT_S = 86_400.0


def grade(
    assignment: Annotated[str, typer.Argument(help="Built-in assignment id (e.g. nyu-dl-hw1-2022) or a spec YAML.")],
    submissions: Annotated[
        list[Path], typer.Argument(help="Submission files (Markdown with LaTeX); - reads one from stdin.")
    ],
    fmt: Annotated[
        Literal["text", "md", "html", "json", "gradescope"],
        typer.Option("--format", "-f", help="text, md, html, json or gradescope."),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="PATH", help="Write one report per submission here.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Submissions graded in parallel.")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per submission.")] = 300.0,
) -> None:
    """Grade submissions against an assignment: a verdict and marks per question, each finding at its line.

    Exits 1 when some answer is wrong, as check does.
    """
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.batch import grade_many

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
    results = _grade_with_progress(spec, [_submission(path) for path in submissions], jobs, timeout, grade_many)
    _report(results, fmt, output)
    if any(_found_wrong(result) for result in results):
        raise typer.Exit(EXIT_WRONG)


def _found_wrong(result) -> bool:  # type: ignore[no-untyped-def]
    """Whether grading found a wrong answer: a wrong claim, or a question judged wrong."""
    from chainrule.grading.findings import QuestionVerdict, Verdict

    return any(question.verdict is QuestionVerdict.WRONG or any(f.verdict is Verdict.WRONG for f in question.findings)
               for question in result.questions)


def _report(results, fmt: str, output: Path | None) -> None:  # type: ignore[no-untyped-def]
    from chainrule.reports.grade import FORMATS, render_grade

    if output is not None:
        used: set[str] = set()
        for result in results:
            name = _report_name(Path(result.submission), fmt, FORMATS[fmt], used)
            (output / name).write_text(render_grade(result, fmt), encoding="utf-8")
            typer.echo(f"{result.submission}: {result.score:g}/{result.max_score:g} → {output / name}")
        return
    if fmt in ("json", "gradescope") and len(results) > 1:
        from chainrule.reports.jsonout import dumps

        typer.echo(dumps([json.loads(render_grade(r, fmt)) for r in results]))
        return
    for result in results:
        typer.echo(render_grade(result, fmt), nl=False)


def _submission(path: Path):  # type: ignore[no-untyped-def]
    """``-`` is read from stdin now; a device or a pipe (``/dev/zero``) could be read forever: it becomes its
    error, in its place (N in, N out)."""
    if str(path) == STDIN:
        from chainrule.cli.conventions import read_input_text
        from chainrule.grading.batch import Submission

        try:
            text, name = read_input_text(path)
        except InputError as error:
            return error
        return Submission(name, text)
    if path.exists() and not path.is_file() and not path.is_dir():
        return InputError("not a regular file", str(path))
    return path


def _grade_with_progress(spec, submissions, jobs, timeout, grade_many):  # type: ignore[no-untyped-def]
    """A spinner for one submission, a bar for several (on a terminal's stderr only)."""
    from chainrule.cli.progress import progress_bar, spinner

    if len(submissions) == 1:
        with spinner("grading"):
            return grade_many(spec, submissions, jobs=jobs, timeout=timeout)
    with progress_bar("grading", len(submissions)) as report:
        return grade_many(spec, submissions, jobs=jobs, timeout=timeout,
                          progress=lambda done, total, _result: report(done, total))


def _report_name(submission: Path, fmt: str, extension: str, used: set[str]) -> str:
    """``alice.md`` → ``alice.html``; Gradescope files are ``<name>.results.json``; clashes get a number."""
    stem = submission.stem or "submission"
    suffix = ".results.json" if fmt == "gradescope" else f".{extension}"
    name, count = f"{stem}{suffix}", 2
    while name in used:
        name, count = f"{stem}-{count}{suffix}", count + 1
    used.add(name)
    return name
