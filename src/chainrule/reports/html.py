"""A self-contained HTML page base shared by every HTML report: LaTeX as MathML, inline CSS, no JavaScript.

Reports are opened from disk, mailed and archived, so a page must render with nothing but the browser:
math is converted to MathML at build time (``latex2mathml``), styles are inline, images are relative links
or data URIs. Text from submissions and specs is untrusted: everything is escaped, and a formula that
``latex2mathml`` cannot convert falls back to its escaped source in ``<code>``, never to raw markup.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

__all__ = [
    "BASE_CSS",
    "MAX_TEX_CHARS",
    "escape",
    "html_page",
    "image_data_uri",
    "latex_to_mathml",
    "text_to_html",
]

MAX_TEX_CHARS = 8000

BASE_CSS = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6576; --line: #d9dee7; --accent: #2d5fa8;
  --right: #1f7a3a; --wrong: #b3261e; --undecided: #8a6100; --panel: #f6f8fb; }
* { box-sizing: border-box; }
body { font: 16px/1.55 "Source Serif Pro", Georgia, "Times New Roman", serif; color: var(--ink);
  max-width: 58rem; margin: 2rem auto; padding: 0 1.25rem; background: #fff; }
h1, h2, h3, h4 { font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-top: .8rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
p { margin: .5rem 0; }
.meta { color: var(--muted); font-size: .95rem; }
.badge { display: inline-block; font: 600 .75rem/1.6 "Source Sans Pro", Arial, sans-serif; padding: 0 .5rem;
  border-radius: .6rem; background: var(--panel); border: 1px solid var(--line); color: var(--muted);
  vertical-align: middle; margin-left: .4rem; }
.prompt { background: var(--panel); border-left: 4px solid var(--accent); padding: .6rem .9rem; margin: .8rem 0; }
.step { margin: .45rem 0; }
.step .rule { color: var(--muted); font-size: .85rem; font-style: italic; }
.step .shape { color: var(--muted); font-size: .85rem; font-family: "Source Code Pro", Menlo, monospace; }
.display { overflow-x: auto; overflow-y: hidden; margin: .3rem 0 .3rem 1rem; padding: .15rem 0; }
.answers { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .9rem; margin: .8rem 0; }
.answers .answer { margin: .45rem 0; overflow-x: auto; overflow-y: hidden; padding: .1rem 0; }
.note { color: var(--muted); font-size: .93rem; }
ul.rubric { margin: .3rem 0 .3rem 1.2rem; padding: 0; }
figure { margin: 1rem 0; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9rem; }
code, code.tex { font-family: "Source Code Pro", Menlo, Consolas, monospace; font-size: .88em;
  background: var(--panel); padding: 0 .2em; border-radius: .2em; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
.right { color: var(--right); } .wrong { color: var(--wrong); } .undecided { color: var(--undecided); }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "Libertinus Math", math; font-size: 1.08em; }
math[display="block"] { margin: .2rem 0; }
nav.toc { font-family: "Source Sans Pro", Arial, sans-serif; font-size: .92rem; margin: 1rem 0; }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: .8rem; white-space: nowrap; }
"""

# Commands latex2mathml passes through verbatim, rewritten to ones it renders.
_REWRITES = ((re.compile(r"\\arg(?![A-Za-z])"), r"\\mathrm{arg}\\,"),)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def latex_to_mathml(tex: str, display: bool = False) -> str:
    """MathML for ``tex``; on any conversion failure (or oversized input) the escaped source in ``<code>``."""
    source = tex.strip()
    for pattern, replacement in _REWRITES:
        source = pattern.sub(replacement, source)
    if not source:
        return ""
    if len(source) <= MAX_TEX_CHARS:
        try:
            from latex2mathml.converter import convert

            return convert(source, display="block" if display else "inline")
        except Exception:  # latex2mathml raises many unrelated types on bad input; the fallback is the contract
            pass
    fallback = f'<code class="tex">{escape(source)}</code>'
    return f'<div class="display">{fallback}</div>' if display else fallback


def text_to_html(text: str) -> str:
    """Markdown-ish prose to HTML: ``$…$`` and ``$$…$$`` math, `code`, **bold**; everything else escaped."""
    parts: list[str] = []
    position = 0
    for match in _MATH.finditer(text):
        parts.append(_prose(text[position : match.start()]))
        if match.group(1) is not None:
            parts.append(f'<div class="display">{latex_to_mathml(match.group(1), display=True)}</div>')
        else:
            parts.append(latex_to_mathml(match.group(2)))
        position = match.end()
    parts.append(_prose(text[position:]))
    return "".join(parts)


def _prose(text: str) -> str:
    escaped = escape(text)
    escaped = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
    return _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", escaped)


def image_data_uri(path: str | Path) -> str:
    """A PNG/SVG/JPEG file as a ``data:`` URI, for pages that must travel as one file."""
    data = Path(path).read_bytes()
    suffix = Path(path).suffix.lower()
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        suffix, "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def html_page(title: str, body_html: str, extra_css: str = "") -> str:
    """A complete HTML5 document: escaped title, the base CSS (plus ``extra_css``) inline, no scripts."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="chainrule">\n'
        f"<title>{escape(title)}</title>\n<style>{BASE_CSS}{extra_css}</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )
