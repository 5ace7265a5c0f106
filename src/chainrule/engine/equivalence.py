"""Is a student's expression the same function as ours? Equal, different or undecided, with a reason.

Exact simplification alone cannot be the judge: ``simplify`` may run for minutes, and when it does not
return 0 that proves nothing. So the decision rests on two independent routes:

* numbers: both expressions are evaluated at random points (parameters drawn inside their assumed
  domains, points kept away from kinks and branch boundaries) with SymPy's adaptive-precision ``evalf``
  on exact rational inputs, so cancellation in forms like ``σ(1 − σ)`` cannot fake a difference;
* algebra: ``simplify`` of the difference, only inside :func:`~chainrule.engine.bounded.call_bounded`.

"different" is stated only with a witness: a point where the values differ clearly, and still differ at
twice the working precision and at a slightly moved point. Everything that is not clear either way is
"undecided", because telling a student a right answer is wrong is the worst mistake a grader can make.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import sympy
from sympy.core.function import AppliedUndef

from chainrule.engine.bounded import call_bounded
from chainrule.errors import ChainruleError

Verdict = Literal["equal", "different", "undecided"]

MAX_NODES = 3000
DEFAULT_SAMPLES = 24
DEFAULT_DIGITS = 40
AGREE_DIGITS_MARGIN = 12  # values agree when they match to (digits - margin) significant digits
DIFFERENT_RELATIVE = sympy.Float("1e-8")  # ... and differ when they are this far apart, relative to their size
TINY = sympy.Float("1e-30")  # below this both values count as zero
MAX_WORKING_DIGITS = 1200  # evalf may raise its working precision this far to resolve cancellation
BOUNDARY_CLEARANCE = 1e-3  # how far (in the boundary expression's units) a sample keeps from a kink


@dataclass(frozen=True)
class Decision:
    """The verdict on ``first == second`` as functions, how it was reached, and why.

    ``witness`` maps each symbol to the value at which the expressions differ, plus the two values
    under the keys ``"first"`` and ``"second"``; it is only set for "different".
    """

    verdict: Verdict
    reason: str
    method: Literal["identical", "symbolic", "numeric", "none"] = "none"
    witness: Mapping[str, str] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return self.verdict == "equal"

    @property
    def different(self) -> bool:
        return self.verdict == "different"


def decide_equal(
    first: sympy.Expr,
    second: sympy.Expr,
    *,
    domains: Mapping[sympy.Symbol, sympy.Set] | None = None,
    samples: int = DEFAULT_SAMPLES,
    digits: int = DEFAULT_DIGITS,
    timeout: float = 4.0,
    seed: int = 0,
    require_proof: bool = False,
    definitions: Mapping[str, sympy.Lambda] | None = None,
) -> Decision:
    """Decide whether two scalar SymPy expressions define the same function.

    ``domains`` gives the interval each symbol ranges over (for example ``a ∈ (0, 1)`` for a leaky-ReLU
    slope); symbols not listed range over what their assumptions allow (``positive=True`` gives
    ``(0, ∞)``, otherwise all reals). Expressions are compared away from kinks, so ``I(x > 0)`` and
    ``I(x ≥ 0)`` are equal: they differ only where the derivative does not exist.

    With ``require_proof`` an agreement found only numerically is reported as undecided.
    ``definitions`` gives meaning to function names a reader left undefined, e.g. ``{"sigma":
    Lambda(t, 1/(1 + exp(-t)))}`` so that a student's ``σ(x)(1 − σ(x))`` can be evaluated.
    """
    if definitions:
        first, second = _apply_definitions(first, definitions), _apply_definitions(second, definitions)
    problem = _unusable(first) or _unusable(second)
    if problem:
        return Decision("undecided", problem)
    first, second = _same_names_same_symbols(first, second, domains or {})
    if first == second:
        return Decision("equal", "the two expressions are identical", "identical")
    constant = _compare_infinite_constants(first, second)
    if constant is not None:
        return constant
    symbols = sorted(first.free_symbols | second.free_symbols, key=lambda s: s.name)
    try:
        ranges = {symbol: _domain_of(symbol, domains or {}) for symbol in symbols}
    except ValueError as error:
        return Decision("undecided", str(error))
    try:
        numeric = call_bounded(_numeric_decision, first, second, ranges, samples, digits, seed, timeout=timeout)
    except ChainruleError as error:
        numeric = Decision("undecided", f"numeric comparison did not finish ({_first_line(error)})")
    if numeric.verdict == "different":
        return numeric
    proved = _prove_equal(first, second, timeout)
    if proved and numeric.verdict == "equal":
        return Decision("equal", f"simplify(first − second) = 0, and {numeric.reason}", "symbolic")
    if proved:
        return Decision("equal", "simplify(first − second) = 0 (numeric check inconclusive)", "symbolic")
    if numeric.verdict == "equal" and require_proof:
        return Decision("undecided", f"{numeric.reason}, but no symbolic proof was found in time", "numeric")
    return numeric


# --- input checks --------------------------------------------------------------------------------------


def _unusable(expr: object) -> str | None:
    if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
        return f"not a scalar expression: {type(expr).__name__}"
    count = 0
    for _ in sympy.preorder_traversal(expr):
        count += 1
        if count > MAX_NODES:
            return f"expression too large to compare (more than {MAX_NODES} nodes)"
    if expr.has(sympy.Derivative, sympy.Integral, sympy.Limit, sympy.Sum, sympy.Product):
        return "expression still contains an unevaluated derivative, integral, limit, sum or product"
    return None


def _apply_definitions(expr: object, definitions: Mapping[str, sympy.Lambda]) -> object:
    if not isinstance(expr, sympy.Expr):
        return expr
    calls = {
        call: definitions[call.func.__name__](*call.args)
        for call in expr.atoms(AppliedUndef)
        if call.func.__name__ in definitions and len(call.args) == len(definitions[call.func.__name__].variables)
    }
    return expr.xreplace(calls) if calls else expr


def _same_names_same_symbols(
    first: sympy.Expr, second: sympy.Expr, domains: Mapping[sympy.Symbol, sympy.Set]
) -> tuple[sympy.Expr, sympy.Expr]:
    """A reader's ``x`` and the engine's real ``x`` are one variable: merge symbols that share a name.

    Otherwise they would be sampled independently and a right answer could look different.
    """
    by_name: dict[str, list[sympy.Symbol]] = {}
    for symbol in first.free_symbols | second.free_symbols:
        by_name.setdefault(symbol.name, []).append(symbol)
    replacements = {}
    for symbols in by_name.values():
        if len(symbols) < 2:
            continue
        keep = max(symbols, key=lambda s: (s in domains, bool(s.is_positive), bool(s.is_real), str(s.assumptions0)))
        replacements.update({s: keep for s in symbols if s != keep})
    if not replacements:
        return first, second
    return first.xreplace(replacements), second.xreplace(replacements)


def _compare_infinite_constants(first: sympy.Expr, second: sympy.Expr) -> Decision | None:
    """±∞ cannot be sampled; compare them as values (a limit of ∞ is not a limit of 1)."""
    infinities = (sympy.oo, -sympy.oo, sympy.zoo)
    if first not in infinities and second not in infinities:
        return None
    other = second if first in infinities else first
    if other in infinities:
        return Decision("different", f"{first} and {second} are different infinities", "identical")
    if other.is_number and other.is_finite:
        return Decision(
            "different", f"{other} is finite, the other value is {first if other is second else second}", "identical"
        )
    return Decision("undecided", "cannot compare an infinite value with a symbolic one")


def _domain_of(symbol: sympy.Symbol, domains: Mapping[sympy.Symbol, sympy.Set]) -> sympy.Interval:
    if symbol in domains:
        domain = domains[symbol]
    elif symbol.is_positive:
        domain = sympy.Interval.open(0, sympy.oo)
    elif symbol.is_nonnegative:
        domain = sympy.Interval(0, sympy.oo)
    elif symbol.is_negative:
        domain = sympy.Interval.open(-sympy.oo, 0)
    elif symbol.is_nonpositive:
        domain = sympy.Interval(-sympy.oo, 0)
    else:
        domain = sympy.Reals
    if domain == sympy.Reals:
        domain = sympy.Interval(-sympy.oo, sympy.oo)
    if not isinstance(domain, sympy.Interval) or domain.measure == 0:
        raise ValueError(f"cannot sample {symbol} from {domain}")
    return domain


# --- numbers -------------------------------------------------------------------------------------------


def _numeric_decision(
    first: sympy.Expr,
    second: sympy.Expr,
    ranges: Mapping[sympy.Symbol, sympy.Interval],
    samples: int,
    digits: int,
    seed: int,
) -> Decision:
    """Runs in a bounded child: sample, compare, and confirm any difference before stating it."""
    rng = random.Random(seed)
    boundaries = list(_boundaries(first)) + list(_boundaries(second))
    points = _sample_points(ranges, boundaries, samples, rng)
    agreed = 0
    skipped = 0
    unclear: str | None = None
    for point in points:
        a = _evaluate(first, point, digits)
        b = _evaluate(second, point, digits)
        if a is None or b is None:
            skipped += 1
            continue
        relation = _relation(a, b, digits)
        if relation == "agree":
            agreed += 1
        elif relation == "differ" and _confirmed_difference(first, second, point, ranges, digits):
            return Decision(
                "different",
                f"at {_describe_point(point)} the first is {_short(a)} but the second is {_short(b)}",
                "numeric",
                {**{s.name: str(v) for s, v in point.items()}, "first": _short(a), "second": _short(b)},
            )
        else:
            unclear = (
                unclear or f"values at {_describe_point(point)} are close but not equal ({_short(a)} vs {_short(b)})"
            )
    if unclear:
        return Decision("undecided", unclear, "numeric")
    needed = 1 if not ranges else max(4, len(points) // 3)
    if agreed < needed:
        return Decision(
            "undecided", f"only {agreed} of {len(points)} sample points could be evaluated for both", "numeric"
        )
    where = "at the constant value" if not ranges else f"at {agreed} random points"
    note = f" ({skipped} outside the domain skipped)" if skipped else ""
    return Decision("equal", f"values agree to {digits - AGREE_DIGITS_MARGIN} digits {where}{note}", "numeric")


def _evaluate(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Rational], digits: int) -> sympy.Float | None:
    """The real value at ``point`` to ``digits`` correct digits, or None where undefined, complex or unreachable.

    The point is substituted exactly and ``evalf`` runs in strict mode with a high precision ceiling, so
    cancellation between huge terms (``e^{100x}(1 + e^{-100x}) − e^{100x}``) is resolved, not rounded away;
    a value that stays indistinguishable from zero at that ceiling is zero.
    """
    try:
        exact = expr.xreplace(dict(point))
        if not isinstance(exact, sympy.Expr) or exact.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            return None
        try:
            value = exact.evalf(digits, strict=True, maxn=MAX_WORKING_DIGITS)
        except sympy.core.evalf.PrecisionExhausted as error:
            if "from zero" not in str(error):
                return None
            # One term could not be told from zero at the ceiling (x·(1 − tanh²(1200)) is 10⁻¹⁰⁴⁰): that term is
            # negligible, not the whole value. Only a sum that is itself indistinguishable from zero is zero.
            value = exact.evalf(digits, maxn=MAX_WORKING_DIGITS)
            if not value.is_number or abs(value) <= TINY:
                return sympy.Float(0)
            return _real_part(value, digits)
    except (ArithmeticError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return _real_part(value, digits)


def _real_part(value: sympy.Expr, digits: int) -> sympy.Float | None:
    """``value`` as a real Float, or None when it is undefined, infinite or has an imaginary part."""
    if not value.is_number or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    real, imaginary = value.as_real_imag()
    try:
        real = sympy.Float(real, digits)
        imaginary = sympy.Float(imaginary, digits)
    except (TypeError, ValueError):
        return None
    if abs(imaginary) > TINY * (1 + abs(real)):
        return None
    return real


def _relation(a: sympy.Float, b: sympy.Float, digits: int) -> Literal["agree", "differ", "unclear"]:
    gap = abs(a - b)
    scale = max(abs(a), abs(b))
    if gap <= sympy.Float(10) ** (AGREE_DIGITS_MARGIN - digits) * scale or gap <= TINY:
        return "agree"
    if gap > DIFFERENT_RELATIVE * scale:
        return "differ"
    return "unclear"


def _confirmed_difference(
    first: sympy.Expr,
    second: sympy.Expr,
    point: Mapping[sympy.Symbol, sympy.Rational],
    ranges: Mapping[sympy.Symbol, sympy.Interval],
    digits: int,
) -> bool:
    """A difference counts only if more precision and a slightly moved point both keep it."""
    more = 2 * digits
    a, b = _evaluate(first, point, more), _evaluate(second, point, more)
    if a is None or b is None or _relation(a, b, more) != "differ":
        return False
    nudged = {}
    for symbol, value in point.items():
        moved = value + sympy.Rational(1, 10**6) * (1 + abs(value))
        nudged[symbol] = moved if ranges[symbol].contains(moved) is sympy.true else value
    a, b = _evaluate(first, nudged, digits), _evaluate(second, nudged, digits)
    return a is not None and b is not None and _relation(a, b, digits) == "differ"


def _short(value: sympy.Float) -> str:
    return str(sympy.Float(value, 10))


def _describe_point(point: Mapping[sympy.Symbol, sympy.Rational]) -> str:
    if not point:
        return "the constant value"
    return ", ".join(f"{symbol} = {_short(sympy.Float(value, 15))}" for symbol, value in point.items())


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# --- where to sample ----------------------------------------------------------------------------------


def _boundaries(expr: sympy.Expr) -> Iterable[sympy.Expr]:
    """Expressions that vanish where ``expr`` may jump or have a kink: samples keep away from their zeros."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                for relation in condition.atoms(sympy.Rel):
                    yield relation.lhs - relation.rhs
        elif isinstance(node, sympy.Max | sympy.Min):
            for i, left in enumerate(node.args):
                for right in node.args[i + 1 :]:
                    yield left - right
        elif isinstance(node, sympy.Heaviside | sympy.Abs | sympy.sign | sympy.DiracDelta):
            yield node.args[0]
        elif isinstance(node, sympy.floor | sympy.ceiling | sympy.frac):
            yield sympy.sin(sympy.pi * node.args[0])


