"""Every number in a spec is finite and of a sane size, refused at load with its field and line (issue 11.9)."""

from __future__ import annotations

import pytest

from chainrule.assignments.loader import parse_assignment
from chainrule.errors import InputError

CONCEPTUAL = "id: s\ntitle: t\nsource: s\nquestions:\n  - id: a\n    prompt: p\n    type: conceptual\n" \
             "    rubric: [r]\n    model_answer: m\n"


def with_line(line: str) -> str:
    return CONCEPTUAL + f"    {line}\n"


@pytest.mark.parametrize("marks", [".inf", "-.inf", ".nan", ".NaN", "1e308", "20000"])
def test_marks_must_be_finite_and_sane(marks: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_assignment(with_line(f"marks: {marks}"), "spec.yaml")
    assert "line 10" in str(caught.value) and "marks" in str(caught.value)


def test_ordinary_marks_load() -> None:
    assignment = parse_assignment(with_line("marks: 2.5"), "spec.yaml")
    assert assignment.questions[0].marks == 2.5


@pytest.mark.parametrize("shape", ["[-3, 2]", "[0, 1]", "[2, 2000000]", "[2, 'x y']"])
def test_symbol_shapes_are_positive_sizes_or_names(shape: str) -> None:
    text = ("id: s\ntitle: t\nsource: s\nconventions:\n  symbols:\n"
            f"    - {{name: W1, tex: W, shape: {shape}}}\n" + CONCEPTUAL.split("source: s\n")[1])
    with pytest.raises(InputError) as caught:
        parse_assignment(text, "spec.yaml")
    assert "line 6" in str(caught.value) and "shape" in str(caught.value)


@pytest.mark.parametrize("value", [".inf", ".nan", "1.0e+400", "1.5e+40"])
def test_numbers_in_demonstration_options_are_finite(value: str) -> None:
    text = ("id: s\ntitle: t\nsource: s\nquestions:\n  - id: a\n    prompt: p\n    type: proof\n"
            "    statement: s\n    rubric: [r]\n    model_answer: m\n"
            f"    demonstration: {{name: d, params: {{steps: [1, {value}]}}}}\n")
    with pytest.raises(InputError) as caught:
        parse_assignment(text, "spec.yaml")
    assert "line 11" in str(caught.value)


@pytest.mark.parametrize("value", [".inf", ".nan", "1.0e+999", "1.5e+40"])
def test_numbers_in_expression_trees_are_finite(value: str) -> None:
    text = ("id: s\ntitle: t\nsource: s\nquestions:\n  - {id: a, prompt: p, type: matrix_gradient, "
            f"function: {{tex: t, tree: [mul, {value}, x]}}, with_respect_to: x, shapes: {{x: [2, 1]}}}}\n")
    with pytest.raises(InputError, match="line 5"):
        parse_assignment(text, "spec.yaml")
