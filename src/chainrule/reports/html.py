"""Small helpers every HTML report shares; pages themselves are templates (see :mod:`.page`).

Kept for callers of the earlier string-building API: :func:`latex_to_mathml`, :func:`text_to_html` and
:func:`html_page` now go through the safe MathML layer and the template engine.
"""

from __future__ import annotations

import base64
from pathlib import Path

from markupsafe import Markup, escape

from chainrule.reports.mathml import MAX_TEX_CHARS, latex_to_mathml
from chainrule.reports.page import prose

__all__ = ["MAX_TEX_CHARS", "escape", "image_data_uri", "latex_to_mathml", "text_to_html"]


def text_to_html(text: str) -> Markup:
    """Markdown with ``$…$``/``$$…$$`` math, as safe HTML."""
    return prose(text)


def image_data_uri(path: str | Path) -> str:
    """A PNG/SVG/JPEG file as a ``data:`` URI, for pages that must travel as one file."""
    data = Path(path).read_bytes()
    suffix = Path(path).suffix.lower()
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        suffix, "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
