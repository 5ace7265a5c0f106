"""Prof. You HW1 Q4: exact iterates and the stated conditions against plain float loops."""

from __future__ import annotations

import pytest

from chainrule.assignments.loader import parse_assignment
from chainrule.assignments.solvers import SolveOptions, solve_question


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


def test_iterates_too_long_to_read_are_rounded_but_right() -> None:
    # With α = 1/3 − 10⁻¹³ the exact iterates have thousands of digits after 200 steps (Python will not even
    # print them); they are shown rounded, and the rounding agrees with an independent float recursion.
    spec = parse_assignment(
        "id: long\ntitle: t\nsource: s\nquestions:\n  - id: q\n    type: gd_dynamics\n    prompt: p\n"
        "    x: 3\n    y: 7\n    step_sizes: [0.3333333333333]\n    steps: 200\n    asks: [iterates, conditions]\n"
    )
    answers = solve_question(spec.questions[0], spec, SolveOptions(run_experiments=False)).answers
    shown = answers["alpha=0.3333333333333:iterates"].value.split(", ")
    assert len(shown) == 201 and any(v.startswith("≈") for v in shown) and max(map(len, shown)) < 60
    w, alpha = 0.0, 0.3333333333333
    for t, value in enumerate(shown):
        assert float(value.lstrip("≈")) == pytest.approx(w, rel=1e-9, abs=1e-9), t
        w -= alpha * 3.0 * (3.0 * w - 7.0)
    assert answers["converges"].value == "0 < alpha < 2/9"
