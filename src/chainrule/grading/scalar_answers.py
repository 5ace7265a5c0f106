"""Answers that are numbers: a network's parameter count, gradient-descent iterates and step-size thresholds.

The truth comes from the engine (``assignments.solvers.counting``, ``engine.dynamics``), never from the
submission. A count is compared exactly. An iterate ``w_k = …`` is compared with the run for the step size the
text last set (``α = 1.5``), to the digits written; the thresholds of ``0 < α < 2`` likewise. Prof. You's
loss may be read as ``½(xw − y)²`` or ``(xw − y)²``: a value that only fits the other convention is right
when the submission states that loss, and undecided (with the reason) when it does not say — never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from chainrule.grading.findings import Finding, Verdict
from chainrule.notation import nodes as n

_COUNT = r"(?<!\d)(?:\d{1,3}(?:[,\u2009\u202f]\d{3}){1,4}|\d{1,15})(?!\d)"  # bounded: no 5000-digit ints
_COUNT_CLAIMS = (
    re.compile(rf"(?P<count>{_COUNT})\s*(?:trainable\s+|learnable\s+|total\s+)?parameters", re.IGNORECASE),
    re.compile(rf"parameters?[^.\d]{{0,40}}?(?:=|is|are|:|of)\s*\$?\s*(?P<count>{_COUNT})", re.IGNORECASE),
)
_ALPHA = re.compile(r"(?:\\alpha|α)\s*=\s*(?P<value>-?\d{1,12}(?:\.\d{1,12})?(?:/\d{1,12})?)(?![\d.])")
_LOSS_LINE = re.compile(r"(?:\bL|\\ell|ℓ|\\mathcal\{L\})\s*(?:\(\s*w\s*\))?\s*=")
_HALF = re.compile(r"\\frac\s*\{?\s*1\s*\}?\s*\{?\s*2\s*\}?|\\tfrac\s*12|½|\b1/2\b|\b0\.5\s*\(")


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


# --- parameter counts -------------------------------------------------------------------------------------


def parameter_count_findings(question: Any, lines: list[str], line_numbers: Iterable[int]) -> list[Finding]:
    """The count stated in the section against the engine's: right where it appears, else each count claimed."""
    from chainrule.assignments.solvers.counting import parameter_count_steps

    widths = [int(width) for width in question.widths]
    total, _steps = parameter_count_steps(widths, getattr(question, "biases", True))
    claimed: list[tuple[int, int, str]] = []
    for number in line_numbers:
        text = lines[number - 1]
        for pattern in _COUNT_CLAIMS:
            claimed.extend((number, _number(m.group("count")), m.group(0).strip()) for m in pattern.finditer(text))
        if "param" in text.lower() and any(_number(m.group(0)) == total for m in re.finditer(_COUNT, text)):
            claimed.append((number, total, text.strip()[:120]))
    right = [(line, written) for line, count, written in claimed if count == total]
    if right:
        line, written = right[0]
        return [Finding(Verdict.RIGHT, line, written, f"the parameter count is {total}", kind="count")]
    reason = f"the network with widths {tuple(widths)} has {total} parameters (weights and biases)"
    return [
        Finding(Verdict.WRONG, line, written, reason, expected=str(total), kind="count")
        for line, count, written in claimed[:1]
        if count not in widths  # a width quoted beside the word "parameters" is not a count
    ]


# --- gradient-descent dynamics ----------------------------------------------------------------------------


def stated_convention(lines: Iterable[str]) -> str | None:
    """``half`` or ``plain`` when the submission writes its loss one way only, else None."""
    seen = set()
    for line in lines:
        if _LOSS_LINE.search(line) and ("^2" in line or "^{2}" in line or "²" in line):
            seen.add("half" if _HALF.search(line) else "plain")
    return next(iter(seen)) if len(seen) == 1 else None


_MAX_DIGITS = 30  # a longer number is no iterate or bound anyone writes; reading it would cost without bound
_LOSS_TEXT = {"half": "½(xw − y)²", "plain": "(xw − y)²"}


