"""Prof. You HW1 Q4: exact iterates against a float loop, thresholds against chainrule.engine.dynamics."""

from __future__ import annotations

import pytest

from chainrule.engine.dynamics import quadratic_thresholds


def _float_run(alpha: float, steps: int) -> list[float]:
    w, ws = 0.0, [0.0]
    for _ in range(steps):
        w -= alpha * 1.0 * (1.0 * w - 100.0)  # d/dw ½(xw − y)² with x = 1
        ws.append(w)
    return ws


@pytest.mark.parametrize("alpha", ["0.5", "1.5", "2.5"])
def test_iterates_match_a_float_loop(solve_builtin, alpha: str) -> None:
    answers = solve_builtin("you-nndl-hw1").question("4.1").answers
    ours = [float(v) for v in answers[f"alpha={alpha}:iterates"].value.split(", ")]
    assert ours == pytest.approx(_float_run(float(alpha), len(ours) - 1))


def test_behaviour_and_stopping(solve_builtin) -> None:
    answers = solve_builtin("you-nndl-hw1").question("4.2").answers
    assert answers["alpha=0.5:stop"].value == "7"  # 100·0.5^7 < 1 ≤ 100·0.5^6
    assert answers["alpha=1.5:behaviour"].value == "oscillates around the optimum and converges"
    assert answers["alpha=2.5:stop"].value == "never"
    assert answers["alpha=2:behaviour"].value == "oscillates forever with constant amplitude"


def test_conditions_agree_with_the_dynamics_engine(solve_builtin) -> None:
    answers = solve_builtin("you-nndl-hw1").question("4.2").answers
    thresholds = quadratic_thresholds("half", x=1)
    assert answers["oscillates"].value == f"alpha > {thresholds.at['one_step']}"
    assert answers["converges"].value == f"0 < alpha < {thresholds.at['constant_oscillation']}"
    assert solve_builtin("you-nndl-hw1").question("4.3").graded_by == "both"
