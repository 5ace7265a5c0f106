"""HTML pages and notebook fragments from Jinja2 templates: escaped by construction, locked by a CSP.

Every HTML chainrule writes goes through :func:`render_page` (a whole page) or :func:`render_fragment` (the
same body for a notebook cell). The environment autoescapes everything; the only markup that is not escaped
is :class:`markupsafe.Markup` from :mod:`.mathml` (rebuilt from an allow-list) and from :func:`prose`
(markdown-it with raw HTML off and its link checks on). Pages carry a Content-Security-Policy that allows no
script at all, so even a mistake here could not run a student's script.

The math font (STIX Two Math, OFL) travels with the page: embedded as a data URI by default, or, for a folder
of reports, written once beside them (:func:`write_assets`) and linked.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from chainrule.reports.mathml import latex_to_mathml

FONT_FILE = "STIXTwoMath-Regular.woff2"
FONT_LICENCE = "OFL.txt"
ASSET_FOLDER = "chainrule-assets"
FontMode = Literal["embed", "link", "none"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:"
)
# Control characters have no place in HTML text (and some terminals act on them if a page is cat'ed).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("chainrule.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["math"] = math_html
    env.filters["prose"] = prose
    env.filters["inline"] = inline_prose
    env.filters["clean"] = clean_text
    return env


def math_html(tex: object, display: bool = False) -> Markup:
    """A formula for a page: MathML in a box that scrolls sideways when it is wider than its column."""
    mathml = latex_to_mathml(clean_text(tex), display=display)
    if not mathml:
        return mathml
    if display:
        return Markup('<span class="display">{}</span>').format(mathml)
    return Markup('<span class="math-scroll">{}</span>').format(mathml)


def clean_text(text: object) -> str:
    """Text with control characters removed (they are invalid in HTML)."""
    return _CONTROL.sub("", str(text))


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    for rule, display in (("math_inline", False), ("math_inline_double", True), ("math_block", True),
                          ("math_block_label", True)):
        md.add_render_rule(rule, lambda self, tokens, idx, options, env, display=display: str(
            math_html(tokens[idx].content, display=display)))
    return md


def prose(text: object) -> Markup:
    """Markdown with ``$…$``/``$$…$$`` math, as block HTML. Raw HTML in it is shown as text, never as markup;
    links to ``javascript:``/``data:`` and the like are not made links."""
    from chainrule.reports.words import sentence_markdown

    return Markup(_markdown().render(sentence_markdown(clean_text(text))))


def inline_prose(text: object, *, as_written: bool = False) -> Markup:
    """Like :func:`prose` without the paragraph around it (a step's text, a reason). ``as_written`` keeps the
    words exactly (a submission's own lines are shown as the student wrote them)."""
    from chainrule.reports.words import sentence_markdown

    text = clean_text(text)
    return Markup(_markdown().renderInline(text if as_written else sentence_markdown(text)))


def font_face(mode: FontMode, asset_prefix: str = "", font_href: str | None = None) -> Markup:
    """The ``@font-face`` rule for the bundled math font: embedded, linked (from the asset folder, or from
    ``font_href``), or absent."""
    if mode == "none":
        return Markup("")
    if mode == "embed":
        source = f"data:font/woff2;base64,{_font_base64()}"
    else:
        source = font_href or f"{asset_prefix}{ASSET_FOLDER}/{FONT_FILE}"
    return Markup('@font-face {{ font-family: "ChainruleMath"; src: url("{}") format("woff2"); '
                  "font-display: block; }}").format(source)


@lru_cache(maxsize=1)
def _font_base64() -> str:
    return base64.b64encode(_font_bytes()).decode("ascii")


def _font_bytes() -> bytes:
    return (resources.files("chainrule.reports") / "fonts" / FONT_FILE).read_bytes()


def write_assets(folder: Path) -> Path:
    """Put the math font and its licence in ``folder/chainrule-assets`` (for pages written with ``font="link"``)."""
    target = folder / ASSET_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    fonts = resources.files("chainrule.reports") / "fonts"
    for name in (FONT_FILE, FONT_LICENCE):
        path = target / name
        data = (fonts / name).read_bytes()
        if not path.is_file() or path.is_symlink() or path.read_bytes() != data:
            path.unlink(missing_ok=True)
            path.write_bytes(data)
    return target


def write_font(folder: Any) -> str:
    """Write the font and its licence through ``folder.write(name, bytes)`` (an output folder that never
    overwrites an input); return the font's file name there, for ``font_href``."""
    fonts = resources.files("chainrule.reports") / "fonts"
    written = folder.write("chainrule-math.woff2", (fonts / FONT_FILE).read_bytes())
    folder.write("chainrule-math-OFL.txt", (fonts / FONT_LICENCE).read_bytes())
    return Path(written).name


def stylesheet() -> str:
    return (resources.files("chainrule.reports") / "templates" / "report.css").read_text(encoding="utf-8")


def render_page(template: str, *, title: str, font: FontMode = "embed", asset_prefix: str = "",
                font_href: str | None = None, **context: Any) -> str:
    """A whole HTML5 page from ``template`` (which extends ``page.html.j2``)."""
    return environment().get_template(template).render(
        title=title, fragment=False, csp=CONTENT_SECURITY_POLICY, css=Markup(stylesheet()),
        font_face=font_face(font, asset_prefix, font_href), **context)


def render_fragment(template: str, **context: Any) -> str:
    """The same body as :func:`render_page`, without the page around it: for a notebook's ``_repr_html_``.

    Styles are scoped under ``.chainrule`` so they do not leak into the notebook; the math font is not
    embedded (a notebook shows many results), the system's math font is used.
    """
    return environment().get_template(template).render(
        title="", fragment=True, csp="", css=Markup(scoped_stylesheet()), font_face=Markup(""), **context)


@lru_cache(maxsize=1)
def scoped_stylesheet() -> str:
    """The report stylesheet with every rule under ``.chainrule`` (``:root``/``body`` rules become the wrapper)."""
    scoped: list[str] = []
    for rule in re.findall(r"[^{}]+\{[^{}]*\}", stylesheet()):
        selectors, body = rule.split("{", 1)
        if selectors.strip().startswith("@"):
            continue
        names = []
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector in (":root", "body", "html"):
                names.append(".chainrule")
            else:
                names.append(f".chainrule {selector}")
        scoped.append(f"{', '.join(names)} {{{body}")
    return "\n".join(scoped)


def escape_text(text: object) -> Markup:
    """Escaped text as Markup (for the rare Python-side composition; templates escape by themselves)."""
    return escape(clean_text(text))


def markdown_page(title: str, markdown: str, *, font: FontMode = "embed") -> str:
    """A Markdown document (headings, prose, ``$…$`` math) as one safe page: raw HTML in it stays text."""
    return render_page("markdown.html.j2", title=title, font=font, markdown=markdown)


def markdown_fragment(markdown: str) -> str:
    """The same for a notebook cell."""
    return render_fragment("markdown.html.j2", markdown=markdown)
