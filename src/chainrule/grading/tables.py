"""Claims made by the rows of a Markdown table, read as relation chains.

Students lay out a forward pass or the gradients as a table: ``| $W^{(1)}$ | $x ∂ℓ/∂z_3 …$ |`` or
``| Linear1 | input | output |``. A row's first cell says what the row is about, its last formula what it is.
"""

from __future__ import annotations

import re

from chainrule.assignments.spec import QuestionBase
from chainrule.grading.context import Statement
from chainrule.grading.meaning import TRUTH_PREFIX, Resolver
from chainrule.notation import nodes as n

__all__ = ["table_chains"]

_ROW_ROLES = {"linear1": "z1", "f": "z2", "linear2": "z3", "g": "yhat", "loss": "loss"}


def table_chains(
    question: QuestionBase, lines: list[str], resolve: Resolver, statements: list[Statement]
) -> list[n.Chain]:
    """Claims made by table rows.

    ``| $W^{(1)}$ | $x ∂ℓ/∂z_3 …$ |`` (a parameter and a formula) claims ∂ℓ/∂(parameter) = formula;
    ``| f | input | output |`` (a layer of ``Linear1 → f → Linear2 → g``, or the loss) claims that layer's
    output = the last formula of the row.
    """
    asks = set(getattr(question, "asks", ()) or ())
    by_line: dict[int, list[n.Node]] = {}
    for statement in statements:
        if lines[statement.line - 1].lstrip().startswith("|"):
            by_line.setdefault(statement.line, []).append(statement.node)
    chains = []
    for line, nodes in by_line.items():
        first, formula = nodes[0], nodes[-1]
        place = {"line": formula.line, "column": formula.column}
        role = _row_role(lines[line - 1]) if "forward" in asks else None
        if role is not None and not isinstance(formula, n.Chain):
            subject: n.Node = n.Symbol(f"{TRUTH_PREFIX}{role}", **place)
        elif "gradients" in asks and len(nodes) >= 2 and isinstance(first, n.Symbol):
            if resolve(first) not in ("W1", "b1", "W2", "b2"):
                continue
            subject = n.Derivative(n.Symbol("ell"), first, partial=True, **place)
        else:
            continue
        chains.append(n.Chain((subject, formula), (n.RelOp("=", **place),), **place))
    return chains


def _row_role(line: str) -> str | None:
    """The network quantity a table row is about, from its first cell (``$Linear_1$``, ``f``, ``Loss``)."""
    cells = line.strip().strip("|").split("|")
    if len(cells) < 2:
        return None
    first = re.sub(r"\\(?:text|mathrm|textrm|mathbf|operatorname)\s*", "", cells[0])
    return _ROW_ROLES.get(re.sub(r"[^a-z0-9]", "", first.lower()))
