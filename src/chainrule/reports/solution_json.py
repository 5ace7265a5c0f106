"""A worked solution as JSON: ``{"assignment": ID, "questions": [{"id", "answers", "steps", ...}]}``.

The document is the :class:`~chainrule.assignments.solution.Solution` model itself, so
``Solution.model_validate_json(solution_json(s))`` gives ``s`` back (tested).
"""

from __future__ import annotations

from chainrule.assignments.solution import Solution


def solution_json(solution: Solution, indent: int | None = 2) -> str:
    return solution.model_dump_json(indent=indent)


def load_solution_json(text: str) -> Solution:
    return Solution.model_validate_json(text)
