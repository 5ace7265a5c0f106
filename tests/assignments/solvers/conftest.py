"""Solved built-in assignments, shared by the solver tests (solving is the slow part; do it once)."""

from __future__ import annotations

import pytest

from chainrule.assignments.loader import load_assignment
from chainrule.assignments.solution import Solution
from chainrule.assignments.solvers import SolveOptions, solve_assignment

_CACHE: dict[str, Solution] = {}


def solved(assignment_id: str) -> Solution:
    if assignment_id not in _CACHE:
        _CACHE[assignment_id] = solve_assignment(load_assignment(assignment_id), SolveOptions(run_experiments=False))
    return _CACHE[assignment_id]


@pytest.fixture(scope="session")
def solve_builtin():
    return solved
