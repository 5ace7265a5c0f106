"""Everything chainrule states about one activation: definition, derivative, kink convention, limits of the
derivative at ±∞ and Lipschitz facts, each computed (not looked up) from the registry's SymPy definition.

This is what ``chainrule derive`` shows and what a grader compares a student's claims with. The result
keeps SymPy expressions; :meth:`ActivationFacts.as_dict` gives the plain-text/LaTeX view for JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from chainrule.engine.activations import Activation, ElementwiseActivation, X, describe_domain, get_activation
from chainrule.engine.exact import format_exact
from chainrule.engine.limits import LimitFact, limit_at_infinity
from chainrule.engine.lipschitz import Discontinuity, LipschitzFact, lipschitz_fact

# Softmax is studied one coordinate at a time: s = e^x/(e^x + S), where S > 0 sums the other exponentials.
OTHERS = sympy.Symbol("S", positive=True)


@dataclass(frozen=True)
class KinkFact:
    """Points where the activation is not differentiable, and the derivative value chainrule (and PyTorch) uses."""

    points: tuple[sympy.Expr, ...]
    values: tuple[sympy.Expr, ...]
    convention: str


@dataclass(frozen=True)
class ActivationFacts:
    name: str
    title: str
    params: dict[str, sympy.Expr]
    assumptions: dict[str, str]
    definition: sympy.Expr
    derivative: sympy.Expr
    definition_text: str
    derivative_text: str
    definition_latex: str
    derivative_latex: str
    forms: tuple[tuple[str, sympy.Expr], ...]
    kink: KinkFact | None
    limits: dict[str, LimitFact]
    limits_note: str
    lipschitz: LipschitzFact
    function_lipschitz: LipschitzFact

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: every expression as text (SymPy syntax) and, where useful, LaTeX."""
        return {
            "name": self.name,
            "title": self.title,
            "params": {key: expression_text(value) for key, value in self.params.items()},
            "assumptions": self.assumptions,
            "definition": self.definition_text,
            "definition_latex": self.definition_latex,
            "derivative": self.derivative_text,
            "derivative_latex": self.derivative_latex,
            "equivalent_forms": [
                {"description": description, "expression": expression_text(form), "latex": expression_latex(form)}
                for description, form in self.forms
            ],
            "kink": None
            if self.kink is None
            else {
                "points": [expression_text(p) for p in self.kink.points],
                "derivative_there": [expression_text(v) for v in self.kink.values],
                "convention": self.kink.convention,
            },
            "limits": {point: limit_text(fact) for point, fact in self.limits.items()},
            "limits_note": self.limits_note,
            "lipschitz": {
                "derivative": lipschitz_dict(self.lipschitz),
                "function": lipschitz_dict(self.function_lipschitz),
            },
        }


def derive(activation: Activation, *, timeout: float = 25.0) -> ActivationFacts:
    """Compute the facts for ``activation`` (its parameters numbers or symbols)."""
    if isinstance(activation, ElementwiseActivation):
        return _elementwise_facts(activation, timeout)
    if activation.name == "softmax":
        return _softmax_facts(timeout)
    raise TypeError(f"no facts for activation {activation.name!r} of type {type(activation).__name__}")


def _elementwise_facts(act: ElementwiseActivation, timeout: float) -> ActivationFacts:
    shown = _written_with_constants(act)
    domains = act.symbol_domains
    limits = {point: limit_at_infinity(act.derivative, X, point, domains, timeout=timeout) for point in ("+oo", "-oo")}
    kink = None
    if act.kinks:
        kink = KinkFact(
            act.kinks, tuple(act.derivative.subs(X, p) for p in act.kinks), act.kink_note or "PyTorch's convention"
        )
    return ActivationFacts(
        name=act.name,
        title=act.title,
        params=dict(act.params),
        assumptions={key: describe_domain(key, domain) for key, domain in act.param_domains.items()},
        definition=act.definition,
        derivative=act.derivative,
        definition_text=expression_text(shown.definition),
        derivative_text=expression_text(shown.derivative),
        definition_latex=expression_latex(shown.definition),
        derivative_latex=expression_latex(shown.derivative),
        forms=act.forms,
        kink=kink,
        limits=limits,
        limits_note="",
        lipschitz=_lipschitz(act, "derivative", timeout),
        function_lipschitz=_lipschitz(act, "definition", timeout),
    )


