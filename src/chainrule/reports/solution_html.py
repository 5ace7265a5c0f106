"""A worked solution as one self-contained HTML page (``templates/solution.html.j2``): MathML, no script.

Spec text (prompts, rubric items, notes) is untrusted like a submission: it is rendered as Markdown with
raw HTML shown as text, and the page's Content-Security-Policy allows no script.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from chainrule.assignments.solution import PlotRequest, Solution
from chainrule.reports.page import FontMode, render_fragment, render_page
from chainrule.reports.solution_base import GRADED_BY, heading, shown_answers


def _helpers(image_dir: str | None, embed_images: bool, image_prefix: str) -> dict[str, Any]:
    from chainrule.reports.html import image_data_uri

    def image_source(plot: PlotRequest) -> str:
        if embed_images and image_dir is not None:
            path = Path(image_dir) / plot.filename
            if path.is_file():
                return image_data_uri(path)
        return f"{image_prefix}{plot.filename}"

    return {
        "anchor": lambda text: re.sub(r"[^A-Za-z0-9_.-]", "-", str(text)),
        "heading": heading,
        "graded_by": GRADED_BY,
        "shown_answers": shown_answers,
        "image_source": image_source,
    }


def solution_html(solution: Solution, *, image_dir: str | None = None, embed_images: bool = False,
                  image_prefix: str = "", font: FontMode = "embed") -> str:
    """The whole page; ``embed_images`` puts the plots inside it as data URIs (one portable file)."""
    return render_page("solution.html.j2", title=f"{solution.title} — worked solution", font=font,
                       solution=solution, **_helpers(image_dir, embed_images, image_prefix))


def solution_html_fragment(solution: Solution, *, image_prefix: str = "") -> str:
    """The same document for a notebook cell (plots linked relative to the notebook)."""
    return render_fragment("solution.html.j2", solution=solution, **_helpers(None, False, image_prefix))
