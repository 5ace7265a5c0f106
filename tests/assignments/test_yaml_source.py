import pytest

from chainrule.assignments.yaml_source import dotted, locate, read_mapping
from chainrule.errors import InputError

TEXT = "layers:\n  - W: [[1, 2]]\n    b: [0]\n  - W: [[3]]\ninput: [1, 2]\n"


def test_a_field_path_walks_back_to_its_line():
    root, data = read_mapping(TEXT, "net.yaml", empty="empty", not_mapping="not a mapping")
    assert data["layers"][1]["W"] == [[3]]
    assert locate(root, ("layers", 1, "W")) == (["layers", 1, "W"], 4)
    assert dotted(["layers", 1, "W"]) == "layers[1].W"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2", "appears twice"),
        ("[1, 2]", "f.yaml:1", "not a mapping"),
        ("", "f.yaml", "empty"),
    ],
)
def test_bad_yaml_is_located(text, where, message):
    with pytest.raises(InputError) as error:
        read_mapping(text, "f.yaml", empty="empty", not_mapping="not a mapping")
    assert error.value.where == where
    assert message in error.value.message


def test_a_few_aliases_are_fine():
    assert read_mapping("a: &x [1]\nb: [*x, *x]\n", "f.yaml", empty="e", not_mapping="m")[1]["b"] == [[1], [1]]


def test_an_alias_bomb_is_refused():
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(InputError, match="expands to more than"):
        read_mapping("\n".join(lines), "f.yaml", empty="empty", not_mapping="not a mapping")
