"""Conceptual questions: graded by a person with the spec's rubric, model answer and known misconceptions."""

from __future__ import annotations

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.spec import Assignment, ConceptualQuestion


def solve(question: ConceptualQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    solution = QuestionSolution.of(
        question,
        rubric=list(question.rubric),
        model_answer=question.model_answer,
        graded_by="person",
    )
    solution.steps.append(Step(title="Model answer", text=question.model_answer))
    solution.answers["model_answer"] = Answer(
        label="model answer", tex=r"\text{see the model answer}", value=question.model_answer, boxed=False
    )
    for misconception in question.misconceptions:
        solution.notes.append(f"Common mistake — “{misconception.pattern}”: {misconception.note}")
    return solution
