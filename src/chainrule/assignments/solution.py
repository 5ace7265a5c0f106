"""The worked solution of an assignment: one result model that every renderer (Markdown, HTML, JSON) draws.

A :class:`QuestionSolution` keeps each final answer beside the steps that justify it (micrograd keeps a
value beside its gradient; we keep an answer beside its derivation). Answers carry LaTeX for people and a
plain ``value`` for machines; steps say which rule produced them and, where it matters, the shape.
Plots are requests (:class:`PlotRequest`): the solver says what to draw, ``chainrule.reports.plots`` draws
it, so solving never needs matplotlib.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chainrule.display import Displayable


class SolutionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Answer(SolutionModel):
    """A final answer: ``tex`` is boxed in documents; ``value`` is the exact plain form (``"1.33"``, ``"x*(1-x)"``)."""

    label: str = Field(description="What it is, in words or LaTeX: 'f(x; θ)', '∂L/∂W^{(1)}'.")
    tex: str
    value: str | None = None
    shape: str | None = Field(default=None, description="e.g. '(2×3)' or '(m×K)'.")
    boxed: bool = Field(
        default=True, description="Whether documents show it boxed as a final answer (False: shown in the steps)."
    )


class Step(SolutionModel):
    """One step of a derivation: an optional sentence, a display formula, the rule used, the shape."""

    title: str | None = None
    text: str | None = Field(default=None, description="Markdown with $inline$ LaTeX.")
    tex: str | None = Field(default=None, description="Display LaTeX (no surrounding $$).")
    rule: str | None = None
    shape: str | None = None


class PlotRequest(SolutionModel):
    """What to draw; ``kind`` selects the drawing function in ``chainrule.reports.plots``."""

    kind: Literal["activation_derivatives", "gd_iterates", "training_fit", "function_curve"]
    filename: str = Field(description="File name (PNG) the document links, relative to the output folder.")
    caption: str
    data: dict[str, Any] = Field(default_factory=dict)


class QuestionSolution(SolutionModel):
    id: str
    title: str | None = None
    type: str
    marks: float | None = None
    prompt: str
    answers: dict[str, Answer] = Field(default_factory=dict)
    steps: list[Step] = Field(default_factory=list)
    plots: list[PlotRequest] = Field(default_factory=list)
    rubric: list[str] = Field(default_factory=list)
    model_answer: str | None = None
    graded_by: Literal["chainrule", "person", "both"] = "chainrule"
    notes: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, question: Any, **fields: Any) -> QuestionSolution:
        """An empty solution that carries the question's id, title, type, marks and prompt (and ``fields``)."""
        header = {key: getattr(question, key) for key in ("id", "title", "type", "marks", "prompt")}
        return cls(**header, **fields)


class Solution(SolutionModel, Displayable):
    assignment: str
    title: str
    source: str
    conventions: list[str] = Field(default_factory=list, description="The conventions, in words.")
    questions: list[QuestionSolution]

    def __repr__(self) -> str:
        return f"<Solution {self.assignment}: {len(self.questions)} questions>"

    def question(self, question_id: str) -> QuestionSolution:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
