"""Write each student's own assignment and answer key, and pick each student's truth when grading.

The numbers come from :mod:`chainrule.assignments.variants` (the spec's ``variants`` section); this module
puts them to use for a class: a folder per student with the assignment (Markdown and HTML) and the key
(the solved variant), a ``variants.csv`` listing every student's numbers, and the per-student spec that
``chainrule grade`` grades each submission against.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence

from chainrule.assignments.spec import Assignment
from chainrule.assignments.variants import default_values, fill_placeholders, variant_for
from chainrule.classroom.inputs import ClassSubmission
from chainrule.classroom.roster import Student


def assignment_markdown(assignment: Assignment) -> str:
    """The assignment as handed out: title, then each question with its marks and prompt."""
    values = default_values(assignment)  # a spec shown outside any variant shows its own numbers
    lines = [f"# {assignment.title}", "", f"*{assignment.source}*", ""]
    for question in assignment.questions:
        marks = f" ({question.marks:g} marks)" if question.marks else ""
        title = f": {question.title}" if question.title else ""
        lines += [f"## Question {question.id}{title}{marks}", "", fill_placeholders(question.prompt, values), ""]
        statement = getattr(question, "statement", None)
        if statement:
            lines += [fill_placeholders(statement, values), ""]
    return "\n".join(lines)


def assignment_html(assignment: Assignment) -> str:
    """The assignment as one safe page (the report template: escaped, MathML, no script)."""
    from chainrule.reports.page import markdown_page

    return markdown_page(assignment.title, assignment_markdown(assignment))


def student_files(assignment: Assignment, student: Student) -> Iterator[tuple[str, str]]:
    """``(file name, content)``: the student's assignment and key, in Markdown and HTML."""
    from chainrule.assignments.solvers import solve_assignment
    from chainrule.reports.solution_html import solution_html
    from chainrule.reports.solution_markdown import solution_markdown

    own, _ = variant_for(assignment, student.id)
    yield "assignment.md", assignment_markdown(own)
    yield "assignment.html", assignment_html(own)
    solution = solve_assignment(own)
    yield "key.md", solution_markdown(solution)
    yield "key.html", solution_html(solution)


def variants_table(assignment: Assignment, students: Sequence[Student]) -> str:
    """``variants.csv``: student id, name and every varying number's value."""
    names = [item.name for item in assignment.variants.vary] if assignment.variants else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", *names])
    for student in students:
        _, values = variant_for(assignment, student.id)
        writer.writerow([student.id, student.name, *(values.get(name, "") for name in names)])
    return buffer.getvalue()


def grading_assignments(assignment: Assignment) -> Callable[[ClassSubmission], Assignment] | None:
    """For ``grade_class``: each submission's own variant (by its roster id, else its key); None without variants."""
    if assignment.variants is None:
        return None
    cache: dict[str, Assignment] = {}

    def own(item: ClassSubmission) -> Assignment:
        student = item.student or item.key
        if student not in cache:
            cache[student] = variant_for(assignment, student)[0]
        return cache[student]

    return own


def variant_labels(assignment: Assignment, submissions: Sequence[ClassSubmission]) -> dict[str, str]:
    """Each submission's numbers as text (stored in the session, so a changed seed re-grades)."""
    if assignment.variants is None:
        return {}
    return {item.key: ", ".join(f"{name}={value}" for name, value in
                                variant_for(assignment, item.student or item.key)[1].items())
            for item in submissions}
