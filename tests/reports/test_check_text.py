"""Golden strings for the terminal renderer of a check."""

import pytest

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.reports.check_text import render_check_text

RESULT = CheckResult(
    source="hw.md",
    findings=[
        Finding(Verdict.RIGHT, 3, "σ(0.3275) = 0.5812", "equal to the digits written", kind="numeric"),
        Finding(Verdict.WRONG, 41, "d/dz tanh(z) = 1 − tanh(z^2)", "the two sides are different functions",
                expected="1 - tanh(z)**2", kind="derivative"),
        Finding(Verdict.UNDECIDED, 7, "f(x) = x^2", "f is not defined in the document"),
    ],
    errors=["line 9, col 3: unbalanced parenthesis"],
)


def test_default_shows_wrong_claims_and_a_tally():
    assert render_check_text(RESULT) == (
        "✗ line 41: d/dz tanh(z) = 1 − tanh(z²) — the two sides are different functions\n"
        "    expected: 1 − tanh(z)²\n"
        "unreadable math: line 9, col 3: unbalanced parenthesis\n"
        "hw.md: 1 wrong; 1 right, 1 undecided\n"
    )


def test_show_all_orders_by_line():
    text = render_check_text(RESULT, show="all")
    assert text.index("line 3:") < text.index("line 7:") < text.index("line 41:")
    assert text.startswith("✓ line 3: σ(0.3275) = 0.5812 — equal to the digits written\n")


def test_nothing_wrong():
    assert render_check_text(CheckResult("ok.md")) == "ok.md: nothing wrong found; 0 right, 0 undecided\n"


def test_unknown_settings_are_rejected():
    with pytest.raises(InputError):
        render_check_text(RESULT, colour=True)
    with pytest.raises(InputError):
        render_check_text(RESULT, show="some")
