"""Shapes: products and equalities of declared quantities, derivative objects in numerator layout."""

import sympy

from chainrule.grading.checkers.terms import Environment
from chainrule.grading.findings import Verdict
from chainrule.shapes import Shape, column

from .helpers import decide, term


def declared(numerator: bool = True) -> Environment:
    env = Environment(numerator_layout=numerator)
    env.shapes.update({"z_3": column("K"), "z_2": column("m"), "x": column("n"), "W": Shape("K", "m")})
    return env


def test_row_times_row_does_not_fit():
    member = term(r"\frac{\partial \ell}{\partial \mathbf{z}_3} \mathbf{z}_2^\top", declared())
    assert member.mismatch is not None
    assert "(1×K)·(1×m)" in member.mismatch
    assert "∂ℓ/∂z_3 is (1×K)" in member.mismatch


def test_column_times_row_is_an_outer_product():
    member = term(r"\mathbf{z}_2 \frac{\partial \ell}{\partial \mathbf{z}_3}", declared())
    assert member.mismatch is None
    assert member.shape == Shape("m", "K") and member.shape_certain


def test_without_a_stated_layout_derivative_shapes_are_unknown():
    member = term(r"\frac{\partial \ell}{\partial \mathbf{z}_3} \mathbf{z}_2^\top", declared(numerator=False))
    assert member.mismatch is None


def test_equality_of_different_shapes_is_wrong():
    finding = decide(r"\frac{\partial \ell}{\partial W}", r"\mathbf{z}_2 \frac{\partial \ell}{\partial \mathbf{z}_3}",
                     env=declared())
    assert finding.verdict is Verdict.UNDECIDED  # (m×K) both: shapes agree, values unknown
    finding = decide(r"\frac{\partial \ell}{\partial W}", r"\frac{\partial \ell}{\partial \mathbf{z}_3}",
                     env=declared())
    assert finding.verdict is Verdict.WRONG
    assert finding.kind == "shape"


def test_two_vectors_of_one_shape_side_by_side_are_not_a_mismatch():
    # students write x · y for a dot or elementwise product; that is loose, not a proof of a mistake
    member = term(r"\mathbf{x} \cdot \mathbf{x}", declared())
    assert member.mismatch is None


def test_undeclared_names_never_mismatch():
    member = term(r"A B^\top C", Environment(numerator_layout=True))
    assert member.mismatch is None
    assert isinstance(member.value, sympy.Expr)


def test_numeric_sizes_next_to_named_ones_are_not_a_mismatch():
    from chainrule.grading.checkers.terms import Binding

    env = declared()
    env.shapes["W_1"] = Shape("m", "n")
    env.bindings["x"] = Binding("x", term(r"\begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}"), 1)  # n is 3 here
    assert term(r"W_1 x", env).mismatch is None
    assert term(r"\frac{\partial \ell}{\partial \mathbf{z}_3} \mathbf{z}_2^\top", env).mismatch is not None
