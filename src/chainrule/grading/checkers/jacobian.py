"""Jacobians of elementwise activations written as diagonal matrices with dots.

Homework answers write ``∂z₂/∂z₁ = diag(f′(z₁,₁), …, f′(z₁,ₘ))`` as a matrix with ``\\ddots``: no checker can
evaluate such a matrix entry by entry, but its diagonal entries can be checked one by one when the document
says what the activation is. This module learns that from the document (``f(L₁(x)) = tanh(W⁽¹⁾x + b⁽¹⁾)`` with
``L₁(x) = W⁽¹⁾x + b⁽¹⁾`` makes f = tanh; ``z₂ = f(z₁)`` ties z₂ to z₁), then compares each written diagonal entry
``g(z₁,ᵢ)`` with ``f′(z₁,ᵢ)``, and each written off-diagonal number with 0.
"""

from __future__ import annotations

import zlib

import sympy

from chainrule.engine.equivalence import decide_equal
from chainrule.grading.checkers.printing import formula_text, to_text
from chainrule.grading.checkers.steps import Context
from chainrule.grading.checkers.terms import Environment
from chainrule.grading.findings import Finding, Verdict
from chainrule.notation import nodes as n

T = sympy.Symbol("t", real=True)  # the argument of an activation form


def learn_activation(head: n.Node, body: n.Node, env: Environment, translate_form) -> None:
    """From ``f(arg) = [c·]act(inner)``, with inner the same as arg (or as arg's own definition), learn f."""
    from chainrule.grading.translate import symbol_key

    if not (isinstance(head, n.Apply) and isinstance(head.func, n.Symbol) and len(head.args) == 1):
        return
    name = symbol_key(head.func)
    arg = head.args[0]
    forms = {to_text(arg)}
    if isinstance(arg, n.Apply) and isinstance(arg.func, n.Symbol) and len(arg.args) == 1:
        defined = env.node_functions.get(symbol_key(arg.func))
        if defined is not None and defined[0] == symbol_key(arg.args[0]):
            forms.add(to_text(defined[1]))
    scale: n.Node | None = None
    if isinstance(body, n.Mul) and len(body.factors) == 2 and isinstance(body.factors[0], n.Number):
        scale, body = body.factors
    if not (isinstance(body, n.Apply) and isinstance(body.func, n.Function) and len(body.args) == 1):
        _forget(name, env)
        return
    if to_text(body.args[0]) not in forms:
        _forget(name, env)
        return
    form = translate_form(body.func)
    if form is None:
        _forget(name, env)
        return
    form = form * (sympy.Rational(scale.value.numerator, scale.value.denominator) if isinstance(scale, n.Number)
                   else 1)
    if env.activation_forms.get(name) != form:
        env.activation_epoch += 1  # a named function changed meaning: the network described has changed
    env.activation_forms[name] = form
    remember_form(name, form, env)


def remember_form(name: str, form: sympy.Expr, env: Environment) -> None:
    if (name, form) not in env.seen_forms:
        env.seen_forms.append((name, form))


def _forget(name: str, env: Environment) -> None:
    if env.activation_forms.pop(name, None) is not None:
        env.activation_epoch += 1


def check_elementwise_jacobian(left: n.Node, right: n.Node, context: Context, line: int | None,
                               written: str) -> Finding | None:
    """The finding for ``∂u/∂v = [diagonal matrix with dots]`` when u = f(v) for a known activation f, else None."""
    from chainrule.grading.translate import symbol_key, translate

    env = context.env
    if not (isinstance(left, n.Derivative) and isinstance(right, n.Matrix)):
        return None
    if not (isinstance(left.of, n.Symbol) and isinstance(left.wrt, n.Symbol)):
        return None
    applied = env.application(symbol_key(left.of))
    if applied is None or applied[1] != symbol_key(left.wrt) or applied[0] not in env.activation_forms:
        return None
    derivative = sympy.diff(env.activation_forms[applied[0]], T)
    wrt = left.wrt
    rows, cols = right.size
    if rows != cols or rows < 2 or not any(isinstance(c, n.Dots) for row in right.rows for c in row):
        return None
    checked = 0
    for r, row in enumerate(right.rows):
        for c, cell in enumerate(row):
            if isinstance(cell, n.Dots):
                continue
            if r != c:
                if isinstance(cell, n.Number) and cell.value != 0:
                    return Finding(Verdict.WRONG, line, written, f"entry ({r + 1}, {c + 1}) of the Jacobian of an "
                                   f"elementwise function is 0, not {cell.text}", kind="derivative")
                continue
            components = {symbol_key(s) for s in cell.walk() if _component_of(s, wrt)}
            if len(components) != 1:
                continue
            (component,) = components
            term = translate(cell, env, frozen=frozenset({component}), substitute=False)
            if not isinstance(term.value, sympy.Expr) or term.free_symbols != {env.symbol(component)}:
                continue
            expected = derivative.subs(T, env.symbol(component))
            decision = decide_equal(term.value, expected, domains=context.domains(), timeout=context.timeout,
                                    seed=zlib.crc32(written.encode()))
            if decision.different:
                other = _matching_other_activation(term.value, env.symbol(component), env, context, written)
                if other is not None:
                    return Finding(Verdict.UNDECIDED, line, written, f"entry ({r + 1}, {c + 1}) is the derivative of "
                                   f"{other}, not of {applied[0]} = {formula_text(env.activation_forms[applied[0]])}: "
                                   "the document may have changed its activation", kind="derivative")
                function = applied[0]
                return Finding(Verdict.WRONG, line, f"{to_text(cell)} in {written}",
                               f"entry ({r + 1}, {c + 1}) should be {function}′({env.symbol(component)}) = "
                               f"{formula_text(expected)}, not {to_text(cell)}: {to_text(left.of)} = {function}"
                               f"({to_text(left.wrt)}) elementwise with {function}(t) = "
                               f"{formula_text(env.activation_forms[function])}", expected=formula_text(expected),
                               kind="derivative")
            if not decision.equal:
                return None
            checked += 1
    if not checked:
        return None
    return Finding(Verdict.RIGHT, line, written, f"the written diagonal entries are {applied[0]}′ of the entries of "
                   f"{symbol_key(left.wrt)}, as {symbol_key(left.of)} = {applied[0]}({symbol_key(left.wrt)}) "
                   "elementwise", kind="derivative")


def _matching_other_activation(entry: sympy.Expr, component: sympy.Symbol, env: Environment, context: Context,
                               written: str) -> str | None:
    """Another activation of the document whose derivative the entry is (then a stale f is likelier than a slip)."""
    for name, form in env.seen_forms:
        decision = decide_equal(entry, sympy.diff(form, T).subs(T, component), domains=context.domains(),
                                timeout=context.timeout, seed=zlib.crc32(written.encode()))
        if not decision.different:
            return f"{name}(t) = {formula_text(form)}"
    return None


def _component_of(node: n.Node, vector: n.Symbol) -> bool:
    """``z_{1,i}`` is a component of ``z_1``: same letter, the vector's subscripts followed by one index."""
    return (isinstance(node, n.Symbol) and node.name == vector.name and node.layer == vector.layer
            and len(node.sub) == len(vector.sub) + 1 and tuple(map(to_text, node.sub[:-1])) ==
            tuple(map(to_text, vector.sub)))
