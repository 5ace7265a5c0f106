"""NYU DL HW1: the numerator-layout answers against PyTorch autograd, for every activation/loss variant."""

import numpy as np
import pytest
import torch

from chainrule.engine.matcalc import NYU_VARIANTS, allowed_only, evaluate, two_layer_network
from chainrule.engine.matcalc.network import parse_activation
from chainrule.errors import InputError

TORCH_ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda t: t}


def torch_reference(f, g, loss, point):
    """The network written directly in PyTorch; autograd gives denominator-layout gradients."""
    fa, ga = parse_activation(f), parse_activation(g)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in point.items()}
    z1 = t["W1"] @ t["x"] + t["b1"]
    z1.retain_grad()
    z2 = fa.scale * TORCH_ACT[fa.name](z1)
    z3 = t["W2"] @ z2 + t["b2"]
    z3.retain_grad()
    yhat = ga.scale * TORCH_ACT[ga.name](z3)
    yhat.retain_grad()
    if loss == "mse":
        value = ((yhat - t["y"]) ** 2).sum()
    else:
        y = t["y"]
        value = -(y * torch.log(yhat) + (1 - y) * torch.log(1 - yhat)).mean()
    value.backward()
    jac_f = torch.autograd.functional.jacobian(lambda v: fa.scale * TORCH_ACT[fa.name](v), z1.detach()[:, 0])
    jac_g = torch.autograd.functional.jacobian(lambda v: ga.scale * TORCH_ACT[ga.name](v), z3.detach()[:, 0])
    grads = {k: t[k].grad.numpy() for k in ("W1", "b1", "W2", "b2")}
    return grads, yhat.grad.numpy(), jac_f.numpy(), jac_g.numpy(), value.item()


@pytest.mark.parametrize("variant", list(NYU_VARIANTS))
def test_numerator_layout_answers_match_autograd(variant):
    f, g, loss = NYU_VARIANTS[variant]
    solution = two_layer_network(f, g, loss)
    rng = np.random.default_rng(sum(map(ord, variant)))
    for sizes in ({"n": 3, "m": 5, "K": 2}, {"n": 4, "m": 2, "K": 3}):
        point = solution.random_point(sizes, rng)
        got = solution.evaluate(point)
        grads, dl_dyhat, jac_f, jac_g, loss_value = torch_reference(f, g, loss, point)
        for key in ("W1", "b1", "W2", "b2"):
            # numerator layout is the transpose of autograd's parameter-shaped gradient
            np.testing.assert_allclose(got[key], grads[key].T, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got["dl_dyhat"], dl_dyhat.T, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got["dz2_dz1"], jac_f, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got["dyhat_dz3"], jac_g, rtol=1e-10, atol=1e-12)
        assert got["loss"][0, 0] == pytest.approx(loss_value, rel=1e-12)


@pytest.mark.parametrize("variant", list(NYU_VARIANTS))
def test_chain_form_equals_the_independently_expanded_reverse_mode_form(variant):
    solution = two_layer_network(*NYU_VARIANTS[variant])
    rng = np.random.default_rng(5)
    point = solution.random_point({"n": 2, "m": 4, "K": 3}, rng)
    values, sizes = solution.bindings(point), solution.sizes(point)
    for answer in (*solution.gradients.values(), *solution.jacobians.values()):
        np.testing.assert_allclose(evaluate(answer.value, values, sizes), evaluate(answer.expanded, point, sizes),
                                   rtol=1e-10)


@pytest.mark.parametrize("variant", list(NYU_VARIANTS))
def test_answers_use_only_allowed_symbols_and_numerator_shapes(variant):
    solution = two_layer_network(*NYU_VARIANTS[variant])
    shapes = {key: str(answer.shape) for key, answer in solution.gradients.items()}
    assert shapes == {"W1": "(n×m)", "b1": "(1×m)", "W2": "(m×K)", "b2": "(1×K)"}
    assert all(allowed_only(answer.value, solution.allowed) for answer in solution.gradients.values())
    jacobian_shapes = {key: str(answer.shape) for key, answer in solution.jacobians.items()}
    assert jacobian_shapes == {"dz2_dz1": "(m×m)", "dyhat_dz3": "(K×K)", "dl_dyhat": "(1×K)"}


