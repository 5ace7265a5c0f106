"""The exact and float passes are checked against PyTorch autograd on random networks, against central
differences, and against the AMA564 A1 Q1(b) numbers a student worked by hand."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import sympy
import torch
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from chainrule.engine.activations import get_activation
from chainrule.engine.exact import to_rational
from chainrule.engine.losses import get_loss
from chainrule.engine.mlp import DenseLayer, NetworkProblem, Ref, trace_exact, trace_exact_bounded
from chainrule.engine.mlp_float import float_pass, trace_float
from chainrule.errors import ChainruleError, InputError

TOLERANCE = 1e-9
# Shrinking a random network takes minutes; a failure is reported as drawn (hypothesis prints it in full).
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
R = sympy.Rational

ACTIVATION_PARAMS = {
    "identity": {}, "relu": {}, "sigmoid": {}, "tanh": {}, "gelu": {}, "softmax": {},
    "leaky_relu": {"a": "0.01"}, "scaled_relu": {"c": "5"}, "softplus": {"beta": "2"}, "elu": {"alpha": "1.5"},
}
SMOOTH = ["identity", "sigmoid", "tanh", "gelu", "softmax", "softplus"]
LOSS_PARAMS = {"quantile": {"tau": "0.3"}}


def matrix(rows) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([[to_rational(v) for v in row] for row in rows])


def column(values) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([to_rational(v) for v in values])


def ama564() -> NetworkProblem:
    return NetworkProblem(
        layers=(DenseLayer(matrix([[-0.8, 0.5, -1], [1.2, -0.7, 0.2]]), column([-0.4, 0.9]), "relu"),
                DenseLayer(matrix([[0.6, 1.1]]), column([-0.1]), "identity")),
        inputs=column([1, 2, 3]), targets=column([0.33]))


DECIMAL = st.integers(-200, 200).map(lambda k: R(k, 100))


@st.composite
def problems(draw, activations=tuple(ACTIVATION_PARAMS), losses=("half_squared_error", "squared_error", "mse",
                                                                  "sum_squared_error", "quantile", "cross_entropy",
                                                                  "bce"), max_batch=1):
    depth = draw(st.integers(1, 4))
    widths = [draw(st.integers(1, 5)) for _ in range(depth + 1)]
    loss = draw(st.sampled_from(losses))
    if loss == "cross_entropy":
        widths[-1] = max(widths[-1], 2)
    layers = []
    for index in range(depth):
        name = draw(st.sampled_from(activations))
        if index == depth - 1 and loss == "bce":
            name = "sigmoid"
        w = [[draw(DECIMAL) for _ in range(widths[index])] for _ in range(widths[index + 1])]
        b = [draw(DECIMAL) for _ in range(widths[index + 1])]
        params = {k: to_rational(v) for k, v in ACTIVATION_PARAMS[name].items()}
        layers.append(DenseLayer(sympy.ImmutableMatrix(w), sympy.ImmutableMatrix(b), name, params))
    count = draw(st.integers(1, max_batch))
    inputs = sympy.ImmutableMatrix([[draw(DECIMAL) for _ in range(count)] for _ in range(widths[0])])
    if loss in {"cross_entropy", "bce"}:
        hot = [draw(st.integers(0, widths[-1] - 1)) for _ in range(count)]
        if loss == "bce":
            targets = [[draw(st.sampled_from([R(0), R(1), R(1, 4)])) for _ in range(count)] for _ in range(widths[-1])]
        else:
            targets = [[int(hot[n] == i) for n in range(count)] for i in range(widths[-1])]
    else:
        targets = [[draw(DECIMAL) for _ in range(count)] for _ in range(widths[-1])]
    reduction = draw(st.sampled_from([None, "sum"])) if count > 1 else None
    params = {k: to_rational(v) for k, v in LOSS_PARAMS.get(loss, {}).items()}
    return NetworkProblem(tuple(layers), inputs, sympy.ImmutableMatrix(targets), loss, params, reduction,
                          batched=count > 1)


def reference_activation(name: str, params) -> callable:
    """PyTorch's own activation, except softplus: F.softplus returns z itself once βz > 20 (an approximation
    off by up to e⁻²⁰/β ≈ 1e-9), so the reference uses the exact formula, written stably."""
    if get_activation(name).name == "softplus":
        beta = float(params["beta"])
        return lambda z: (torch.relu(beta * z) + torch.log1p(torch.exp(-torch.abs(beta * z)))) / beta
    return get_activation(name, **dict(params)).torch


def autograd(problem: NetworkProblem) -> dict[str, np.ndarray]:
    """The same network built from torch tensors; autograd gives the reference gradients."""
    def tensor(m, grad=False):
        return torch.tensor(np.array(m.tolist(), dtype=float), dtype=torch.float64, requires_grad=grad)

    weights = [tensor(layer.W, True) for layer in problem.layers]
    biases = [tensor(layer.b, True) for layer in problem.layers]
    h = tensor(problem.inputs).T  # rows are samples, as torch expects
    hidden = []
    for w, b, layer in zip(weights, biases, problem.layers, strict=True):
        z = h @ w.T + b[:, 0]
        z.retain_grad()
        hidden.append(z)
        h = reference_activation(layer.activation, layer.params)(z)
    targets = tensor(problem.targets).T
    if problem.loss == "bce":  # the formula itself: nn.BCELoss clamps ŷ(1 − ŷ) at 1e-12 in its gradient
        per_sample = -(targets * torch.log(h) + (1 - targets) * torch.log1p(-h)).mean(-1)
    else:
        per_sample = get_loss(problem.loss, **dict(problem.loss_params)).torch(h, targets)
    total = per_sample.mean() if problem.batch_reduction() == "mean" else per_sample.sum()
    total.backward()
    result = {"L": np.array([[float(total.detach())]]), "output": h.detach().numpy().T}
    for index, (w, b, z) in enumerate(zip(weights, biases, hidden, strict=True), start=1):
        result[f"dW{index}"], result[f"db{index}"] = w.grad.numpy(), b.grad.numpy()
        result[f"delta{index}"] = z.grad.numpy().T
    return result


def assert_close(actual, expected, what: str) -> None:
    """Agreement to 1e-9 relative to the array's size: float64 rounding (autograd's own included) is amplified
    where a sigmoid saturates, so entrywise relative error is the wrong yardstick for tiny entries."""
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE * scale, err_msg=what)


def assert_matches_autograd(trace, reference) -> None:
    assert_close(trace.approximate(trace.output), reference["output"], "output")
    assert_close(trace.approximate(trace.loss_value), reference["L"], "L")
    for layer in trace.layers:
        for key in (f"dW{layer.index}", f"db{layer.index}", f"delta{layer.index}"):
            assert_close(trace.approximate(trace[key].value), reference[key], key)


def assume_well_conditioned(problem: NetworkProblem, trace, margin: float = 1e-6) -> None:
    """BCE after a sigmoid takes log(1 − ŷ): within 1e-6 of saturation float64 (autograd's included) keeps
    fewer than 10 digits, so no float route can be held to 1e-9 there. The exact pass is right regardless."""
    if problem.loss == "bce":
        output = trace.approximate(trace.output)
        assume(np.all(np.abs(output - 0.5) < 0.5 - margin))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(problems())
def test_exact_pass_matches_autograd(problem):
    trace = trace_exact(problem)
    assume_well_conditioned(problem, trace)
    assert_matches_autograd(trace, autograd(problem))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(problems(max_batch=4))
def test_float_pass_matches_autograd_including_batches(problem):
    try:
        trace = trace_float(problem)
    except ChainruleError:  # a saturated sigmoid under BCE: float64 cannot represent the loss
        assume(False)
    assume_well_conditioned(problem, trace)
    assert_matches_autograd(trace, autograd(problem))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(problems(activations=("relu", "leaky_relu", "identity", "tanh"), max_batch=3))
def test_exact_batches_match_autograd(problem):
    trace = trace_exact(problem)
    assume_well_conditioned(problem, trace)
    assert_matches_autograd(trace, autograd(problem))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(problems(activations=tuple(SMOOTH), losses=("half_squared_error", "mse", "cross_entropy", "bce"), max_batch=2))
def test_gradients_match_central_differences(problem):
    trace = trace_exact(problem)
    assume_well_conditioned(problem, trace, margin=1e-3)  # a difference quotient of log(1 − ŷ) needs room
    activations = [layer.build_activation() for layer in problem.layers]
    elementwise = [info.elementwise for info in trace.layers]
    loss = problem.build_loss()
    inputs = np.array(problem.inputs.tolist(), dtype=float).T
    targets = np.array(problem.targets.tolist(), dtype=float).T
    weights = [np.array(layer.W.tolist(), dtype=float) for layer in problem.layers]
    biases = [np.array(layer.b.tolist(), dtype=float)[:, 0] for layer in problem.layers]

    def loss_at(ws, bs):
        return float_pass(ws, bs, activations, elementwise, inputs, targets, loss, problem.batch_reduction()).loss

    step = 1e-6
    for index in range(len(weights)):
        numeric = np.zeros_like(weights[index])
        for entry in np.ndindex(weights[index].shape):
            up = [w.copy() for w in weights]
            down = [w.copy() for w in weights]
            up[index][entry] += step
            down[index][entry] -= step
            numeric[entry] = (loss_at(up, biases) - loss_at(down, biases)) / (2 * step)
        np.testing.assert_allclose(trace.approximate(trace[f"dW{index + 1}"].value), numeric, rtol=1e-5, atol=1e-7)


def test_ama564_forward_and_backward_are_exact():
    trace = trace_exact(ama564())
    assert trace.output == sympy.Matrix([R(133, 100)])
    assert trace["z1"].value == sympy.Matrix([R(-16, 5), R(13, 10)])
    assert trace["h1"].value == sympy.Matrix([0, R(13, 10)])
    assert trace.loss_value == sympy.Matrix([R(1, 2)])
    gradients = trace.gradients()
    assert gradients["W1"] == matrix([[0, 0, 0], ["1.1", "2.2", "3.3"]])
    assert gradients["b1"] == column([0, "1.1"])
    assert gradients["W2"] == matrix([[0, "1.3"]])
    assert gradients["b2"] == column([1])
    assert trace["dh1"].value == column(["0.6", "1.1"])


def test_every_gradient_has_the_shape_of_its_parameter():
    trace = trace_exact(ama564())
    for layer in trace.layers:
        assert trace[f"dW{layer.index}"].value.shape == trace[f"W{layer.index}"].value.shape
        assert trace[f"db{layer.index}"].value.shape == trace[f"b{layer.index}"].value.shape
        assert trace[f"dh{layer.index}"].value.shape == trace[f"h{layer.index}"].value.shape


def test_steps_name_only_operands_that_exist_earlier():
    trace = trace_exact(ama564())
    seen: set[str] = set()
    for step in trace:
        for part in step.substitution:
            cells = [part] if isinstance(part, Ref) else [
                p for row in getattr(part, "rows", ()) for cell in row for p in cell if isinstance(p, Ref)]
            for ref in cells:
                assert ref.key in seen, (step.key, ref.key)
        seen.add(step.key)


def test_float_mode_agrees_with_exact_mode_on_ama564():
    exact, floats = trace_exact(ama564()), trace_float(ama564())
    for step in exact:
        np.testing.assert_allclose(floats[step.key].value, exact.approximate(step.value), rtol=1e-12, atol=1e-12)


def test_trace_pickles_and_runs_bounded():
    trace = trace_exact_bounded(ama564(), timeout=30)
    assert pickle.loads(pickle.dumps(trace)).gradients() == trace_exact(ama564()).gradients()


def test_batch_mean_halves_the_sum_of_two_copies():
    single = ama564()
    double = NetworkProblem(single.layers, sympy.ImmutableMatrix.hstack(single.inputs, single.inputs),
                            sympy.ImmutableMatrix.hstack(single.targets, single.targets), batched=True)
    summed = NetworkProblem(double.layers, double.inputs, double.targets, reduction="sum", batched=True)
    assert trace_exact(double).gradients() == trace_exact(single).gradients()
    assert trace_exact(summed).gradients()["W1"] == 2 * trace_exact(single).gradients()["W1"]


def test_sigmoid_network_is_exact_in_closed_form():
    problem = NetworkProblem((DenseLayer(matrix([[1]]), column([0]), "sigmoid"),), column([0]), column([1]))
    trace = trace_exact(problem)
    assert trace.output == sympy.Matrix([R(1, 2)])
    assert trace["dW1"].value == sympy.Matrix([[0]])  # x = 0
    assert trace["delta1"].value == sympy.Matrix([R(-1, 8)])  # σ'(0)(½ − 1) = ¼ · (−½)


@pytest.mark.parametrize(
    ("problem", "where"),
    [(lambda: NetworkProblem((DenseLayer(matrix([[1, 2]]), column([0])),), column([1, 2, 3]), column([0])),
      "layers[0].W"),
     (lambda: NetworkProblem((DenseLayer(matrix([[1]]), column([0, 1])),), column([1]), column([0])), "layers[0].b"),
     (lambda: NetworkProblem((DenseLayer(matrix([[1]]), column([0])),), column([1]), column([0, 1])), "target"),
     (lambda: NetworkProblem((), column([1]), column([0])), "layers")],
)
def test_shape_mismatches_are_located(problem, where):
    with pytest.raises(InputError) as error:
        problem()
    assert error.value.where == where


def test_symbolic_activation_parameter_is_refused():
    problem = NetworkProblem((DenseLayer(matrix([[1]]), column([0]), "leaky_relu"),), column([1]), column([0]))
    with pytest.raises(InputError, match="needs a number"):
        trace_exact(problem)


def test_bce_on_a_prediction_outside_0_1_is_refused():
    problem = NetworkProblem((DenseLayer(matrix([[2]]), column([0])),), column([1]), column([1]), loss="bce")
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        trace_exact(problem)


def test_undecidable_case_split_is_reported_not_guessed():
    from chainrule.engine.mlp import _Names

    names = _Names()
    vanishing = sympy.cos(1) ** 2 + sympy.sin(1) ** 2 - 1  # exactly 0, which SymPy does not see by itself
    named = names.name(sympy.Matrix([vanishing + 0 * sympy.exp(1)]), "z^{(1)}", "pre-activation", batched=False)
    assert named[0].is_Symbol
    with pytest.raises(ChainruleError, match="could not decide"):
        names.decide(sympy.Matrix([sympy.Max(0, named[0])]), "h1")


def test_deep_smooth_network_stays_small_through_named_intermediates():
    layer = DenseLayer(matrix([["0.5", "-0.3"], ["0.2", "0.7"]]), column(["0.1", "-0.2"]), "sigmoid")
    problem = NetworkProblem((layer,) * 3 + (DenseLayer(matrix([[1, -1]]), column([0])),), column([1, 2]),
                             column(["0.5"]))
    trace = trace_exact(problem)
    assert all(sympy.count_ops(entry) < 60 for step in trace for entry in step.value)
    closed = trace.closed_form(trace["dW1"].value)
    assert not closed.free_symbols
    np.testing.assert_allclose(np.array(closed.evalf(30).tolist(), dtype=float), trace.approximate(trace["dW1"].value),
                               rtol=1e-12)
    np.testing.assert_allclose(trace.approximate(trace["dW1"].value), trace_float(problem)["dW1"].value, rtol=1e-12)


def test_one_sigmoid_closed_form_is_the_textbook_formula():
    problem = NetworkProblem((DenseLayer(matrix([[2]]), column([1]), "sigmoid"),), column([1]), column([0]))
    trace = trace_exact(problem)
    s = 1 / (1 + sympy.exp(-3))
    expected = (s - 0) * s * (1 - s) * 1  # (ŷ − y)·σ'(z)·x with ½(ŷ − y)²
    assert sympy.simplify(trace.closed_form(trace["dW1"].value)[0] - expected) == 0


def test_closed_form_stops_once_too_large():
    layer = DenseLayer(matrix([["0.5", "-0.3"], ["0.2", "0.7"]]), column(["0.1", "-0.2"]), "tanh")
    problem = NetworkProblem((layer,) * 3 + (DenseLayer(matrix([[1, -1]]), column([0])),), column([1, 2]),
                             column(["0.5"]))
    trace = trace_exact(problem)
    entry = trace["dW1"].value[0, 0]
    assert trace.closed_form(entry, max_ops=10) is None
    assert not trace.closed_form(entry).free_symbols