def _sample_points(
    ranges: Mapping[sympy.Symbol, sympy.Interval],
    boundaries: list[sympy.Expr],
    samples: int,
    rng: random.Random,
) -> list[dict[sympy.Symbol, sympy.Rational]]:
    if not ranges:
        return [{}]
    points: list[dict[sympy.Symbol, sympy.Rational]] = []
    attempts = 0
    while len(points) < samples and attempts < 20 * samples:
        attempts += 1
        point = {
            symbol: _draw_integer(domain, rng) if symbol.is_integer else _draw(domain, rng, len(points))
            for symbol, domain in ranges.items()
        }
        if _near_boundary(point, boundaries):
            continue
        points.append(point)
        points.extend(_across_boundaries(point, ranges, boundaries, rng))
    return points


def _draw_integer(domain: sympy.Interval, rng: random.Random) -> sympy.Integer:
    """Integer symbols (a layer count, an index) take small integer values inside their domain."""
    low = math.ceil(float(domain.start)) if domain.start.is_finite else -12
    high = math.floor(float(domain.end)) if domain.end.is_finite else low + 24
    candidates = [n for n in range(low, high + 1) if domain.contains(n) is sympy.true]
    return sympy.Integer(rng.choice(candidates)) if candidates else sympy.Integer(low)


