"""The facts `chainrule derive` reports, computed from the registry, checked by other routes."""

from __future__ import annotations

import json

import pytest
import sympy
import torch

from chainrule.engine.activation_facts import derive, expression_latex, expression_text
from chainrule.engine.activations import X, get_activation


def test_leaky_relu_facts_with_a_symbolic():
    facts = derive(get_activation("leaky_relu"))
    data = facts.as_dict()
    assert data["limits"] == {"+oo": "1", "-oo": "a"}
    assert data["assumptions"] == {"a": "0 < a < 1"}
    assert data["derivative"] == "(1 if x > 0 else a)"
    assert data["kink"]["points"] == ["0"] and data["kink"]["derivative_there"] == ["a"]
    assert data["lipschitz"]["derivative"]["lipschitz"] is False
    assert data["lipschitz"]["function"]["constant"] == "1"
    json.dumps(data)  # plain data only


def test_sigmoid_facts():
    data = derive(get_activation("sigmoid")).as_dict()
    assert data["limits"] == {"+oo": "0", "-oo": "0"}
    assert data["kink"] is None
    lipschitz = data["lipschitz"]["derivative"]
    assert lipschitz["constant"] == "sqrt(3)/18"
    assert lipschitz["constant_value"] == pytest.approx(1 / (6 * 3**0.5))


def test_softmax_facts_describe_the_jacobian_and_its_diagonal_limits():
    facts = derive(get_activation("softmax"))
    assert facts.limits["+oo"].value == 0 and facts.limits["-oo"].value == 0
    assert "diag(s) - s*s^T" in facts.derivative_text
    # The diagonal entry, as a function of x = x_i with S = the other exponentials, is ∂s_i/∂x_i from autograd.
    others = torch.tensor([0.3, -1.2], dtype=torch.float64)
    total = float(torch.exp(others).sum())
    for value in (-2.0, 0.0, 1.5):
        z = torch.cat([torch.tensor([value], dtype=torch.float64), others])
        jacobian = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), z)
        stated = float(facts.derivative.subs({X: value, sympy.Symbol("S", positive=True): total}))
        assert stated == pytest.approx(float(jacobian[0, 0]), rel=1e-12)
    assert facts.lipschitz.status == "undecided"


def test_numeric_parameters_flow_into_every_fact():
    data = derive(get_activation("softplus", beta=2)).as_dict()
    assert data["params"] == {"beta": "2"}
    assert data["lipschitz"]["derivative"]["constant"] == "1/2"


def test_kink_value_is_what_torch_uses():
    act = get_activation("elu", alpha=3)
    facts = derive(act)
    x = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(act.torch(x).sum(), x)
    assert facts.kink is not None
    assert float(facts.kink.values[0]) == float(slope[0]) == 3.0


def test_readable_text_and_latex():
    assert expression_text(sympy.Piecewise((1, X > 0), (0, True))) == "(1 if x > 0 else 0)"
    assert expression_text(sympy.Heaviside(X, 0)) == "I(x > 0)"
    assert expression_text(sympy.Heaviside(X, 1)) == "I(x >= 0)"
    assert expression_latex(sympy.Heaviside(X, 0)) == r"\mathbb{1}[x > 0]"
    assert "cases" in expression_latex(sympy.Piecewise((1, X > 0), (0, True)))


def test_every_activation_has_facts():
    for name in ("identity", "relu", "scaled_relu"):  # the smooth ones are covered above and in test_lipschitz
        data = derive(get_activation(name)).as_dict()
        assert set(data) >= {"name", "definition", "derivative", "derivative_latex", "limits", "lipschitz", "kink"}
        assert not any(text.startswith("undecided") for text in data["limits"].values()), name


def _numeric_lipschitz(act, which: str) -> float:
    """sup |g'| on a fine grid for g = f (which='f') or f' (which='df'), by autograd: a route free of SymPy."""
    z = torch.linspace(-20, 20, 400_001, dtype=torch.float64, requires_grad=True)
    g = act.torch(z) if which == "f" else torch.autograd.grad(act.torch(z).sum(), z, create_graph=True)[0]
    (slope,) = torch.autograd.grad(g.sum(), z)
    return float(slope.abs().max())


@pytest.mark.parametrize(("name", "params"), [("softplus", {"beta": 1000}), ("elu", {"alpha": 3})])
def test_large_parameters_get_exact_lipschitz_constants(name, params):
    # SymPy's solvers time out on softplus with β = 1000 taken literally; the symbolic fact β/4 specialises.
    act = get_activation(name, **params)
    facts = derive(act)
    fact = facts.lipschitz if name == "softplus" else facts.function_lipschitz
    assert fact.status == "lipschitz" and fact.exact
    assert float(fact.constant) == pytest.approx(_numeric_lipschitz(act, "df" if name == "softplus" else "f"), rel=1e-3)


def test_parameter_values_choose_the_special_case_and_keep_jumps_exact():
    closed = derive(get_activation("elu", alpha=1)).lipschitz
    assert closed.status == "lipschitz" and closed.constant == 1
    jump = derive(get_activation("elu", alpha=sympy.Rational(1, 2))).lipschitz
    assert jump.status == "not lipschitz" and not jump.special_cases
    assert (jump.discontinuities[0].left, jump.discontinuities[0].right) == (sympy.Rational(1, 2), 1)
