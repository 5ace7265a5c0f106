import json

import pytest
from grade_sample import sample_result

from chainrule.errors import InputError
from chainrule.reports.grade_json import from_json, to_json


def test_json_has_the_documented_shape():
    data = json.loads(to_json(sample_result()))
    assert data["assignment"] == "nyu-dl-hw1-2022"
    assert data["submission"] == "alice.md"
    assert data["score"] == 2.5 and data["max_score"] == 9.0
    question = data["questions"][1]
    assert (question["id"], question["verdict"], question["score"], question["max_score"]) == (
        "1.2c",
        "partial",
        1.5,
        6.0,
    )
    finding = question["findings"][0]
    assert {"verdict", "line", "written", "expected", "reason"} <= set(finding)
    assert (finding["verdict"], finding["line"]) == ("wrong", 3)


def test_json_round_trips():
    result = sample_result()
    back = from_json(to_json(result, include_text=True))
    assert back == result


def test_json_without_text_drops_only_the_text():
    back = from_json(to_json(sample_result()))
    assert back.text == "" and back.questions == sample_result().questions


def test_not_a_report_is_a_located_error():
    with pytest.raises(InputError, match="json"):
        from_json('{"questions": [{"id": 1}]}')


def test_unknown_setting_is_rejected():
    with pytest.raises(InputError, match="unknown setting colour"):
        to_json(sample_result(), colour=True)


def test_what_a_finding_answers_and_its_latex_round_trip_and_are_left_out_when_unset():
    from dataclasses import replace

    from chainrule.grading.findings import Finding, Verdict

    result = sample_result()
    finding = Finding(Verdict.RIGHT, 2, "∂ℓ/∂b₂ = ∂ℓ/∂z₃", "agrees", answers="∂loss/∂b2", latex="b = z")
    result.questions[1].findings.append(finding)
    assert from_json(to_json(result, include_text=True)) == result
    assert "answers" not in replace(finding, answers=None, latex=None).to_json()
