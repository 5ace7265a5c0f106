"""The JSON renderer of a check: golden shape and a round trip."""

import json

import pytest

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.reports.check_json import check_result_from_json, render_check_json

RESULT = CheckResult(
    source="hw.md",
    findings=[
        Finding(Verdict.WRONG, 25, "lim_{x→∞} d/dx LReLU(x) = a", "the limit is 1, not a", expected="1",
                column=4, kind="limit", notes=("swapped with the limit at −∞?",)),
        Finding(Verdict.RIGHT, 9, "1 + 1 = 2", "the two sides are equal", kind="numeric"),
    ],
)


def test_golden():
    data = json.loads(render_check_json(RESULT))
    assert data == {
        "source": "hw.md",
        "counts": {"right": 1, "wrong": 1, "undecided": 0},
        "findings": [
            {"verdict": "right", "line": 9, "written": "1 + 1 = 2", "expected": None,
             "reason": "the two sides are equal", "kind": "numeric", "notes": [], "column": None},
            {"verdict": "wrong", "line": 25, "written": "lim_{x→∞} d/dx LReLU(x) = a", "expected": "1",
             "reason": "the limit is 1, not a", "kind": "limit", "notes": ["swapped with the limit at −∞?"],
             "column": 4},
        ],
        "errors": [],
    }


def test_round_trip():
    back = check_result_from_json(render_check_json(RESULT))
    assert back.source == RESULT.source
    assert sorted(back.findings, key=lambda f: f.line) == sorted(RESULT.findings, key=lambda f: f.line)


def test_not_a_check_result():
    with pytest.raises(InputError):
        check_result_from_json('{"findings": 3}')
