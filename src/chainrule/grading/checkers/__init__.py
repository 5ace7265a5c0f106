"""One checker per kind of claim, found by the claim's class; anything unclaimed is undecided, never guessed.

A relation chain ``a = b = c`` is cut into steps (``a = b``, ``b = c``); :func:`classify` gives each step a class
and :func:`check_step` runs the checker registered for that class (:mod:`.steps`). Importing this package
registers every checker: numeric (:mod:`.numeric_step`), identities and matrices (:mod:`.identity`), limits
(:mod:`.limits`), shapes and the rest (:mod:`.shapes`).
"""

from chainrule.grading.checkers import identity, limits, numeric_step, shapes  # noqa: F401  (they register)
from chainrule.grading.checkers.steps import (
    APPROXIMATE,
    EQUALITIES,
    Context,
    IdentityStep,
    LimitStep,
    MatrixStep,
    NumericStep,
    OpaqueStep,
    OtherRelationStep,
    ShapeStep,
    Step,
    check_step,
    checks,
    classify,
)
from chainrule.grading.checkers.terms import Binding, Environment, Term

__all__ = [
    "APPROXIMATE", "EQUALITIES", "Binding", "Context", "Environment", "IdentityStep", "LimitStep", "MatrixStep",
    "NumericStep", "OpaqueStep", "OtherRelationStep", "ShapeStep", "Step", "Term", "check_step", "checks",
    "classify",
]
