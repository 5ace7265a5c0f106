"""Prof. You HW1 Q4: exact iterates and the stated conditions against plain float loops."""

from __future__ import annotations

import pytest


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
    assert answers["alpha=1.5:behaviour"].value == "oscillating convergence"
    assert answers["alpha=2.5:stop"].value == "never"
    assert answers["alpha=2:behaviour"].value == "constant oscillation"


def test_conditions_agree_with_simulation(solve_builtin) -> None:
    answers = solve_builtin("you-nndl-hw1").question("4.2").answers
    assert answers["oscillates"].value == "alpha > 1"
    assert answers["converges"].value == "0 < alpha < 2"
    for alpha in (0.1, 0.5, 0.9, 1.1, 1.5, 1.9, 2.1, 3.0):
        ws = _float_run(alpha, 200)
        signs = {w > 100.0 for w in ws[1:6]}
        assert (len(signs) == 2) == (alpha > 1), alpha  # the error alternates in sign exactly when α > 1
        assert (abs(ws[-1] - 100.0) < 1e-6) == (alpha < 2), alpha
    assert solve_builtin("you-nndl-hw1").question("4.3").graded_by == "both"
