"""Every question of every built-in assignment gets a worked solution, with nothing left as a placeholder."""

from __future__ import annotations

import pytest

from chainrule.assignments.loader import builtin_ids, load_assignment

PLACEHOLDERS = ("TODO", "TBD", "placeholder", "lorem", "FIXME", "NotImplemented")


@pytest.mark.parametrize("assignment_id", sorted(builtin_ids()))
def test_every_question_is_solved(solve_builtin, assignment_id: str) -> None:
    spec = load_assignment(assignment_id)
    solution = solve_builtin(assignment_id)
    assert [q.id for q in solution.questions] == [q.id for q in spec.questions]
    for question in solution.questions:
        assert question.steps, question.id
        assert question.answers or question.rubric, question.id
        if question.graded_by != "chainrule":
            assert question.rubric, question.id
        text = question.model_dump_json()
        for marker in PLACEHOLDERS:
            assert marker not in text, (question.id, marker)
