"""Written numbers: the digits shown decide the precision claimed."""

import sympy

from chainrule.grading.checkers.numbers import WrittenNumber, looks_rounded, round_to


def test_decimals_and_half_units():
    number = WrittenNumber.parse("0.5812")
    assert number.value == sympy.Rational(5812, 10000)
    assert number.decimals == 4
    assert number.half_unit == sympy.Rational(1, 20000)
    assert WrittenNumber.parse("12").decimals == 0
    assert WrittenNumber.parse("12").is_integer_text


def test_significant_digits_ignore_leading_zeros():
    assert WrittenNumber.parse("0.0241").significant_digits == 3
    assert WrittenNumber.parse("1.094").significant_digits == 4


def test_rounded_looking_literals():
    earlier = frozenset({sympy.Rational(133, 100)})
    assert looks_rounded(WrittenNumber.parse("0.5812"), frozenset())  # four significant digits
    assert looks_rounded(WrittenNumber.parse("1.33"), earlier)  # a result written earlier
    assert not looks_rounded(WrittenNumber.parse("0.15"), frozenset())  # given data
    assert not looks_rounded(WrittenNumber.parse("2"), earlier)


def test_round_to_is_half_up_and_keeps_zeros():
    assert round_to(sympy.Rational(28903, 100000), 3) == "0.289"
    assert round_to(sympy.Rational(5, 1000), 2) == "0.01"
    assert round_to(sympy.Rational(-11, 10), 2) == "-1.10"
    assert round_to(sympy.Integer(0), 0) == "0"


def test_scientific_notation_precision_follows_the_mantissa():
    number = WrittenNumber.parse("4.54e-5")
    assert number.value == sympy.Rational(454, 10**7)
    assert number.decimals == 7
    assert number.half_unit == sympy.Rational(5, 10**8)
    assert not number.is_integer_text
    assert WrittenNumber.parse("2.2e4").unit == 1000


def test_one_digit_indices_read_as_subscripts_and_entry_indices_keep_their_underscore():
    from chainrule.grading.checkers.printing import readable

    assert readable("∂ℓ/∂z_3 z_2ᵀ") == "∂ℓ/∂z₃ z₂ᵀ"
    assert readable("ŷ_1 = 2") == "ŷ₁ = 2"
    for kept in ("1 − tanh(z_1,1)^2", "z_{1,1}", "x_12", "W^(1)_2", "z_1x"):
        assert readable(kept) == kept
    assert readable(None) is None
