"""Numeric steps: ``0.15·0.05 + 0.2·0.1 + 0.30 = 0.3275``, ``σ(0.3275) = 0.5812``.

A written result is right when the exact value rounds to it (half a unit in its last written place), widened
by what rounded intermediates the student carried on could have shifted (each such literal may be off by half
a unit in its own last place; the shift is propagated through the expression to first order). It is wrong only
when the gap is several times larger than everything rounding can explain; the band in between is undecided.
A whole number written without a decimal point is taken as exact: right only when it is the exact value.
"""

from __future__ import annotations

import sympy

from chainrule.grading.checkers.numbers import looks_rounded, round_to
from chainrule.grading.checkers.terms import Term
from chainrule.grading.findings import Verdict

DIGITS = 40
WRONG_FACTOR = 3  # a propagated rounding error may be this many times its first-order estimate
WRONG_UNITS = 2  # a written decimal is wrong only when off by more than this many units in its last place
RELATIVE_FLOOR = sympy.Rational(1, 10**12)  # gaps below this (relative) are floating noise, never mistakes


class NotNumeric(ValueError):
    """A member is not a closed number, so the numeric rules do not apply."""


def numeric_value(term: Term) -> sympy.Float:
    """The member's exact value to 40 digits; raises :class:`NotNumeric` for anything symbolic or complex."""
    value = term.value
    if value is None or not isinstance(value, sympy.Expr) or term.free_symbols:
        raise NotNumeric(term.text)
    try:
        number = sympy.N(value, DIGITS)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise NotNumeric(term.text) from error
    if not number.is_number or number.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise NotNumeric(term.text)
    real, imaginary = number.as_real_imag()
    if abs(imaginary) > sympy.Float("1e-30"):
        raise NotNumeric(term.text)
    return sympy.Float(real, DIGITS)


def propagated_error(term: Term, earlier_results: frozenset[sympy.Rational]) -> sympy.Float:
    """First-order bound on how far the member moves if each rounded-looking literal is off by half a unit."""
    template = term.template
    if not isinstance(template, sympy.Expr):
        return sympy.Float(0)
    point = {dummy: number.value for dummy, number in term.literals}
    total = sympy.Float(0)
    for dummy, number in term.literals:
        if not looks_rounded(number, earlier_results) or term.is_bare_number:
            continue
        slope = sympy.N(sympy.diff(template, dummy).xreplace(point), 20)
        if not slope.is_number or slope.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            return sympy.Float("inf")
        total += abs(slope) * number.half_unit
    return total


def rounding_allowance(term: Term) -> tuple[sympy.Rational, sympy.Rational]:
    """(allowance for "right", gap beyond which it is "wrong") for a member that is one written number.

    A decimal may be rounded (half a unit in its last place) or truncated, or slip by a unit; only a gap of
    more than two units is a mistake. A whole number is exact, or at most rounded to a whole number.
    """
    if not term.is_bare_number:
        return sympy.Rational(0), sympy.Rational(0)
    number = term.literals[0][1]
    if number.is_integer_text:
        return sympy.Rational(0), sympy.Rational(3, 4)
    return number.half_unit, WRONG_UNITS * number.unit


def decide_numeric(left: Term, right: Term, earlier_results: frozenset[sympy.Rational] = frozenset()
                   ) -> tuple[Verdict, str, str | None]:
    """Verdict, reason and expected text for ``left = right`` between two closed numbers.

    Raises :class:`NotNumeric` when either side is not a number.
    """
    a, b = numeric_value(left), numeric_value(right)
    gap = abs(a - b)
    exact_side, written_side = (left, right) if right.is_bare_number and not left.is_bare_number else (right, left)
    if not written_side.is_bare_number and not exact_side.is_bare_number:
        exact_side, written_side = left, right
    exact_value = a if exact_side is left else b
    allowance_right = sympy.Rational(0)
    band = sympy.Rational(0)  # gaps up to here are undecided: too small to be sure of a mistake
    for term in (left, right):
        r, w = rounding_allowance(term)
        allowance_right += r
        band = max(band, w)
    propagated = propagated_error(left, earlier_results) + propagated_error(right, earlier_results)
    floor = RELATIVE_FLOOR * (1 + max(abs(a), abs(b)))
    expected = _expected_text(exact_value, written_side)
    if gap <= allowance_right + propagated + floor:
        if gap <= floor:
            return Verdict.RIGHT, "the two sides are equal", None
        return Verdict.RIGHT, f"equal to the digits written (exact value {_short(exact_value)})", None
    if propagated == sympy.oo or gap <= band + WRONG_FACTOR * propagated + floor:
        return (Verdict.UNDECIDED,
                f"the exact value is {_short(exact_value)}: off by more than rounding to the digits written, "
                "but too little to be sure it is a mistake", expected)
    if written_side.is_bare_number:
        shown = written_side.literals[0][1].text
        return Verdict.WRONG, f"the exact value is {_short(exact_value)}, not {shown}", expected
    return Verdict.WRONG, f"the left side is {_short(a)} but the right side is {_short(b)}", expected


def _expected_text(exact_value: sympy.Float, written: Term) -> str:
    if written.is_bare_number:
        number = written.literals[0][1]
        return _short(exact_value) if number.is_integer_text else round_to(exact_value, number.decimals)
    return _short(exact_value)


def _short(value: sympy.Expr) -> str:
    """A value to 6 significant digits, without trailing noise."""
    number = sympy.Float(value, 6)
    if number == 0:
        return "0"
    text = f"{float(number):.6g}"
    return text
