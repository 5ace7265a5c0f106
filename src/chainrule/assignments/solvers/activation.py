"""Activation derivatives, their limits at ±∞, softmax's Jacobian, and derivative plots.

The derivative is the registry's (``chainrule.engine.activations``) and the limits come from
``chainrule.engine.limits`` under the parameters' assumptions (``0 < a < 1``); the per-activation
``_RULES`` only explain *how* one differentiates by hand, they state no answer.
"""

from __future__ import annotations

import sympy

from chainrule.assignments.solution import Answer, PlotRequest, QuestionSolution, Step
from chainrule.assignments.solvers.common import build_activation, parameter_symbols, spec_value
from chainrule.assignments.spec import ActivationDerivativeQuestion, ActivationRef, Assignment
from chainrule.engine.activation_facts import expression_latex
from chainrule.engine.activations import Activation, ElementwiseActivation, X
from chainrule.engine.exact import to_rational
from chainrule.engine.limits import limit_at_infinity

# How the derivative is found by hand: (rule in words, intermediate LaTeX). Explanations only.
_RULES: dict[str, tuple[str, str]] = {
    "sigmoid": (
        "chain rule on $(1+e^{-x})^{-1}$",
        r"\frac{d}{dx}\left(1+e^{-x}\right)^{-1} = -\left(1+e^{-x}\right)^{-2}\cdot\left(-e^{-x}\right)",
    ),
    "tanh": (
        "quotient rule on $(e^{2x}-1)/(e^{2x}+1)$",
        r"\frac{2e^{2x}(e^{2x}+1) - (e^{2x}-1)\,2e^{2x}}{(e^{2x}+1)^2} = \frac{4e^{2x}}{(e^{2x}+1)^2}",
    ),
    "leaky_relu": (
        "differentiate each linear piece; $\\max\\{ax, x\\}$ is $x$ for $x>0$ and $ax$ for $x<0$ (as $0<a<1$)",
        r"\frac{d}{dx}x = 1 \ (x>0), \qquad \frac{d}{dx}ax = a \ (x<0)",
    ),
    "relu": ("differentiate each linear piece", r"\frac{d}{dx}x = 1 \ (x>0), \qquad \frac{d}{dx}0 = 0 \ (x<0)"),
    "scaled_relu": ("differentiate each linear piece", r"\frac{d}{dx}cx = c \ (x>0), \qquad \frac{d}{dx}0 = 0 \ (x<0)"),
    "softplus": (
        "chain rule on $\\frac1\\beta\\ln(1+e^{\\beta x})$",
        r"\frac{1}{\beta}\cdot\frac{\beta e^{\beta x}}{1+e^{\beta x}} = \frac{1}{1+e^{-\beta x}} = \sigma(\beta x)",
    ),
    "gelu": (
        "product rule on $x\\,\\Phi(x)$ ($\\Phi$ the standard normal CDF, $\\varphi$ its density)",
        r"\frac{d}{dx}\,x\Phi(x) = \Phi(x) + x\varphi(x)",
    ),
    "elu": (
        "differentiate each piece",
        r"\frac{d}{dx}x = 1 \ (x>0), \qquad \frac{d}{dx}\alpha(e^x-1) = \alpha e^x \ (x<0)",
    ),
    "identity": ("the derivative of $x$", r"\frac{d}{dx}x = 1"),
    "silu": (
        "product rule on $x\\,\\sigma(x)$ with $\\sigma' = \\sigma(1-\\sigma)$",
        r"\frac{d}{dx}\,x\sigma(x) = \sigma(x) + x\sigma(x)\left(1-\sigma(x)\right)",
    ),
    "swish": (
        "product and chain rule on $x\\,\\sigma(\\beta x)$",
        r"\frac{d}{dx}\,x\sigma(\beta x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\left(1-\sigma(\beta x)\right)",
    ),
    "mish": (
        "product rule on $x\\tanh(s(x))$ with $s(x) = \\ln(1+e^x)$, $s' = \\sigma$",
        r"\frac{d}{dx}\,x\tanh(s(x)) = \tanh(s(x)) + x\,\operatorname{sech}^2(s(x))\,\sigma(x)",
    ),
    "selu": (
        "differentiate each piece of $\\lambda x$ and $\\lambda\\alpha(e^x-1)$",
        r"\frac{d}{dx}\lambda x = \lambda \ (x>0), \qquad \frac{d}{dx}\lambda\alpha(e^x-1) = \lambda\alpha e^x \ (x<0)",
    ),
    "hardtanh": (
        "differentiate each piece: constant $-1$, $x$, constant $1$",
        r"\frac{d}{dx}x = 1 \ (|x|<1), \qquad \frac{d}{dx}(\pm 1) = 0 \ (|x|>1)",
    ),
    "relu6": (
        "differentiate each piece: $0$, $x$, constant $6$",
        r"\frac{d}{dx}x = 1 \ (0<x<6), \qquad \frac{d}{dx}0 = \frac{d}{dx}6 = 0 \ (x<0 \text{ or } x>6)",
    ),
    "softsign": (
        "quotient rule on $x/(1+|x|)$ with $\\frac{d}{dx}|x| = \\operatorname{sign} x$ for $x \\ne 0$",
        r"\frac{(1+|x|) - x\operatorname{sign}(x)}{(1+|x|)^2} = \frac{1}{(1+|x|)^2}",
    ),
    "gelu_tanh": (
        "product and chain rule on $\\tfrac12 x(1+\\tanh u)$ with $u = \\sqrt{2/\\pi}(x + 0.044715x^3)$",
        r"\frac{1}{2}(1+\tanh u) + \frac{1}{2}x\operatorname{sech}^2(u)\sqrt{2/\pi}\left(1 + 0.134145x^2\right)",
    ),
}


