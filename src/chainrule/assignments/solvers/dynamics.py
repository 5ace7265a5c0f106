"""Gradient descent on the one-parameter least-squares problem ``L(w) = c (x w − y)²``, exactly.

The runs and thresholds come from ``chainrule.engine.dynamics`` (exact rationals, the regime decided from the
contraction ratio ``r = 1 − 2cαx²`` of ``w_{t+1} − w* = r (w_t − w*)``); this solver lays them out as the
worked answer: the update, the error recursion, each step size's iterates and regime, the conditions, a proof.
"""

from __future__ import annotations

import sympy

from chainrule.assignments.solution import Answer, PlotRequest, QuestionSolution, Step
from chainrule.assignments.solvers.common import exact_tex
from chainrule.assignments.solvers.common import exact_text as format_exact
from chainrule.assignments.spec import Assignment, GdDynamicsQuestion
from chainrule.engine.dynamics import ALPHA, Convention, quadratic_thresholds, run_quadratic_gd
from chainrule.engine.exact import to_rational


def solve(question: GdDynamicsQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    where = f"questions[{question.id}]"
    x, y, w0 = (to_rational(v, f"{where}.{k}") for k, v in (("x", question.x), ("y", question.y), ("w0", question.w0)))
    tolerance = to_rational(question.tolerance, f"{where}.tolerance")
    convention = Convention.HALF if question.loss == "half_squared" else Convention.PLAIN
    c = sympy.Rational(1, 2) if convention == Convention.HALF else sympy.Integer(1)
    thresholds = quadratic_thresholds(convention, x=x)
    optimum = y / x
    ratio_expr = thresholds.at["ratio"].subs(ALPHA, sympy.Symbol("alpha", positive=True))
    oscillate_from, converge_below = thresholds.at["one_step"], thresholds.at["constant_oscillation"]
    solution = QuestionSolution.of(question)
    c_tex = r"\frac{1}{2}" if c == sympy.Rational(1, 2) else ""
    solution.steps += [
        Step(
            title="The update",
            text=f"$L(w) = {c_tex}(xw - y)^2$ with $x = {exact_tex(x)}$, $y = {exact_tex(y)}$, "
            f"so $L'(w) = {_coefficient(2 * c)}x(xw - y)$ and the optimum is $w^* = y/x = {exact_tex(optimum)}$.",
            tex=rf"w_{{t+1}} = w_t - \alpha L'(w_t) = w_t - {sympy.latex(2 * c * x)}\alpha\,"
            rf"({sympy.latex(x)}w_t - {exact_tex(y)})".replace("1\\alpha", "\\alpha").replace(r"(1w_t", "(w_t"),
            rule="gradient descent",
        ),
        Step(
            text="Subtract the optimum:",
            rule="error recursion",
            tex=rf"w_{{t+1}} - w^* = \left({sympy.latex(ratio_expr)}\right)(w_t - w^*) \;\Rightarrow\; "
            rf"|w_t - w^*| = |{sympy.latex(ratio_expr)}|^t\,|w_0 - w^*|",
        ),
    ]
    runs: list[dict[str, object]] = []
    for raw in question.step_sizes:
        a = to_rational(raw, f"{where}.step_sizes")
        run = run_quadratic_gd(
            a, x=x, y=y, w0=w0, convention=convention, iterations=question.steps, tolerance=tolerance
        )
        ws, ratio, stop, behaviour = list(run.iterates), run.ratio, run.steps_to_tolerance, run.regime.value
        runs.append({"alpha": float(a), "label": f"α = {format_exact(a)}", "w": [float(w) for w in ws]})
        if "iterates" in question.asks or "conditions" in question.asks:
            listing = ", ".join(exact_tex(w) for w in ws)
            stop_text = (
                f"$|w_t - w^*| < {exact_tex(tolerance)}$ first at $t = {stop}$"
                if stop is not None
                else f"$|w_t - w^*|$ never falls below ${exact_tex(tolerance)}$"
            )
            solution.steps.append(
                Step(
                    title=f"α = {format_exact(a)}",
                    text=f"Factor $1 - {sympy.latex(2 * c * x**2)}\\alpha = {exact_tex(ratio)}$: "
                    f"{behaviour}; {stop_text}.".replace("1\\alpha", "\\alpha"),
                    tex=rf"w_0, w_1, \dots, w_{{{question.steps}}} = {listing}",
                )
            )
            key = f"alpha={format_exact(a)}"
            solution.answers[f"{key}:iterates"] = Answer(
                label=rf"w_0,\dots,w_{{{question.steps}}}\ (\alpha = {exact_tex(a)})",
                tex=rf"\alpha = {exact_tex(a)}:\quad w_0,\dots,w_{{{question.steps}}} = {listing}",
                value=", ".join(format_exact(w) for w in ws),
            )
            solution.answers[f"{key}:behaviour"] = Answer(
                label=rf"\alpha = {exact_tex(a)}",
                tex=rf"\alpha = {exact_tex(a)}:\quad \text{{{behaviour}}}",
                value=behaviour,
            )
            solution.answers[f"{key}:stop"] = Answer(
                label=rf"\text{{first }} t \text{{ with }} |w_t - w^*| < {exact_tex(tolerance)}",
                tex=rf"\alpha = {exact_tex(a)}:\quad "
                + (
                    rf"|w_t - w^*| < {exact_tex(tolerance)} \text{{ first at }} t = {stop}"
                    if stop is not None
                    else rf"|w_t - w^*| \text{{ never falls below }} {exact_tex(tolerance)}"
                ),
                value=str(stop) if stop is not None else "never",
            )
    if "conditions" in question.asks or "proof" in question.asks:
        solution.steps += [
            Step(
                title="Conditions",
                rule="sign and size of the factor",
                text=f"The sign of $w_t - w^*$ alternates exactly when the factor is negative: "
                f"$\\alpha > {exact_tex(oscillate_from)}$. The error shrinks to 0 exactly when "
                f"$|{sympy.latex(ratio_expr)}| < 1$, i.e. $0 < \\alpha < {exact_tex(converge_below)}$. At "
                f"$\\alpha = {exact_tex(converge_below)}$ the iterates jump between $w_0$ and "
                f"${exact_tex(2 * optimum - w0)}$ forever; beyond it they diverge, alternating in sign.",
            ),
        ]
        solution.answers["oscillates"] = Answer(
            label="oscillation",
            tex=rf"\alpha > {exact_tex(oscillate_from)}",
            value=f"alpha > {format_exact(oscillate_from)}",
        )
        solution.answers["converges"] = Answer(
            label="convergence",
            tex=rf"0 < \alpha < {exact_tex(converge_below)}",
            value=f"0 < alpha < {format_exact(converge_below)}",
        )
        solution.answers["oscillates_and_converges"] = Answer(
            label="oscillating convergence",
            tex=rf"{exact_tex(oscillate_from)} < \alpha < {exact_tex(converge_below)}",
            value=f"{format_exact(oscillate_from)} < alpha < {format_exact(converge_below)}",
        )
    if "proof" in question.asks:
        solution.graded_by = "both"
        solution.rubric = list(question.rubric)
        solution.steps.append(
            Step(
                title="Proof",
                text="By induction from the error recursion, "
                f"$|w^* - w_t| = |{sympy.latex(ratio_expr)}|^t\\,|w^* - w_0|$ "
                f"with $|w^* - w_0| = {exact_tex(abs(optimum - w0))}$. A geometric sequence $q^t$ tends to 0 iff "
                "$|q| < 1$, is constant in absolute value iff $|q| = 1$ and grows iff $|q| > 1$; the sign of "
                "$w_t - w^*$ is that of $q^t$, alternating iff $q < 0$. This gives both conditions. With the "
                f"stopping rule $|w - w^*| < {exact_tex(tolerance)}$ the run stops at the first $t$ with "
                f"$|q|^t\\,{exact_tex(abs(optimum - w0))} < {exact_tex(tolerance)}$.",
                rule="geometric sequence",
            )
        )
    solution.plots.append(
        PlotRequest(
            kind="gd_iterates",
            filename=f"q{question.id.replace('.', '-')}-iterates.png",
            caption=f"Gradient-descent iterates $w_t$; the optimum $w^* = {exact_tex(optimum)}$ is dashed.",
            data={"runs": runs, "optimum": float(optimum)},
        )
    )
    if convention == Convention.HALF:
        plain = quadratic_thresholds(Convention.PLAIN, x=x).at
        solution.notes.append(
            "With the loss $(xw - y)^2$ (no ½) every step is doubled: the thresholds halve "
            f"(oscillation for $\\alpha > {exact_tex(plain['one_step'])}$, convergence for "
            f"$0 < \\alpha < {exact_tex(plain['constant_oscillation'])}$)."
        )
    return solution


def _coefficient(value: sympy.Rational) -> str:
    return "" if value == 1 else exact_tex(value) + r"\,"
