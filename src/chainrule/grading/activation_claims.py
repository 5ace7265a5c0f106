"""Derivative and limit claims of an ``activation_derivative`` question, compared with the activation the spec names.

The spec-free line check cannot decide ``σ'(x) = σ(x)(1 − σ(x))`` or ``f'(x) = f(x)(1 − f(x))``: the document
never defines σ or f. The question does: inside its answer, the primed name is the question's activation. So
each member equated with that derivative is compared with the truth as a function of ``x`` (and the question's
parameters, inside their domains), three-valued: right, wrong with a witness point, or left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from chainrule.grading.checkers.terms import Environment
from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.relations import claimed_chains
from chainrule.grading.translate import Untranslatable, translate
from chainrule.grading.written import as_latex, as_text
from chainrule.notation import nodes as n
from chainrule.notation.errors import NotationError
from chainrule.notation.parser import parse_math

__all__ = ["derivative_findings", "limit_findings"]

CLAIM_TIMEOUT_S = 3.0


def derivative_findings(question: Any, statements: list[Any]) -> list[Finding]:
    """Findings for members equated with the derivative of the question's single activation."""
    from chainrule.assignments.solvers.common import build_activation, parameter_symbols
    from chainrule.engine.activations import X

    if len(question.activations) != 1:
        return []
    symbols = parameter_symbols(question.parameters)
    activation = build_activation(question.activations[0], symbols, f"{question.id}.activations[0]")
    definition = getattr(activation, "definition", None)
    derivative = getattr(activation, "derivative", None)
    if definition is None or derivative is None:
        return []
    domains = _domains(question, symbols)
    renames = _parameter_renames(question, symbols)
    found: list[Finding] = []
    helpers = _helper_names(statements, definition, domains, renames, X)
    for statement in statements:
        for chain in claimed_chains(statement.node):
            subject = chain.terms[0]
            primed = _primed(subject)
            if primed is None:
                continue
            name, variable = primed
            if name not in _ACTIVATION_NAMES | {question.activations[0].name} or name in helpers:
                continue  # u'(x), g'(x): a helper function of the working, not the activation
            for op, term in zip(chain.ops, chain.terms[1:], strict=True):
                if op.op != "=":
                    break
                value = _value(term, name, variable, definition, renames, X)
                if value is None:
                    continue
                found.append(_decide(value, derivative, domains, subject, term, op.line or statement.line))
    return found


def _helper_names(statements: list[Any], definition: sympy.Expr, domains: dict, renames: dict[str, sympy.Symbol],
                  x: sympy.Symbol) -> set[str]:
    """Names the answer defines as something other than the activation (``f(x) = e^{2x} − 1`` as a step)."""
    from chainrule.engine.equivalence import decide_equal

    helpers: set[str] = set()
    for statement in statements:
        for chain in claimed_chains(statement.node):
            head = chain.terms[0]
            if not (isinstance(head, n.Apply) and isinstance(head.func, n.Symbol) and len(head.args) == 1
                    and isinstance(head.args[0], n.Symbol) and chain.ops[0].op == "="):
                continue
            name = head.func.name
            value = _value(chain.terms[1], name, _key(head.args[0]), definition, renames, x)
            if value is None or not decide_equal(value, definition, domains=domains, timeout=CLAIM_TIMEOUT_S).equal:
                helpers.add(name)
    return helpers


def _primed(node: n.Node) -> tuple[str, str] | None:
    """``f'(x)``, ``σ'(x)``, ``f'`` or ``df/dx``: the function's name and its variable (``x`` when unwritten)."""
    if isinstance(node, n.Apply) and isinstance(node.func, n.Prime) and len(node.args) == 1:
        if isinstance(node.args[0], n.Symbol) and isinstance(node.func.operand, n.Symbol | n.Function):
            return _name(node.func.operand), _key(node.args[0])
        return None
    if isinstance(node, n.Prime) and isinstance(node.operand, n.Symbol | n.Function):
        return _name(node.operand), "x"
    if isinstance(node, n.Derivative) and isinstance(node.wrt, n.Symbol) and node.order == 1:
        of = node.of
        if isinstance(of, n.Apply) and isinstance(of.func, n.Symbol | n.Function):
            of = of.func
        if isinstance(of, n.Symbol | n.Function):
            return _name(of), _key(node.wrt)
    return None


