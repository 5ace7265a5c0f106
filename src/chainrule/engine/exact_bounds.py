"""Size bounds on exact computation, and the numeric route past them.

SymPy evaluates numbers eagerly: putting ``1.0000001`` and ``10^9`` into ``x^y`` builds a rational with seven
billion digits, in-process, where no time bound can stop it. So every exact computation on numbers that came
from a document or a spec is *estimated before it runs*: :func:`estimate` walks the expression with the numbers
it would receive and bounds the bits of every exact number evaluation would build (exponent × digits for
powers, n·log n for factorials, terms × size for sums). Within :data:`MAX_EXACT_BITS` the value is computed
exactly; past it the exact value is never built:

* :func:`evaluate_closed` and :func:`compare_closed` decide numerically, with mpmath (through SymPy's
  ``evalf``, whose exponent range is unbounded, so nothing overflows to ``inf`` or underflows to 0) at a stated
  precision, in a killable child process; each result carries an error bound, so a claim is "right" only when
  the digits written cover the gap *plus* that error, and "wrong" only when the gap exceeds both;
* values whose size even in log space is beyond :data:`MAX_LOG2_SCALE` (towers such as ``2^{2^{2^{10}}}``) are
  left undecided with the reason.

This module is the one place these bounds live; the grader's numeric checks, the identity checker's
substitutions and the printers call it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from chainrule.engine.bounded import call_bounded
from chainrule.errors import ChainruleError

__all__ = [
    "MAX_EXACT_BITS", "MAX_LOG2_SCALE", "Closed", "Estimate", "TooLarge", "compare_closed", "estimate",
    "evaluate_closed", "size_problem", "substitute",
]

MAX_EXACT_BITS = 100_000
"""The largest exact number (numerator plus denominator, in bits) built for one claim: 2^{-65536} is computed
exactly, (1.0000001)^{10^9} (about 2.3·10^10 bits) is not."""
MAX_LOG2_SCALE = 2.0**48
"""Past this |log2 value| even the numeric route is refused: mpmath would need an exponent of that many bits."""
MAX_INPROCESS_SCALE = 2.0**14
"""Values up to about 2^16384 in size are evaluated in-process; larger ones only in a killable child."""
MAX_DERIVATIVE_ORDER = 50
DIGITS = 40
"""Significant digits of a numeric evaluation; the error bound stated with each value is derived from it."""
MAX_WORKING_DIGITS = 1300
"""How far ``evalf`` may raise its working precision to resolve a cancellation (``a − b`` with ``a ≈ b``)."""
NUMERIC_TIMEOUT_S = 5.0

_LOG2_10 = math.log2(10)


class TooLarge(ChainruleError):
    """An exact computation was refused before it ran: its result would be too large."""


@dataclass(frozen=True)
class Estimate:
    """Upper bounds for evaluating one expression exactly.

    ``bits``: the largest exact number evaluation would build, in bits (``inf`` when unbounded).
    ``scale``: a rough bound on ``|log2 |value||``, what the numeric route needs to stay finite.
    """

    bits: float
    scale: float

    @property
    def exact_ok(self) -> bool:
        return self.bits <= MAX_EXACT_BITS

    @property
    def numeric_ok(self) -> bool:
        return self.scale <= MAX_LOG2_SCALE


def _pow2(x: float) -> float:
    return math.inf if x > 1000 else 2.0**x


def _rational_bits(value: sympy.Rational) -> float:
    """log2 of numerator and denominator together (a power multiplies it by the exponent): 2 → 1, 0.1 → 3.3."""
    p, q = abs(int(value.p)), int(value.q)
    return max(1.0, _log2(p)) + _log2(q)


def _as_float(value: int) -> float:
    return float(value) if value.bit_length() < 1000 else math.inf


def _log2(value: int) -> float:
    if value <= 1:
        return 0.0
    shift = max(0, value.bit_length() - 60)
    return math.log2(value >> shift) + shift


def estimate(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic] | None = None) -> Estimate:
    """Bound the cost of ``expr.xreplace(values)`` *without* building it (see the module docstring).

    ``values`` maps placeholders (the dummies standing for written numbers, or names given numbers) to what
    they will be replaced by. Sub-expressions whose own bound is small are evaluated exactly to learn an
    exponent (innermost first), so ``2^{2^{40}}`` is measured with its real exponent, never computed.
    """
    return _Estimator(values or {}).walk(expr)


def size_problem(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic] | None = None) -> str | None:
    """Why ``expr`` with ``values`` put in must not be computed exactly, in words; None when it may be."""
    try:
        bound = estimate(expr, values)
    except RecursionError:
        return "an expression nested too deeply to size"
    if bound.exact_ok:
        return None
    return f"its exact value would take {_amount(bound.bits)} bits (the bound is {MAX_EXACT_BITS:,})"


def substitute(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Basic:
    """``expr.xreplace(values)``, evaluated exactly, or :class:`TooLarge` before anything is built."""
    problem = size_problem(expr, values)
    if problem:
        raise TooLarge(f"too large to compute exactly: {problem}")
    return expr.xreplace(dict(values))


def _amount(bits: float) -> str:
    if math.isinf(bits):
        return "astronomically many"
    return f"about {bits:.2g}" if bits >= 1e6 else f"{int(bits):,}"


# Functions that keep their argument's size (the rest may exponentiate it inside mpmath: tanh(x) uses e^{-2x}).
_TAME = (sympy.Abs, sympy.sign, sympy.Max, sympy.Min, sympy.Piecewise, sympy.re, sympy.im, sympy.floor,
         sympy.ceiling, sympy.Heaviside)


def _log2_size(value: sympy.Rational) -> float:
    """|log2 |value|| + 1, the scale of a nonzero rational (0 for 0)."""
    if value == 0:
        return 0.0
    return abs(int(abs(value.p)).bit_length() - int(value.q).bit_length()) + 1.0


class _Estimator:
    """One walk: (bits, scale) per node, with exact values of cheap numeric sub-expressions (for exponents)."""

    def __init__(self, values: Mapping[sympy.Basic, sympy.Basic]) -> None:
        self.values = values
        self.memo: dict[sympy.Basic, Estimate] = {}

    def walk(self, node: sympy.Basic) -> Estimate:
        if node in self.memo:
            return self.memo[node]
        result = self._node(node)
        self.memo[node] = result
        return result

    def exact_number(self, node: sympy.Basic) -> sympy.Rational | None:
        """The node's value when it is a rational that is cheap to compute, else None."""
        if not self.walk(node).exact_ok:
            return None
        if node.free_symbols - set(self.values):
            return None
        try:
            value = node.xreplace(dict(self.values))
        except (ArithmeticError, TypeError, ValueError):
            return None
        return value if isinstance(value, sympy.Rational) else None

    def _node(self, node: sympy.Basic) -> Estimate:
        if node in self.values:
            replacement = self.values[node]
            return self.walk(replacement) if isinstance(replacement, sympy.Basic) else Estimate(64, 64)
        if isinstance(node, sympy.Rational):
            return Estimate(_rational_bits(node), _log2_size(node))
        if isinstance(node, sympy.Float):
            _, mantissa, exponent, bit_count = node._mpf_
            return Estimate(float(node._prec), abs(float(exponent + bit_count)) + 1 if mantissa else 0.0)
        if not node.args:
            return Estimate(0.0, 2.0)  # symbols, e, π, ∞: nothing exact is built
        if isinstance(node, sympy.Pow):
            return self._power(node.base, node.exp)
        if isinstance(node, sympy.factorial | sympy.gamma | sympy.binomial | sympy.RisingFactorial
                      | sympy.FallingFactorial | sympy.factorial2 | sympy.subfactorial):
            return self._combinatorial(node)
        if isinstance(node, sympy.Sum | sympy.Product):
            return self._big_operator(node)
        if isinstance(node, sympy.Derivative):
            inner = self.walk(node.expr)
            order = sum(int(count) if isinstance(count, sympy.Integer) else MAX_DERIVATIVE_ORDER + 1
                        for _, count in node.variable_count)
            return inner if order <= MAX_DERIVATIVE_ORDER else Estimate(math.inf, inner.scale)
        parts = [self.walk(arg) for arg in node.args if isinstance(arg, sympy.Basic)]
        bits = sum(p.bits for p in parts)
        if isinstance(node, sympy.Add):
            return Estimate(bits, max(p.scale for p in parts) + math.log2(len(parts)))
        if isinstance(node, (sympy.Mul, sympy.MatrixBase, sympy.Tuple, *_TAME)) or not isinstance(node, sympy.Function):
            return Estimate(bits, sum(p.scale for p in parts) + math.log2(len(parts)))
        if isinstance(node, sympy.log):
            return Estimate(bits, math.log2(parts[0].scale + 2) + 1)
        # exp, tanh, σ …: the value, or what mpmath computes on the way, may be e^{±argument}
        return Estimate(bits, 1.45 * _pow2(max(p.scale for p in parts)) + 2)

    def _power(self, base: sympy.Basic, exponent: sympy.Basic) -> Estimate:
        b, e = self.walk(base), self.walk(exponent)
        known = self.exact_number(exponent)
        if known is None:
            if not e.exact_ok:
                return Estimate(math.inf, b.scale * _pow2(e.scale))
            # a symbolic or irrational exponent: nothing exact is built from it, but its size still counts
            return Estimate(b.bits + e.bits, b.scale * _pow2(e.scale) + e.scale)
        base_value = self.exact_number(base)
        if base_value is not None and abs(base_value) in (0, 1):
            return Estimate(b.bits, b.scale)
        power = _as_float(abs(int(known.p)))
        return Estimate(b.bits * power, b.scale * power / _as_float(int(known.q)) + 1)

    def _combinatorial(self, node: sympy.Basic) -> Estimate:
        parts = [self.walk(arg) for arg in node.args]
        bits = sum(p.bits for p in parts)
        known = [self.exact_number(arg) for arg in node.args]
        if any(k is None for k in known):
            if all(arg.free_symbols - set(self.values) for arg in node.args):
                return Estimate(bits, sum(p.scale for p in parts))  # symbolic: nothing is evaluated
            return Estimate(math.inf, math.inf)
        n = max(abs(float(k)) for k in known if k is not None) + 2
        size = n * math.log2(n)
        return Estimate(bits + size, size)

    def _big_operator(self, node: sympy.Sum | sympy.Product) -> Estimate:
        body = self.walk(node.function)
        total = Estimate(body.bits, body.scale)
        for limit in node.limits:
            low, high = (self.exact_number(bound) for bound in limit[1:3]) if len(limit) == 3 else (None, None)
            if low is None or high is None:
                return Estimate(math.inf, math.inf)
            terms = max(0.0, float(high - low) + 1)
            reach = math.log2(abs(float(high)) + abs(float(low)) + 2)
            total = Estimate(terms * (total.bits + reach), terms * (total.scale + reach))
        return total


