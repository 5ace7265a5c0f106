"""Per-student variants: reproducible numbers, texts filled in, every variant a valid spec with its own truth."""

from fractions import Fraction
from pathlib import Path

import pytest

from chainrule.assignments.loader import load_assignment, parse_assignment
from chainrule.assignments.variants import number_text, student_values, variant_for
from chainrule.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "class" / "hw-backprop.yaml"


def test_the_same_student_always_gets_the_same_numbers_and_the_class_gets_several():
    spec = load_assignment(EXAMPLE)
    first = {student: student_values(spec, student) for student in (f"s{k}" for k in range(40))}
    again = {student: student_values(spec, student) for student in first}
    assert first == again
    assert len({tuple(values.items()) for values in first.values()}) > 5
    for values in first.values():
        assert values["x"] in {1, 2, 3} and values["y"] in {0, 1, 2, 3, 4}


def test_a_variant_has_its_numbers_in_the_data_and_the_prompt():
    spec = load_assignment(EXAMPLE)
    own, chosen = variant_for(spec, "s105")
    question = own.question("2")
    assert [str(v) for v in question.x] == [chosen["x"]] and [str(v) for v in question.y] == [chosen["y"]]
    assert f"$x = {chosen['x']}$" in question.prompt and "{{" not in question.prompt


def test_another_seed_gives_other_numbers():
    text = EXAMPLE.read_text(encoding="utf-8")
    other = parse_assignment(text.replace("seed: 2024", "seed: 7"), "other.yaml")
    spec = load_assignment(EXAMPLE)
    students = [f"s{k}" for k in range(30)]
    assert [student_values(spec, s) for s in students] != [student_values(other, s) for s in students]


@pytest.mark.parametrize(("change", "message"), [
    ("field: x.0, choices", "field: x.9, choices"),
    ('question: "2", field: x.0', 'question: "9", field: x.0'),
    ("field: y.0, range: [0, 4]", "field: y.0, range: [4, 0]"),
    ("choices: [1, 2, 3]", "choices: [1, .inf]"),
])
def test_a_bad_variants_section_is_a_located_spec_error(change, message):
    text = EXAMPLE.read_text(encoding="utf-8").replace(change, message)
    with pytest.raises(InputError, match="variants"):
        parse_assignment(text, "bad.yaml")


def test_numbers_are_written_exactly():
    assert [number_text(Fraction(n, d)) for n, d in ((3, 1), (-1, 4), (1, 3), (1, 8))] == ["3", "-0.25", "1/3",
                                                                                          "0.125"]
