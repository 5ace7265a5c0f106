"""A worked solution as one self-contained HTML page (MathML, inline CSS, no JavaScript)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from chainrule.assignments.solution import PlotRequest, QuestionSolution, Solution, Step
from chainrule.reports.html import escape, html_page, image_data_uri, latex_to_mathml, text_to_html
from chainrule.reports.solution_base import GRADED_BY, SolutionRenderer, heading, shown_answers

SOLUTION_CSS = """
.answers .answer { text-align: center; }
.boxed { display: inline-block; border: 1.5px solid var(--ink); border-radius: .25rem; padding: .15rem .7rem; }
.boxed math[display="block"] { display: inline-block; margin: 0; }
.answer .shape { margin-left: .6rem; }
"""


class HtmlSolutionRenderer(SolutionRenderer):
    """``image_dir``: where the PNGs are; with ``embed_images`` they become data URIs (one portable file)."""

    default_settings: ClassVar[dict[str, object]] = {"image_dir": None, "embed_images": False, "image_prefix": ""}

    def _render_Solution(self, solution: Solution) -> str:
        toc = " ".join(f'<a href="#q-{escape(q.id)}">{escape(q.id)}</a>' for q in solution.questions)
        parts = [
            f"<header><h1>{escape(solution.title)}</h1>",
            f'<p class="meta">{escape(solution.source)} · assignment <code>{escape(solution.assignment)}</code></p>',
        ]
        if solution.conventions:
            parts.append(f'<p class="meta">Conventions: {escape("; ".join(solution.conventions))}.</p>')
        parts.append(f'<nav class="toc">Questions: {toc}</nav></header>')
        parts += [self.render(question) for question in solution.questions]
        return html_page(f"{solution.title} — worked solution", "\n".join(parts), SOLUTION_CSS)

    def _render_QuestionSolution(self, question: QuestionSolution) -> str:
        parts = [
            f'<section id="q-{escape(question.id)}">',
            f'<h2>{escape(heading(question))}<span class="badge">{escape(GRADED_BY[question.graded_by])}</span></h2>',
            f'<div class="prompt">{text_to_html(question.prompt)}</div>',
        ]
        if question.steps:
            parts.append("<h3>Solution</h3>")
            parts += [self.render(step) for step in question.steps]
        answers = shown_answers(question)
        if answers:
            parts.append(f'<h3>{"Answer" if len(answers) == 1 else "Answers"}</h3><div class="answers">')
            for _, answer in answers:
                shape = (
                    f' <span class="shape">shape {escape(answer.shape)}</span>'
                    if answer.shape and answer.shape != "(1×1)"
                    else ""
                )
                math = latex_to_mathml(answer.tex, display=True)
                parts.append(f'<div class="answer"><span class="boxed">{math}</span>{shape}</div>')
            parts.append("</div>")
        parts += [self.render(plot) for plot in question.plots]
        if question.rubric:
            items = "".join(f"<li>{text_to_html(item)}</li>" for item in question.rubric)
            parts.append(f'<h3>Rubric</h3><ul class="rubric">{items}</ul>')
        parts += [f'<p class="note"><em>Note.</em> {text_to_html(note)}</p>' for note in question.notes]
        parts.append("</section>")
        return "\n".join(parts)

    def _render_Step(self, step: Step) -> str:
        parts = ['<div class="step">']
        if step.title:
            parts.append(f"<p><strong>{escape(step.title)}.</strong> {text_to_html(step.text or '')}</p>")
        elif step.text:
            parts.append(f"<p>{text_to_html(step.text)}</p>")
        if step.tex:
            parts.append(f'<div class="display">{latex_to_mathml(step.tex, display=True)}</div>')
        meta = [f'<span class="rule">{text_to_html(step.rule)}</span>'] if step.rule else []
        if step.shape:
            meta.append(f'<span class="shape">shape {escape(step.shape)}</span>')
        if meta:
            parts.append("<div>" + " · ".join(meta) + "</div>")
        parts.append("</div>")
        return "\n".join(parts)

    def _render_PlotRequest(self, plot: PlotRequest) -> str:
        source = f"{self.settings['image_prefix']}{plot.filename}"
        if self.settings["embed_images"] and self.settings["image_dir"] is not None:
            path = Path(str(self.settings["image_dir"])) / plot.filename
            if path.is_file():
                source = image_data_uri(path)
        return (
            f'<figure><img src="{escape(source)}" alt="{escape(plot.caption)}">'
            f"<figcaption>{text_to_html(plot.caption)}</figcaption></figure>"
        )


def solution_html(solution: Solution, **settings: object) -> str:
    return HtmlSolutionRenderer(**settings).render(solution)