# --- the numeric route --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    """A closed number known exactly (``exact``) or to a stated precision: |true − value| ≤ ``error``."""

    value: sympy.Float
    error: sympy.Float
    exact: sympy.Rational | None = None
    note: str | None = None  # how it was obtained when not exactly, for the finding's reason

    @property
    def is_exact(self) -> bool:
        return self.exact is not None


class NotClosed(ValueError):
    """The expression is not a closed real number (symbols, a complex or infinite value, an error)."""


def _unevaluated(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Basic:
    with sympy.evaluate(False):
        return expr.xreplace(dict(values))


def _numeric(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic], digits: int) -> sympy.Basic:
    """Run in a child: the value of ``expr`` with ``values`` put in, never building the exact number."""
    return _unevaluated(expr, values).evalf(digits, maxn=MAX_WORKING_DIGITS)


def _closed_from(number: sympy.Basic, text: str, note: str | None) -> Closed:
    if not isinstance(number, sympy.Expr) or not number.is_number \
            or number.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise NotClosed(text)
    real, imaginary = number.as_real_imag()
    if isinstance(imaginary, sympy.Float) and imaginary._prec <= 1:
        imaginary = sympy.Integer(0)  # evalf's "zero to within 2^-N": no imaginary part it can see
    if imaginary != 0 and abs(imaginary) > sympy.Float("1e-30") * (1 + abs(real)):
        raise NotClosed(text)
    if isinstance(real, sympy.Rational):
        return Closed(sympy.N(real, DIGITS), sympy.Float(0), real, note)
    if not isinstance(real, sympy.Float):
        raise NotClosed(text)
    return Closed(real, _error_of(real), None, note)