def _name(node: n.Node) -> str:
    return node.name if isinstance(node, n.Symbol | n.Function) else ""


def _key(node: n.Symbol) -> str:
    from chainrule.grading.translate import symbol_key

    return symbol_key(node)


def _value(term: n.Node, name: str, variable: str, definition: sympy.Expr, renames: dict[str, sympy.Symbol],
           x: sympy.Symbol) -> sympy.Expr | None:
    """The member as a function of the engine's ``x``; ``f(u)`` for the primed ``f`` is the activation at u."""
    try:
        value = translate(term, Environment()).value
    except (Untranslatable, NotationError, ValueError, TypeError, RecursionError):
        return None
    if not isinstance(value, sympy.Expr) or isinstance(value, sympy.MatrixBase) or value.has(sympy.Derivative):
        return None
    calls = {call: definition.xreplace({x: call.args[0]}) for call in value.atoms(sympy.core.function.AppliedUndef)
             if call.func.__name__ in (name, _GREEK.get(name, name)) and len(call.args) == 1}
    value = value.xreplace(calls)
    if value.atoms(sympy.core.function.AppliedUndef):
        return None
    table = {s: x if s.name == variable else renames.get(s.name) for s in value.free_symbols}
    if any(target is None for target in table.values()):
        return None  # a name the question does not know: not a claim about this activation
    return value.xreplace(table)


_GREEK = {"sigma": "σ"}
# The names an activation question's function goes by: the prompt's f, σ for the sigmoid; besides these only the
# activation's own name (tanh'(x)) is read as its derivative.
_ACTIVATION_NAMES = frozenset({"f", "sigma", "sigmoid"})


def _decide(value: sympy.Expr, derivative: sympy.Expr, domains: dict, subject: n.Node, term: n.Node,
            line: int | None) -> Finding:
    from chainrule.engine.equivalence import decide_equal

    written = f"{as_text(subject)} = {as_text(term)}"
    latex = as_latex(subject, "=", term)
    decision = decide_equal(value, derivative, domains=domains, timeout=CLAIM_TIMEOUT_S)
    if decision.equal:
        return Finding(Verdict.RIGHT, line, written, "equals the activation's derivative", kind="derivative",
                       latex=latex)
    if decision.different:
        side = _one_side(value, derivative, domains)
        if side is not None:
            return Finding(Verdict.UNDECIDED, line, written, f"equals the activation's derivative for {side} only: "
                           "one case of a piecewise answer (its condition is not read)", kind="derivative",
                           latex=latex)
        return Finding(Verdict.WRONG, line, written, f"not the activation's derivative: {decision.reason}",
                       kind="derivative", latex=latex)
    return Finding(Verdict.UNDECIDED, line, written, decision.reason, kind="derivative", latex=latex)


def _one_side(value: sympy.Expr, derivative: sympy.Expr, domains: dict) -> str | None:
    """``x > 0`` or ``x < 0`` when the claim holds on that half-line ("for x > 0, f'(x) = 1")."""
    from chainrule.engine.activations import X
    from chainrule.engine.equivalence import decide_equal

    for text, interval in (("x > 0", sympy.Interval.open(0, sympy.oo)), ("x < 0", sympy.Interval.open(-sympy.oo, 0))):
        if decide_equal(value, derivative, domains={**domains, X: interval}, timeout=CLAIM_TIMEOUT_S).equal:
            return text
    return None


def _domains(question: Any, symbols: dict[str, sympy.Symbol]) -> dict[sympy.Symbol, sympy.Set]:
    domains: dict[sympy.Symbol, sympy.Set] = {}
    for parameter in question.parameters:
        symbol = symbols.get(parameter.name)
        if symbol is None:
            continue
        low = -sympy.oo if parameter.lower is None else sympy.Rational(str(parameter.lower))
        high = sympy.oo if parameter.upper is None else sympy.Rational(str(parameter.upper))
        domains[symbol] = sympy.Interval(low, high, parameter.lower_open, parameter.upper_open)
    return domains