def _written_with_constants(act: ElementwiseActivation) -> ElementwiseActivation:
    """The activation as a person writes it: SELU's long published constants stay the letters α and λ in the
    formulas (their values are listed with the parameters), every other activation as it is."""
    long = {key for key, value in act.params.items() if isinstance(value, sympy.Rational) and _long_decimal(value)}
    if not long:
        return act
    twin = get_activation(act.name, **{key: sympy.Symbol(key, positive=True) for key in long})
    return twin if isinstance(twin, ElementwiseActivation) else act


def _lipschitz(act: ElementwiseActivation, which: str, timeout: float) -> LipschitzFact:
    """The Lipschitz fact of ``act.definition`` or ``act.derivative``.

    With numeric parameters the fact is derived once with the parameters symbolic (under their domains) and
    then specialised to the values: SymPy's solvers choke on large exact numbers (softplus with β = 1000
    ran past any time bound), while the symbolic answer β/4 takes a second. When the symbolic route leaves
    anything open, the numbers are analysed directly as before.
    """
    numeric_params = {key: value for key, value in act.params.items() if value.is_number}
    if numeric_params:
        twin = get_activation(act.name)
        values = {twin.params[key]: value for key, value in numeric_params.items()}
        if isinstance(twin, ElementwiseActivation) and all(isinstance(s, sympy.Symbol) for s in values):
            general = lipschitz_fact(getattr(twin, which), X, twin.symbol_domains, timeout=timeout)
            specialised = specialise(general, values)
            if specialised is not None:
                return specialised
    return lipschitz_fact(getattr(act, which), X, act.symbol_domains, timeout=timeout)


def specialise(fact: LipschitzFact, values: dict[sympy.Symbol, sympy.Expr]) -> LipschitzFact | None:
    """``fact`` (stated for symbolic parameters) at the parameter values; ``None`` where it does not say."""
    for when, case in fact.special_cases:
        if all(values.get(symbol) == value for symbol, value in when.items()):
            return specialise(case, values)
    if fact.status == "lipschitz" and fact.constant is not None and fact.exact:
        constant = sympy.simplify(fact.constant.xreplace(values))
        if not (constant.is_number and constant.is_finite):
            return None
        reason = f"continuous and piecewise smooth; sup |derivative| = {constant}"
        return LipschitzFact("lipschitz", reason, True, constant, True)
    if fact.status == "not lipschitz" and fact.continuous is False:
        jumps = tuple(
            Discontinuity(*(part.xreplace(values) for part in (d.at, d.left, d.right, d.value)))
            for d in fact.discontinuities
        )
        if not jumps or not all(_is_nonzero_number(d.left - d.right) for d in jumps):
            return None
        where = ", ".join(f"x = {d.at} (from {d.left} to {d.right})" for d in jumps)
        return LipschitzFact("not lipschitz", f"not continuous: it jumps at {where}", False, discontinuities=jumps)
    if fact.status == "not lipschitz" and fact.constant == sympy.oo:
        return fact
    return None


def _is_nonzero_number(value: sympy.Expr) -> bool:
    value = sympy.simplify(value)
    return bool(value.is_number and value.is_zero is False)


def _softmax_facts(timeout: float) -> ActivationFacts:
    coordinate = sympy.exp(X) / (sympy.exp(X) + OTHERS)
    diagonal = sympy.factor(sympy.together(sympy.diff(coordinate, X)))
    limits = {point: limit_at_infinity(diagonal, X, point, timeout=timeout) for point in ("+oo", "-oo")}
    vector = LipschitzFact(
        "undecided", "softmax is vector-valued; chainrule computes Lipschitz constants of scalar functions only"
    )
    return ActivationFacts(
        name="softmax",
        title="Softmax",
        params={},
        assumptions={},
        definition=coordinate,
        derivative=diagonal,
        definition_text="s_i = exp(x_i)/sum_j exp(x_j)",
        derivative_text="ds_i/dx_j = s_i*(delta_ij - s_j), i.e. J = diag(s) - s*s^T",
        definition_latex=r"s_i = \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}",
        derivative_latex=r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j),\quad "
        r"J = \operatorname{diag}(s) - s s^{\top}",
        forms=(
            ("diagonal entry s_i(1 - s_i), written with x = x_i and S = sum of exp(x_j) for j != i", diagonal),
            ("off-diagonal entry -s_i*s_j", -sympy.Symbol("s_i") * sympy.Symbol("s_j")),
        ),
        kink=None,
        limits=limits,
        limits_note="limits of the diagonal entry ds_i/dx_i as x_i -> ±oo with the other inputs fixed",
        lipschitz=vector,
        function_lipschitz=vector,
    )


