from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from chainrule.engine.exact import format_exact, to_rational
from chainrule.errors import InputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0.33, sympy.Rational(33, 100)), ("-16/5", sympy.Rational(-16, 5)), (3, sympy.Integer(3)),
     ("1e-3", sympy.Rational(1, 1000)), (-0.8, sympy.Rational(-4, 5)), ("\u22120.5", sympy.Rational(-1, 2))],
)
def test_to_rational_reads_decimals_exactly(raw, expected):
    assert to_rational(raw) == expected


@pytest.mark.parametrize("raw", ["1+1", "__import__('os')", "x", "", True, None, float("nan"), "1/0", [1]])
def test_to_rational_rejects_non_numbers_with_location(raw):
    with pytest.raises(InputError) as error:
        to_rational(raw, where="layers[0].W")
    assert "layers[0].W" in str(error.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(sympy.Rational(133, 100), "1.33"), (sympy.Rational(-16, 5), "-3.2"), (sympy.Rational(1, 3), "1/3"),
     (sympy.Integer(0), "0"), (sympy.Rational(-1, 40), "-0.025")],
)
def test_format_exact(value, text):
    assert format_exact(value) == text


@given(st.fractions(max_denominator=10**6))
def test_format_then_read_round_trips(fraction: Fraction):
    value = sympy.Rational(fraction.numerator, fraction.denominator)
    assert to_rational(format_exact(value)) == value


def test_huge_exponents_are_refused_not_printed():
    with pytest.raises(InputError, match="exponent out of range"):
        to_rational("1e-9999", where="--param a")
    assert to_rational("1e-300") == sympy.Rational(1, 10**300)


def test_values_too_long_to_print_in_full_are_approximated():
    value = sympy.Rational(1, 3) ** 3000
    text = format_exact(value)
    assert text.startswith("≈") and len(text) < 60 and text.endswith("(1,432 digits)")
    assert abs(mpmath.mpf(text[1:].split()[0]) * mpmath.mpf(3) ** 3000 - 1) < mpmath.mpf(10) ** -25
    assert format_exact(sympy.Integer(7) ** 5000).startswith("≈")
