"""``chainrule solve ASSIGNMENT``: a worked solution of every question, as Markdown, HTML or JSON.

ASSIGNMENT is a built-in id (``chainrule solve ama564-a1``) or a spec file. Markdown and HTML go into a
folder beside their plots; JSON is printed (and written too when ``-o`` is given).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def solve(
    assignment: Annotated[str, typer.Argument(help="Built-in id (e.g. ama564-a1) or path to a spec YAML file.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH",
                     help="Folder for the document and its plots (default: solution-<id>)."),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="md, html or json.")] = Format.md,
    train: Annotated[
        bool, typer.Option("--train/--no-train", help="Run the training experiments (seconds each).")
    ] = True,
    embed_images: Annotated[
        bool, typer.Option("--embed-images", help="HTML: put the plots inside the page as data URIs.")
    ] = False,
) -> None:
    """Solve every question of an assignment, step by step, with boxed answers and plots."""
    from chainrule.assignments.loader import load_assignment
    from chainrule.assignments.solvers import SolveOptions, solve_assignment
    from chainrule.errors import InputError
    from chainrule.reports.solution_json import solution_json

    spec = load_assignment(assignment)
    if output is not None and output.exists() and not output.is_dir():  # fail before minutes of solving
        raise InputError("exists and is not a folder", "--output")
    if output is not None and not output.exists() and not _creatable(output):
        raise InputError("cannot create the output folder here", "--output")
    from chainrule.cli.progress import spinner

    try:
        with spinner(f"solving {spec.id}"):
            solution = solve_assignment(spec, SolveOptions(run_experiments=train))
    except InputError as error:  # name the spec too: the question path alone does not say which file
        raise InputError(error.message, f"{assignment}: {error.where}" if error.where else assignment) from None
    if format == Format.json and output is None:
        typer.echo(solution_json(solution))
        return
    folder = output if output is not None else Path(f"solution-{spec.id}")
    written = write_solution(solution, folder, format, embed_images=embed_images)
    if format == Format.json:
        typer.echo(solution_json(solution))
    else:
        typer.echo(f"wrote {written}")


def _creatable(folder: Path) -> bool:
    """Whether the nearest existing ancestor of ``folder`` is a folder we may write into."""
    import os

    parent = folder.absolute().parent
    while not parent.exists():
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)


def write_solution(solution: object, folder: Path, format: Format, *, embed_images: bool = False) -> Path:
    """Draw the plots and write the document into ``folder``; return the document's path."""
    from chainrule.errors import InputError
    from chainrule.reports.plots import render_plots
    from chainrule.reports.solution_html import solution_html
    from chainrule.reports.solution_json import solution_json
    from chainrule.reports.solution_markdown import solution_markdown

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the output folder: {error.strerror or error}", "--output") from None
    render_plots(solution, folder)
    if format == Format.md:
        text = solution_markdown(solution)
    elif format == Format.html:
        from chainrule.reports.page import write_assets

        if not embed_images:  # one portable file embeds the math font too; otherwise it goes beside the page
            write_assets(folder)
        text = solution_html(solution, image_dir=str(folder), embed_images=embed_images,
                             font="embed" if embed_images else "link")
    else:
        text = solution_json(solution)
    target = folder / f"{solution.assignment}.{format.value}"
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write the solution: {error.strerror or error}", str(target)) from None
    return target
