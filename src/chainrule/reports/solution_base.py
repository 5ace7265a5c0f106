"""The shared shape of the worked-solution renderers: dispatch on the result model's class, declared settings.

Like SymPy's printers, a renderer draws each object through :meth:`SolutionRenderer.render`, which calls
``_render_<ClassName>``; children are drawn through the same dispatcher so settings reach every level.
Each renderer declares its settings with defaults and rejects unknown ones.
"""

from __future__ import annotations

from typing import Any, ClassVar

from chainrule.assignments.solution import Answer, QuestionSolution

GRADED_BY = {
    "chainrule": "checked automatically",
    "person": "graded by a person",
    "both": "checked automatically, discussion graded by a person",
}


class SolutionRenderer:
    default_settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, **settings: Any) -> None:
        unknown = set(settings) - set(self.default_settings)
        if unknown:
            raise TypeError(f"unknown settings for {type(self).__name__}: {', '.join(sorted(unknown))}")
        self.settings = {**self.default_settings, **settings}

    def render(self, item: Any) -> str:
        method = getattr(self, f"_render_{type(item).__name__}", None)
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot render {type(item).__name__}")
        return method(item)


def shown_answers(question: QuestionSolution) -> list[tuple[str, Answer]]:
    """The answers documents box, in order."""
    return [(key, answer) for key, answer in question.answers.items() if answer.boxed]


def heading(question: QuestionSolution) -> str:
    marks = ""
    if question.marks is not None:
        marks = f" ({question.marks:g} mark{'s' if question.marks != 1 else ''})"
    title = f" — {question.title}" if question.title else ""
    return f"Question {question.id}{title}{marks}"
