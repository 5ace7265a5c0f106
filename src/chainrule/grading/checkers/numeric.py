"""Numeric steps: ``0.15·0.05 + 0.2·0.1 + 0.30 = 0.3275``, ``σ(0.3275) = 0.5812``.

A written result is right when the exact value rounds to it (half a unit in its last written place), widened
by what rounded intermediates the student carried on could have shifted (each such literal may be off by half
a unit in its own last place; the shift is propagated through the expression to first order). It is wrong only
when the gap is several times larger than everything rounding can explain; the band in between is undecided.
A whole number written without a decimal point is taken as exact: right only when it is the exact value.
"""

from __future__ import annotations

import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.engine.exact import short_number
from chainrule.engine.exact_bounds import Closed, NotClosed, TooLarge, compare_closed, evaluate_closed
from chainrule.errors import ChainruleError
from chainrule.grading.checkers.numbers import looks_rounded, round_to
from chainrule.grading.checkers.terms import Term
from chainrule.grading.findings import Verdict

WRONG_FACTOR = 3  # a propagated rounding error may be this many times its first-order estimate
WRONG_UNITS = 2  # a written decimal is wrong only when off by more than this many units in its last place
SAFETY = sympy.Rational(1, 10**30)  # relative margin on top of every stated numeric error, before saying "wrong"
# A member whose first-order rounding error exceeds this fraction of its value is too sensitive to the rounding
# of its inputs for a first-order estimate to mean anything: (1.0000001)^{10^9} moves by e^{±50}.
MAX_RELATIVE_PROPAGATION = sympy.Rational(1, 10)


class NotNumeric(ValueError):
    """A member is not a closed number, so the numeric rules do not apply."""


class Undecidable(ValueError):
    """A member is a closed number but cannot be evaluated within the bounds; the message says why."""


def closed_value(term: Term) -> Closed:
    """The member's value: exact when affordable, else numeric with an error bound (see ``exact_bounds``).

    Raises :class:`NotNumeric` for anything symbolic or complex, :class:`Undecidable` past every bound.
    """
    template = term.template
    if template is None or not isinstance(template, sympy.Expr) or term.free_symbols:
        raise NotNumeric(term.text)
    try:
        return evaluate_closed(template, term.numbers)
    except NotClosed as error:
        raise NotNumeric(term.text) from error
    except TooLarge as error:
        raise Undecidable(f"{term.text} is {error}") from error


def numeric_value(term: Term) -> sympy.Float:
    """The member's value to 40 significant digits (see :func:`closed_value`)."""
    return closed_value(term).value


def propagated_error(term: Term, earlier_results: frozenset[sympy.Rational]) -> sympy.Float:
    """First-order bound on how far the member moves if each rounded-looking literal is off by half a unit."""
    template = term.template
    if not isinstance(template, sympy.Expr) or term.is_bare_number:
        return sympy.Float(0)
    total = sympy.Float(0)
    for dummy, number in term.literals:
        if not looks_rounded(number, earlier_results):
            continue
        try:
            slope = evaluate_closed(sympy.diff(template, dummy), term.numbers, digits=20)
        except (NotClosed, TooLarge, ArithmeticError, TypeError, ValueError):
            return sympy.Float("inf")
        total += (abs(slope.value) + slope.error) * number.half_unit
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


