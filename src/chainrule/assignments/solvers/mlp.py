"""A numeric forward and backward pass, worked step by step from the engine's exact trace.

``chainrule.engine.mlp.trace_exact`` computes every intermediate exactly (decimals as rationals) with the
rule that produced it; this solver only turns the trace into steps and names the answers. Gradients have
the shape of their parameter (∂L/∂W = δ hᵀ).
"""

from __future__ import annotations

import sympy

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.solvers.common import matrix_tex, matrix_text, shape_text
from chainrule.assignments.spec import Assignment, MlpNumericQuestion
from chainrule.engine.exact import to_rational
from chainrule.engine.mlp import DenseLayer, NetworkProblem, trace_exact_bounded

_LOSSES = {
    "half_squared": ("half_squared_error", None),
    "squared": ("squared_error", None),
    "mean_squared": ("mse", None),
    "half_mean_squared": ("half_squared_error", "mean"),
}


def network_problem(question: MlpNumericQuestion) -> NetworkProblem:
    """The engine's problem for a spec question (exact rationals throughout)."""
    where = f"questions[{question.id}]"

    def matrix(rows: list[list[object]], field: str) -> sympy.ImmutableMatrix:
        return sympy.ImmutableMatrix([[to_rational(v, f"{where}.{field}") for v in row] for row in rows])

    layers = []
    for index, layer in enumerate(question.layers):
        activation = layer.activation
        layers.append(
            DenseLayer(
                W=matrix(layer.W, f"layers[{index}].W"),
                b=matrix([[v] for v in layer.b], f"layers[{index}].b"),
                activation=activation.name if activation else "identity",
                params={
                    k: to_rational(v, f"{where}.layers[{index}].activation.params.{k}")
                    for k, v in (activation.params.items() if activation else [])
                },
            )
        )
    loss, reduction = _LOSSES[question.loss]
    return NetworkProblem(
        layers=tuple(layers),
        inputs=matrix([[v] for v in question.x], "x"),
        targets=matrix([[v] for v in question.y], "y"),
        loss=loss,
        reduction=reduction,
    )


def solve(question: MlpNumericQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    trace = trace_exact_bounded(network_problem(question))
    solution = QuestionSolution.of(question)
    if question.names:
        renames = ", ".join(
            f"${trace[key].symbol}$ is called ${name}$" for key, name in question.names.items() if _has(trace, key)
        )
        solution.notes.append(f"In the assignment's words: {renames}.")
    solution.steps.append(Step(title="Given", text="The parameters and the sample, as exact numbers:"))
    for step in trace.stage("given"):
        solution.steps.append(
            Step(tex=f"{step.symbol} = {matrix_tex(step.value)}", shape=shape_text(*step.value.shape))
        )
    solution.steps.append(Step(title="Forward pass"))
    for step in trace.stage("forward"):
        solution.steps.append(_worked(step))
    solution.steps.append(
        Step(title="Backward pass", text="Each gradient has the shape of the quantity it is taken by.")
    )
    for step in trace.stage("backward"):
        if step.key == "dh0":
            continue  # ∂L/∂x is not asked for
        solution.steps.append(_worked(step))

    depth = trace.depth
    output = trace.output
    solution.answers["f"] = Answer(
        label=r"f(x;\theta)",
        tex=rf"f(x;\theta) = \hat y = {matrix_tex(output)}",
        value=matrix_text(output),
        shape=shape_text(*output.shape),
    )
    solution.answers["L"] = Answer(
        label="L", tex=f"L = {matrix_tex(trace.loss_value)}", value=matrix_text(trace.loss_value)
    )
    for index in range(1, depth):
        for key in (f"z{index}", f"h{index}"):
            step = trace[key]
            solution.answers[key] = Answer(
                label=step.symbol,
                tex=f"{step.symbol} = {matrix_tex(step.value)}",
                value=matrix_text(step.value),
                shape=shape_text(*step.value.shape),
            )
    for index in range(1, depth + 1):
        for kind, letter in (("W", "w"), ("b", "b")):
            step = trace[f"d{kind}{index}"]
            value = step.value
            solution.answers[f"dL/d{kind}{index}"] = Answer(
                label=step.symbol,
                tex=f"{step.symbol} = {matrix_tex(value)}",
                value=matrix_text(value),
                shape=shape_text(*value.shape),
            )
            for row in range(value.rows):
                for col in range(value.cols):
                    sub = f"{row + 1}{col + 1}" if kind == "W" else f"{row + 1}"
                    label = rf"\frac{{\partial L}}{{\partial {letter}^{{({index})}}_{{{sub}}}}}"
                    solution.answers[f"dL/d{letter}{index}_{sub}"] = Answer(
                        label=label,
                        tex=f"{label} = {matrix_tex(value[row : row + 1, col : col + 1])}",
                        value=matrix_text(value[row : row + 1, col : col + 1]),
                        boxed=False,
                    )
    if trace.loss_note:
        solution.notes.append(trace.loss_note)
    return solution


def _has(trace: object, key: str) -> bool:
    try:
        trace[key]  # type: ignore[index]
    except KeyError:
        return False
    return True


def _worked(step: object) -> Step:
    value = step.value
    formula = f" = {step.formula}" if step.formula else ""
    return Step(
        tex=f"{step.symbol}{formula} = {matrix_tex(value)}",
        rule=step.rule,
        shape=shape_text(*value.shape),
        text=step.note,
    )
