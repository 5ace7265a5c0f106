"""``chainrule grade SPEC PATH...``: a class in one command — verdicts, marks and findings for every submission.

PATH may be files, folders (each file in one is a submission, each subfolder one student's) or globs; a roster
CSV names the students. Every path is checked before grading starts (a typo is one line and exit 2, never a
student's zero), and so is the ``-o`` folder. Each report is written the moment its submission is graded, and
with ``--session`` each result is committed to the session file as it arrives, so a stopped run keeps what it
finished and the same command resumes it. Without ``-o`` the reports go to stdout (JSON formats as one array
when there are several). Progress and the summary table go to stderr when the reports take stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from chainrule.cli.conventions import EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED, EXIT_WRONG, STDIN
from chainrule.errors import InputError

FORMAT_CHOICES = ("text", "md", "html", "json", "gradescope")
MAX_JOBS = 64
MAX_TIMEOUT_S = 86_400.0


def grade(
    assignment: Annotated[str, typer.Argument(help="Built-in assignment id (e.g. nyu-dl-hw1-2022) or a spec YAML.")],
    submissions: Annotated[
        list[str] | None,
        typer.Argument(help="Submission files, folders (one file or one subfolder per student) or globs; "
                       "- reads one from stdin."),
    ] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", "-r", help="CSV with student_id, name and optionally file columns.")
    ] = None,
    fmt: Annotated[
        Literal["text", "md", "html", "json", "gradescope"],
        typer.Option("--format", "-f", help="text, md, html, json or gradescope."),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="PATH", help="Write one report per submission here.")
    ] = None,
    session: Annotated[
        Path | None, typer.Option("--session", "-s", help="Record results in this SQLite session (resumable).")
    ] = None,
    regrade: Annotated[bool, typer.Option("--regrade", help="With --session: grade everything again.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Submissions graded in parallel.")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per submission.")] = 300.0,
) -> None:
    """Grade a class against an assignment: a verdict and marks per question, each finding at its line.

    A submission that cannot be read is bad input (exit 2) though the others are graded; exits 1 when some
    answer is wrong, as check does.
    """
    from chainrule.classroom.inputs import collect_submissions
    from chainrule.classroom.roster import read_roster
    from chainrule.classroom.run import grade_class
    from chainrule.classroom.specs import load_spec
    from chainrule.classroom.variants import grading_assignments, variant_labels
    from chainrule.output_folder import OutputFolder

    if fmt not in FORMAT_CHOICES:
        raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMAT_CHOICES)})", "--format")
    if not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"--jobs must be between 1 and {MAX_JOBS}", "--jobs")
    if not 0 < timeout <= MAX_TIMEOUT_S:  # also refuses nan and inf, which the wait would choke on
        raise InputError(f"--timeout must be positive and at most {MAX_TIMEOUT_S:g} seconds", "--timeout")
    if not submissions and roster is None:
        from typer._click.exceptions import UsageError  # typer vendors click
        from typer._click.globals import get_current_context

        raise UsageError("Missing argument 'submissions'. Give files, folders or globs, or a --roster naming files.",
                         get_current_context(silent=True))
    if regrade and session is None:
        raise InputError("--regrade re-grades a session: give --session too", "--regrade")
    spec, spec_text, spec_source = load_spec(assignment)
    paths = [path for path in submissions or [] if path != STDIN]
    class_list = collect_submissions(paths, read_roster(roster) if roster is not None else None, allow_empty=True)
    if STDIN in (submissions or []):
        class_list.submissions.append(_from_stdin())
    if not class_list.submissions:
        raise InputError("no submissions given", "PATH")
    for note in class_list.notes:
        typer.echo(f"note: {note}", err=True)
    inputs = [file for item in class_list.submissions for file in item.files]
    folder = OutputFolder(output, inputs) if output is not None else None
    store = _open_session(session, spec, spec_text, spec_source, class_list) if session is not None else None
    todo = store.add_submissions(class_list.submissions, variant_labels(spec, class_list.submissions),
                                 force=regrade) if store is not None else class_list.submissions
    if store is not None and len(todo) < len(class_list.submissions):
        typer.echo(f"session {session}: {len(class_list.submissions) - len(todo)} already graded, "
                   f"{len(todo)} to grade", err=True)
    to_stdout = folder is None and store is None
    names: dict[str, Path] = {}

    def finished(outcome, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        if store is not None:
            store.record(outcome)
        if not outcome.graded:
            typer.echo(f"error: {outcome.submission.source}: {outcome.failure}", err=True)
        if folder is not None and outcome.graded:
            names[outcome.submission.key] = _write_report(folder, outcome, fmt)
        if total > 1 or not to_stdout:
            where = f" → {names[outcome.submission.key]}" if outcome.submission.key in names else ""
            score = f"{outcome.result.score:g}/{outcome.result.max_score:g}" if outcome.graded else "not graded"
            typer.echo(f"[{done}/{total}] {outcome.submission.key}: {score}{where}", err=True)

    try:
        outcomes = grade_class(spec, todo, jobs=jobs, timeout=timeout, on_done=finished,
                               assignment_for=grading_assignments(spec))
        if to_stdout:
            _print_reports(outcomes, fmt)
        if len(class_list.submissions) > 1 or class_list.absent or not to_stdout:
            _print_summary(outcomes, class_list.absent, err=to_stdout, session=store)
    finally:
        if store is not None:
            store.close()
    if any(outcome.unreadable for outcome in outcomes):
        raise typer.Exit(EXIT_BAD_INPUT)
    if any(not outcome.graded for outcome in outcomes):
        raise typer.Exit(EXIT_FAILED)
    if any(_found_wrong(outcome.result) for outcome in outcomes):
        raise typer.Exit(EXIT_WRONG)


grade.__doc__ = f"{grade.__doc__}\n\n    {EXIT_CODES_HELP}"


def _found_wrong(result) -> bool:  # type: ignore[no-untyped-def]
    """Whether grading found a wrong answer: a wrong claim, or a question judged wrong."""
    from chainrule.grading.findings import QuestionVerdict, Verdict

    return any(question.verdict is QuestionVerdict.WRONG or any(f.verdict is Verdict.WRONG for f in question.findings)
               for question in result.questions)


def _from_stdin():  # type: ignore[no-untyped-def]
    """``-``: one submission read from standard input now (text formats only)."""
    from chainrule.classroom.inputs import ClassSubmission
    from chainrule.cli.conventions import read_input_text

    text, name = read_input_text(Path(STDIN))
    return ClassSubmission("stdin", (), name, text=text)


def _open_session(path, spec, spec_text, spec_source, class_list):  # type: ignore[no-untyped-def]
    from chainrule.classroom.session import Session

    store = Session.create(path, spec, spec_text, spec_source)
    store.set_absent(class_list.absent)
    return store


_FONT_FILES: dict[int, str] = {}  # output folder → the math font's name there, written once per run


def _write_report(folder, outcome, fmt: str) -> Path:  # type: ignore[no-untyped-def]
    from chainrule.reports.grade import FORMATS, render_grade

    options = {}
    if fmt == "html":  # the math font goes beside the pages once, not into each of them
        from chainrule.reports.page import write_font

        if id(folder) not in _FONT_FILES:
            _FONT_FILES[id(folder)] = write_font(folder)
        options = {"font": "link", "font_href": _FONT_FILES[id(folder)]}

    suffix = ".results.json" if fmt == "gradescope" else f".{FORMATS[fmt]}"
    return folder.write(f"{outcome.submission.key}{suffix}", render_grade(outcome.result, fmt, **options))


def _print_reports(outcomes, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from chainrule.reports.grade import render_grade

    if fmt in ("json", "gradescope"):
        from chainrule.reports.jsonout import dumps

        reports = [json.loads(render_grade(o.result, fmt)) if o.graded else
                   {"submission": o.submission.source, "graded": False, "error": o.failure} for o in outcomes]
        typer.echo(dumps(reports[0] if len(reports) == 1 else reports))
        return
    for outcome in outcomes:
        if outcome.graded:
            typer.echo(render_grade(outcome.result, fmt), nl=False)
        else:
            typer.echo(f"{outcome.submission.source}: not graded: {outcome.failure}")


def _print_summary(outcomes, absent, err: bool, session=None) -> None:  # type: ignore[no-untyped-def]
    """The class table: from this run's outcomes, or from the whole session (with people's decisions)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from chainrule.classroom.marks import class_marks
    from chainrule.classroom.summary import session_rows, summary_rows, totals_line

    table = Table(title="class summary", title_justify="left")
    for column in ("submission", "name", "score", "right", "partial", "wrong", "review", "missing", "note"):
        table.add_column(column, justify="right" if column in ("score",) else "left")
    rows = session_rows(class_marks(session)) if session is not None else summary_rows(outcomes, absent)
    for row in rows:
        counts = [str(row.counts.get(v, "")) if row.counts else "" for v in
                  ("right", "partial", "wrong", "review", "missing")]
        table.add_row(*(Text(cell) for cell in (row.key, row.name, row.score, *counts, row.note)))
    console = Console(file=sys.stderr if err else sys.stdout, width=120, highlight=False)
    console.print(table)
    if session is None:
        console.print(totals_line(outcomes, absent), markup=False, highlight=False)
    else:
        console.print(f"session {session.path}: {session.count('graded')} graded, {session.count('failed')} not "
                      f"graded, {session.count('pending')} still to grade", markup=False, highlight=False)
