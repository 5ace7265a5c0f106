"""One entry point for every check format: ``render_check(result, "md")``, as :mod:`.grade` is for grades."""

from __future__ import annotations

from typing import Any

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult

FORMATS: dict[str, str] = {"text": "txt", "md": "md", "html": "html", "json": "json"}


def render_check(result: CheckResult, fmt: str, **options: Any) -> str:
    """The report of ``result`` in ``fmt`` (one of :data:`FORMATS`); ``show`` picks the findings listed
    (not in JSON); ``text``, the document, lets HTML show each finding beside its line."""
    show = options.pop("show", "wrong")
    text = options.pop("text", "")
    if fmt == "text":
        from chainrule.reports.check_text import render_check_text

        return render_check_text(result, show=show, **options)
    if fmt == "json":
        from chainrule.reports.check_json import render_check_json

        return render_check_json(result, **options)
    if fmt == "md":
        from chainrule.reports.check_md import render_check_markdown

        return render_check_markdown(result, show=show, text=text)
    if fmt == "html":
        from chainrule.reports.check_html import render_check_html

        return render_check_html(result, show=show, text=text, **options)
    raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", "--format")
