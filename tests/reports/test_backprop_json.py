"""JSON: exact strings that read back to the trace's values (round trip), floats where the pass is float."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sympy

from chainrule.assignments.network import load_network
from chainrule.engine.exact import to_rational
from chainrule.engine.mlp import trace_exact
from chainrule.engine.mlp_float import trace_float
from chainrule.reports.backprop_json import render_json, trace_to_data

REPO = Path(__file__).resolve().parents[2]


def test_ama564_json_has_the_documented_shape():
    data = json.loads(render_json(trace_exact(load_network(REPO / "examples" / "ama564-net.yaml"))))
    assert data["output"] == ["1.33"]
    assert data["loss"] == "0.5"
    assert data["forward"]["z1"] == ["-3.2", "1.3"]
    assert data["gradients"] == {"W1": [["0", "0", "0"], ["1.1", "2.2", "3.3"]], "b1": ["0", "1.1"],
                                 "W2": [["0", "1.3"]], "b2": ["1"]}
    assert data["approx"]["gradients"]["W1"][1] == [1.1, 2.2, 3.3]
    assert "definitions" not in data


def test_exact_strings_round_trip_to_the_trace_values():
    trace = trace_exact(load_network(REPO / "examples" / "quantile-net.yaml"))
    data = trace_to_data(trace)
    for layer in trace.layers:
        matrix = sympy.Matrix([[to_rational(v) for v in row] for row in data["gradients"][f"W{layer.index}"]])
        assert matrix == trace[f"dW{layer.index}"].value
        bias = sympy.Matrix([to_rational(v) for v in data["gradients"][f"b{layer.index}"]])
        assert bias == trace[f"db{layer.index}"].value


def test_irrational_values_come_with_floats_and_definitions():
    trace = trace_exact(load_network(REPO / "examples" / "nyu-hw1-classification.yaml"))
    data = json.loads(render_json(trace))
    assert data["definitions"] and all(isinstance(d["approx"], float) for d in data["definitions"])
    floats = trace_float(load_network(REPO / "examples" / "nyu-hw1-classification.yaml"))
    np.testing.assert_allclose(data["approx"]["gradients"]["W1"], floats["dW1"].value, rtol=1e-12)
    np.testing.assert_allclose(data["approx"]["loss"], floats.loss_value[0, 0], rtol=1e-12)


def test_batches_list_one_entry_per_sample():
    data = trace_to_data(trace_exact(load_network(REPO / "examples" / "batch-net.yaml")))
    assert data["output"] == [["1.5"], ["5"], ["1.25"]]  # each sample's output is a 1-entry vector
    assert len(data["forward"]["z1"]) == 3 and len(data["forward"]["z1"][0]) == 2
    assert data["network"]["batch_size"] == 3 and data["network"]["reduction"] == "mean"
    assert len(data["gradients"]["W1"]) == 2 and len(data["gradients"]["W1"][0]) == 1


def test_float_mode_writes_numbers():
    data = json.loads(render_json(trace_float(load_network(REPO / "examples" / "ama564-net.yaml"))))
    assert data["mode"] == "float" and "approx" not in data
    np.testing.assert_allclose(data["gradients"]["W1"], [[0, 0, 0], [1.1, 2.2, 3.3]], rtol=1e-12)
