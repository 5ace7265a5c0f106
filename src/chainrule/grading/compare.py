"""Compare one question's answer with the spec's truth: the one place that says which check a question gets.

Each question type has its comparison, each in its own module:

* every type — the spec's known misconceptions (:mod:`.misconceptions`);
* ``activation_derivative`` — derivative and limit claims against the activation (:mod:`.activation_claims`);
* ``parameter_count`` — the count (:mod:`.scalar_answers`); ``gd_dynamics`` — iterates and thresholds (same);
* ``symbolic_backprop``, ``mlp_numeric``, ``matrix_gradient`` — relation chains by value at random points, with
  shapes and layout (:mod:`.comparer`, with the truth from :mod:`.truth`).

What the submission states once (its parsed math, its declarations) is read by :mod:`.context` and shared by all
its questions.
"""

from __future__ import annotations

from dataclasses import replace

from chainrule.assignments.spec import QuestionBase
from chainrule.grading.activation_claims import derivative_findings, limit_findings
from chainrule.grading.comparer import QuestionComparer
from chainrule.grading.context import GradingContext, stated_layout
from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.misconceptions import misconception_findings
from chainrule.grading.scalar_answers import DynamicsChecker, parameter_count_findings
from chainrule.grading.split import Section

__all__ = ["compare_question"]


def _compare(question: QuestionBase, section: Section, context: GradingContext) -> list[Finding]:
    """The comparisons this question's type and asks call for, in one list."""
    statements = context.statements_in(section)
    findings = misconception_findings(question, section, context.split.lines)
    if question.type == "activation_derivative" and "limits" in getattr(question, "asks", ()):
        findings.extend(limit_findings(question, statements))
    if question.type == "activation_derivative" and "derivative" in getattr(question, "asks", ()):
        findings.extend(derivative_findings(question, statements))
    asks = set(getattr(question, "asks", ()) or ())
    if question.type == "parameter_count" or (question.type == "training_experiment" and "parameter_count" in asks):
        findings.extend(parameter_count_findings(question, context.split.lines, section.lines()))
    if question.type == "gd_dynamics":
        findings.extend(DynamicsChecker(question, context.split.lines, list(section.lines())).findings(statements))
    if question.type in ("symbolic_backprop", "mlp_numeric", "matrix_gradient"):
        comparer = QuestionComparer(question, context)
        comparer.stated_layout = stated_layout(context.split.lines[line - 1] for line in section.lines())
        compared = comparer.findings(statements)
        if question.type == "matrix_gradient":
            compared = _both_layouts_shown(compared)
        findings.extend(compared)
    return findings


def compare_question(question: QuestionBase, section: Section, context: GradingContext) -> list[Finding]:
    """Findings from comparing one question's answer with the truth.

    Each chain is evaluated under a step budget and every computer-algebra call (limits, equivalence) under
    its own time bound, so one bad claim costs that claim, never the question: a failure becomes one
    ``undecided`` finding with the reason.
    """
    try:
        return _compare(question, section, context)
    except Exception as error:  # lark's VisitError lesson: a fault in one comparison is reported, never raised
        reason = (
            f"comparing with the truth failed: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
        )
    return [Finding(Verdict.UNDECIDED, section.start, question.id, reason, kind="error")]


def _both_layouts_shown(findings: list[Finding]) -> list[Finding]:
    """A numerator-layout working step beside the gradient given right in the assignment's layout is a step
    (``∂f/∂x = xᵀ(A + Aᵀ) + zᵀ``, then its transpose), not a wrong answer."""
    if not any(f.verdict is Verdict.RIGHT and f.answers for f in findings):
        return findings
    return [
        replace(
            f,
            verdict=Verdict.RIGHT,
            reason="the other layout's form (the transpose) of the gradient the answer also gives in the "
            "assignment's layout",
            notes=(*f.notes, f"as a final answer: {f.reason}"),
        )
        if f.verdict is Verdict.WRONG and f.kind == "layout"
        else f
        for f in findings
    ]
