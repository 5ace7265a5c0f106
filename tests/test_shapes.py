import pytest

from chainrule.shapes import SCALAR, UNKNOWN_SHAPE, Shape, ShapeMismatch, column, elementwise, matmul, row, same_shape


def test_matmul_of_fitting_shapes():
    assert matmul(Shape("K", "m"), column("m")) == column("K")
    assert matmul(SCALAR, Shape("m", "K")) == Shape("m", "K")


def test_matmul_mismatch_names_both_shapes():
    with pytest.raises(ShapeMismatch) as error:
        matmul(row("K"), row("m"))
    assert "(1×K)·(1×m)" in str(error.value)


def test_unknown_sizes_never_mismatch():
    assert matmul(UNKNOWN_SHAPE, column("m")) == Shape(None, 1)
    assert same_shape(UNKNOWN_SHAPE, column(3)) is None


def test_elementwise_and_equality():
    assert elementwise("add", column("m"), column("m")) == column("m")
    with pytest.raises(ShapeMismatch):
        elementwise("hadamard", column("m"), column("K"))
    assert same_shape(Shape("m", "K"), Shape("K", "m")) is False
    assert Shape("K", "m").T == Shape("m", "K")
