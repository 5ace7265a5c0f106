"""Numbers as the student wrote them: the digits shown say how precise a claim is.

``σ(0.3275) = 0.5812`` claims four decimal places, so it is right when the exact value rounds to 0.5812.
Students also carry their own rounded intermediates into later lines; a literal that is such an intermediate
may itself be off by half a unit in its last place, and that error propagates. This module holds the
digit bookkeeping; :mod:`chainrule.grading.checkers.numeric` turns it into verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from chainrule.engine.exact import short_number, to_rational

_DECIMAL = re.compile(r"^[+-]?(\d*)(?:\.(\d*))?$")


@dataclass(frozen=True)
class WrittenNumber:
    """A number literal exactly as written (``"0.5812"``), with its exact value."""

    text: str
    value: sympy.Rational

    @classmethod
    def parse(cls, text: str) -> WrittenNumber:
        return cls(text.strip(), to_rational(text.strip()))

    @property
    def mantissa(self) -> str:
        return re.split("[eE]", self.text)[0]

    @property
    def exponent(self) -> int:
        """The power of ten of scientific notation (``4.54e-5`` → −5; 0 for plain decimals)."""
        parts = re.split("[eE]", self.text)
        return int(parts[1]) if len(parts) > 1 else 0

    @property
    def decimals(self) -> int:
        """Decimal places the number is given to: digits after the point, shifted by a power of ten (may be < 0)."""
        match = _DECIMAL.match(self.mantissa.replace("\u2212", "-"))
        places = 0 if not match or match.group(2) is None else len(match.group(2))
        return places - self.exponent

    @property
    def is_integer_text(self) -> bool:
        """A whole number written without a point or a power of ten: taken as exact."""
        return "." not in self.text and self.exponent == 0

    @property
    def significant_digits(self) -> int:
        digits = re.sub(r"[^0-9]", "", self.mantissa)
        return len(digits.lstrip("0")) or 1

    @property
    def half_unit(self) -> sympy.Rational:
        """Half a unit in the last written place: the rounding error a written decimal may carry."""
        return self.unit / 2

    @property
    def unit(self) -> sympy.Rational:
        return sympy.Rational(10) ** -self.decimals

    def __str__(self) -> str:
        return self.text


def looks_rounded(number: WrittenNumber, earlier_results: frozenset[sympy.Rational]) -> bool:
    """Whether a literal may be a rounded intermediate rather than exact data.

    Given data (``0.15``, ``0.3``, ``1.1``) is exact; a value the document computed earlier, or one with
    four or more significant digits, is most likely a rounded result that the student carried on.
    """
    if number.is_integer_text:
        return False
    return number.value in earlier_results or number.significant_digits >= 4


def round_to(value: sympy.Expr, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` places, as text (for the expected value in a report)."""
    if decimals < 0 or decimals > 12 or abs(value) >= 10**30:  # past that, rounding to places means nothing
        return short_number(value, max(1, min(12, abs(decimals))))
    rational = sympy.Rational(sympy.N(value, 40)) if not isinstance(value, sympy.Rational) else value
    scaled = rational * 10**decimals
    sign = -1 if scaled < 0 else 1
    whole = int(sympy.floor(abs(scaled) + sympy.Rational(1, 2)))
    text = str(whole).rjust(decimals + 1, "0")
    if decimals:
        text = f"{text[:-decimals]}.{text[-decimals:]}"
    return ("-" if sign < 0 and whole else "") + text
