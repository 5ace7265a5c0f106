"""Property: for random expression trees, the symbolic gradient equals PyTorch autograd, in both layouts."""

import numpy as np
import sympy
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.engine.matcalc import (
    Apply,
    Hadamard,
    Layout,
    MatMul,
    Scale,
    SqNorm,
    evaluate,
    gradient,
    matrix,
    random_bindings,
    simplify,
    vector,
)

X, Z = vector("x", "n"), vector("z", "n")
A, B = matrix("A", "n", "n"), matrix("B", "n", "n")
W = matrix("W", "n", "n")
SMOOTH = ["tanh", "sigmoid", "exp", "sin", "cos"]


@st.composite
def column(draw, depth=3):
    """A random (n×1) expression in x, z, A, B, W."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([X, Z, A @ X, W @ X]))
    kind = draw(st.sampled_from(["matmul", "matmul_t", "add", "scale", "hadamard", "apply"]))
    inner = draw(column(depth - 1))
    if kind == "matmul":
        return MatMul((draw(st.sampled_from([A, B, W])), inner))
    if kind == "matmul_t":
        return MatMul((draw(st.sampled_from([A, B, W])).T, inner))
    if kind == "add":
        return inner + draw(column(depth - 1))
    if kind == "scale":
        return Scale(sympy.Rational(draw(st.integers(-3, 3)) or 1, draw(st.integers(1, 3))), inner)
    if kind == "hadamard":
        return Hadamard(inner, draw(column(depth - 1)))
    return Apply(draw(st.sampled_from(SMOOTH)), Scale(sympy.Rational(1, 4), inner))


@st.composite
def scalar_function(draw):
    v = draw(column())
    head = draw(st.sampled_from(["sqnorm", "inner", "quadratic"]))
    if head == "sqnorm":
        return SqNorm(v)
    if head == "inner":
        return MatMul((draw(column(1)).T, v))
    return MatMul((v.T, A, v))


def torch_eval(node, values):
    from chainrule.engine.matcalc import Add, Symbol, Transpose

    if isinstance(node, Symbol):
        return values[node.name]
    if isinstance(node, Scale):
        return float(node.coefficient) * torch_eval(node.arg, values)
    if isinstance(node, Add):
        return sum(torch_eval(t, values) for t in node.terms)
    if isinstance(node, MatMul):
        out = torch_eval(node.factors[0], values)
        for f in node.factors[1:]:
            out = out @ torch_eval(f, values)
        return out
    if isinstance(node, Transpose):
        return torch_eval(node.arg, values).T
    if isinstance(node, Hadamard):
        return torch_eval(node.left, values) * torch_eval(node.right, values)
    if isinstance(node, Apply):
        return getattr(torch, node.fn)(torch_eval(node.arg, values))
    if isinstance(node, SqNorm):
        v = torch_eval(node.arg, values)
        return (v * v).sum().reshape(1, 1)
    raise TypeError(node)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(scalar_function(), st.sampled_from(["x", "A", "W"]), st.integers(2, 5), st.integers(0, 2**31 - 1))
def test_random_gradients_match_autograd(function, wrt_name, n, seed):
    wrt = {"x": X, "A": A, "W": W}[wrt_name]
    rng = np.random.default_rng(seed)
    bindings = random_bindings([X, Z, A, B, W], {"n": n}, rng, scale=0.7)
    tensors = {k: torch.tensor(v, requires_grad=(k == wrt_name)) for k, v in bindings.items()}
    out = torch_eval(function, tensors).sum()
    if out.requires_grad:
        (grad,) = torch.autograd.grad(out, tensors[wrt_name], allow_unused=True)
    else:
        grad = None
    expected = np.zeros_like(bindings[wrt_name]) if grad is None else grad.numpy()
    denominator = gradient(function, wrt)
    numerator = gradient(function, wrt, Layout.NUMERATOR)
    sizes = {"n": n}
    np.testing.assert_allclose(evaluate(denominator.value, bindings, sizes), expected, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(evaluate(numerator.value, bindings, sizes), expected.T, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(evaluate(simplify(function), bindings, sizes), evaluate(function, bindings, sizes),
                               rtol=1e-10, atol=1e-12)
