"""Every registered activation against independent routes: torch autograd, finite differences, SymPy diff."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.activations import (
    ElementwiseActivation,
    X,
    activation_names,
    canonical_name,
    get_activation,
    parameter_names,
)
from chainrule.engine.equivalence import decide_equal
from chainrule.errors import InputError

ELEMENTWISE = [name for name in activation_names() if name != "softmax"]
# Parameter values drawn inside each domain (the interval ends are excluded on purpose).
PARAMETER_VALUES = {
    "scale": st.floats(0.5, 2.0),
    "a": st.floats(0.01, 0.99),
    "c": st.floats(0.1, 10.0),
    "beta": st.floats(0.1, 5.0),
    "alpha": st.floats(0.1, 3.0),
}
AWAY_FROM_KINKS = st.floats(-20.0, 20.0).filter(lambda v: abs(v) > 1e-3)


def _with_params(name: str, draw: st.DrawFn) -> ElementwiseActivation:
    values = {key: draw(PARAMETER_VALUES[key]) for key in parameter_names(name)}
    return get_activation(name, **values)


@st.composite
def numeric_activations(draw: st.DrawFn) -> ElementwiseActivation:
    return _with_params(draw(st.sampled_from(ELEMENTWISE)), draw)


def _sympy_value(expr: sympy.Expr, point: float) -> float:
    return float(expr.subs(X, sympy.Rational(repr(point))).evalf(30))


def _autograd(act: ElementwiseActivation, point: float) -> tuple[float, float]:
    x = torch.tensor([point], dtype=torch.float64, requires_grad=True)
    y = act.torch(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return float(y.detach()), float(grad)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(act=numeric_activations(), point=AWAY_FROM_KINKS)
def test_derivative_agrees_with_torch_autograd_numpy_and_sympy(act, point):
    value, slope = _autograd(act, point)
    assert _sympy_value(act.definition, point) == pytest.approx(value, rel=1e-9, abs=1e-7)
    assert float(act.numpy(np.array([point]))[0]) == pytest.approx(value, rel=1e-9, abs=1e-7)
    assert _sympy_value(act.derivative, point) == pytest.approx(slope, rel=1e-9, abs=1e-7)
    assert float(act.numpy_vjp(np.array([point]), np.ones(1))[0]) == pytest.approx(slope, rel=1e-9, abs=1e-7)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(act=numeric_activations(), point=AWAY_FROM_KINKS)
def test_derivative_agrees_with_central_finite_differences(act, point):
    step = 1e-6
    around = np.array([point - step, point + step])
    values = act.numpy(around)
    estimate = (values[1] - values[0]) / (2 * step)
    assert _sympy_value(act.derivative, point) == pytest.approx(estimate, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_stated_derivative_is_the_derivative_of_the_definition(name):
    """With symbolic parameters: SymPy's own diff of the definition and the stated readable form agree."""
    act = get_activation(name)
    decision = decide_equal(sympy.diff(act.definition, X), act.derivative, domains=act.symbol_domains)
    assert decision.verdict == "equal", decision.reason


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_listed_equivalent_form_equals_the_derivative(name):
    act = get_activation(name)
    for description, form in act.forms:
        decision = decide_equal(form, act.derivative, domains=act.symbol_domains)
        assert decision.verdict == "equal", (description, decision.reason)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("relu", {}),
        ("scaled_relu", {"c": 5}),
        ("leaky_relu", {"a": "0.01"}),
        ("elu", {"alpha": 2}),
        ("elu", {"alpha": "0.5"}),
    ],
)
def test_value_at_the_kink_is_pytorchs(name, params):
    act = get_activation(name, **params)
    assert act.kinks == (0,)
    _, torch_slope = _autograd(act, 0.0)
    assert float(act.derivative.subs(X, 0)) == torch_slope
    assert float(act.numpy_vjp(np.zeros(1), np.ones(1))[0]) == torch_slope


def test_elu_with_alpha_one_has_no_kink():
    assert get_activation("elu", alpha=1).kinks == ()
    assert get_activation("elu", alpha=2).kinks == (0,)


def test_scaled_relu_is_five_relu_for_c_five():
    act = get_activation("scaled_relu", c=5)
    z = np.array([-2.0, 0.5, 3.0])
    assert act.numpy(z).tolist() == [0.0, 2.5, 15.0]
    assert act.numpy_vjp(z, np.ones(3)).tolist() == [0.0, 5.0, 5.0]


def test_softplus_derivative_is_sigmoid_of_beta_x():
    """Prof. You HW1 Q1.3, with β symbolic and positive."""
    act = get_activation("softplus")
    beta = act.params["beta"]
    sigma_beta_x = 1 / (1 + sympy.exp(-beta * X))
    assert sympy.simplify(sympy.diff(act.definition, X) - sigma_beta_x) == 0
    assert decide_equal(act.derivative, sigma_beta_x).verdict == "equal"


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    """Prof. You HW1 Q1.1 and AMA564 A1 Q1a(1)."""
    act = get_activation("sigmoid")
    s = act.definition
    assert sympy.simplify(act.derivative - s * (1 - s)) == 0