def _draw(domain: sympy.Interval, rng: random.Random, index: int) -> sympy.Rational:
    """Mostly moderate values (|x| ≲ 4), some wider ones, so far-out branches are visited too."""
    scale = (3.0, 3.0, 3.0, 12.0, 40.0)[index % 5]
    low, high = domain.start, domain.end
    if low.is_finite and high.is_finite:
        fraction = rng.uniform(0.02, 0.98)
        value = float(low) + fraction * float(high - low)
    elif low.is_finite:
        value = float(low) + math.exp(rng.uniform(math.log(1e-2), math.log(scale)))
    elif high.is_finite:
        value = float(high) - math.exp(rng.uniform(math.log(1e-2), math.log(scale)))
    else:
        value = rng.uniform(-scale, scale)
    rational = sympy.Rational(round(value * 2**24), 2**24)
    step = sympy.Rational(1, 2**24)
    while domain.contains(rational) is not sympy.true:  # rounding pushed it onto an open end: step inside
        rational += step if low.is_finite and rational <= low else -step
    return rational


def _near_boundary(point: Mapping[sympy.Symbol, sympy.Rational], boundaries: list[sympy.Expr]) -> bool:
    for boundary in boundaries:
        try:
            value = boundary.evalf(15, subs=dict(point))
        except (ArithmeticError, TypeError, ValueError):
            continue
        if value.is_number and value.is_real is not False and abs(value) < BOUNDARY_CLEARANCE:
            return True
    return False


