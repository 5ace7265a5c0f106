"""Stage 3, what is asked: assignment specs (YAML, validated by pydantic) and their worked solutions.

``load_assignment("ama564-a1")`` (or a path) gives an :class:`Assignment`; ``solve_assignment`` gives its
:class:`Solution`, every answer computed by the engine beside the steps that justify it. See
:mod:`chainrule.assignments.spec` for how a grader obtains each question's truth.
"""

from chainrule.assignments.loader import builtin_ids, load_assignment, parse_assignment
from chainrule.assignments.solution import Answer, PlotRequest, QuestionSolution, Solution, Step
from chainrule.assignments.solvers import SolveOptions, solve_assignment, solve_question
from chainrule.assignments.spec import Assignment, Conventions, assignment_json_schema, heading_key

__all__ = [
    "Answer",
    "Assignment",
    "Conventions",
    "PlotRequest",
    "QuestionSolution",
    "Solution",
    "SolveOptions",
    "Step",
    "assignment_json_schema",
    "builtin_ids",
    "heading_key",
    "load_assignment",
    "parse_assignment",
    "solve_assignment",
    "solve_question",
]
