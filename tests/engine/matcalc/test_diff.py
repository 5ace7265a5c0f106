"""Every derived gradient is checked against PyTorch autograd at random points with random concrete sizes."""

import zlib

import numpy as np
import pytest
import sympy
import torch

from chainrule.engine.matcalc import (
    Apply,
    Hadamard,
    Layout,
    MatMul,
    Scale,
    SqNorm,
    UnsupportedExpression,
    evaluate,
    gradient,
    jacobian,
    matrix,
    problem_keys,
    random_bindings,
    random_sizes,
    scalar,
    shape_trace,
    simplify,
    solve_problem,
    vector,
)
from chainrule.engine.matcalc.functions import FUNCTIONS
from chainrule.errors import InputError

TORCH_FUNCTIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "log": torch.log,
                   "exp": torch.exp, "identity": lambda t: t}


def torch_value(node, values):
    """An independent evaluator: PyTorch tensors, so autograd can differentiate the same expression."""
    from chainrule.engine.matcalc import Add, Identity, Ones, Symbol, Transpose, Zero

    if isinstance(node, Symbol):
        return values[node.name]
    if isinstance(node, Scale):
        return float(node.coefficient.subs({sympy.Symbol(k, integer=True, positive=True): v
                                            for k, v in values["__sizes__"].items()})) * torch_value(node.arg, values)
    if isinstance(node, Add):
        return sum(torch_value(t, values) for t in node.terms)
    if isinstance(node, MatMul):
        out = torch_value(node.factors[0], values)
        for f in node.factors[1:]:
            right = torch_value(f, values)
            out = out * right if out.shape == (1, 1) or right.shape == (1, 1) else out @ right
        return out
    if isinstance(node, Transpose):
        return torch_value(node.arg, values).T
    if isinstance(node, Hadamard):
        return torch_value(node.left, values) * torch_value(node.right, values)
    if isinstance(node, Apply):
        return TORCH_FUNCTIONS[node.fn](torch_value(node.arg, values))
    if isinstance(node, SqNorm):
        v = torch_value(node.arg, values)
        return (v * v).sum().reshape(1, 1)
    if isinstance(node, Ones):
        return torch.ones(values["__sizes__"].get(node.size, node.size), 1, dtype=torch.float64)
    raise TypeError(node)
    _ = (Identity, Zero)


def autograd(function, wrt, bindings, sizes):
    values = {k: torch.tensor(v, dtype=torch.float64, requires_grad=(k == wrt.name)) for k, v in bindings.items()}
    values["__sizes__"] = sizes
    out = torch_value(function, values)
    out.sum().backward()
    return values[wrt.name].grad.numpy()


@pytest.mark.parametrize("key", problem_keys())
def test_every_catalogued_gradient_matches_autograd(key):
    problem, derivative = solve_problem(key)
    rng = np.random.default_rng(zlib.crc32(key.encode()))  # hash() of a str changes per process
    names = sorted({d for s in [problem.function] for d in _dims(s)})
    for _ in range(3):
        sizes = random_sizes(names, rng)
        bindings = random_bindings(problem.function, sizes, rng)
        expected = autograd(problem.function, problem.wrt, bindings, sizes)
        got = evaluate(derivative.value, bindings, sizes)
        if problem.layout == Layout.NUMERATOR:
            got = got.T
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def _dims(expr):
    from chainrule.engine.matcalc import symbols_in

    return [d for s in symbols_in(expr) for d in (s.shape.rows, s.shape.cols) if isinstance(d, str)]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("you-hw1/2.1", "(A + A^T) x + z"),
        ("you-hw1/2.2", "(w^T x - y) x"),
        ("you-hw1/2.3", "1/m X^T (X w - y)"),
        ("you-hw1/3", "2 (W x + b - y) x^T"),
        ("you-hw1/3-numerator", "2 x (W x + b - y)^T"),
        ("ryu-hw1/1b", "X^T (X theta - Y)"),
    ],
)
def test_gradients_are_written_as_a_course_writes_them(key, text):
    assert solve_problem(key)[1].text == text


def test_layouts_are_labelled_and_transposed():
    _, denominator = solve_problem("you-hw1/3")
    _, numerator = solve_problem("you-hw1/3-numerator")
    assert denominator.layout == Layout.DENOMINATOR and str(denominator.shape) == "(p×n)"
    assert numerator.layout == Layout.NUMERATOR and str(numerator.shape) == "(n×p)"
    assert numerator.steps[-1].rule.startswith("numerator layout is the transpose")
    assert denominator.in_layout(Layout.NUMERATOR).value == numerator.value


def test_steps_name_each_intermediate_with_its_shape():
    _, derivative = solve_problem("you-hw1/2.1")
    shapes = [str(step.shape) for step in derivative.steps]
    assert shapes[0] == "(1×1)" and "(1×n)" in shapes and shapes[-1] == "(n×1)"
    assert any("product rule" in step.rule for step in derivative.steps)
    assert any("2 occurrences" in step.rule for step in derivative.steps)
    assert derivative.steps[-1].label == "shape check"


