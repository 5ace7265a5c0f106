"""One entry point for every check format: ``render_check(result, "md")``, as :mod:`.grade` is for grades."""

from __future__ import annotations

from typing import Any

from chainrule.errors import InputError
from chainrule.grading.findings import CheckResult

FORMATS: dict[str, str] = {"text": "txt", "json": "json"}


def render_check(result: CheckResult, fmt: str, **options: Any) -> str:
    """The report of ``result`` in ``fmt`` (one of :data:`FORMATS`); ``show`` applies to text only."""
    show = options.pop("show", "wrong")
    if fmt == "text":
        from chainrule.reports.check_text import render_check_text

        return render_check_text(result, show=show, **options)
    if fmt == "json":
        from chainrule.reports.check_json import render_check_json

        return render_check_json(result, **options)
    raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", "--format")
