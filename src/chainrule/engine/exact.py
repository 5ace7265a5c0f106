"""Exact numbers: decimals in a problem are exact rationals, and results print the way people write them.

Numbers arrive as text or as YAML scalars. They are converted with :class:`fractions.Fraction`, never
with ``sympify``, so no text is ever evaluated.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy

from chainrule.errors import InputError

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE](?P<exponent>[+-]?\d{1,4}))?(/\d+)?")
_MAX_NUMBER_CHARS = 200
# Numbers in neural-network problems live far inside float range; a larger exponent is a typo or an attack
# (10^9999 is exact but takes seconds to print).
_MAX_EXPONENT = 400
# Past this many digits an exact value is written as a 30-digit approximation rather than in full.
_MAX_EXACT_DIGITS = 1000


def to_rational(value: object, where: str | None = None) -> sympy.Rational:
    """Return ``value`` as an exact SymPy rational.

    Accepts ints, floats (read through their shortest decimal repr, so 0.33 becomes 33/100),
    Fractions, SymPy rationals and strings such as ``"0.33"``, ``"-16/5"`` or ``"1e-3"``.
    Booleans, NaN, infinities and anything else raise :class:`InputError` naming ``where``.
    """
    if isinstance(value, bool):
        raise InputError(f"expected a number, got {value!r}", where)
    if isinstance(value, sympy.Rational):
        return value
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"expected a finite number, got {value!r}", where)
        return to_rational(repr(value), where)
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-")
        match = _NUMBER.fullmatch(text) if len(text) <= _MAX_NUMBER_CHARS else None
        if match is None:
            raise InputError(f"expected a number, got {value!r}", where)
        if match["exponent"] and abs(int(match["exponent"])) > _MAX_EXPONENT:
            raise InputError(f"too many digits: exponent out of range (at most ±{_MAX_EXPONENT}) in {value!r}", where)
        if "/" in text:
            numerator, denominator = text.split("/")
            if Fraction(denominator) == 0:
                raise InputError(f"division by zero in {value!r}", where)
            fraction = Fraction(numerator) / Fraction(denominator)
        else:
            fraction = Fraction(text)
        return sympy.Rational(fraction.numerator, fraction.denominator)
    raise InputError(f"expected a number, got {type(value).__name__} {value!r}", where)


def format_exact(value: sympy.Expr) -> str:
    """Write an exact value as a person would: ``1.33`` for terminating decimals, ``-16/5`` otherwise.

    Irrational values print in SymPy's plain string form (``exp(-2)/(1 + exp(-2))**2``).
    """
    value = sympy.nsimplify(value) if isinstance(value, sympy.Float) else value
    if isinstance(value, sympy.Rational) and max(abs(int(value.p)), int(value.q)) >= 10**_MAX_EXACT_DIGITS:
        return f"≈{sympy.Float(value, 30)}"
    if isinstance(value, sympy.Integer):
        return str(int(value))
    if isinstance(value, sympy.Rational):
        q = int(value.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            return _terminating_decimal(Fraction(int(value.p), int(value.q)))
        return f"{value.p}/{value.q}"
    return str(value)


def _terminating_decimal(fraction: Fraction) -> str:
    sign = "-" if fraction < 0 else ""
    fraction = abs(fraction)
    places = 0
    while (fraction * 10**places).denominator != 1:
        places += 1
    scaled = int(fraction * 10**places)
    digits = str(scaled).rjust(places + 1, "0")
    whole, frac = digits[: len(digits) - places], digits[len(digits) - places :]
    return f"{sign}{whole}.{frac}" if places else f"{sign}{whole}"
