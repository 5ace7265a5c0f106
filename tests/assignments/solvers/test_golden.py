"""Solving the five original built-ins gives exactly the answers recorded in ``golden/`` (no silent regression)."""

from __future__ import annotations

import json

import pytest

from assignments.solvers.golden_answers import ORIGINAL_BUILTINS, answers_of, golden_path


@pytest.mark.parametrize("assignment_id", ORIGINAL_BUILTINS)
def test_answers_match_the_golden_file(solve_builtin, assignment_id: str) -> None:
    expected = json.loads(golden_path(assignment_id).read_text(encoding="utf-8"))
    got = answers_of(solve_builtin(assignment_id))
    assert sorted(got) == sorted(expected)
    for question_id, answers in expected.items():
        assert got[question_id] == answers, question_id
