"""One entry point for every grade format: ``render_grade(result, "md")``."""

from __future__ import annotations

from typing import Any

from chainrule.errors import InputError
from chainrule.grading.findings import SubmissionResult

FORMATS: dict[str, str] = {"text": "txt", "md": "md", "html": "html", "json": "json", "gradescope": "json"}


def render_grade(result: SubmissionResult, fmt: str, **options: Any) -> str:
    """The report of ``result`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        from chainrule.reports.grade_text import to_text

        return to_text(result, **options)
    if fmt == "md":
        from chainrule.reports.grade_md import to_markdown

        return to_markdown(result, **options)
    if fmt == "html":
        from chainrule.reports.grade_html import to_html

        return to_html(result, **options)
    if fmt == "json":
        from chainrule.reports.grade_json import to_json

        return to_json(result, **options)
    if fmt == "gradescope":
        from chainrule.reports.grade_gradescope import to_gradescope

        return to_gradescope(result, **options)
    raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", "--format")
