"""Parameter counts of fully connected networks, layer by layer."""

from __future__ import annotations

from collections.abc import Sequence

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.spec import Assignment, ParameterCountQuestion


def parameter_count_steps(widths: Sequence[int], biases: bool = True) -> tuple[int, list[Step]]:
    """The total and one step per layer: ``n_l·n_{l−1}`` weights plus ``n_l`` biases."""
    steps, terms, total = [], [], 0
    for layer in range(1, len(widths)):
        n_in, n_out = widths[layer - 1], widths[layer]
        count = n_in * n_out + (n_out if biases else 0)
        total += count
        bias_tex = f" + {n_out}" if biases else ""
        steps.append(
            Step(
                text=f"Layer {layer}: a ${n_out}\\times{n_in}$ weight matrix"
                + (f" and {n_out} bias{'' if n_out == 1 else 'es'}" if biases else ""),
                tex=f"{n_in}\\cdot{n_out}{bias_tex} = {count}",
                rule="weights n_in·n_out, plus one bias per output",
            )
        )
        terms.append(f"({n_in}\\cdot{n_out}{bias_tex})")
    steps.append(Step(tex=" + ".join(terms) + f" = {total}", rule="sum over layers"))
    return total, steps


def solve(question: ParameterCountQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    total, steps = parameter_count_steps(question.widths, question.biases)
    solution = QuestionSolution.of(
        question,
        steps=steps,
    )
    solution.answers["parameters"] = Answer(label="p", tex=f"p = {total}", value=str(total))
    return solution
