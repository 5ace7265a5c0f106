"""Each loss is checked three ways: exact SymPy against PyTorch autograd, against SymPy's own
differentiation of the exact value, and NumPy against both and against central differences."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.exact import to_rational
from chainrule.engine.losses import canonical_loss_name, get_loss, loss_names
from chainrule.errors import InputError

TOLERANCE = 1e-9
R = sympy.Rational


def column(values) -> sympy.Matrix:
    return sympy.Matrix([to_rational(v) for v in values])


def autograd(loss, prediction, target):
    p = torch.tensor([float(v) for v in prediction], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([float(v) for v in target], dtype=torch.float64)
    value = loss.torch(p, t)
    value.backward()
    return float(value.detach()), p.grad.numpy()


def prediction_target(loss_name: str, size: int):
    """Hypothesis strategy for a (prediction, target) pair valid for ``loss_name``."""
    decimals = st.decimals(min_value=-5, max_value=5, places=2, allow_nan=False, allow_infinity=False)
    if loss_name == "bce":
        probability = st.decimals(min_value="0.01", max_value="0.99", places=2)
        return st.tuples(st.lists(probability, min_size=size, max_size=size),
                         st.lists(st.sampled_from(["0", "1", "0.3"]), min_size=size, max_size=size))
    if loss_name == "cross_entropy":
        one_hot = st.integers(0, size - 1).map(lambda k: ["1" if i == k else "0" for i in range(size)])
        return st.tuples(st.lists(decimals, min_size=size, max_size=size), one_hot)
    return st.tuples(st.lists(decimals, min_size=size, max_size=size), st.lists(decimals, min_size=size, max_size=size))


def make(name: str):
    return get_loss(name, tau="0.3") if name == "quantile" else get_loss(name)


@pytest.mark.parametrize("name", loss_names())
@settings(max_examples=25, deadline=None)
@given(data=st.data(), size=st.integers(1, 4))
def test_exact_value_and_gradient_match_autograd(name, data, size):
    loss = make(name)
    raw_prediction, raw_target = data.draw(prediction_target(name, size))
    prediction, target = column([str(v) for v in raw_prediction]), column([str(v) for v in raw_target])
    if name == "quantile":  # autograd and the literal formula agree at the kink too, but keep away from it here
        prediction = prediction.applyfunc(lambda v: v + R(1, 1000))
    expected_value, expected_gradient = autograd(loss, prediction, target)
    assert float(loss.value(prediction, target)) == pytest.approx(expected_value, abs=TOLERANCE, rel=TOLERANCE)
    exact_gradient = [float(g) for g in loss.gradient(prediction, target)]
    np.testing.assert_allclose(exact_gradient, expected_gradient, rtol=TOLERANCE, atol=TOLERANCE)
    p = np.array([float(v) for v in prediction])[None, :]
    t = np.array([float(v) for v in target])[None, :]
    assert loss.numpy(p, t)[0] == pytest.approx(expected_value, abs=TOLERANCE, rel=TOLERANCE)
    np.testing.assert_allclose(loss.numpy_gradient(p, t)[0], expected_gradient, rtol=TOLERANCE, atol=TOLERANCE)


@pytest.mark.parametrize("name", [n for n in loss_names() if n != "quantile"])
def test_exact_gradient_is_the_derivative_of_the_exact_value(name):
    loss = make(name)
    size = 3
    p = sympy.Matrix(sympy.symbols(f"p0:{size}", positive=True))
    point = {p[0]: R(1, 5), p[1]: R(1, 2), p[2]: R(7, 10)}
    target = column(["0", "1", "0"]) if name in {"bce", "cross_entropy"} else column(["0.3", "-1", "2"])
    value = loss.value(p, target)
    derived = [sympy.diff(value, symbol).subs(point) for symbol in p]
    stated = list(loss.gradient(p, target).subs(point))
    for d, s in zip(derived, stated, strict=True):
        assert sympy.N(d - s, 30) == pytest.approx(0, abs=1e-25)


@pytest.mark.parametrize("name", loss_names())
def test_numpy_gradient_matches_central_differences(name):
    loss = make(name)
    rng = np.random.default_rng(7)
    prediction = rng.uniform(0.1, 0.9, size=(3, 4))
    target = np.eye(4)[[0, 2, 3]] if name in {"bce", "cross_entropy"} else rng.normal(size=(3, 4))
    step = 1e-6
    numeric = np.zeros_like(prediction)
    for index in np.ndindex(prediction.shape):
        up, down = prediction.copy(), prediction.copy()
        up[index] += step
        down[index] -= step
        numeric[index] = (loss.numpy(up, target) - loss.numpy(down, target))[index[0]] / (2 * step)
    np.testing.assert_allclose(loss.numpy_gradient(prediction, target), numeric, rtol=1e-6, atol=1e-7)


def test_half_squared_error_on_ama564_output():
    loss = get_loss("half_squared_error")
    assert loss.value(column(["1.33"]), column(["0.33"])) == R(1, 2)
    assert loss.gradient(column(["1.33"]), column(["0.33"])) == sympy.Matrix([1])


@pytest.mark.parametrize(
    ("name", "value", "gradient"),
    [("squared_error", R(5), [2, -4]), ("sum_squared_error", R(5), [2, -4]), ("mse", R(5, 2), [1, -2]),
     ("half_squared_error", R(5, 2), [1, -2])],
)
def test_squared_error_family_is_exact(name, value, gradient):
    loss = get_loss(name)
    prediction, target = column(["1", "0"]), column(["0", "2"])
    assert loss.value(prediction, target) == value
    assert list(loss.gradient(prediction, target)) == gradient


def test_mse_matches_nn_mseloss_exactly_in_floats():
    prediction = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    target = torch.tensor([[0.0, 1.0, 1.0]], dtype=torch.float64)
    expected = torch.nn.MSELoss()(prediction, target)
    assert float(get_loss("mse").torch(prediction, target)[0]) == pytest.approx(float(expected), rel=1e-15)
    assert get_loss("mse").numpy(prediction.numpy(), target.numpy())[0] == pytest.approx(float(expected), rel=1e-15)


@pytest.mark.parametrize(
    ("prediction", "target", "value", "gradient"),
    [("3", "1", R(3, 2), R(3, 4)),    # u = -2 < 0: (τ - 1)u = (-3/4)(-2)
     ("1", "3", R(1, 2), R(-1, 4)),   # u = 2 > 0: τu
     ("1", "1", R(0), R(-1, 4))],     # u = 0: the literal formula gives −τ
)
def test_quantile_check_loss(prediction, target, value, gradient):
    loss = get_loss("pinball", tau="0.25")
    assert loss.value(column([prediction]), column([target])) == value
    assert loss.gradient(column([prediction]), column([target]))[0] == gradient
    _, autograd_gradient = autograd(loss, [to_rational(prediction)], [to_rational(target)])
    assert autograd_gradient[0] == pytest.approx(float(gradient))


def test_cross_entropy_does_not_overflow_at_huge_logits():
    loss = get_loss("CE")
    logits = np.array([[1e4, 0.0, -1e4]])
    target = np.array([[0.0, 1.0, 0.0]])
    assert loss.numpy(logits, target)[0] == pytest.approx(1e4)
    assert np.all(np.isfinite(loss.numpy_gradient(logits, target)))
    exact = loss.value(column(["1e4", "0", "-1e4"]), column(["0", "1", "0"]))
    assert float(sympy.N(exact, 30)) == pytest.approx(1e4)
    z = sympy.symbols("z0:3", real=True)
    symbolic = loss.value(sympy.Matrix(z), column(["0", "1", "0"]))
    as_numpy = sympy.lambdify(z, symbolic, "numpy")
    with np.errstate(over="raise"):
        assert as_numpy(1e4, 0.0, -1e4) == pytest.approx(1e4)
    torch_logits = torch.tensor([1e4, 0.0, -1e4], dtype=torch.float64)
    torch_value = loss.torch(torch_logits, torch.tensor([0.0, 1.0, 0.0], dtype=torch.float64))
    assert float(torch_value) == pytest.approx(1e4)


def test_cross_entropy_with_one_hot_target_is_minus_log_softmax():
    loss = get_loss("cross_entropy")
    value = loss.value(column(["1", "2"]), column(["1", "0"]))
    assert sympy.simplify(value - sympy.log(1 + sympy.exp(1))) == 0


def test_bce_is_averaged_over_outputs():
    loss = get_loss("binary_cross_entropy")
    value = loss.value(column(["0.5", "0.25"]), column(["1", "0"]))
    assert sympy.simplify(value - (sympy.log(2) + sympy.log(sympy.Rational(4, 3))) / 2) == 0
    assert list(loss.gradient(column(["0.5", "0.25"]), column(["1", "0"]))) == [-1, R(2, 3)]


def test_bce_rejects_predictions_outside_the_open_unit_interval():
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        get_loss("bce").check_prediction(column(["0.5", "1"]))


@pytest.mark.parametrize(("alias", "name"), [("MSE", "mse"), ("Pinball", "quantile"), ("CE", "cross_entropy"),
                                             ("BCELoss", "bce"), ("half-squared-error", "half_squared_error")])
def test_aliases(alias, name):
    assert canonical_loss_name(alias) == name


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: get_loss("hinge"), "unknown loss"), (lambda: get_loss("quantile"), "takes parameter tau; got none"),
     (lambda: get_loss("quantile", tau=1.5), "0 < tau < 1"),
     (lambda: get_loss("mse", tau=0.5), "takes no parameters; got tau"),
     (lambda: get_loss("quantile", tau="abc"), "expected a number"),
     (lambda: get_loss("ce").check_target(column(["0.5", "0.6"])), "sum to 1"),
     (lambda: get_loss("bce").check_target(column(["2"])), "in \\[0, 1\\]")],
)
def test_bad_losses_raise_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()
