"""Exact numbers: decimals in a problem are exact rationals, and results print the way people write them.

Numbers arrive as text or as YAML scalars. They are converted with :class:`fractions.Fraction`, never
with ``sympify``, so no text is ever evaluated.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import mpmath
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


def short_number(value: sympy.Expr, digits: int = 6) -> str:
    """``value`` to ``digits`` significant digits, whatever its size: ``0.581151``, ``1.14813e+602``.

    Never through float64, whose range would print 2^2000 as ``inf`` and 2^-2000 as ``0``; inside that range
    the usual ``%g`` form is kept, outside it mpmath writes the exponent.
    """
    number = value if isinstance(value, sympy.Float) else sympy.Float(sympy.N(value, digits + 5), digits + 5)
    if number == 0:
        return "0"
    _, mantissa, exponent, bit_count = number._mpf_
    if mantissa and -900 < exponent + bit_count < 900 and digits <= 15:
        return f"{float(number):.{digits}g}"
    with mpmath.workprec(max(number._prec, 53) + 10):
        return mpmath.nstr(mpmath.mpf(number._mpf_), digits)


def digit_count(value: int) -> int:
    """The number of decimal digits of ``|value|``, without converting it to text (which Python limits)."""
    value = abs(value)
    if value == 0:
        return 1
    estimate = int(value.bit_length() * math.log10(2))
    return estimate + 1 if value >= 10**estimate else estimate


def approximate_text(value: sympy.Rational) -> str:
    """A rational too long to print in full: its leading digits and how many digits it has.

    Python refuses to print integers over 4,300 digits, and a reader gains nothing from them.
    """
    digits = max(digit_count(int(value.p)), digit_count(int(value.q)))
    return f"≈{short_number(value, 30)} ({digits:,} digits)"


def printable(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with every rational too long to print replaced by a 30-digit float, for SymPy's printers.

    ``str``, ``latex`` and MathML printers convert integers to text, which Python refuses past 4,300 digits
    (and which no reader wants); the approximation keeps the formula readable and the printer alive.
    """
    if not isinstance(expr, sympy.Basic):
        return expr
    big = {atom: sympy.N(atom, 30) for atom in expr.atoms(sympy.Rational) if too_long(atom)}  # never via str
    return expr.xreplace(big) if big else expr


def too_long(value: sympy.Rational) -> bool:
    """Whether a rational is too long to print in full (numerator or denominator of 1,000 digits or more)."""
    limit = 10**_MAX_EXACT_DIGITS
    return abs(int(value.p)) >= limit or int(value.q) >= limit


def approximate_latex(value: sympy.Rational) -> str:
    r"""LaTeX for a rational too long to print: ``\approx 1.2 \times 10^{9301}`` with its digit count."""
    digits = max(digit_count(int(value.p)), digit_count(int(value.q)))
    mantissa, _, exponent = short_number(value, 30).partition("e")
    power = rf" \times 10^{{{int(exponent)}}}" if exponent else ""
    return rf"\approx {mantissa}{power}\ \text{{({digits:,} digits)}}"


def float_or_none(value: sympy.Expr) -> float | None:
    """``value`` as a float64 for JSON, or None past float64's range (never ``inf``, ``nan`` or a false 0)."""
    number = sympy.N(value, 20) if not isinstance(value, sympy.Float) else value
    if number == 0:
        return 0.0
    if not number.is_finite:
        return None
    _, mantissa, exponent, bit_count = number._mpf_
    if not mantissa or not -1020 < exponent + bit_count < 1020:
        return None
    return float(number)


def format_exact(value: sympy.Expr) -> str:
    """Write an exact value as a person would: ``1.33`` for terminating decimals, ``-16/5`` otherwise.

    Irrational values print in SymPy's plain string form (``exp(-2)/(1 + exp(-2))**2``).
    """
    value = sympy.nsimplify(value) if isinstance(value, sympy.Float) else value
    if isinstance(value, sympy.Rational) and too_long(value):
        return approximate_text(value)
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
    return str(printable(value))


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
