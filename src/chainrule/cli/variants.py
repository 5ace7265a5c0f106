"""``chainrule variants SPEC --roster R -o DIR``: each student's own assignment and answer key.

The numbers the spec marks as varying are chosen per student from the spec's seed, so running this again
gives the same files, and ``chainrule grade`` grades each student against the truth of their own numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError


def variants(
    spec: Annotated[str, typer.Argument(help="A spec YAML with a variants section (or a built-in id).")],
    roster: Annotated[Path, typer.Option("--roster", "-r", help="CSV with a student_id column (and name).")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Folder: one subfolder per student.")],
) -> None:
    """Write every student's assignment (Markdown, HTML) and answer key, and variants.csv with their numbers."""
    from chainrule.classroom.inputs import slug
    from chainrule.classroom.roster import read_roster
    from chainrule.classroom.specs import load_spec
    from chainrule.classroom.variants import student_files, variants_table
    from chainrule.output_folder import OutputFolder, write_atomically

    assignment, _, _ = load_spec(spec)
    if assignment.variants is None:
        raise InputError("this spec has no variants section: every student would get the same numbers", spec)
    students = read_roster(roster).students
    root = OutputFolder(output)
    root.write("variants.csv", variants_table(assignment, students))
    for student in students:
        folder = root.path / slug(student.id)
        folder.mkdir(exist_ok=True)
        for name, content in student_files(assignment, student):
            write_atomically(folder / name, content.encode("utf-8"))
    typer.echo(f"wrote {len(students)} variants of {assignment.id} to {output}", err=True)