def _error_of(number: sympy.Float) -> sympy.Float:
    """An error bound for a Float from ``evalf``: a few units in its last bit, or 2^exp for a bare "0.e-N".

    ``evalf`` returns a Float of precision 1 when it only knows the value is below ``2^(exp + 1)`` in size
    (a difference that cancelled beyond the working precision): that bound is the whole of its knowledge.
    """
    _, mantissa, exponent, bit_count = number._mpf_
    if not mantissa:
        return sympy.Float(0)
    if number._prec <= 1:
        return sympy.Float(2, 15) ** (exponent + max(bit_count, 1))
    return abs(number) * sympy.Float(2, 15) ** (4 - number._prec)


def evaluate_closed(expr: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic] | None = None, *,
                    digits: int = DIGITS, timeout: float = NUMERIC_TIMEOUT_S) -> Closed:
    """The value of a closed expression with ``values`` put in: exact when affordable, else numeric.

    Raises :class:`NotClosed` when it is not a real number, :class:`TooLarge` when it is past even the
    numeric route's bound.
    """
    values = values or {}
    bound = estimate(expr, values)
    if bound.exact_ok:
        exact = expr.xreplace(dict(values))
        if isinstance(exact, sympy.Rational):
            return Closed(sympy.N(exact, digits), sympy.Float(0), exact)
        if not isinstance(exact, sympy.Expr) or exact.free_symbols:
            raise NotClosed(str(expr))
        if bound.scale <= MAX_INPROCESS_SCALE:
            try:
                number = exact.evalf(digits, maxn=MAX_WORKING_DIGITS)
            except (ArithmeticError, TypeError, ValueError) as error:
                raise NotClosed(str(expr)) from error
            return _closed_from(number, str(expr), None)
    if not bound.numeric_ok:
        raise TooLarge("too large to evaluate, even approximately: the number of its digits is itself astronomical")
    try:
        number = call_bounded(_numeric, expr, values, digits, timeout=timeout)
    except ChainruleError as error:
        raise TooLarge(f"too large to evaluate: the numeric evaluation did not finish "
                       f"({str(error).splitlines()[0]})") from None
    note = None if bound.exact_ok else f"too large to compute exactly; evaluated to {digits} significant digits"
    return _closed_from(number, str(expr), note)


def compare_closed(left: sympy.Basic, right: sympy.Basic, values: Mapping[sympy.Basic, sympy.Basic] | None = None,
                   *, digits: int = DIGITS, timeout: float = NUMERIC_TIMEOUT_S) -> Closed:
    """``left − right`` as a :class:`Closed`: exact when affordable, else with a stated error bound.

    The difference is evaluated as one expression, so cancellation is resolved by raising the working
    precision (up to :data:`MAX_WORKING_DIGITS`) rather than lost: ``10^{40} + 1`` and ``10^{40}`` differ by 1,
    not by 0 at 40 digits.
    """
    values = values or {}
    return evaluate_closed(sympy.Add(left, sympy.Mul(-1, right, evaluate=False), evaluate=False), values,
                           digits=digits, timeout=timeout)