def _parameter_renames(question: Any, symbols: dict[str, sympy.Symbol]) -> dict[str, sympy.Symbol]:
    """The translated name of each parameter as a document writes it (``β`` for ``beta``) → the engine's symbol."""
    renames: dict[str, sympy.Symbol] = {}
    for parameter in question.parameters:
        symbol = symbols.get(parameter.name)
        if symbol is None:
            continue
        renames[parameter.name] = symbol
        try:
            written = translate(parse_math(parameter.tex or parameter.name), Environment()).value
        except (Untranslatable, NotationError, ValueError, TypeError):
            continue
        if isinstance(written, sympy.Symbol):
            renames[written.name] = symbol
    return renames


# --- limits of the derivative ------------------------------------------------------------------------------


def limit_findings(question: Any, statements: list[Any]) -> list[Finding]:
    """Each ``lim_{x→±∞}`` of the activation's derivative a statement equates with a simple value, decided."""
    import sympy

    from chainrule.assignments.solvers.common import build_activation, parameter_symbols
    from chainrule.engine.activations import X
    from chainrule.engine.equivalence import decide_equal
    from chainrule.engine.limits import limit_at_infinity

    if len(question.activations) != 1:
        return []
    symbols = parameter_symbols(question.parameters)
    activation = build_activation(question.activations[0], symbols, f"{question.id}.activations[0]")
    domains = {
        symbol: sympy.Interval(
            -sympy.oo if p.lower is None else sympy.Rational(str(p.lower)),
            sympy.oo if p.upper is None else sympy.Rational(str(p.upper)),
            p.lower_open,
            p.upper_open,
        )
        for p in question.parameters
        if (symbol := symbols.get(p.name)) is not None
    }
    derivative = getattr(activation, "derivative", None)
    if derivative is None:
        return []
    cache: dict[str, Any] = {}
    found: list[Finding] = []
    for statement in statements:
        for chain in claimed_chains(statement.node):
            for left, op, right in zip(chain.terms, chain.ops, chain.terms[1:], strict=False):
                if op.op != "=" or not isinstance(left, n.Limit) or not _is_derivative(left.body):
                    continue
                point = _infinity(left.to)
                value = _simple_value(right, symbols)
                if point is None or value is None:
                    continue
                if point not in cache:
                    cache[point] = limit_at_infinity(derivative, X, point, domains)
                fact = cache[point]
                if fact.status != "exists":
                    continue
                decision = decide_equal(value, fact.value, domains=domains)
                written = f"{as_text(left)} = {as_text(right)}"
                latex = as_latex(left, "=", right)
                if decision.equal:
                    found.append(
                        Finding(
                            Verdict.RIGHT,
                            op.line or statement.line,
                            written,
                            "the limit of the derivative agrees",
                            kind="limit",
                            latex=latex,
                        )
                    )
                elif decision.different:
                    found.append(
                        Finding(
                            Verdict.WRONG,
                            op.line or statement.line,
                            written,
                            f"the limit as x → {point.replace('oo', '∞')} is {fact.value}",
                            expected=str(fact.value),
                            kind="limit",
                            latex=latex,
                        )
                    )
    return found


def _is_derivative(node: n.Node) -> bool:
    if isinstance(node, n.Apply) and isinstance(node.func, n.Prime | n.Derivative):
        return True  # f'(x), σ'(x): the derivative applied to the variable
    return isinstance(node, n.Derivative | n.Prime) or (
        isinstance(node, n.Mul) and any(isinstance(f, n.Derivative) for f in node.factors)
    )


def _infinity(node: n.Node) -> str | None:
    if isinstance(node, n.Infinity):
        return "+oo"
    if isinstance(node, n.Neg) and isinstance(node.operand, n.Infinity):
        return "-oo"
    return None


def _simple_value(node: n.Node, symbols: Mapping[str, Any]) -> Any:
    import sympy

    if isinstance(node, n.Number):
        return sympy.Rational(node.text)
    if isinstance(node, n.Neg):
        inner = _simple_value(node.operand, symbols)
        return -inner if inner is not None else None
    if isinstance(node, n.Symbol) and not node.sub and node.name in symbols:
        return symbols[node.name]
    if isinstance(node, n.Infinity):
        return sympy.oo
    return None