def test_finite_differences_agree_on_an_expression_with_every_node_type():
    x, a, z = vector("x", "n"), matrix("A", "n", "n"), vector("z", "n")
    f = Scale(sympy.Rational(3, 2), SqNorm(Hadamard(Apply("tanh", a @ x), z) + Apply("sigmoid", x))) + z.T @ x
    derivative = gradient(f, x)
    rng = np.random.default_rng(7)
    bindings = random_bindings(f, {"n": 4}, rng)
    got = derivative.evaluate(bindings)
    h = 1e-6
    numeric = np.zeros_like(bindings["x"])
    for i in range(4):
        plus, minus = dict(bindings), dict(bindings)
        plus["x"] = bindings["x"].copy()
        minus["x"] = bindings["x"].copy()
        plus["x"][i, 0] += h
        minus["x"][i, 0] -= h
        numeric[i, 0] = (evaluate(f, plus)[0, 0] - evaluate(f, minus)[0, 0]) / (2 * h)
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)


def test_jacobians_in_both_layouts_match_autograd():
    z, w = vector("z", "m"), matrix("W", "m", "m")
    y = Scale(5, Apply("tanh", w @ z))
    numerator = jacobian(y, z)
    denominator = jacobian(y, z, Layout.DENOMINATOR)
    rng = np.random.default_rng(3)
    bindings = random_bindings(y, {"m": 3}, rng)
    zt = torch.tensor(bindings["z"][:, 0], dtype=torch.float64)
    wt = torch.tensor(bindings["W"], dtype=torch.float64)
    expected = torch.autograd.functional.jacobian(lambda v: 5 * torch.tanh(wt @ v), zt).numpy()
    np.testing.assert_allclose(numerator.evaluate(bindings), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(denominator.evaluate(bindings), expected.T, rtol=1e-12, atol=1e-14)


def test_simplify_preserves_values():
    x, a, b, y = vector("x", "n"), matrix("A", "n", "n"), vector("b", "n"), vector("y", "n")
    messy = [
        ((a @ x).T @ b).T + Scale(2, x.T @ b) - Scale(-1, b.T @ x),
        MatMul((a, Scale(3, a.T), x)) + MatMul((a.T, x)) + MatMul((a, x)),
        Hadamard(Scale(2, x), Apply("one", y)) - x - x,
        Scale(sympy.Rational(1, 3), a.T.T @ x) - Scale(sympy.Rational(1, 6), a @ x),
    ]
    rng = np.random.default_rng(11)
    for expr in messy:
        bindings = random_bindings(expr, {"n": 4}, rng)
        tidy = simplify(expr)
        np.testing.assert_allclose(evaluate(tidy, bindings, {"n": 4}), evaluate(expr, bindings), rtol=1e-12)
    assert str(simplify(messy[2])) == "0"
    assert str(simplify(messy[1])) == "(3 A A^T + A^T + A) x"


def test_unsupported_constructs_raise_instead_of_guessing():
    x = vector("x", "n")
    with pytest.raises(UnsupportedExpression):
        gradient(SqNorm(Apply("tanh_prime", x)), x)
    with pytest.raises(InputError, match="scalar"):
        gradient(x, x)


def test_shape_trace_lists_every_intermediate():
    x, a, z = vector("x", "n"), matrix("A", "n", "n"), vector("z", "n")
    trace = shape_trace(x.T @ (a @ x + z))
    assert [str(step.shape) for step in trace] == ["(1×n)", "(n×1)", "(n×1)", "(1×1)"]


def test_every_function_has_a_matching_numpy_and_torch_form_and_a_correct_derivative():
    points = np.linspace(-3, 3, 13) + 0.05
    for fn in FUNCTIONS.values():
        domain = points[points > 0] if fn.name in {"log", "reciprocal"} else points
        np.testing.assert_allclose(fn.numpy(domain), fn.torch(torch.tensor(domain)).numpy(), rtol=1e-12)
        if fn.name in {"one", "zero", "step"}:
            assert fn.derivative == "zero"
        elif fn.derivative is not None:
            t = torch.tensor(domain, requires_grad=True)
            fn.torch(t).sum().backward()
            np.testing.assert_allclose(FUNCTIONS[fn.derivative].numpy(domain), t.grad.numpy(), rtol=1e-10, atol=1e-14)
        symbol = sympy.Symbol("t")
        values = [float(fn.definition(symbol).subs(symbol, v)) for v in domain[:3]]
        np.testing.assert_allclose(values, fn.numpy(domain[:3]), rtol=1e-12)


def test_to_sympy_gives_matrix_expressions_with_symbolic_sizes():
    _, derivative = solve_problem("you-hw1/2.3")
    expr = derivative.sympy
    assert expr.shape == (sympy.Symbol("n", integer=True, positive=True), 1)
    concrete = expr.subs({sympy.Symbol("n", integer=True, positive=True): 2,
                          sympy.Symbol("m", integer=True, positive=True): 3})
    assert concrete.shape == (2, 1)


def test_gradient_of_an_absent_symbol_is_zero():
    x, w = vector("x", "n"), scalar("w")
    derivative = gradient(x.T @ x, w)
    assert derivative.text == "0"


def test_scaled_scalar_seed_prints_as_the_number() -> None:
    # ∂L/∂(‖r‖²) for L = ½‖r‖² was printed "\frac{1}{2} 1"; c times the scalar 1 is c.
    from chainrule.engine.matcalc.expr import Identity, Scale
    from chainrule.engine.matcalc.printing import to_latex, to_text

    assert to_latex(Scale(sympy.Rational(1, 2), Identity(1))) == r"\frac{1}{2}"
    assert to_text(Scale(sympy.Rational(-3, 2), Identity(1))) == "-3/2"
