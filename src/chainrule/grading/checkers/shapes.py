"""Checker for :class:`ShapeStep`: only shapes are known, and a conflict was already caught before dispatch.

What is left to say is that the shapes agree, which is not a verdict on the values.
"""

from __future__ import annotations

from chainrule.grading.checkers.steps import Context, OpaqueStep, OtherRelationStep, ShapeStep, checks
from chainrule.grading.findings import Finding, Verdict


@checks(ShapeStep)
def check_shapes(step: ShapeStep, context: Context) -> Finding:
    return Finding(Verdict.UNDECIDED, step.line, step.written,
                   f"both sides are {step.left.shape}; the values are not checked without their entries",
                   column=step.column, kind="shape")


@checks(OpaqueStep)
def check_opaque(step: OpaqueStep, context: Context) -> Finding:
    reason = step.left.reason or step.right.reason or "a side could not be read"
    return Finding(Verdict.UNDECIDED, step.line, step.written, reason, column=step.column)


@checks(OtherRelationStep)
def check_other_relation(step: OtherRelationStep, context: Context) -> Finding:
    return Finding(Verdict.UNDECIDED, step.line, step.written, f"the relation {step.op} is not checked",
                   column=step.column)