def test_nyu_2022_regression_answers_read_as_in_the_text():
    solution = two_layer_network("5relu", "identity", "mse")
    assert solution.gradients["W1"].text == "x dl_dyhat dyhat_dz3 W2 dz2_dz1"
    assert solution.gradients["W2"].text == "5 (W1 x + b1)^+ dl_dyhat dyhat_dz3"
    assert solution.gradients["b2"].text == "dl_dyhat dyhat_dz3"
    assert solution.jacobians["dz2_dz1"].text == "5 diag(1[z1 > 0])"
    assert solution.jacobians["dyhat_dz3"].text == "I_K"
    assert solution.jacobians["dl_dyhat"].text == "2 (yhat - y)^T"
    assert [step.text for step in solution.forward[:3]] == ["W1 x + b1", "5 (W1 x + b1)^+", "5 W2 (W1 x + b1)^+ + b2"]
    assert r"\delta_{ij}" in solution.jacobians["dz2_dz1"].entries


def test_bce_derivative_carries_the_one_over_k():
    solution = two_layer_network("tanh", "sigmoid", "bce")
    answer = solution.jacobians["dl_dyhat"]
    assert answer.text.startswith("1/K (")
    assert r"\frac{1}{K}" in answer.entries


def test_a_wrong_student_expression_is_told_apart_at_random_points():
    """What a grader does: evaluate a candidate at random points and compare with the truth."""
    from chainrule.engine.matcalc import MatMul

    solution = two_layer_network("relu", "identity", "mse")
    s = solution.symbols
    chain_rule_answer = MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"], s["W2"], s["dz2_dz1"]))
    forgot_w2 = MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"]))  # (n×K): wrong shape
    assert str(forgot_w2.shape) != str(solution.gradients["W1"].shape)
    rng = np.random.default_rng(1)
    point = solution.random_point({"n": 3, "m": 4, "K": 2}, rng)
    values = solution.bindings(point)
    truth = solution.evaluate(point)["W1"]
    np.testing.assert_allclose(evaluate(chain_rule_answer, values), truth)
    transposed = MatMul((s["dz2_dz1"].T, s["W2"].T, s["dyhat_dz3"].T, s["dl_dyhat"].T, s["x"].T))  # (m×n)
    assert evaluate(transposed, values).shape != truth.shape
    no_relu_jacobian = MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"], s["W2"]))
    assert not np.allclose(evaluate(no_relu_jacobian, values), truth) or np.all(values["z1"] > 0)


@pytest.mark.parametrize("text", ["", "softmax", "0relu", "relu relu"])
def test_unknown_activations_are_input_errors(text):
    with pytest.raises(InputError):
        parse_activation(text)


def test_forward_table_rows_use_only_inputs_and_parameters():
    solution = two_layer_network("5relu", "identity", "mse")
    assert [row.layer for row in solution.table] == ["Linear_1", "f", "Linear_2", "g", "Loss"]
    assert solution.table[2].text == ("5 (W1 x + b1)^+", "5 W2 (W1 x + b1)^+ + b2")
    names = {"x", "y", "W1", "b1", "W2", "b2"}
    from chainrule.engine.matcalc import symbols_in

    for row in solution.table:
        assert {s.name for e in (*row.inputs, row.output) for s in symbols_in(e)} <= names


def test_compare_variants_lists_what_changes_for_1_3a_and_1_3b():
    from chainrule.engine.matcalc import compare_variants

    regression = two_layer_network(*NYU_VARIANTS["2022/1.2"])
    mse = two_layer_network(*NYU_VARIANTS["2022/1.3a"])
    bce = two_layer_network(*NYU_VARIANTS["2022/1.3b"])
    changed = {(c.part, c.key) for c in compare_variants(regression, mse)}
    assert ("jacobian", "dz2_dz1") in changed and ("gradient", "W2") in changed
    assert ("gradient", "W1") not in changed  # the chain-rule form in Jacobian symbols is unchanged
    assert {(c.part, c.key) for c in compare_variants(mse, bce)} == {("forward", "Loss"), ("jacobian", "dl_dyhat")}
    assert mse.jacobians["dz2_dz1"].text == "diag(1 - tanh^2(z1))"


def test_answers_convert_to_sympy_matrix_expressions():
    answer = two_layer_network("relu", "identity", "mse").gradients["W1"]
    assert str(answer.sympy) == "x*dl_dyhat*dyhat_dz3*W2*dz2_dz1"
