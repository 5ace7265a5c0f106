"""JSON solutions round-trip through the model."""

from __future__ import annotations

import json

from solution_sample import sample_solution

from chainrule.reports.solution_json import load_solution_json, solution_json


def test_round_trip() -> None:
    solution = sample_solution()
    text = solution_json(solution)
    assert load_solution_json(text) == solution
    data = json.loads(text)
    assert data["assignment"] == "demo"
    assert [q["id"] for q in data["questions"]] == ["1a", "2"]
    assert data["questions"][0]["answers"]["derivative"]["value"] == "2*x"
    assert data["questions"][0]["steps"][0]["rule"] == "power rule"
