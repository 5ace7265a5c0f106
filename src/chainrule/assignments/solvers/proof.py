"""Proof questions: the statement, a model proof, the rubric for a person, and a numeric demonstration.

The demonstration comes from ``chainrule.engine.demonstrations`` (named by its id, e.g. ``"ryu-hw3/5c"``): the
claim checked on concrete instances, with a plausible wrong claim run through the same check to show that
the check has teeth. It illustrates the statement; it proves nothing, and the solution says so.
"""

from __future__ import annotations

from typing import Any

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.spec import Assignment, Demonstration, ProofQuestion
from chainrule.errors import InputError

MAX_VALUE_CHARS = 160


def solve(question: ProofQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    solution = QuestionSolution.of(
        question,
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
        _demonstrate(solution, question.demonstration, question.id)
    return solution


def _demonstrate(solution: QuestionSolution, spec: Demonstration, question_id: str) -> None:
    from chainrule.engine.demonstrations import DEMONSTRATIONS, demonstrate

    where = f"questions[{question_id}].demonstration"
    if spec.name not in DEMONSTRATIONS:
        raise InputError(f"unknown demonstration {spec.name!r}; known: {', '.join(sorted(DEMONSTRATIONS))}", where)
    try:
        result = demonstrate(spec.name, **spec.params)
    except TypeError as error:
        raise InputError(f"bad parameters for demonstration {spec.name!r}: {error}", f"{where}.params") from None
    verdict = "holds on every instance tried" if result.passed else "FAILED on an instance (see the evidence)"
    solution.steps.append(
        Step(
            title="Numeric check",
            text=f"Not a proof: the claim “{result.claim}” checked on concrete instances {verdict}.",
            rule=f"demonstration {result.question}",
        )
    )
    for item in result.evidence:
        note = f" — {item.note}" if item.note else ""
        solution.steps.append(Step(text=f"{item.label}: `{_short(item.value)}`{note}"))
    for counter in result.counterexamples:
        caught = "is caught by the same check" if counter.caught else "is NOT caught by the same check"
        solution.steps.append(Step(text=f"The wrong claim “{counter.wrong_claim}” {caught}."))
    solution.answers["demo:passed"] = Answer(
        label="demonstration",
        tex=r"\text{passed}" if result.passed else r"\text{failed}",
        value=str(result.passed),
        boxed=False,
    )
    for item in result.evidence:
        solution.answers[f"demo:{item.label}"] = Answer(
            label=item.label, tex=r"\text{see the numeric check}", value=_short(item.value), boxed=False
        )


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
