"""Variants for a class: files per student, and grading against each student's own truth."""

import csv
from pathlib import Path

from typer.testing import CliRunner

from chainrule.assignments.loader import load_assignment
from chainrule.assignments.solvers import solve_assignment
from chainrule.assignments.variants import variant_for
from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.roster import parse_roster
from chainrule.classroom.run import grade_class
from chainrule.classroom.variants import grading_assignments
from chainrule.cli.app import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "class" / "hw-backprop.yaml"


def forward_answer(assignment, student):
    """A right answer to question 2 for this student's own numbers."""
    own, _ = variant_for(assignment, student)
    answers = next(q for q in solve_assignment(own).questions if q.id == "2").answers
    return f"## Question 2\n\n$$f(x) = {answers['f'].value}$$\n\n$$L = {answers['L'].value}$$\n"


def test_each_student_is_graded_against_their_own_numbers(tmp_path):
    assignment = load_assignment(EXAMPLE)
    students = ["s101", "s105", "s106"]  # three different (x, y): see variants.csv
    folder = tmp_path / "subs"
    folder.mkdir()
    for student in students:
        (folder / f"{student}.md").write_text(forward_answer(assignment, student), encoding="utf-8")
    (folder / "copycat.md").write_text(forward_answer(assignment, "s106"), encoding="utf-8")
    roster = parse_roster("id,name\ns101,A\ns105,B\ns106,C\ncopycat,D\n", "r.csv")
    found = collect_submissions([folder], roster)
    outcomes = grade_class(assignment, found.submissions, assignment_for=grading_assignments(assignment))
    verdicts = {o.submission.key: next(q for q in o.result.questions if q.id == "2").verdict.value
                for o in outcomes}
    assert verdicts == {"s101": "right", "s105": "right", "s106": "right", "copycat": "wrong"}


def test_the_variants_command_writes_every_students_files(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\ns101,Ada\ns105,Emmy\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["variants", str(EXAMPLE), "--roster", str(roster), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for student in ("s101", "s105"):
        assert {p.name for p in (out / student).iterdir()} == {"assignment.md", "assignment.html", "key.md",
                                                               "key.html"}
    rows = list(csv.DictReader((out / "variants.csv").open(encoding="utf-8")))
    assert [row["student_id"] for row in rows] == ["s101", "s105"]
    assert f"$x = {rows[1]['x']}$" in (out / "s105" / "assignment.md").read_text(encoding="utf-8")
    again = tmp_path / "again"
    CliRunner().invoke(app, ["variants", str(EXAMPLE), "--roster", str(roster), "-o", str(again)])
    # reproducible (the keys' worked steps may differ where a time-bounded CAS step ran out on a busy machine)
    assert (again / "variants.csv").read_text() == (out / "variants.csv").read_text()
    assert (again / "s105" / "assignment.md").read_text() == (out / "s105" / "assignment.md").read_text()
    result = CliRunner().invoke(app, ["variants", "ama564-a1", "--roster", str(roster), "-o", str(out)])
    assert result.exit_code == 2 and "no variants section" in result.output