def _across_boundaries(
    point: dict[sympy.Symbol, sympy.Rational],
    ranges: Mapping[sympy.Symbol, sympy.Interval],
    boundaries: list[sympy.Expr],
    rng: random.Random,
) -> list[dict[sympy.Symbol, sympy.Rational]]:
    """Points on both sides of each branch boundary that is a low-degree polynomial in one symbol.

    Random points alone would miss a branch such as ``x > 50``; these visit every piece.
    """
    extra = []
    for boundary in boundaries:
        for symbol in boundary.free_symbols & set(ranges):
            others = {s: v for s, v in point.items() if s != symbol}
            try:
                poly = sympy.Poly(boundary.subs(others), symbol)
            except (sympy.PolynomialError, sympy.GeneratorsNeeded, ValueError, TypeError):
                continue
            if poly.degree() < 1 or poly.degree() > 3 or not all(c.is_number for c in poly.all_coeffs()):
                continue
            for root in poly.nroots(n=15):
                if not root.is_real:
                    continue
                for side in (-1, 1):
                    offset = side * rng.uniform(0.3, 2.0) * (1 + abs(float(root)))
                    value = sympy.Rational(round((float(root) + offset) * 2**24), 2**24)
                    if ranges[symbol].contains(value) is sympy.true:
                        candidate = {**point, symbol: value}
                        if not _near_boundary(candidate, boundaries):
                            extra.append(candidate)
    return extra[:6]


# --- algebra -------------------------------------------------------------------------------------------


def _prove_equal(first: sympy.Expr, second: sympy.Expr, timeout: float) -> bool:
    try:
        return call_bounded(_difference_simplifies_to_zero, first, second, timeout=timeout)
    except ChainruleError:
        return False


def _difference_simplifies_to_zero(first: sympy.Expr, second: sympy.Expr) -> bool:
    difference = first - second
    if difference == 0:
        return True
    if sympy.simplify(difference) == 0:
        return True
    rewritten = difference.rewrite(sympy.exp)
    return sympy.simplify(sympy.together(sympy.expand(rewritten))) == 0
