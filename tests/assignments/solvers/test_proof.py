"""Proof questions: model proof, rubric, and the engine's demonstration rendered; the model answers' claims are
re-checked here by separate computations."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.assignments.loader import load_assignment, parse_assignment
from chainrule.assignments.solvers import SolveOptions, solve_question
from chainrule.assignments.spec import ProofQuestion
from chainrule.errors import InputError

PROOFS = [
    ("ama564-a1", "2"),
    ("ama564-a1", "3"),
    ("ryu-mathdnn-hw3", "3a"),
    ("ryu-mathdnn-hw3", "3b"),
    ("ryu-mathdnn-hw3", "4"),
    ("ryu-mathdnn-hw3", "5a"),
    ("ryu-mathdnn-hw3", "5b"),
    ("ryu-mathdnn-hw3", "5c"),
    ("ryu-mathdnn-hw3", "6"),
    ("ryu-mathdnn-hw3", "7"),
]


@pytest.mark.parametrize(("assignment", "question"), PROOFS)
def test_proof_has_model_answer_rubric_and_a_passing_check(solve_builtin, assignment: str, question: str) -> None:
    solution = solve_builtin(assignment).question(question)
    assert solution.graded_by == "person" and solution.rubric and solution.model_answer
    assert solution.answers["demo:passed"].value == "True"
    assert any(step.title == "Numeric check" for step in solution.steps)
    assert any(step.text and "is caught by the same check" in step.text for step in solution.steps)
    assert not any(answer.boxed for answer in solution.answers.values())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _mlp(weights, biases, x, activation):
    h = x
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = w @ h + b
        if index < len(weights) - 1:
            h = activation(h)
    return h


def test_model_answer_construction_for_5c_reproduces_the_sigmoid_network() -> None:
    # The model answer's weights: C1 = A1/2, d1 = b1/2; Cl = Al/4, dl = bl/2 + Al 1/4; CL = AL/2, dL = bL + AL 1/2.
    rng = np.random.default_rng(11)
    widths = [3, 5, 4, 4, 2]
    a = [rng.normal(size=(widths[i + 1], widths[i])) for i in range(len(widths) - 1)]
    b = [rng.normal(size=(widths[i + 1], 1)) for i in range(len(widths) - 1)]
    last = len(a) - 1
    c = [a[0] / 2] + [w / 4 for w in a[1:last]] + [a[last] / 2]
    d = (
        [b[0] / 2]
        + [b[i] / 2 + a[i].sum(axis=1, keepdims=True) / 4 for i in range(1, last)]
        + [b[last] + a[last].sum(axis=1, keepdims=True) / 2]
    )
    x = rng.normal(size=(3, 40))
    assert np.allclose(_mlp(a, b, x, _sigmoid), _mlp(c, d, x, np.tanh), atol=1e-12)


def test_model_answer_closed_form_for_3b() -> None:
    for k, lam in ((2, 0.5), (5, 3.0), (10, 20.0)):
        scores = np.zeros(k)
        scores[0] = lam
        loss = -(scores[0] - np.log(np.exp(scores).sum()))
        assert loss == pytest.approx(np.log1p((k - 1) * np.exp(-lam)))


def test_unknown_demonstration_is_a_located_input_error() -> None:
    assignment = load_assignment("ryu-mathdnn-hw3")
    question = assignment.question("5a")
    assert isinstance(question, ProofQuestion)
    broken = question.model_copy(update={"demonstration": question.demonstration.model_copy(update={"name": "nope"})})
    with pytest.raises(InputError, match=r"questions\[5a\].demonstration: unknown demonstration 'nope'"):
        solve_question(broken, assignment)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("{functions: [\"__import__('os').getpid()\", x]}", "cannot be set from a spec"),
        ("{timeout: 1000000000000}", "cannot be set from a spec"),
        ("{points: abc}", "numbers or lists of numbers"),
        ("{points: {a: 1}}", "numbers or lists of numbers"),
        ("{starts: 0}", "failed"),  # the demonstration's own IndexError, reported as the spec's error
    ],
)
def test_spec_demonstration_options_are_numbers_only(params: str, message: str) -> None:
    name = "ryu-hw1/3" if "starts" in params else "ryu-hw3/4"
    spec = parse_assignment(
        "id: s\ntitle: t\nsource: s\nquestions:\n  - {id: a, prompt: p, type: proof, statement: s, rubric: [r],"
        f" model_answer: m, demonstration: {{name: {name}, params: {params}}}}}\n"
    )
    with pytest.raises(InputError, match=message) as caught:
        solve_question(spec.questions[0], spec, SolveOptions(run_experiments=False))
    assert caught.value.where.startswith("questions[a].demonstration.params")


def test_a_runaway_demonstration_is_stopped(monkeypatch) -> None:
    from chainrule.assignments.solvers import proof

    monkeypatch.setattr(proof, "DEMONSTRATION_TIMEOUT_S", 0.5)
    spec = parse_assignment(
        "id: s\ntitle: t\nsource: s\nquestions:\n  - {id: a, prompt: p, type: proof, statement: s, rubric: [r],"
        " model_answer: m, demonstration: {name: ryu-hw1/3, params: {starts: 1000000000000}}}\n"
    )
    with pytest.raises(InputError, match="longer than"):
        solve_question(spec.questions[0], spec, SolveOptions(run_experiments=False))
