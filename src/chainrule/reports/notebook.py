"""What a notebook shows for a result: the report's own HTML body (styles scoped) or its Markdown.

Used by :class:`chainrule.display.Displayable`; each result type renders exactly as its HTML report does.
"""

from __future__ import annotations

from typing import Any


def render(result: Any, fmt: str) -> str:
    """``fmt`` ``html`` (a fragment for a notebook cell) or ``md``."""
    kind = type(result).__name__
    if kind == "SubmissionResult":
        from chainrule.reports.grade_html import to_html_fragment
        from chainrule.reports.grade_md import to_markdown

        return to_html_fragment(result) if fmt == "html" else to_markdown(result)
    if kind == "CheckResult":
        from chainrule.reports.check_html import render_check_html_fragment
        from chainrule.reports.check_md import render_check_markdown

        return render_check_html_fragment(result) if fmt == "html" else render_check_markdown(result)
    if kind == "Solution":
        from chainrule.reports.solution_html import solution_html_fragment
        from chainrule.reports.solution_markdown import solution_markdown

        return solution_html_fragment(result) if fmt == "html" else solution_markdown(result)
    if kind == "Trace":
        from chainrule.reports.backprop_markdown import render_markdown
        from chainrule.reports.page import markdown_fragment

        markdown = render_markdown(result)
        return markdown_fragment(markdown) if fmt == "html" else markdown
    raise TypeError(f"no notebook view for {kind}")