# --- text -------------------------------------------------------------------------------------------------


LONG_DECIMAL = 10**8
"""A rational whose denominator is a power of 2 and 5 of at least this size is a published decimal constant (SELU's
λ = 1.0507009873554804934...); it prints as that decimal, exactly, not as a fraction of 31-digit integers."""


def _long_decimal(value: sympy.Rational) -> str | None:
    q = int(value.q)
    if q < LONG_DECIMAL:
        return None
    for factor in (2, 5):
        while q % factor == 0:
            q //= factor
    return format_exact(value) if q == 1 else None


class _ReadablePrinter(StrPrinter):
    """SymPy's str form, except branches read as ``(1 if x > 0 else a)``, indicators as ``I(x > 0)`` and long
    published constants as decimals."""

    def _print_Rational(self, expr: sympy.Rational) -> str:
        return _long_decimal(expr) or super()._print_Rational(expr)

    def _print_Piecewise(self, expr: sympy.Piecewise) -> str:
        parts = []
        for value, condition in expr.args[:-1]:
            parts.append(f"{self._print(value)} if {self._print(condition)} else ")
        value, condition = expr.args[-1]
        last = self._print(value) if condition is sympy.true else f"{self._print(value)} if {self._print(condition)}"
        return "(" + "".join(parts) + last + ")"

    def _print_Heaviside(self, expr: sympy.Heaviside) -> str:
        argument = self._print(expr.args[0])
        at_zero = expr.args[1] if len(expr.args) > 1 else sympy.Rational(1, 2)
        if at_zero == 0:
            return f"I({argument} > 0)"
        if at_zero == 1:
            return f"I({argument} >= 0)"
        return f"Heaviside({argument})"


class _ReadableLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX, except indicators print as ``\mathbb{1}[x > 0]`` rather than a Heaviside theta, and long
    published constants as decimals."""

    def _print_Rational(self, expr: sympy.Rational) -> str:
        return _long_decimal(expr) or super()._print_Rational(expr)

    def _print_Heaviside(self, expr: sympy.Heaviside, exp: str | None = None) -> str:
        at_zero = expr.args[1] if len(expr.args) > 1 else None
        if at_zero not in (0, 1):
            return super()._print_Heaviside(expr, exp)
        relation = ">" if at_zero == 0 else r"\geq"
        text = rf"\mathbb{{1}}[{self._print(expr.args[0])} {relation} 0]"
        return f"{text}^{{{exp}}}" if exp else text


def expression_text(expr: sympy.Expr) -> str:
    return _ReadablePrinter().doprint(expr)


def expression_latex(expr: sympy.Expr) -> str:
    return _ReadableLatexPrinter().doprint(expr)


def limit_text(fact: LimitFact) -> str:
    if fact.status == "exists":
        return expression_text(fact.value)
    if fact.status == "does not exist":
        return "does not exist"
    return f"undecided ({fact.reason})"


def _reason(fact: LipschitzFact) -> str:
    """The fact's reason, with the jumps' values written by the readable printer (decimals, not long fractions)."""
    if fact.status != "not lipschitz" or not fact.discontinuities:
        return fact.reason
    where = ", ".join(
        f"x = {expression_text(d.at)} (from {expression_text(d.left)} to {expression_text(d.right)})"
        for d in fact.discontinuities
    )
    return f"not continuous: it jumps at {where}"


def lipschitz_dict(fact: LipschitzFact) -> dict[str, Any]:
    constant = fact.constant
    return {
        "status": fact.status,
        "lipschitz": {"lipschitz": True, "not lipschitz": False}.get(fact.status),
        "continuous": fact.continuous,
        "constant": None if constant is None else expression_text(constant),
        "constant_latex": None if constant is None else expression_latex(constant),
        "constant_value": float(constant)
        if constant is not None and constant.is_number and constant.is_finite
        else None,
        "exact": fact.exact,
        "reason": _reason(fact),
        "discontinuities": [
            {
                "at": expression_text(d.at),
                "left_limit": expression_text(d.left),
                "right_limit": expression_text(d.right),
                "value": expression_text(d.value),
                "unless": [", ".join(f"{s} = {expression_text(v)}" for s, v in u.items()) for u in d.unless],
            }
            for d in fact.discontinuities
        ],
        "special_cases": [
            {"when": ", ".join(f"{s} = {expression_text(v)}" for s, v in when.items()), **lipschitz_dict(case)}
            for when, case in fact.special_cases
        ],
    }
