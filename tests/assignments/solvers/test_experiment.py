"""Ryu HW3 P1–P2: the parameter count against torch, and a short training run through the fast path."""

from __future__ import annotations

import math

import pytest
import torch

from chainrule.assignments.loader import load_assignment
from chainrule.assignments.solvers import SolveOptions, solve_question


def test_parameter_count_matches_torch(solve_builtin) -> None:
    model = torch.nn.Sequential(torch.nn.Linear(1, 64), torch.nn.Sigmoid(), torch.nn.Linear(64, 64),
                                torch.nn.Sigmoid(), torch.nn.Linear(64, 1))
    expected = sum(p.numel() for p in model.parameters())
    for question in ("1", "2"):
        assert solve_builtin("ryu-mathdnn-hw3").question(question).answers["parameters"].value == str(expected)
    assert expected == 4353


def test_without_training_the_setup_is_stated_and_says_so(solve_builtin) -> None:
    question = solve_builtin("ryu-mathdnn-hw3").question("2")
    assert any("not run" in note for note in question.notes)
    assert question.rubric and question.model_answer and "4353" in question.model_answer


def test_short_training_run_reports_a_fit() -> None:
    pytest.importorskip("chainrule.experiments.fused")
    assignment = load_assignment("ryu-mathdnn-hw3")
    solution = solve_question(assignment.question("2"), assignment,
                              SolveOptions(run_experiments=True, experiment_epochs=3))
    loss = float(solution.answers["train_loss"].value)
    assert math.isfinite(loss) and loss > 0
    kinds = [plot.kind for plot in solution.plots]
    assert kinds == ["training_fit", "function_curve"]
    fit = solution.plots[0].data
    assert len(fit["x"]) == len(fit["y"]) == 512 and len(fit["grid"]) == len(fit["fitted"])
    assert len(solution.plots[1].data["y"]) == 3  # one loss per epoch


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"target": {"tex": r"\sin x", "tree": ["sin", "x"]}}, "target"),
        ({"activation": {"name": "relu"}}, "sigmoid"),
        ({"init_weight_std": 2}, "N(0, 1)"),
        ({"widths": [1, 100_000, 1]}, "widths"),
        ({"epochs": 100_000, "data_points": 100_000}, "too large"),
    ],
)
def test_experiments_the_training_path_cannot_run_are_described_not_trained_wrongly(change, why) -> None:
    # The fused trainer implements Ryu HW3 only: training another target with it would report a wrong fit.
    assignment = load_assignment("ryu-mathdnn-hw3")
    original = assignment.question("2")
    question = type(original).model_validate({**original.model_dump(), **change})
    solution = solve_question(question, assignment, SolveOptions(run_experiments=True, experiment_epochs=1))
    assert "train_loss" not in solution.answers and not solution.plots
    assert any(why in note and note.startswith("Training:") for note in solution.notes), solution.notes


def test_a_single_bias_is_singular() -> None:
    from chainrule.assignments.solvers.counting import parameter_count_steps

    total, steps = parameter_count_steps([3, 2, 1])
    assert total == (3 * 2 + 2) + (2 * 1 + 1)
    assert steps[0].text.endswith("and 2 biases") and steps[1].text.endswith("and 1 bias")


def test_noise_verdicts_separate_memorising_fitting_and_not_fitting() -> None:
    from chainrule.assignments.solvers.experiment import noise_verdict

    assert "fit the noise" in noise_verdict(0.05, 0.25)
    assert "fits f⋆ without memorising" in noise_verdict(0.3, 0.25)
    assert "not yet fitted" in noise_verdict(1.137, 0.25)  # Ryu HW3 P2, seed 0: loss 1.137 against 0.25
