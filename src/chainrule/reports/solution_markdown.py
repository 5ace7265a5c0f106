"""A worked solution as Markdown with ``$…$``/``$$…$$`` LaTeX (GitHub, Jupyter and pandoc render it)."""

from __future__ import annotations

from typing import ClassVar

from chainrule.assignments.solution import PlotRequest, QuestionSolution, Solution, Step
from chainrule.reports.solution_base import GRADED_BY, SolutionRenderer, heading, shown_answers
from chainrule.reports.words import sentence_markdown


class MarkdownSolutionRenderer(SolutionRenderer):
    """``image_prefix`` is prepended to plot file names (the folder of the images relative to the document)."""

    default_settings: ClassVar[dict[str, object]] = {"image_prefix": "", "heading_level": 1}

    def _h(self, level: int, text: str) -> str:
        return "#" * (int(self.settings["heading_level"]) + level - 1) + " " + text

    def _render_Solution(self, solution: Solution) -> str:
        lines = [self._h(1, solution.title), "", f"*{solution.source}* — assignment `{solution.assignment}`", ""]
        if solution.conventions:
            lines += ["Conventions: " + "; ".join(solution.conventions) + ".", ""]
        for question in solution.questions:
            lines += [self.render(question), ""]
        return "\n".join(lines).rstrip() + "\n"

    def _render_QuestionSolution(self, question: QuestionSolution) -> str:
        lines = [self._h(2, heading(question)), ""]
        lines += ["> " + line for line in question.prompt.splitlines()] + [""]
        lines += [f"*{GRADED_BY[question.graded_by]}*", ""]
        if question.steps:
            lines += [self._h(3, "Solution"), ""]
            lines += [self.render(step) for step in question.steps]
        answers = shown_answers(question)
        if answers:
            lines += [self._h(3, "Answer" if len(answers) == 1 else "Answers"), ""]
            for _, answer in answers:
                shape = f" — shape {answer.shape}" if answer.shape and answer.shape != "(1×1)" else ""
                lines += [f"$$\\boxed{{{answer.tex}}}$$" + shape, ""]
        for plot in question.plots:
            lines += [self.render(plot), ""]
        if question.rubric:
            lines += [self._h(3, "Rubric"), ""] + [f"- {item}" for item in question.rubric] + [""]
        for note in question.notes:
            lines += [f"*Note.* {sentence_markdown(note)}", ""]
        return "\n".join(lines).rstrip()

    def _render_Step(self, step: Step) -> str:
        parts = []
        if step.title:
            parts.append(f"**{step.title}.**")
        if step.text:
            parts.append(sentence_markdown(step.text))
        lines = [" ".join(parts)] if parts else []
        if step.tex:
            lines.append(f"$$ {step.tex} $$")
        rule = sentence_markdown(step.rule) if step.rule else None
        meta = "; ".join(x for x in (rule, f"shape {step.shape}" if step.shape else None) if x)
        if meta:
            lines.append(f"<sub>{meta}</sub>")
        return "\n\n".join(lines) + "\n"

    def _render_PlotRequest(self, plot: PlotRequest) -> str:
        return f"![{plot.caption}]({self.settings['image_prefix']}{plot.filename})\n\n*{plot.caption}*"


def solution_markdown(solution: Solution, **settings: object) -> str:
    return MarkdownSolutionRenderer(**settings).render(solution)
