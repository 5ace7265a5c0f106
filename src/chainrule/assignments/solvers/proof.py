"""Proof questions: the statement, a model proof, the rubric for a person, and a numeric demonstration."""

from __future__ import annotations

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.solvers.demonstrations import run_demonstration
from chainrule.assignments.spec import Assignment, ProofQuestion


def solve(question: ProofQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    solution = QuestionSolution(
        id=question.id,
        title=question.title,
        type=question.type,
        marks=question.marks,
        prompt=question.prompt,
        rubric=list(question.rubric),
        model_answer=question.model_answer,
        graded_by="person",
    )
    solution.answers["statement"] = Answer(
        label="to show", tex=r"\text{see the statement}", value=question.statement, boxed=False
    )
    solution.steps.append(Step(title="To show", text=question.statement))
    solution.steps.append(Step(title="Proof", text=question.model_answer))
    if question.demonstration is not None:
        steps, answers = run_demonstration(question.demonstration.name, dict(question.demonstration.params))
        solution.steps.append(Step(title="Numeric check", text="Not a proof: one instance of the statement, computed."))
        solution.steps.extend(steps)
        for key, answer in answers.items():
            solution.answers[f"demo:{key}"] = answer.model_copy(update={"boxed": False})
    return solution
