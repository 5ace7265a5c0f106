"""Small helpers the solvers share: exact numbers and matrices as LaTeX, spec numbers and parameters as SymPy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import mpmath
import sympy

from chainrule.assignments.spec import ActivationRef, Number, Parameter
from chainrule.engine.activations import Activation, get_activation
from chainrule.engine.exact import format_exact, printable, to_rational

MAX_EXACT_DIGITS = 40
"""A rational whose numerator or denominator is longer than this is shown rounded (marked ≈): gradient descent
with a step such as 0.3333333333333 has iterates of thousands of digits after 200 steps, which no reader wants
and Python will not even convert to text beyond 4300 digits."""


def too_long(value: sympy.Rational) -> bool:
    return max(abs(int(value.p)), int(value.q)) >= 10**MAX_EXACT_DIGITS


def rounded(value: sympy.Rational) -> str:
    """``≈`` and 15 significant digits, for a rational too long to show exactly."""
    with mpmath.workdps(20):  # binary arithmetic on the integers: no decimal conversion of the long ones
        return "≈" + mpmath.nstr(mpmath.mpf(int(value.p)) / int(value.q), 15)


def exact_text(value: sympy.Expr) -> str:
    """:func:`format_exact`, except that a rational too long to read is shown rounded (``≈1.23456789012346``)."""
    value = sympy.Integer(value) if isinstance(value, int) else value
    if isinstance(value, sympy.Rational) and too_long(value):
        return rounded(value)
    return format_exact(value)


def exact_tex(value: sympy.Expr) -> str:
    """LaTeX for an exact value: terminating decimals as decimals (1.33), other rationals as fractions."""
    value = sympy.Integer(value) if isinstance(value, int) else value
    if isinstance(value, sympy.Rational):
        if too_long(value):
            mantissa, _, exponent = rounded(value)[1:].partition("e")
            return r"\approx " + mantissa + (rf" \times 10^{{{int(exponent)}}}" if exponent else "")
        text = format_exact(value)
        if "/" not in text:
            return text
        sign = "-" if value < 0 else ""
        return rf"{sign}\frac{{{abs(value.p)}}}{{{value.q}}}"
    return sympy.latex(printable(value))


def matrix_tex(matrix: sympy.MatrixBase) -> str:
    """A bmatrix of exact entries; a (1×1) matrix prints as its entry."""
    if matrix.shape == (1, 1):
        return exact_tex(matrix[0, 0])
    rows = [" & ".join(exact_tex(entry) for entry in matrix.row(i)) for i in range(matrix.rows)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def matrix_text(matrix: sympy.MatrixBase) -> str:
    """Plain exact form: ``1.33`` for (1×1), ``[[0, 1.3]]`` otherwise (rows of a matrix)."""
    if matrix.shape == (1, 1):
        return exact_text(matrix[0, 0])
    return (
        "[" + ", ".join("[" + ", ".join(exact_text(e) for e in matrix.row(i)) + "]" for i in range(matrix.rows)) + "]"
    )


def shape_text(rows: object, cols: object) -> str:
    return f"({rows}×{cols})"


def parameter_symbols(parameters: Iterable[Parameter]) -> dict[str, sympy.Symbol]:
    """A SymPy symbol per spec parameter, positive when its lower bound is non-negative (what limits can use)."""
    symbols: dict[str, sympy.Symbol] = {}
    for parameter in parameters:
        lower = to_rational(parameter.lower) if parameter.lower is not None else None
        positive = lower is not None and lower >= 0
        symbols[parameter.name] = (
            sympy.Symbol(parameter.name, positive=True) if positive else sympy.Symbol(parameter.name, real=True)
        )
    return symbols


def parameter_tex(parameters: Iterable[Parameter]) -> dict[str, str]:
    return {p.name: p.tex or p.name for p in parameters}


def spec_value(value: Number, symbols: Mapping[str, sympy.Symbol], where: str) -> sympy.Expr:
    """A spec number exactly, or the symbol of a named parameter."""
    if isinstance(value, str) and value in symbols:
        return symbols[value]
    return to_rational(value, where)


def build_activation(ref: ActivationRef, symbols: Mapping[str, sympy.Symbol], where: str) -> Activation:
    """The registry activation for a spec reference (parameters numeric or symbolic)."""
    params = {key: spec_value(value, symbols, f"{where}.params.{key}") for key, value in ref.params.items()}
    return get_activation(ref.name, **params)


def boxed(tex: str) -> str:
    return rf"\boxed{{{tex}}}"
