"""Numeric steps: right to the digits written, wrong only far beyond what rounding explains."""

import pytest

from chainrule.grading.checkers.terms import Environment
from chainrule.grading.findings import Verdict

from .helpers import decide

CASES = [
    # (left, right, verdict): hand-checked values
    (r"\sigma(0.3275)", "0.5812", Verdict.RIGHT),  # 0.581151…
    (r"\sigma(0.3275)", "0.5912", Verdict.WRONG),
    (r"0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.30", "0.3275", Verdict.RIGHT),
    (r"0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.30", "0.3285", Verdict.WRONG),
    (r"0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.30", "0.33", Verdict.RIGHT),
    (r"(0.4 \cdot 0.5812 + 0.45 \cdot 0.5812) + 0.6", "1.094", Verdict.RIGHT),  # 1.094020
    (r"\frac{1}{2}(0.01 - 0.7703)^2", "0.289", Verdict.RIGHT),  # 0.289028…
    (r"\frac{1}{2}(0.99 - 0.7703)^2", "0.289", Verdict.WRONG),  # 0.024134…
    (r"-(0.01 - 0.7491)", "0.7391", Verdict.RIGHT),
    (r"0.7391(1 - 0.7391)", "0.1928", Verdict.RIGHT),  # 0.192831…
    (r"\frac{1}{1 + e^{-1.094}}", "0.7491", Verdict.RIGHT),
    (r"1.33 - 0.33", "1", Verdict.RIGHT),
    (r"2 + 2", "5", Verdict.WRONG),
]


@pytest.mark.parametrize(("left", "right", "verdict"), CASES)
def test_numeric_cases(left, right, verdict):
    finding = decide(left, right)
    assert finding.verdict is verdict, finding
    assert finding.kind == "numeric"


def test_wrong_number_says_the_exact_value_and_the_rounded_one():
    finding = decide(r"\sigma(0.3275)", "0.5912")
    assert "0.581151" in finding.reason
    assert finding.expected == "0.5812"


def test_off_by_one_unit_in_the_last_place_is_not_called_wrong():
    # σ(0.3275) = 0.581151…: 0.5813 is not the rounding, but a truncation-sized slip is no proof of a mistake
    assert decide(r"\sigma(0.3275)", "0.5813").verdict is Verdict.UNDECIDED


def test_whole_number_is_exact_unless_the_gap_is_large():
    assert decide("1.3 - 0.33", "1").verdict is Verdict.UNDECIDED  # 0.97: maybe rounded to a whole number
    assert decide("1.3 - 0.33", "3").verdict is Verdict.WRONG


def test_a_rounded_intermediate_carries_its_rounding_forward():
    # 0.5812 was a rounded result; a student who kept more digits may write 0.4941 for 0.85 · 0.581151…
    env = Environment()
    env.earlier_results.add(__import__("sympy").Rational(5812, 10000))
    assert decide(r"0.85 \cdot 0.5812", "0.4940", env=env).verdict is Verdict.RIGHT  # exact 0.49402
    assert decide(r"0.85 \cdot 0.5812", "0.4941", env=env).verdict is Verdict.RIGHT  # within the carried error
    assert decide(r"0.85 \cdot 0.5812", "0.5041", env=env).verdict is Verdict.WRONG


def test_matrices_are_checked_entry_by_entry():
    assert decide(r"\begin{pmatrix} 0.5 + 0.8 \\ 1 \end{pmatrix}", r"\begin{pmatrix} 1.3 \\ 1 \end{pmatrix}"
                  ).verdict is Verdict.RIGHT
    finding = decide(r"\begin{pmatrix} 0.5 + 0.8 \\ 1 \end{pmatrix}", r"\begin{pmatrix} 1.3 \\ 2 \end{pmatrix}")
    assert finding.verdict is Verdict.WRONG
    assert "entry (2, 1)" in finding.reason


def test_a_row_against_a_column_is_not_called_wrong():
    finding = decide(r"\begin{pmatrix} 0 & 1.3 \end{pmatrix}", r"\begin{pmatrix} 0 \\ 1.3 \end{pmatrix}")
    assert finding.verdict is Verdict.UNDECIDED


@pytest.mark.parametrize(("left", "right", "verdict"), [
    (r"\sigma(-10)", r"4.54 \times 10^{-5}", Verdict.RIGHT),  # 4.5398e-5
    (r"\sigma(-10)", r"4.5 \cdot 10^{-5}", Verdict.RIGHT),
    (r"\sigma(-10)", r"5.54 \times 10^{-5}", Verdict.WRONG),
    (r"e^{10}", "22026.47", Verdict.RIGHT),
])
def test_scientific_notation_and_large_values(left, right, verdict):
    assert decide(left, right).verdict is verdict
