"""NYU HW1's two-layer network, symbolically: forward pass, gradients in the allowed symbols, local Jacobians.

The mathematics is ``chainrule.engine.matcalc.network.two_layer_network`` (numerator layout, each gradient
also derived independently by reverse mode from the expanded loss); this solver picks what the question
asks for and lays it out as steps and answers keyed by canonical symbol names (``dl/dW1``, ``dz2/dz1``).
"""

from __future__ import annotations

import re

from chainrule.assignments.solution import Answer, QuestionSolution, Step
from chainrule.assignments.spec import ActivationRef, Assignment, SymbolicBackpropQuestion
from chainrule.engine.exact import to_rational
from chainrule.engine.matcalc.network import TwoLayerSolution, two_layer_network
from chainrule.engine.matcalc.printing import to_latex, to_text
from chainrule.errors import InputError

_LOSSES = {"mse_sum": "mse", "bce_mean": "bce"}
_FORWARD_KEYS = ("z1", "z2", "z3", "yhat", "loss")
_JACOBIAN_KEYS = {"dz2_dz1": "dz2/dz1", "dyhat_dz3": "dyhat/dz3", "dl_dyhat": "dl/dyhat"}


def activation_text(ref: ActivationRef, where: str) -> str:
    """The engine's activation spelling (``"5relu"``); only positive integer scales occur in these networks."""
    scale = to_rational(ref.scale, f"{where}.scale")
    if not scale.is_Integer or scale < 1:
        raise InputError(f"the two-layer network supports positive integer scales, got {ref.scale}", f"{where}.scale")
    return ("" if scale == 1 else str(scale)) + ref.name


_NUMBER_BEFORE_INDICATOR = re.compile(r"(\d) \\mathbb\{1\}")


def readable(tex: str) -> str:
    """``5 \\mathbb{1}[…]`` reads as "51[…]" in most math fonts: put a dot between the number and the indicator."""
    return _NUMBER_BEFORE_INDICATOR.sub(r"\1\\cdot\\mathbb{1}", tex)


def network(question: SymbolicBackpropQuestion) -> TwoLayerSolution:
    where = f"questions[{question.id}]"
    return two_layer_network(
        activation_text(question.f, f"{where}.f"), activation_text(question.g, f"{where}.g"), _LOSSES[question.loss]
    )


def solve(question: SymbolicBackpropQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    net = network(question)
    solution = QuestionSolution.of(question)
    solution.steps.append(
        Step(
            text=f"Network: $z_1 = W^{{(1)}}x + b^{{(1)}}$, $z_2 = f(z_1)$ with $f = \\text{{{net.f.title}}}$, "
            f"$z_3 = W^{{(2)}}z_2 + b^{{(2)}}$, $\\hat y = g(z_3)$ with $g = \\text{{{net.g.title}}}$; "
            "sizes $x\\in\\mathbb R^n$, $z_1, z_2\\in\\mathbb R^m$, $z_3, \\hat y, y\\in\\mathbb R^K$. "
            "Numerator layout: the derivative of a scalar by a column is a row, so $\\partial\\ell/\\partial W$ of a "
            "$K\\times m$ matrix is $m\\times K$.",
        )
    )
    if "forward" in question.asks:
        solution.steps.append(Step(title="Forward pass", text="Each layer's input is the previous layer's output:"))
        for key, step in zip(_FORWARD_KEYS, net.forward, strict=True):
            solution.steps.append(
                Step(
                    tex=f"{step.label} = {step.latex}",
                    rule=f"output of {step.rule.split(':')[0]}" if key != "loss" else step.rule,
                    shape=str(step.shape),
                )
            )
            solution.answers[key] = Answer(
                label=step.label, tex=f"{step.label} = {step.latex}", value=step.text, shape=str(step.shape)
            )
    if "gradients" in question.asks:
        solution.steps.append(
            Step(
                title="Backward pass",
                text="Carry the row $\\delta = \\partial\\ell/\\partial z$ backwards, multiplying on the right by each "
                "layer's Jacobian; an affine layer $z = Wh + b$ gives $\\partial\\ell/\\partial b = \\delta$ and "
                "$\\partial\\ell/\\partial W = h\\,\\delta$.",
            )
        )
        shown: set[str] = set()
        for key in ("b1", "W1"):  # b1's chain passes every layer; W1's adds its own last step, h δ with h = x
            for step in net.gradients[key].steps:
                if step.label not in shown:
                    shown.add(step.label)
                    solution.steps.append(
                        Step(tex=f"{step.label} = {step.latex}", rule=step.rule, shape=str(step.shape))
                    )
        for key in ("W1", "b1", "W2", "b2"):
            answer = net.gradients[key]
            solution.answers[f"dl/d{key}"] = Answer(
                label=answer.label,
                tex=f"{answer.label} = {answer.latex}",
                value=answer.text,
                shape=str(answer.shape),
            )
        solution.notes.append(
            "Each gradient above was also derived by reverse mode from the fully expanded loss; both forms agree "
            "(checked numerically against PyTorch autograd in the tests)."
        )
    if "jacobians" in question.asks:
        solution.steps.append(
            Step(title="Local Jacobians", text="Elementwise functions have diagonal Jacobians; the loss gives a row.")
        )
        for key, name in _JACOBIAN_KEYS.items():
            answer = net.jacobians[key]
            solution.steps.append(
                Step(
                    tex=f"{answer.label} = {answer.latex}",
                    shape=str(answer.shape),
                    rule=answer.steps[-1].rule if answer.steps else None,
                )
            )
            if answer.entries:
                solution.steps.append(Step(tex=answer.entries, text="Entry by entry:"))
            expanded = to_latex(answer.expanded)
            if expanded != answer.latex:
                solution.steps.append(Step(text="In the inputs:", tex=f"{answer.label} = {expanded}"))
            solution.answers[name] = Answer(
                label=answer.label,
                tex=f"{answer.label} = {answer.latex}",
                value=to_text(answer.value),
                shape=str(answer.shape),
            )
    for step in solution.steps:
        if step.tex:
            step.tex = readable(step.tex)
    for answer in solution.answers.values():
        answer.tex = readable(answer.tex)
    if question.allowed_symbols:
        solution.notes.append("Answers may use only: " + ", ".join(question.allowed_symbols) + ".")
    return solution