def solve(question: ActivationDerivativeQuestion, assignment: Assignment, options: object) -> QuestionSolution:
    symbols = parameter_symbols(question.parameters)
    solution = QuestionSolution.of(question)
    several = len(question.activations) > 1
    curves: list[dict[str, object]] = []
    for index, ref in enumerate(question.activations):
        where = f"questions[{question.id}].activations[{index}]"
        activation = build_activation(ref, symbols, where)
        scale = spec_value(ref.scale, symbols, f"{where}.scale")
        prefix = f"{activation.name}:" if several else ""
        if isinstance(activation, ElementwiseActivation):
            _elementwise(solution, activation, ref, scale, prefix, question)
            shown_params = _illustrative(activation, question)
            if shown_params is not None:
                curves.append(
                    {
                        "name": activation.name,
                        "params": shown_params,
                        "scale": str(scale),
                        "label": _label(activation, ref, shown_params),
                    }
                )
        else:
            _softmax(solution, activation, prefix)
    if "plot" in question.asks or "derivative" in question.asks:
        for curve in curves:
            solution.plots.append(
                PlotRequest(
                    kind="activation_derivatives",
                    filename=f"q{_slug(question.id)}-{curve['name']}.png",
                    caption=f"{curve['label']}: the function (left) and its derivative (right).",
                    data=curve,
                )
            )
    return solution


def _label(activation: Activation, ref: ActivationRef, shown: dict[str, str]) -> str:
    symbolic = [k for k, v in activation.params.items() if not v.is_number]
    params = ", ".join(f"{k} = {shown[k]}" for k in activation.params)
    scale = "" if str(ref.scale) == "1" else f"{ref.scale}·"
    if symbolic:
        return f"{scale}{activation.title}, drawn with {params}"
    return f"{scale}{activation.title}" + (f" ({params})" if params else "")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


def _elementwise(
    solution: QuestionSolution,
    activation: ElementwiseActivation,
    ref: ActivationRef,
    scale: sympy.Expr,
    prefix: str,
    question: ActivationDerivativeQuestion,
) -> None:
    definition = scale * activation.definition
    derivative = scale * activation.derivative
    title = activation.title if prefix else None
    shown = ref.tex or expression_latex(definition)
    scale_tex = "" if scale == 1 else sympy.latex(scale)
    solution.steps.append(
        Step(
            title=title,
            text=f"The function: ${scale_tex}{shown}$."
            if ref.tex and scale != 1
            else f"The function: $f(x) = {shown}$.",
        )
    )
    rule, work = _RULES.get(activation.name, ("differentiate the definition", ""))
    if work:
        solution.steps.append(
            Step(
                text=f"By the {rule}:" if not rule.startswith("differentiate") else f"{rule[0].upper()}{rule[1:]}:",
                tex=(scale_tex + r"\cdot\left(" + work + r"\right)") if scale != 1 else work,
            )
        )
    derivative_tex = expression_latex(derivative)
    solution.steps.append(Step(text="So the derivative is", tex=rf"f'(x) = {derivative_tex}"))
    for description, form in activation.forms:
        form_tex = expression_latex(scale * form)
        if form_tex == derivative_tex:  # softplus: σ(βx) prints exactly as the derivative already shown
            continue
        solution.steps.append(Step(text=f"Equivalently ({description}):", tex=rf"f'(x) = {form_tex}"))
    if activation.kink_note:
        solution.steps.append(Step(text=activation.kink_note, rule="kink convention"))
    solution.answers[f"{prefix}derivative"] = Answer(
        label=f"{activation.title}'(x)", tex=rf"f'(x) = {derivative_tex}", value=str(derivative)
    )
    if "limits" in question.asks:
        for point, key, arrow in (("+oo", "limit_pos_inf", r"+\infty"), ("-oo", "limit_neg_inf", r"-\infty")):
            fact = limit_at_infinity(derivative, X, point, activation.symbol_domains)
            if fact.status == "exists":
                value_tex, value_text = sympy.latex(fact.value), str(fact.value)
            else:
                value_tex, value_text = r"\text{" + fact.status + "}", fact.status
            why = _limit_reason(activation.name, point)
            solution.steps.append(
                Step(text=why, tex=rf"\lim_{{x\to {arrow}}} f'(x) = {value_tex}", rule="limit at infinity")
            )
            solution.answers[f"{prefix}{key}"] = Answer(
                label=rf"\lim_{{x\to {arrow}}} f'(x)",
                tex=rf"\lim_{{x\to {arrow}}} f'(x) = {value_tex}",
                value=value_text,
            )


