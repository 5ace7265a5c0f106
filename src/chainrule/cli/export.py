"""``chainrule export …``: a session's gradebook and feedback pages; graders for Gradescope and PrairieLearn.

The first two read a grading session (decisions included); the last two package a spec with chainrule for a
platform to run on each submission. Every file is written atomically, and a folder is checked before writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError

Session = Annotated[Path, typer.Argument(help="The grading session file (made by chainrule grade --session).")]
Spec = Annotated[str, typer.Argument(help="Built-in assignment id or a spec YAML.")]
Pending = Annotated[
    str, typer.Option("--pending", help="How questions awaiting a person count meanwhile: exclude, zero or full.")
]


def gradebook(
    session: Session,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="PATH", help="CSV file to write.")] = None,
) -> None:
    """The gradebook CSV: one row per student, one column per question, automatic/reviewed/pending and totals."""
    from chainrule.classroom.exports import gradebook_csv
    from chainrule.classroom.session import Session as Store
    from chainrule.cli.conventions import emit

    with Store.open(session) as store:
        emit(gradebook_csv(store), output)


def feedback(
    session: Session,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Folder for the pages.")],
) -> None:
    """One HTML page per student: their own work with chainrule's findings, marks and the staff's comments."""
    from chainrule.classroom.exports import feedback_pages
    from chainrule.classroom.session import Session as Store
    from chainrule.output_folder import OutputFolder

    with Store.open(session) as store:
        folder = OutputFolder(output, store.input_files())
        count = 0
        for key, page in feedback_pages(store):
            folder.write(f"{key}.html", page)
            count += 1
    typer.echo(f"wrote {count} feedback pages to {output}", err=True)


def gradescope(
    spec: Spec,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="PATH", help="The autograder zip to write.")],
    pending: Pending = "exclude",
    visibility: Annotated[
        str, typer.Option("--visibility", help="When students see results: hidden, after_due_date, "
                          "after_published or visible.")
    ] = "after_published",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per submission.")] = 240.0,
) -> None:
    """A Gradescope autograder zip (setup.sh, run_autograder, the spec and chainrule) to upload as it is."""
    from chainrule.classroom.autograders import gradescope_zip
    from chainrule.classroom.specs import load_spec
    from chainrule.output_folder import write_atomically

    config = _config(pending, visibility, timeout)
    _, text, _ = load_spec(spec)
    if output.is_dir():
        raise InputError("is a folder; give the zip's file name", str(output))
    if not output.parent.is_dir():
        raise InputError("the folder for this file does not exist", str(output))
    write_atomically(output, gradescope_zip(text, config))
    typer.echo(f"wrote {output}: upload it as the assignment's autograder", err=True)


def prairielearn(
    spec: Spec,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Folder for the grader's files.")],
    pending: Pending = "exclude",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per submission.")] = 240.0,
) -> None:
    """A PrairieLearn external grader: the question's tests/ (entry point, spec), a Dockerfile and a README."""
    from chainrule.classroom.autograders import prairielearn_files
    from chainrule.classroom.specs import load_spec
    from chainrule.output_folder import OutputFolder, write_atomically

    config = _config(pending, "after_published", timeout)
    _, text, _ = load_spec(spec)
    root = OutputFolder(output)
    for name, data, executable in prairielearn_files(text, config):
        target = root.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        if executable:
            target.chmod(0o755)
    typer.echo(f"wrote the PrairieLearn grader to {output} (see README.txt there)", err=True)


def _config(pending: str, visibility: str, timeout: float):  # type: ignore[no-untyped-def]
    from chainrule.classroom.platforms import GRADESCOPE_VISIBILITY, PENDING_POLICIES, PlatformConfig

    if pending not in PENDING_POLICIES:
        raise InputError(f"choose one of {', '.join(PENDING_POLICIES)}", "--pending")
    if visibility not in GRADESCOPE_VISIBILITY:
        raise InputError(f"choose one of {', '.join(GRADESCOPE_VISIBILITY)}", "--visibility")
    if not 0 < timeout <= 3600:
        raise InputError("between 0 and 3600 seconds", "--timeout")
    return PlatformConfig(pending, visibility, timeout)


COMMANDS = [("gradebook", gradebook), ("feedback", feedback), ("gradescope", gradescope),
            ("prairielearn", prairielearn)]
