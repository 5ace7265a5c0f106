"""``chainrule solve`` in-process: JSON lists every question, documents and plots are written, errors are located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainrule.assignments.loader import builtin_ids, load_assignment
from chainrule.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("assignment_id", sorted(builtin_ids()))
def test_json_lists_every_question(assignment_id: str) -> None:
    result = runner.invoke(app, ["solve", assignment_id, "--format", "json", "--no-train"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["assignment"] == assignment_id
    expected = [q.id for q in load_assignment(assignment_id).questions]
    assert [q["id"] for q in data["questions"]] == expected
    for question in data["questions"]:
        assert isinstance(question["answers"], dict) and isinstance(question["steps"], list)


def test_markdown_and_plots_are_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["solve", "ama564-a1", "-o", str(tmp_path), "--format", "md"])
    assert result.exit_code == 0, result.output
    document = tmp_path / "ama564-a1.md"
    assert f"wrote {document}" in result.stdout
    text = document.read_text()
    assert "$$\\boxed{f(x;\\theta) = \\hat y = 1.33}$$" in text
    for name in ("q1a-1-sigmoid.png", "q1a-2-tanh.png", "q1a-3-leaky_relu.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
        assert f"]({name})" in text


def test_html_is_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["solve", "you-nndl-hw1", "-o", str(tmp_path), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "you-nndl-hw1.html").read_text()
    assert "<script" not in page and page.count("<section") == 10
    assert (tmp_path / "q4-1-iterates.png").is_file()


def test_user_spec_with_an_error_exits_2_with_file_field_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("id: bad\ntitle: t\nsource: s\nquestions:\n  - id: q\n    type: conceptual\n    prompt: p\n")
    result = runner.invoke(app, ["solve", str(spec), "--format", "json"])
    assert result.exit_code == 2
    assert f"{spec}: line 5: questions[0]: missing field 'rubric'" in result.stderr


def test_unknown_assignment_exits_2() -> None:
    result = runner.invoke(app, ["solve", "no-such-assignment"])
    assert result.exit_code == 2 and "built-ins" in result.stderr


@pytest.mark.parametrize(
    ("question", "located"),
    [
        ("{id: g, prompt: p, type: gd_dynamics, x: 0, y: 1, asks: [iterates]}", "questions[g].x: x must be non-zero"),
        (
            "{id: m, prompt: p, type: matrix_gradient, function: {tex: t, tree: [matmul, A, x]},"
            " with_respect_to: x, shapes: {x: [n, 1], A: [3, 7]}}",
            "questions[m]: (3×7)·(n×1)",
        ),
        ("{id: a, prompt: p, type: activation_derivative, activations: [{name: swishy}]}", "questions[a]: unknown"),
    ],
)
def test_errors_found_while_solving_name_the_file_and_question(tmp_path: Path, question: str, located: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"id: s\ntitle: t\nsource: s\nquestions:\n  - {question}\n")
    result = runner.invoke(app, ["solve", str(spec), "--format", "json"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {spec}: {located}"), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["solve", "/"], ["solve", ""], ["solve", "ama564-a1", "-o", "/dev/null/x"]])
def test_bad_paths_exit_2_with_one_line(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--no-train", "--format", "md"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.output