def test_numpy_versions_are_stable_far_out():
    z = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    for name, params in [("sigmoid", {}), ("softplus", {"beta": 3}), ("elu", {"alpha": 1}), ("tanh", {})]:
        act = get_activation(name, **params)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            values = act.numpy(z)
            slopes = act.numpy_vjp(z, np.ones_like(z))
        assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes)), name
    assert get_activation("sigmoid").numpy_vjp(np.array([-800.0]), np.ones(1))[0] == 0.0


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.floats(-30, 30), min_size=2, max_size=5))
def test_softmax_jacobian_matches_autograd(entries):
    """Prof. You HW1 Q1.2: J = diag(s) − s sᵀ, exactly, in NumPy and against torch.autograd."""
    act = get_activation("softmax")
    z = torch.tensor(entries, dtype=torch.float64)
    expected = torch.autograd.functional.jacobian(act.torch, z).numpy()
    exact = act.jacobian(sympy.Matrix([sympy.Rational(repr(v)) for v in entries]))
    assert np.allclose(np.array(exact.evalf(30), dtype=float), expected, atol=1e-12)
    upstream = np.arange(1.0, len(entries) + 1)
    assert np.allclose(act.numpy_vjp(np.array(entries), upstream), expected.T @ upstream, atol=1e-12)
    assert np.allclose(act.numpy(np.array(entries)), torch.softmax(z, -1).numpy(), atol=1e-15)


def test_softmax_is_stable_for_huge_inputs():
    act = get_activation("softmax")
    values = act.numpy(np.array([[1000.0, 0.0], [-1000.0, -1000.0]]))
    assert np.allclose(values, [[1.0, 0.0], [0.5, 0.5]])


def test_softmax_exact_jacobian_rows_sum_to_zero():
    act = get_activation("softmax")
    z = sympy.Matrix([sympy.Rational(1, 3), -2, sympy.Rational(5, 2)])
    jacobian = act.jacobian(z)
    for row in range(3):
        assert sympy.simplify(sum(jacobian.row(row))) == 0
    s = act.value(z)
    assert sympy.simplify(jacobian - (sympy.diag(*s) - s * s.T)) == sympy.zeros(3, 3)


def test_parameters_are_exact_and_checked_against_their_domain():
    assert get_activation("leaky_relu", a="0.01").params["a"] == sympy.Rational(1, 100)
    assert get_activation("leaky_relu", a=0.1).params["a"] == sympy.Rational(1, 10)
    with pytest.raises(InputError, match="0 < a < 1") as error:
        get_activation("leaky_relu", a=1)
    assert error.value.where == "a"
    with pytest.raises(InputError, match="beta > 0"):
        get_activation("softplus", beta="-2")
    with pytest.raises(InputError, match="no parameter 'gamma'"):
        get_activation("elu", gamma=1)
    with pytest.raises(InputError, match="expected a number"):
        get_activation("elu", alpha="1+1")


def test_symbolic_parameters_cannot_be_evaluated_numerically():
    act = get_activation("leaky_relu")
    assert isinstance(act.params["a"], sympy.Symbol)
    with pytest.raises(InputError, match="symbolic"):
        act.numpy(np.ones(2))


def test_aliases_and_unknown_names():
    assert canonical_name("LeakyReLU") == "leaky_relu"
    assert canonical_name("Leaky-ReLU") == "leaky_relu"
    assert canonical_name("softargmax") == "softmax"
    with pytest.raises(InputError, match="unknown activation"):
        canonical_name("swishy")
    assert canonical_name("SiLU") == "silu" and canonical_name("Hard-Tanh") == "hardtanh"
    assert canonical_name("gelu_approx") == "gelu_tanh"


def test_gelu_is_torchs_exact_erf_form_not_the_tanh_approximation():
    act = get_activation("gelu")
    z = torch.linspace(-4, 4, 81, dtype=torch.float64)
    exact = torch.nn.functional.gelu(z).numpy()
    assert np.allclose(act.numpy(z.numpy()), exact, atol=1e-14)
    approximate = torch.nn.functional.gelu(z, approximate="tanh").numpy()
    assert not np.allclose(act.numpy(z.numpy()), approximate, atol=1e-6)
    assert float(act.definition.subs(X, 1).evalf(30)) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))))


@pytest.mark.parametrize("value", ["1e-9999", "1e9999", "123456789012345678901234567890123/7"])
def test_parameters_with_too_many_digits_are_input_errors(value):
    # Such numbers are thousands of digits long: SymPy cannot print them and its solvers stall on them.
    with pytest.raises(InputError, match="too many digits") as caught:
        get_activation("elu", alpha=value)
    assert caught.value.where == "alpha"
