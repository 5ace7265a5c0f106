from __future__ import annotations

from pathlib import Path

import pytest
import sympy

from chainrule.assignments.network import describe, load_network, parse_network
from chainrule.errors import InputError

REPO = Path(__file__).resolve().parents[2]
R = sympy.Rational

GOOD = """
layers:
  - {W: [[1, 2], [3, 4]], b: [0, 0], activation: relu}
  - {W: [[1, -1]], b: -0.5}
input: [1, 2]
target: 0.33
"""


def test_ama564_example_loads_as_exact_rationals():
    problem = load_network(REPO / "examples" / "ama564-net.yaml")
    assert problem.layers[0].W[0, 0] == R(-4, 5)
    assert problem.targets[0, 0] == R(33, 100)
    assert problem.layers[0].activation == "relu"
    assert problem.loss == "half_squared_error"
    assert describe(problem) == "3 → 2 (relu) → 1 (identity); half_squared_error"


def test_lone_numbers_are_one_entry_vectors_and_activation_defaults_to_identity():
    problem = parse_network(GOOD)
    assert problem.layers[1].b == sympy.Matrix([R(-1, 2)])
    assert problem.layers[1].activation == "identity"
    assert problem.targets.shape == (1, 1)


def test_numbers_are_read_exactly_never_evaluated():
    problem = parse_network(GOOD.replace("[1, 2]\ntarget", '["1/3", "2e-1"]\ntarget'))
    assert list(problem.inputs) == [R(1, 3), R(1, 5)]


def test_batches_become_columns():
    text = GOOD.replace("input: [1, 2]\ntarget: 0.33", "inputs: [[1, 2], [3, 4], [5, 6]]\ntargets: [1, 2, 3]\n"
                        "reduction: sum")
    problem = parse_network(text)
    assert problem.inputs.shape == (2, 3) and problem.targets.shape == (1, 3)
    assert problem.batched and problem.batch_reduction() == "sum"


def test_activation_and_loss_parameters():
    text = GOOD.replace("activation: relu", "activation: leaky_relu, params: {a: 0.01}") + "loss: pinball\n" \
        "loss_params: {tau: 0.25}\n"
    problem = parse_network(text)
    assert problem.layers[0].params == {"a": R(1, 100)}
    assert problem.loss == "quantile" and problem.loss_params == {"tau": R(1, 4)}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("layers: [{W: [[1, 2], [3, 4]], b: [0, 0], activation: relu}, {W: [[1, 2, 3]], b: [0]}]\ninput: [1, 2]\n"
         "target: [1]", "net.yaml: layers[1].W", "expected 1 row of 2 entries to match layer 0's 2 outputs, got a row "
         "of 3"),
        ("layers: [{W: [[1, 2]], b: [0, 0]}]\ninput: [1, 2]\ntarget: [1]", "net.yaml: layers[0].b",
         "expected 1 entry (one per row of W), got 2"),
        ("layers: [{W: [[1, 2], [3]], b: [0, 1]}]\ninput: [1, 2]\ntarget: [1, 2]", "net.yaml: layers[0].W[1]",
         "got a row of 1"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2, 3]\ntarget: [1]", "net.yaml: layers[0].W",
         "to match the input's 3 entries"),
        ("layers: [{W: [[1, 2]], b: [0], activation: swishy}]\ninput: [1, 2]\ntarget: [1]",
         "net.yaml: layers[0].activation", "unknown activation 'swishy'"),
        ("layers: [{W: [[1, abc]], b: [0]}]\ninput: [1, 2]\ntarget: [1]", "net.yaml: layers[0].W[0][1]",
         "expected a number, got 'abc' (line 1)"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, true]\ntarget: [1]", "net.yaml: input[1]",
         "expected a number, got True"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2]\ntarget: [1]\nloss: hinge", "net.yaml: loss",
         "unknown loss 'hinge'"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2]\ntarget: [1]\nloss: quantile", "net.yaml: loss_params",
         "takes parameter tau"),
        ("layers: [{W: [[1, 2]], b: [0], activation: leaky_relu, params: {a: 2}}]\ninput: [1, 2]\ntarget: [1]",
         "net.yaml: layers[0].params.a", "0 < a < 1"),
        ("layers: [{W: [[1, 2]], b: [0], activation: leaky_relu}]\ninput: [1, 2]\ntarget: [1]",
         "net.yaml: layers[0].params", "needs a number for its parameter a"),
        ("layers: [{W: [[1, 2]], b: [0], wat: 1}]\ninput: [1, 2]\ntarget: [1]", "net.yaml: layers[0].wat",
         "unknown field 'wat'"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2]\ntarget: [1, 2]", "net.yaml: target",
         "expected 1 entry to match the network's 1 output, got 2"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninputs: [[1, 2], [3, 4]]\ntargets: [[1]]", "net.yaml: targets",
         "2 inputs but 1 targets"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2]", "net.yaml: target", "one is missing"),
        ("layers: [{W: [[1, 2]], b: [0]}]\ninput: [1, 2]\ntarget: [1]\ninputs: [[1, 2]]\ntargets: [[1]]",
         "net.yaml: inputs", "not both"),
        ("layers: [{W: [[1], [2]], b: [0, 0]}]\ninput: [1]\ntarget: [0.5, 0.6]\nloss: ce", "net.yaml: target",
         "sum to 1"),
        ("layers: []\ninput: [1]\ntarget: [1]", "net.yaml: layers", "at least 1 item"),
        ("- 1", "net.yaml:1", "expected a mapping"),
        ("layers: [", "net.yaml:1", "not valid YAML"),
        ("", "net.yaml", "empty"),
    ],
)
def test_bad_files_name_the_field(text, where, message):
    with pytest.raises(InputError) as error:
        parse_network(text, "net.yaml")
    assert error.value.where == where
    assert message in error.value.message


def test_alias_bombs_are_refused():
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6))
    with pytest.raises(InputError, match="more than"):
        parse_network(bomb)


def test_oversized_matrices_are_refused():
    row = "[" + ", ".join(["1"] * 100) + "]"
    text = "layers: [{W: [" + ", ".join([row] * 50) + "], b: [" + ", ".join(["0"] * 50) + "]}]\n" \
        "input: " + row + "\ntarget: [" + ", ".join(["0"] * 50) + "]"
    with pytest.raises(InputError, match="more than 4096"):
        parse_network(text)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_network(tmp_path / "absent.yaml")


def test_files_that_are_not_network_text_say_why(tmp_path):
    import os

    with pytest.raises(InputError, match="directory"):
        load_network(tmp_path)
    fifo = tmp_path / "net.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    with pytest.raises(InputError, match="not a regular file"):
        load_network(fifo)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("layers: caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_network(latin)


def test_python_tags_are_never_constructed():
    with pytest.raises(InputError):
        parse_network('layers: !!python/object/apply:os.system ["echo pwned"]\ninput: [1]\ntarget: [1]\n')


def test_an_oversized_network_file_is_refused_before_yaml_reads_it(tmp_path):
    from chainrule.assignments.network import MAX_NETWORK_BYTES

    big = tmp_path / "big.yaml"
    row = "[" + ", ".join(["0.125"] * 300) + "]"
    big.write_text("layers:\n  - {W: [" + ", ".join([row] * 300) + "]}\n")  # a 300×300 matrix
    assert big.stat().st_size > MAX_NETWORK_BYTES
    with pytest.raises(InputError, match="a network file may have"):
        load_network(big)
    with pytest.raises(InputError, match="a network file may have"):
        parse_network(big.read_text())
