"""Build steps from LaTeX the way ``check_document`` does, for checker tests."""

from __future__ import annotations

import sympy

from chainrule.grading.checkers import Context, Step, check_step
from chainrule.grading.checkers.terms import Environment, Term
from chainrule.grading.findings import Finding
from chainrule.grading.translate import translate
from chainrule.notation.parser import parse_math


def term(latex: str, env: Environment | None = None) -> Term:
    return translate(parse_math(latex), env or Environment())


def decide(left: str, right: str, *, op: str = "=", env: Environment | None = None,
           domains: dict[str, sympy.Set] | None = None, variables: tuple[str, ...] = ()) -> Finding:
    """The finding for ``left op right`` under a fresh (or given) environment."""
    env = env or Environment()
    env.domains.update(domains or {})
    context = Context(env, timeout=3.0, variables=frozenset(env.symbol(v) for v in variables))
    return check_step(Step(term(left, env), op, term(right, env), 1), context)
