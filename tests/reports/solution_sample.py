"""A small hand-made Solution shared by the renderer tests (no solving needed)."""

from __future__ import annotations

from chainrule.assignments.solution import Answer, PlotRequest, QuestionSolution, Solution, Step


def sample_solution() -> Solution:
    return Solution(
        assignment="demo",
        title="Demo assignment",
        source="tests",
        conventions=["gradients have the shape of the variable"],
        questions=[
            QuestionSolution(
                id="1a",
                title="A derivative",
                type="activation_derivative",
                marks=1,
                prompt="Differentiate $x^2$.",
                answers={
                    "derivative": Answer(label="f'(x)", tex="f'(x) = 2x", value="2*x"),
                    "hidden": Answer(label="h", tex="h = 1", value="1", boxed=False),
                },
                steps=[Step(title="Power rule", text="Bring the exponent down.", tex="f'(x) = 2x^{1}",
                            rule="power rule", shape="(1×1)")],
                plots=[PlotRequest(kind="function_curve", filename="q1a.png", caption="The curve $x^2$.",
                                   data={"x": [0, 1], "y": [0, 1]})],
            ),
            QuestionSolution(id="2", type="conceptual", prompt="Why <b>?", rubric=["says why"],
                             model_answer="Because.", graded_by="person", notes=["Common mistake."]),
        ],
    )
