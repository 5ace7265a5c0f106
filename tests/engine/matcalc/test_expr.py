import pytest

from chainrule.engine.matcalc import Add, Apply, Diag, Hadamard, MatMul, Scale, SqNorm, matrix, row_vector, vector
from chainrule.errors import InputError
from chainrule.shapes import Shape, ShapeMismatch


def test_shapes_are_inferred_with_symbolic_sizes():
    x, a, z = vector("x", "n"), matrix("A", "n", "n"), vector("z", "n")
    assert (x.T @ (a @ x + z)).shape == Shape(1, 1)
    assert (a @ x).shape == Shape("n", 1)
    assert Diag(x).shape == Shape("n", "n")
    assert SqNorm(a @ x - z).shape == Shape(1, 1)


def test_a_bad_product_names_both_shapes():
    with pytest.raises(ShapeMismatch) as error:
        MatMul((row_vector("d", "K"), row_vector("z", "m")))
    assert "(1×K)·(1×m)" in str(error.value)


def test_a_bad_sum_and_hadamard_are_rejected():
    with pytest.raises(ShapeMismatch, match=r"\(m×1\)\+\(K×1\)"):
        vector("a", "m") + vector("b", "K")
    with pytest.raises(ShapeMismatch):
        Hadamard(vector("a", "m"), vector("b", "K"))
    with pytest.raises(ShapeMismatch, match=r"needs a column vector, not \(m×n\)"):
        SqNorm(matrix("W", "m", "n"))


def test_scalar_factor_scales_anything_but_scalar_plus_vector_is_an_error():
    s, x = vector("s", 1), vector("x", "n")
    assert (s @ x.T).shape == Shape(1, "n")
    with pytest.raises(ShapeMismatch):
        Add((s, x))


def test_unknown_function_and_deep_nesting_are_input_errors():
    x = vector("x", "n")
    with pytest.raises(InputError, match="unknown elementwise function"):
        Apply("erf", x)
    node = x
    with pytest.raises(InputError, match="nested"):
        for _ in range(300):
            node = Scale(2, node)


def test_structural_equality_and_hash():
    assert vector("x", "n") @ vector("y", 1) == vector("x", "n") @ vector("y", 1)
    assert len({vector("x", "n"), vector("x", "n")}) == 1
