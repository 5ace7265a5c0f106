"""Worked solutions: one solver per question type, found by the question's ``type``.

``solve_assignment(assignment)`` returns a :class:`~chainrule.assignments.solution.Solution` with every
question solved. A solver computes its answers from the engine (never from stored answers) and returns them
beside the steps that justify them. Importing this package is cheap; each solver imports what it needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from chainrule.assignments.solution import QuestionSolution, Solution
from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.errors import ChainruleError, InputError

__all__ = ["SOLVERS", "SolveOptions", "conventions_text", "solve_assignment", "solve_question"]


@dataclass(frozen=True)
class SolveOptions:
    """``run_experiments``: train the PyTorch experiments (seconds each) instead of only describing them."""

    run_experiments: bool = True
    experiment_epochs: int | None = None  # None: the spec's epochs; tests pass fewer


# question type → (module under chainrule.assignments.solvers, function)
SOLVERS: dict[str, tuple[str, str]] = {
    "activation_derivative": ("activation", "solve"),
    "mlp_numeric": ("mlp", "solve"),
    "symbolic_backprop": ("backprop", "solve"),
    "matrix_gradient": ("matrix", "solve"),
    "gd_dynamics": ("dynamics", "solve"),
    "parameter_count": ("counting", "solve"),
    "training_experiment": ("experiment", "solve"),
    "proof": ("proof", "solve"),
    "conceptual": ("conceptual", "solve"),
}

Solver = Callable[[QuestionBase, Assignment, SolveOptions], QuestionSolution]


def _solver(question_type: str) -> Solver:
    module, function = SOLVERS[question_type]
    return getattr(importlib.import_module(f"chainrule.assignments.solvers.{module}"), function)


def solve_question(
    question: QuestionBase, assignment: Assignment, options: SolveOptions | None = None
) -> QuestionSolution:
    """The worked solution of one question; an error in it names the question (``questions[1b].x: ...``)."""
    where = f"questions[{question.id}]"
    try:
        return _solver(question.type)(question, assignment, options or SolveOptions())
    except InputError as error:
        if error.where and error.where.startswith(where):
            raise
        raise InputError(error.message, f"{where}.{error.where}" if error.where else where) from None
    except ChainruleError as error:  # a shape mismatch, a CAS timeout: still this spec's question at fault
        raise InputError(str(error).splitlines()[0], where) from None


def conventions_text(assignment: Assignment) -> list[str]:
    conventions = assignment.conventions
    layout = {
        "numerator": "numerator layout: ∂ℓ/∂W of a K×m matrix W is m×K, "
        "the derivative of a scalar by a column is a row",
        "denominator": "gradients have the shape of the variable (denominator layout)",
    }[conventions.layout]
    loss = {
        "half_squared": "squared loss ½(f − y)²",
        "squared": "squared loss ‖ŷ − y‖² (no ½)",
        "mean_squared": "squared loss averaged over samples (no ½)",
        "half_mean_squared": "squared loss ½(f − y)² averaged over samples",
    }[conventions.squared_loss]
    kink = {0: "ReLU′(0) = 0 (PyTorch's choice)", 1: "ReLU′(0) = 1", "undefined": "ReLU′(0) left undefined"}[
        conventions.relu_derivative_at_zero
    ]
    return [layout, loss, kink]


def solve_assignment(assignment: Assignment, options: SolveOptions | None = None) -> Solution:
    """Solve every question of ``assignment`` in order."""
    options = options or SolveOptions()
    return Solution(
        assignment=assignment.id,
        title=assignment.title,
        source=assignment.source,
        conventions=conventions_text(assignment),
        questions=[solve_question(question, assignment, options) for question in assignment.questions],
    )
