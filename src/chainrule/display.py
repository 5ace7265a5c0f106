"""Results that show themselves in a notebook, as the HTML and Markdown reports render them.

Result types live in early pipeline stages (grading, engine, assignments) and must not import the reports
stage; this mixin finds the renderers by name when a notebook asks (``chainrule.reports.notebook``), the way
a plugin is found, so the stages keep importing only earlier ones.
"""

from __future__ import annotations

import importlib


class Displayable:
    """``_repr_html_``/``_repr_markdown_`` for Jupyter; a short ``repr`` instead of a dump of every field."""

    def _repr_html_(self) -> str:
        return importlib.import_module("chainrule.reports.notebook").render(self, "html")

    def _repr_markdown_(self) -> str:
        return importlib.import_module("chainrule.reports.notebook").render(self, "md")