def _limit_reason(name: str, point: str) -> str | None:
    positive = point == "+oo"
    reasons = {
        "sigmoid": "As $x\\to+\\infty$, $e^{-x}\\to0$, so the numerator vanishes and the denominator tends to 1."
        if positive
        else "As $x\\to-\\infty$, $e^{-x}\\to\\infty$ and the denominator grows like its square.",
        "tanh": "The numerator $4e^{2x}$ grows like $e^{2x}$, the denominator like $e^{4x}$."
        if positive
        else "As $x\\to-\\infty$, $e^{2x}\\to0$ while the denominator tends to 1.",
        "leaky_relu": "For every $x>0$ the derivative is 1." if positive else "For every $x<0$ the derivative is $a$.",
        "relu": "For every $x>0$ the derivative is 1." if positive else "For every $x<0$ the derivative is 0.",
        "softplus": "$e^{-\\beta x}\\to0$ as $\\beta>0$." if positive else "$e^{-\\beta x}\\to\\infty$ as $\\beta>0$.",
    }
    return reasons.get(name)


def _softmax(solution: QuestionSolution, activation: Activation, prefix: str) -> None:
    # The Jacobian is computed on a symbolic 3-vector and read back entry by entry, so the stated pattern
    # s_i(δ_ij − s_j) is checked here against the engine's matrix rather than asserted.
    z = sympy.Matrix(sympy.symbols("x1:4", real=True))
    s = activation.value(z)
    jac = activation.jacobian(z)
    for i in range(3):
        for j in range(3):
            expected = s[i] * ((1 if i == j else 0) - s[j])
            if sympy.simplify(jac[i, j] - expected) != 0:  # pragma: no cover - would be an engine bug
                raise AssertionError(f"softmax Jacobian entry ({i},{j}) does not match s_i(δ_ij − s_j)")
    solution.steps.extend(
        [
            Step(
                text="Write $s_i = e^{x_i}/S$ with $S = \\sum_{k=1}^n e^{x_k}$, "
                "so $\\partial S/\\partial x_j = e^{x_j}$."
            ),
            Step(
                text="For $j = i$ (quotient rule):",
                rule="quotient rule",
                tex=r"\frac{\partial s_i}{\partial x_i} = \frac{e^{x_i}S - e^{x_i}e^{x_i}}{S^2}"
                r" = s_i - s_i^2 = s_i(1-s_i)",
            ),
            Step(
                text="For $j \\ne i$ the numerator does not depend on $x_j$:",
                rule="quotient rule",
                tex=r"\frac{\partial s_i}{\partial x_j} = \frac{0\cdot S - e^{x_i}e^{x_j}}{S^2} = -s_i s_j",
            ),
            Step(
                text="Together, with $s = (s_1,\\dots,s_n)^T$ (an $n\\times n$ symmetric matrix):",
                tex=r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j), \qquad "
                r"J = \operatorname{diag}(s) - s s^{T}",
                shape="(n×n)",
            ),
        ]
    )
    solution.answers[f"{prefix}jacobian"] = Answer(
        label=r"\partial s/\partial x",
        tex=r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j),\quad J = \operatorname{diag}(s) - s s^{T}",
        value="J = diag(s) - s s^T, J_ij = s_i (delta_ij - s_j)",
        shape="(n×n)",
    )


def _illustrative(activation: ElementwiseActivation, question: ActivationDerivativeQuestion) -> dict[str, str] | None:
    """Numbers to plot with: the activation's own, or for a symbolic parameter a value inside its assumed range."""
    values: dict[str, str] = {}
    bounds = {p.name: p for p in question.parameters}
    for key, value in activation.params.items():
        if value.is_number:
            values[key] = str(value)
            continue
        parameter = bounds.get(str(value))
        if parameter is None:
            return None
        lower = to_rational(parameter.lower) if parameter.lower is not None else None
        upper = to_rational(parameter.upper) if parameter.upper is not None else None
        if lower is not None and upper is not None:
            values[key] = str(lower + (upper - lower) / 10)
        elif lower is not None:
            values[key] = str(lower + 1)
        elif upper is not None:
            values[key] = str(upper - 1)
        else:
            values[key] = "1"
    return values