def decide_numeric(left: Term, right: Term, earlier_results: frozenset[sympy.Rational] = frozenset(),
                   timeout: float = 3.0) -> tuple[Verdict, str, str | None]:
    """Verdict, reason and expected text for ``left = right`` between two closed numbers.

    The gap between the sides is computed as one difference, exactly when the sizes allow, else numerically
    with a stated error bound; "right" needs the digits written to cover the gap *and* that error, "wrong"
    needs the gap to exceed everything rounding and the error can explain. Two sides that agree to every
    digit evaluated are equal only when that is shown exactly (a rational difference of 0, or SymPy's
    ``simplify``): tanh(2^{40}) is not 1, however many digits agree.
    Raises :class:`NotNumeric` when either side is not a number; past every size bound the claim is undecided.
    """
    try:
        a, b = closed_value(left), closed_value(right)
        difference = compare_closed(left.template, right.template, {**left.numbers, **right.numbers})
    except Undecidable as error:
        return Verdict.UNDECIDED, str(error), None
    except TooLarge as error:
        return Verdict.UNDECIDED, f"the difference of the two sides is {error}", None
    except NotClosed as error:
        raise NotNumeric(str(error)) from error
    exact_side, written_side = (left, right) if right.is_bare_number and not left.is_bare_number else (right, left)
    if not written_side.is_bare_number and not exact_side.is_bare_number:
        exact_side, written_side = left, right
    exact_value = a if exact_side is left else b
    gap, error = abs(difference.value), difference.error
    allowance_right = sympy.Rational(0)
    band = sympy.Rational(0)  # gaps up to here are undecided: too small to be sure of a mistake
    for term in (left, right):
        r, w = rounding_allowance(term)
        allowance_right += r
        band = max(band, w)
    propagated = propagated_error(left, earlier_results) + propagated_error(right, earlier_results)
    scale = max(abs(a.value), abs(b.value))
    note = f" ({a.note or b.note})" if a.note or b.note else ""
    expected = _expected_text(exact_value.value, written_side)
    shown = _short(exact_value.value) if gap == 0 else _apart(exact_value.value, exact_value.value, gap)[0]
    if difference.is_exact and difference.exact == 0:
        return Verdict.RIGHT, "the two sides are equal", None
    if propagated > MAX_RELATIVE_PROPAGATION * scale:
        if gap + error <= allowance_right:
            return Verdict.RIGHT, f"equal to the digits written (exact value {_short(exact_value.value)}){note}", None
        return (Verdict.UNDECIDED, f"the value is too sensitive to the rounding of the numbers written to be judged "
                f"(with them as written it is {shown}){note}", expected)
    if gap + error <= allowance_right + propagated and allowance_right + propagated > 0:
        return Verdict.RIGHT, f"equal to the digits written (exact value {_short(exact_value.value)}){note}", None
    if gap <= error:  # agreement to every digit evaluated: equal only if shown exactly
        if _shown_equal(left, right, timeout):
            return Verdict.RIGHT, "the two sides are equal", None
        return (Verdict.UNDECIDED, f"the two sides agree to every digit evaluated (within {_short(error)}) but "
                "were not shown exactly equal", None)
    margin = SAFETY * scale if not difference.is_exact else 0
    if gap - error > band + WRONG_FACTOR * propagated + margin:
        if written_side.is_bare_number:
            written = written_side.literals[0][1].text
            return Verdict.WRONG, f"the exact value is {_short(exact_value.value)}, not {written}{note}", expected
        if scale > gap * 10**30:  # too close to show as two values
            return (Verdict.WRONG, f"the two sides differ by {_short(difference.value)} (left minus right; each is "
                    f"about {_short(a.value)}){note}", expected)
        shown_a, shown_b = _apart(a.value, b.value, gap)
        return Verdict.WRONG, f"the left side is {shown_a} but the right side is {shown_b}{note}", expected
    return (Verdict.UNDECIDED,
            f"the exact value is {shown}: off by more than rounding to the digits written, "
            f"but too little to be sure it is a mistake{note}", expected)


def _shown_equal(left: Term, right: Term, timeout: float) -> bool:
    """Whether SymPy shows ``left − right`` to be exactly 0, inside a killable child (only for sized members)."""
    if left.size_problem or right.size_problem:
        return False
    try:
        return bool(call_bounded(_simplifies_to_zero, left.value - right.value, timeout=timeout))
    except ChainruleError:
        return False


def _simplifies_to_zero(difference: sympy.Expr) -> bool:
    return difference == 0 or sympy.simplify(difference) == 0


def _expected_text(exact_value: sympy.Float, written: Term) -> str:
    if written.is_bare_number:
        number = written.literals[0][1]
        return _short(exact_value) if number.is_integer_text else round_to(exact_value, number.decimals)
    return _short(exact_value)


def _apart(a: sympy.Float, b: sympy.Float, gap: sympy.Expr) -> tuple[str, str]:
    """Both values with enough digits to show they differ (10^{16} + 1 against 10^{16} needs 17)."""
    scale = max(abs(a), abs(b))
    digits = 6
    if gap > 0 and scale > 0:
        digits = max(6, min(40, int(sympy.floor(sympy.log(scale / gap, 10))) + 3))
    return short_number(a, digits), short_number(b, digits)


def _short(value: sympy.Expr) -> str:
    """A value to 6 significant digits, at any size (never through float64: 2^2000 is not ``inf``)."""
    return short_number(value, 6)
