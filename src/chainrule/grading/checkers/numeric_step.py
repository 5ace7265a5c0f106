"""Checker for :class:`NumericStep`: closed numbers, or matrices of them, compared to the digits written."""

from __future__ import annotations

import sympy

from chainrule.grading.checkers.numeric import NotNumeric, decide_numeric
from chainrule.grading.checkers.steps import Context, NumericStep, checks
from chainrule.grading.checkers.terms import Term
from chainrule.grading.findings import Finding, Verdict


@checks(NumericStep)
def check_numeric(step: NumericStep, context: Context) -> Finding:
    left, right = step.left, step.right
    if left.is_matrix or right.is_matrix:
        return _check_matrices(step, context)
    try:
        verdict, reason, expected = decide_numeric(left, right, context.earlier_results, context.timeout)
    except NotNumeric:
        return Finding(Verdict.UNDECIDED, step.line, step.written, "a side is not a real number", column=step.column,
                       kind="numeric")
    return Finding(verdict, step.line, step.written, reason, expected=expected if verdict is not Verdict.RIGHT
                   else None, column=step.column, kind="numeric")


def entries(term: Term) -> list[Term]:
    """Each entry of a matrix member as a member of its own, keeping only the literals it uses."""
    template = term.template
    assert isinstance(template, sympy.MatrixBase)
    result = []
    for entry in template:
        used = entry.free_symbols
        literals = tuple((d, w) for d, w in term.literals if d in used)
        result.append(Term(text=term.text, line=term.line, column=term.column, template=entry, literals=literals))
    return result


def _check_matrices(step: NumericStep, context: Context) -> Finding:
    left, right = step.left, step.right
    if not (left.is_matrix and right.is_matrix):
        return Finding(Verdict.UNDECIDED, step.line, step.written, "a matrix compared with a number",
                       column=step.column, kind="numeric")
    shape_l, shape_r = left.template.shape, right.template.shape  # type: ignore[union-attr]
    if shape_l != shape_r:
        transposed = shape_l == shape_r[::-1] and 1 in shape_l
        reason = (f"the left side is {shape_l[0]}×{shape_l[1]} but the right side is {shape_r[0]}×{shape_r[1]}"
                  + (" (a row written as a column or the other way round)" if transposed else ""))
        if transposed:
            return Finding(Verdict.UNDECIDED, step.line, step.written, reason, column=step.column, kind="shape")
        return Finding(Verdict.WRONG, step.line, step.written, reason, column=step.column, kind="shape")
    worst = Finding(Verdict.RIGHT, step.line, step.written, "every entry agrees to the digits written",
                    column=step.column, kind="numeric")
    for index, (a, b) in enumerate(zip(entries(left), entries(right), strict=True)):
        try:
            verdict, reason, expected = decide_numeric(a, b, context.earlier_results, context.timeout)
        except NotNumeric:
            verdict, reason, expected = Verdict.UNDECIDED, "an entry is not a real number", None
        row, col = divmod(index, shape_l[1])
        where = f"entry ({row + 1}, {col + 1}): "
        if verdict is Verdict.WRONG:
            return Finding(Verdict.WRONG, step.line, step.written, where + reason, expected=expected,
                           column=step.column, kind="numeric")
        if verdict is Verdict.UNDECIDED and worst.verdict is Verdict.RIGHT:
            worst = Finding(Verdict.UNDECIDED, step.line, step.written, where + reason, expected=expected,
                            column=step.column, kind="numeric")
    return worst
