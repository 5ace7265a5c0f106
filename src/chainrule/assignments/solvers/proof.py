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
DEMONSTRATION_TIMEOUT_S = 60.0
# Options a spec may not set: ``timeout`` is ours to bound, and ``functions`` takes SymPy expressions, which a
# spec cannot give without text being turned into code (SymPy's lambdify evaluates strings).
RESERVED_OPTIONS = frozenset({"timeout", "functions"})


def spec_options(params: dict[str, Any], where: str) -> dict[str, Any]:
    """A spec's demonstration options, checked to be plain numbers or short lists of numbers.

    Demonstrations are written for numbers; anything else (a string, a mapping) would reach NumPy, SymPy or
    ``lambdify`` unchecked. So only ints, finite floats and lists of at most 100 of them pass.
    """
    import math

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

    checked: dict[str, Any] = {}
    for key, value in params.items():
        if key in RESERVED_OPTIONS:
            raise InputError(f"option {key!r} cannot be set from a spec", f"{where}.{key}")
        if not (number(value) or (isinstance(value, list) and len(value) <= 100 and all(map(number, value)))):
            raise InputError("demonstration options are numbers or lists of numbers", f"{where}.{key}")
        checked[key] = value
    return checked


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
    from chainrule.engine.bounded import call_bounded
    from chainrule.errors import ChainruleError

    options = spec_options(spec.params, f"{where}.params")
    try:  # bounded: options such as a huge rate or number of starts would otherwise run for hours
        result = call_bounded(demonstrate, spec.name, timeout=DEMONSTRATION_TIMEOUT_S, **options)
    except InputError:
        raise
    except ChainruleError as error:
        message = str(error).splitlines()[0].removeprefix("InputError: ")
        raise InputError(f"demonstration {spec.name!r} failed: {message}", f"{where}.params") from None
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
