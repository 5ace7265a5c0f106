import json

from grade_sample import sample_result

from chainrule.reports.grade_gradescope import to_gradescope


def test_one_test_per_question_with_gradescope_fields():
    data = json.loads(to_gradescope(sample_result()))
    assert data["score"] == 2.5
    assert [test["name"] for test in data["tests"]] == ["Question 1.2a", "Question 1.2c", "Question 1.2d"]
    for test in data["tests"]:
        assert {"name", "score", "max_score", "output", "status"} <= set(test)
    assert [test["status"] for test in data["tests"]] == ["passed", "failed", "failed"]
    assert [test["max_score"] for test in data["tests"]] == [1.0, 6.0, 2.0]


def test_output_lists_findings_wrong_first_with_lines():
    output = json.loads(to_gradescope(sample_result()))["tests"][1]["output"]
    assert output.splitlines()[0] == "partial"
    assert "✗ line 3:" in output and "(expected z_2" in output
    assert output.index("line 3") < output.index("line 4")
