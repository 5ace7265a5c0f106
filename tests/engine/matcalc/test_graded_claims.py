"""The hand-checked NYU verdicts (corpus/labels.yaml), restated as expressions: the engine must tell them apart.

A grader decides by shape (chainrule.shapes) and by value at random points; these tests check that the
engine's answers and evaluator give the labelled verdict for each claim, written here by hand (no parsing).
"""

import numpy as np
import pytest

from chainrule.engine.matcalc import (
    Apply,
    Diag,
    Hadamard,
    Identity,
    MatMul,
    Ones,
    Scale,
    evaluate,
    two_layer_network,
)
from chainrule.shapes import ShapeMismatch

SIZES = {"n": 3, "m": 4, "K": 2}


def values_for(solution, seed=0):
    point = solution.random_point(SIZES, np.random.default_rng(seed))
    return point, solution.bindings(point)


def test_transposed_hidden_output_in_dl_dw2_is_a_shape_error():
    s = two_layer_network("5relu", "identity", "mse").symbols
    z2 = Scale(5, Apply("relu", s["W1"] @ s["x"] + s["b1"]))
    with pytest.raises(ShapeMismatch, match=r"\(1×m\)·\(1×K\)"):
        MatMul((z2.T, s["dl_dyhat"], s["dyhat_dz3"]))


def test_dl_dz3_times_z2_transposed_is_a_shape_error():
    s = two_layer_network("relu", "identity", "mse").symbols
    dl_dz3 = MatMul((s["dl_dyhat"], s["dyhat_dz3"]))
    with pytest.raises(ShapeMismatch, match=r"\(1×K\)·\(1×m\)"):
        MatMul((dl_dz3, s["z2"].T))


def test_a_k_sized_hidden_jacobian_does_not_fit():
    solution = two_layer_network("5relu", "identity", "mse")
    assert str(solution.jacobians["dz2_dz1"].shape) == "(m×m)"


@pytest.mark.parametrize("variant", [("5relu", "identity", "mse"), ("relu", "identity", "mse")])
def test_right_chain_rule_answers_agree_at_random_points(variant):
    solution = two_layer_network(*variant)
    s = solution.symbols
    point, values = values_for(solution)
    truth = solution.evaluate(point)
    claims = {
        "W1": MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"], s["W2"], s["dz2_dz1"])),
        "b1": MatMul((s["dl_dyhat"], s["dyhat_dz3"], s["W2"], s["dz2_dz1"])),
        "b2": MatMul((s["dl_dyhat"], s["dyhat_dz3"])),
    }
    for key, claim in claims.items():
        np.testing.assert_allclose(evaluate(claim, values), truth[key])
    minus_two = Scale(-2, (s["y"] - s["yhat"]).T)
    np.testing.assert_allclose(evaluate(minus_two, values), truth["dl_dyhat"])
    np.testing.assert_allclose(evaluate(Identity("K"), values, SIZES), truth["dyhat_dz3"])


def test_tanh_of_the_square_is_told_apart_from_the_square_of_tanh():
    solution = two_layer_network("tanh", "sigmoid", "mse")
    s = solution.symbols
    point, values = values_for(solution, 1)
    wrong = Diag(Ones("m") - Apply("tanh", Hadamard(s["z1"], s["z1"])))
    right = Diag(Ones("m") - Hadamard(Apply("tanh", s["z1"]), Apply("tanh", s["z1"])))
    truth = solution.evaluate(point)["dz2_dz1"]
    np.testing.assert_allclose(evaluate(right, values), truth)
    assert not np.allclose(evaluate(wrong, values), truth)


def test_bce_derivative_without_the_one_over_k_is_wrong_for_k_above_one():
    solution = two_layer_network("tanh", "sigmoid", "bce")
    s = solution.symbols
    point, values = values_for(solution, 2)
    ones = Ones("K")
    per_entry = Hadamard(ones - s["y"], Apply("reciprocal", ones - s["yhat"])) - Hadamard(
        s["y"], Apply("reciprocal", s["yhat"]))
    truth = solution.evaluate(point)["dl_dyhat"]
    np.testing.assert_allclose(evaluate(Scale(0.5, per_entry.T), values), truth)  # 1/K with K = 2
    assert not np.allclose(evaluate(per_entry.T, values), truth)


def test_the_outer_product_is_not_the_mse_loss():
    s = two_layer_network("relu", "identity", "mse").symbols
    outer = MatMul((s["yhat"] - s["y"], (s["yhat"] - s["y"]).T))
    assert str(outer.shape) == "(K×K)"
    inner = MatMul(((s["yhat"] - s["y"]).T, s["yhat"] - s["y"]))
    assert inner.shape.is_scalar
