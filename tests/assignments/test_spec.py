"""The spec model: discriminated question types, heading matching, structured expressions, JSON Schema."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chainrule.assignments.loader import builtin_ids, load_assignment
from chainrule.assignments.spec import (
    QUESTION_TYPES,
    Assignment,
    ConceptualQuestion,
    MlpNumericQuestion,
    assignment_json_schema,
    heading_key,
)

LABEL_IDS = {
    "ama564-a1": ["1a.1", "1a.2", "1a.3", "1b", "2", "3"],
    "nyu-dl-hw1-2022": ["1.2a", "1.2b", "1.2c", "1.2d", "1.3a", "1.3b", "1.3c",
                        "1.4a", "1.4b", "1.4c", "1.4d", "1.4e"],
    "you-nndl-hw1": ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3", "4.1", "4.2", "4.3"],
    "ryu-mathdnn-hw3": ["1", "2", "3a", "3b", "4", "5a", "5b", "5c", "6", "7"],
    # The 2021 text has no part 1.4: its ids are the 1.2/1.3 ones of the shared list.
    "nyu-dl-hw1-2021": ["1.2a", "1.2b", "1.2c", "1.2d", "1.3a", "1.3b", "1.3c"],
}


def _minimal(**question: object) -> dict:
    return {"id": "demo", "title": "t", "source": "s", "questions": [question]}


@pytest.mark.parametrize("assignment_id", sorted(LABEL_IDS))
def test_builtin_question_ids_are_the_labelled_ones(assignment_id: str) -> None:
    if assignment_id not in builtin_ids():
        pytest.skip(f"{assignment_id} not shipped yet")
    assignment = load_assignment(assignment_id)
    assert [question.id for question in assignment.questions] == LABEL_IDS[assignment_id]


def test_labels_header_lists_the_same_ids(shared_dir) -> None:
    header = (shared_dir / "corpus" / "labels.yaml").read_text().split("submissions:")[0]
    assert " ".join(LABEL_IDS["ama564-a1"]) in header
    assert " ".join(LABEL_IDS["you-nndl-hw1"]) in header
    assert " ".join(LABEL_IDS["ryu-mathdnn-hw3"]) in header
    assert " ".join(LABEL_IDS["nyu-dl-hw1-2022"]) in header


def test_type_discriminates_the_question_model() -> None:
    assignment = Assignment.model_validate(
        _minimal(id="q", type="conceptual", prompt="p", rubric=["r"], model_answer="m")
    )
    assert isinstance(assignment.questions[0], ConceptualQuestion)


def test_every_type_is_listed() -> None:
    schema = assignment_json_schema()
    text = str(schema)
    for name in QUESTION_TYPES:
        assert f"'{name}'" in text


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="colour"):
        Assignment.model_validate(
            _minimal(id="q", type="conceptual", prompt="p", rubric=["r"], model_answer="m", colour="red")
        )


def test_layer_shapes_must_chain() -> None:
    with pytest.raises(ValidationError, match="columns"):
        MlpNumericQuestion.model_validate(
            {"id": "q", "type": "mlp_numeric", "prompt": "p", "x": [1, 2, 3], "y": [0],
             "layers": [{"W": [[1, 2]], "b": [0]}]}
        )


def test_expression_trees_accept_only_known_operators() -> None:
    base = {"id": "q", "type": "matrix_gradient", "prompt": "p", "with_respect_to": "x",
            "shapes": {"x": ["n", 1]}}
    Assignment.model_validate(_minimal(**base, function={"tex": "x^Tx", "tree": ["matmul", ["T", "x"], "x"]}))
    with pytest.raises(ValidationError, match="op in"):
        Assignment.model_validate(_minimal(**base, function={"tex": "x", "tree": ["__import__", "os"]}))
    with pytest.raises(ValidationError, match="identifiers"):
        Assignment.model_validate(_minimal(**base, function={"tex": "x", "tree": "os.system('x')"}))


def test_duplicate_question_ids_are_rejected() -> None:
    question = {"id": "q", "type": "conceptual", "prompt": "p", "rubric": ["r"], "model_answer": "m"}
    data = {"id": "demo", "title": "t", "source": "s", "questions": [question, question]}
    with pytest.raises(ValidationError, match="twice"):
        Assignment.model_validate(data)


@pytest.mark.parametrize(("written", "key"), [("1 (a) (1)", "1a1"), ("1a.1", "1a1"), ("1(a)1", "1a1"),
                                              ("Problem 5(a)", "problem5a")])
def test_heading_key_normalises(written: str, key: str) -> None:
    assert heading_key(written) == key


def test_headings_match_forms_used_in_submissions() -> None:
    ama = load_assignment("ama564-a1")
    assert ama.question("1a.3").matches_heading("1 (a) (3)")
    assert not ama.question("1a.3").matches_heading("1 (a) (2)")
    nyu = load_assignment("nyu-dl-hw1-2022")
    assert nyu.question("1.2c").matches_heading("c)", section="1.2 Regression Task".split()[0])
    assert not nyu.question("1.2c").matches_heading("c)", section="1.3")
    assert nyu.question("1.3c").matches_heading("1.3(c)")


def test_symbol_aliases_map_every_spelling() -> None:
    aliases = load_assignment("nyu-dl-hw1-2022").symbol_aliases()
    assert aliases["W^{(1)}"] == aliases["W_1"] == aliases["w^1"] == aliases["W1"] == "W1"


@pytest.mark.parametrize("shape", ["[-3, 1]", "['n+1', 1]", "[0, 1]", "[n, '__import__']"])
def test_matrix_gradient_sizes_are_positive_integers_or_names(shape: str) -> None:
    from chainrule.assignments.loader import parse_assignment
    from chainrule.errors import InputError

    text = (
        "id: s\ntitle: t\nsource: s\nquestions:\n  - {id: a, prompt: p, type: matrix_gradient, "
        f"function: {{tex: t, tree: [matmul, [T, x], x]}}, with_respect_to: x, shapes: {{x: {shape}}}}}\n"
    )
    with pytest.raises(InputError, match="shapes"):
        parse_assignment(text, "spec.yaml")


def test_sections_and_keywords_are_optional_and_a_section_must_hold_questions() -> None:
    question = {"id": "1.2a", "type": "conceptual", "prompt": "p", "rubric": ["r"], "model_answer": "m",
                "keywords": ["BCE", "cross-entropy"]}
    data = {"id": "demo", "title": "t", "source": "s", "questions": [question],
            "sections": [{"label": "1.2", "title": "Regression Task"}]}
    assignment = Assignment.model_validate(data)
    assert assignment.sections[0].title == "Regression Task" and assignment.questions[0].keywords[0] == "BCE"
    with pytest.raises(ValidationError, match="start of no question"):
        Assignment.model_validate({**data, "sections": [{"label": "2", "title": "Elsewhere"}]})


def test_every_builtin_question_says_what_it_is_about() -> None:
    for assignment_id in builtin_ids():
        for question in load_assignment(assignment_id).questions:
            assert question.keywords, f"{assignment_id} {question.id} has no keywords"
