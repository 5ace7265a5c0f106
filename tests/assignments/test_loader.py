"""Loading specs: built-ins by id, user files by path, and errors that name the file, field and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainrule.assignments.loader import builtin_ids, load_assignment, parse_assignment
from chainrule.errors import InputError

GOOD = """\
id: demo
title: Demo
source: tests
questions:
  - id: q1
    type: conceptual
    prompt: Say why.
    rubric: [because]
    model_answer: Because.
"""


def test_builtins_load_by_id() -> None:
    assert {"ama564-a1", "nyu-dl-hw1-2022"} <= set(builtin_ids())
    for assignment_id in builtin_ids():
        assert load_assignment(assignment_id).id == assignment_id


def test_user_spec_loads_from_path(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD)
    assignment = load_assignment(path)
    assert assignment.id == "demo"
    assert assignment.questions[0].rubric == ["because"]


def test_missing_reference_names_the_builtins() -> None:
    with pytest.raises(InputError, match="ama564-a1"):
        load_assignment("no-such-assignment")


def test_error_names_file_field_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("    rubric: [because]\n", "") + "  - id: q2\n    type: nonsense\n    prompt: p\n")
    with pytest.raises(InputError) as caught:
        load_assignment(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "line 5: questions[0]: missing field 'rubric'" in message
    assert "line 10: questions[1].type: unknown question type" in message


def test_error_line_points_at_the_bad_value() -> None:
    text = GOOD + "  - id: q2\n    type: mlp_numeric\n    prompt: p\n    layers:\n      - W: [[1, 2]]\n" \
                  "        b: [1, 2]\n    x: [1, 2]\n    y: [1]\n    colour: red\n"
    with pytest.raises(InputError) as caught:
        parse_assignment(text, "spec.yaml")
    message = str(caught.value)
    assert "line 14: questions[1].layers[0]: b has 2 entries but W has 1 rows" in message
    assert "line 18: questions[1].colour: unknown field 'colour'" in message


def test_yaml_syntax_error_is_located() -> None:
    with pytest.raises(InputError, match=r"spec.yaml:3: not valid YAML"):
        parse_assignment("id: demo\ntitle: [unclosed\nsource: x\n", "spec.yaml")


def test_duplicate_keys_are_errors() -> None:
    with pytest.raises(InputError, match=r"spec.yaml:2: key 'id' appears twice"):
        parse_assignment("id: demo\nid: other\n", "spec.yaml")


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]" for i in range(1, 9)]
    with pytest.raises(InputError, match="expands to more than"):
        parse_assignment("\n".join(lines), "bomb.yaml")


def test_specs_are_never_evaluated() -> None:
    with pytest.raises(InputError):
        parse_assignment("!!python/object/apply:os.system ['echo hi']\n", "evil.yaml")


def _one_question(body: str) -> str:
    return GOOD.replace("""    type: conceptual
    prompt: Say why.
    rubric: [because]
    model_answer: Because.
""", body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),  # PyYAML's composer would exhaust the stack
        ("x: " + "{a: " * 3000 + "1" + "}" * 3000, "nested too deeply"),
        ("x: " + "1" * 5000, "too long"),  # longer than Python converts an int literal
    ],
)
def test_pathological_yaml_is_a_located_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_assignment(text, "evil.yaml")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("    type: gd_dynamics\n    prompt: p\n    x: 1e9999\n    y: 1\n    asks: [iterates]\n", "questions[0].x"),
        ("    type: gd_dynamics\n    prompt: p\n    x: '1e-9999'\n    y: 1\n    asks: [iterates]\n", "questions[0].x"),
        ("    type: gd_dynamics\n    prompt: p\n    x: 1\n    y: .nan\n    asks: [iterates]\n", "questions[0].y"),
        ("    type: parameter_count\n    prompt: p\n    widths: [3, 0]\n", "questions[0].widths[1]"),
    ],
)
def test_numbers_too_long_or_not_finite_are_refused_at_load(body: str, field: str) -> None:
    with pytest.raises(InputError, match=rf"spec.yaml: line \d+: {re.escape(field)}: (?!Value error)") as caught:
        parse_assignment(_one_question(body), "spec.yaml")
    assert "Traceback" not in str(caught.value)


def test_a_folder_is_not_a_spec(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        load_assignment(tmp_path)
