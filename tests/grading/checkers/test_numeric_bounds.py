"""Numeric claims past float64 and past the exact size bound (issue 11.5 and 11.6): no hang, no false "right"."""

from __future__ import annotations

import signal

import pytest

from chainrule.grading.check import check_document
from chainrule.grading.findings import Verdict


@pytest.fixture(autouse=True)
def no_hang():
    """A hang is a failure here, not a stuck CI job (the defect was an unbounded computation)."""
    def late(signum, frame):
        raise AssertionError("the check did not finish")
    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def only(claim: str):
    result = check_document(f"$${claim}$$\n")
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


def test_a_power_with_billions_of_digits_is_not_computed_and_not_right():
    finding = only("(1.0000001)^{1000000000} = e^{0.1}")
    assert finding.verdict is not Verdict.RIGHT
    assert "inf" not in finding.reason.replace("infinity", "")


@pytest.mark.parametrize(("claim", "shown"), [
    ("(1.5)^{1000000000} = 3", "e+176091259"),
    ("2^{2000} = 3", "1.14813e+602"),
    ("10^{10^{10}} = 5", "e+10000000000"),
])
def test_huge_values_are_decided_numerically_and_shown_at_their_size(claim, shown):
    finding = only(claim)
    assert finding.verdict is Verdict.WRONG
    assert shown in finding.reason and "inf" not in finding.reason


@pytest.mark.parametrize("claim", ["10^{16}+1 = 10^{16}", "10^{400} = 10^{400} + 1", "10^{16} = 10^{16} - 1"])
def test_a_difference_below_float_precision_is_still_a_difference(claim):
    assert only(claim).verdict is Verdict.WRONG


def test_the_reason_shows_digits_that_tell_the_sides_apart():
    reason = only("10^{16}+1 = 10^{16}").reason
    assert "10000000000000001" in reason and "10000000000000000" in reason


@pytest.mark.parametrize("claim", ["2^{-65536} = 0", "0.1^{100000} = 0", "\\tanh(20) = 1", "e^{-800} = 0"])
def test_no_right_by_underflow(claim):
    finding = only(claim)
    assert finding.verdict is Verdict.UNDECIDED
    assert "e-" in finding.reason or "0.99999" in finding.reason  # the true value is shown, not 0 or 1


@pytest.mark.parametrize("claim", ["10^{300} \\cdot 10^{300} = 10^{600}", "2^{-65536} = 0.0",
                                   "\\tanh(20) = 1.0000", "\\tanh(\\ln 2) = 3/5", "2^{10} = 1024"])
def test_right_when_right_or_when_the_digits_written_cover_it(claim):
    assert only(claim).verdict is Verdict.RIGHT


def test_agreement_to_every_digit_is_not_proof():
    finding = only("\\tanh(2^{100}) = 1")
    assert finding.verdict is Verdict.UNDECIDED


def test_grade_keeps_the_rest_of_a_submission_with_a_huge_power():
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.grade import grade_text

    text = ("## 1(a)(1)\n\n$$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$$\n\n"
            "$$(1.0000001)^{1000000000} = e^{0.1}$$\n\n$$10^{16}+1 = 10^{16}$$\n\n## 1(b)\n\n"
            "$$2^{-65536} = 0$$\n\n$$0.1^{100000} = 0$$\n\n$$2^{2000} = 3$$\n")
    result = grade_text(load_assignment("ama564-a1"), text, "huge.md")
    assert not result.errors
    findings = [f for q in result.questions for f in q.findings]
    assert any(f.line == 3 and f.verdict is Verdict.RIGHT for f in findings)
    assert not any(f.line in (5, 7, 11, 13, 15) and f.verdict is Verdict.RIGHT for f in findings)
    assert not any("inf" in f.reason.replace("infinity", "") for f in findings if f.line in (11, 13, 15))