def _value(node: n.Node) -> Fraction | None:
    if isinstance(node, n.Number):
        return Fraction(node.value) if len(node.text) <= _MAX_DIGITS else None
    if isinstance(node, n.Neg):
        inner = _value(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, n.Div):
        top, bottom = _value(node.numerator), _value(node.denominator)
        return top / bottom if top is not None and bottom else None
    return None


def _decimal(value: Fraction) -> str:
    """``3/2`` as ``1.5``, as the numbers were written; a fraction without a finite decimal stays a fraction."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return str(value)
    text = f"{float(value):.12f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else str(value)


def _tolerance(node: n.Node) -> Fraction:
    decimals = max((item.decimals for item in node.walk() if isinstance(item, n.Number)), default=0)
    return Fraction(1, 2 * 10**decimals) if decimals else Fraction(0)


def _iterate_index(node: n.Node) -> int | None:
    """``k`` of ``w_k`` or ``w^{(k)}`` written with a number."""
    if isinstance(node, n.Symbol) and node.name == "w":
        if node.layer is not None and isinstance(node.layer, n.Number) and not node.sub:
            index = node.layer
        elif len(node.sub) == 1 and isinstance(node.sub[0], n.Number) and node.layer is None:
            index = node.sub[0]
        else:
            return None
        return int(index.value) if index.value.denominator == 1 else None
    return None  # w^2 is a square, not the second iterate


class DynamicsChecker:
    """Iterates and thresholds of one ``gd_dynamics`` question under both loss conventions."""

    def __init__(self, question: Any, lines: list[str], line_numbers: list[int]) -> None:
        from chainrule.engine.exact import to_rational

        self.question = question
        self.lines = lines
        self.line_numbers = line_numbers
        self.convention = "half" if question.loss == "half_squared" else "plain"
        self.stated = stated_convention(lines[number - 1] for number in line_numbers)
        self.x, self.y, self.w0 = (to_rational(v) for v in (question.x, question.y, question.w0))
        self._runs: dict[tuple[Fraction, str], list[Fraction]] = {}

    def iterates(self, alpha: Fraction, convention: str) -> list[Fraction]:
        """w_0 … w_T; ½ loss: w ← w − α x (x w − y); plain loss: twice that step."""
        key = (alpha, convention)
        if key not in self._runs:
            scale = 1 if convention == "half" else 2
            w, run = Fraction(self.w0), [Fraction(self.w0)]
            x, y = Fraction(self.x), Fraction(self.y)
            for _ in range(self.question.steps):
                w = w - alpha * scale * x * (x * w - y)
                run.append(w)
                if abs(w) > 10**30:
                    break
            self._runs[key] = run
        return self._runs[key]

    def thresholds(self, convention: str) -> dict[Fraction, str]:
        from chainrule.engine.dynamics import quadratic_thresholds

        at = quadratic_thresholds(convention, self.question.x).at
        return {
            Fraction(str(at["one_step"])): "one step to w* (oscillation above it)",
            Fraction(str(at["constant_oscillation"])): "constant oscillation (convergence below it)",
        }

    def alpha_at(self, line: int) -> Fraction | None:
        for number in sorted((k for k in self.line_numbers if k <= line), reverse=True):
            found = list(_ALPHA.finditer(self.lines[number - 1]))
            if found:
                return Fraction(found[-1].group("value"))
        return None

    def _decide(
        self,
        written: str,
        line: int,
        value: Fraction,
        tolerance: Fraction,
        truth: dict[str, Any],
        elsewhere: str | None = None,
    ) -> Finding:
        """``truth`` maps each convention to the expected value (or a set of accepted values) there."""

        def fits(expected: Any) -> bool:
            options = expected if isinstance(expected, dict) else {expected: ""}
            return any(abs(value - option) <= tolerance for option in options)

        own, other = self.convention, "plain" if self.convention == "half" else "half"
        used = self.stated or own
        if fits(truth[used]):
            note = (
                "the assignment's"
                if used == own
                else "the loss the answer states; the assignment's is " + (_LOSS_TEXT[own])
            )
            return Finding(
                Verdict.RIGHT, line, written, f"agrees under L = {_LOSS_TEXT[used]} ({note})", kind="dynamics"
            )
        if self.stated is None and fits(truth[other]):
            return Finding(
                Verdict.UNDECIDED,
                line,
                written,
                f"agrees under L = {_LOSS_TEXT[other]}, not the assignment's {_LOSS_TEXT[own]}; "
                "the answer does not say which loss it uses",
                kind="dynamics",
            )
        if elsewhere is not None:
            return Finding(Verdict.UNDECIDED, line, written, elsewhere, kind="dynamics")
        expected = truth[used]
        values = list(expected) if isinstance(expected, dict) else [expected]
        shown = " or ".join(_decimal(v) for v in values)
        return Finding(
            Verdict.WRONG,
            line,
            written,
            f"under L = {_LOSS_TEXT[used]} it is {shown}",
            expected=shown,
            kind="dynamics",
        )

    def findings(self, statements: Iterable[Any]) -> list[Finding]:
        from chainrule.grading.checkers.printing import to_text

        asks = set(self.question.asks)
        found: list[Finding] = []
        for statement in statements:
            for chain in _chains_of(statement.node):
                for left, op, right in zip(chain.terms, chain.ops, chain.terms[1:], strict=False):
                    line = op.line or statement.line
                    written = f"{to_text(left)} {op.op} {to_text(right)}"
                    if "iterates" in asks and op.op in ("=", "≈"):
                        finding = self._iterate(left, right, line, written)
                    elif "conditions" in asks and op.op in ("<", "≤", ">", "≥"):
                        finding = self._threshold(left, right, line, written)
                    else:
                        finding = None
                    if finding is not None:
                        found.append(finding)
        return found

    def _iterate(self, left: n.Node, right: n.Node, line: int, written: str) -> Finding | None:
        index = _iterate_index(left)
        value = _value(right) if index is not None else None
        alpha = self.alpha_at(line)
        if index is None or value is None or alpha is None or index > self.question.steps:
            return None
        truth = {c: self.iterates(alpha, c)[index] for c in ("half", "plain") if index < len(self.iterates(alpha, c))}
        if len(truth) != 2:
            return None
        tolerance = _tolerance(right)
        elsewhere = self._another_reading(alpha, index, value, tolerance)
        return self._decide(f"α = {_decimal(alpha)}: {written}", line, value, tolerance, truth, elsewhere)

    def _another_reading(self, alpha: Fraction, index: int, value: Fraction, tolerance: Fraction) -> str | None:
        """Why a value that differs from ``w_index`` for ``alpha`` may still be right: it is another step size's
        iterate (the text may not have restated α), or the one before (counting from w₁ = w₀)."""
        from chainrule.engine.exact import to_rational

        alphas = [alpha, *(Fraction(str(to_rational(a))) for a in self.question.step_sizes)]
        for other_alpha in alphas:
            for convention in ("half", "plain"):
                run = self.iterates(other_alpha, convention)
                for other_index in (index, index - 1):
                    if (other_alpha, other_index) == (alpha, index) or not 0 <= other_index < len(run):
                        continue
                    if abs(run[other_index] - value) <= tolerance:
                        return (
                            f"differs from w_{index} for α = {_decimal(alpha)} but equals w_{other_index} for "
                            f"α = {_decimal(other_alpha)} under L = {_LOSS_TEXT[convention]}: "
                            "which step or step size it is about is unclear"
                        )
        return None

    def _threshold(self, left: n.Node, right: n.Node, line: int, written: str) -> Finding | None:
        if isinstance(left, n.Symbol) and left.name == "alpha" and not left.sub:
            other = right
        elif isinstance(right, n.Symbol) and right.name == "alpha" and not right.sub:
            other = left
        else:
            return None
        bound = _value(other)
        if bound is None or bound == 0:
            return None
        from chainrule.engine.exact import to_rational

        truth = {c: self.thresholds(c) for c in ("half", "plain")}
        steps = {Fraction(str(to_rational(a))) for a in self.question.step_sizes}
        elsewhere = (
            f"α = {_decimal(bound)} is one of the step sizes asked about, so this may describe that case"
            if bound in steps
            else None
        )
        return self._decide(written, line, bound, _tolerance(other), truth, elsewhere)


def _chains_of(node: n.Node) -> Iterable[n.Chain]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Chain):
            yield item
            continue
        if isinstance(item, n.Block | n.Seq | n.Boxed):
            stack.extend(reversed(item.children()))
