"""The shared HTML base: MathML conversion with a safe fallback, escaping, self-contained pages."""

from __future__ import annotations

from pathlib import Path

from chainrule.reports.html import MAX_TEX_CHARS, html_page, image_data_uri, latex_to_mathml, text_to_html


def test_latex_becomes_mathml() -> None:
    inline = latex_to_mathml(r"\frac{\partial L}{\partial W^{(1)}}")
    assert inline.startswith("<math") and 'display="inline"' in inline and "<mfrac>" in inline
    assert 'display="block"' in latex_to_mathml(r"x^2", display=True)


def test_unconvertible_latex_falls_back_to_escaped_source() -> None:
    broken = latex_to_mathml(r"\frac{1}{<script>")
    assert "<script>" not in broken
    assert broken.startswith("<math") or broken == r'<code class="tex">\frac{1}{&lt;script&gt;</code>'
    huge = latex_to_mathml("x+" * MAX_TEX_CHARS)
    assert huge.startswith('<code class="tex">')
    unterminated = latex_to_mathml(r"\begin{bmatrix}1 & 2", display=True)  # must not raise
    assert unterminated.startswith(("<math", '<div class="display"><code class="tex">'))


def test_prose_is_escaped_and_math_converted() -> None:
    html = text_to_html("If $a<b$ then **bold** `code` <script>alert(1)</script> and $$x^2$$.")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert html.count("<math") == 2 and 'display="block"' in html


def test_page_is_self_contained(tmp_path: Path) -> None:
    page = html_page("A <title>", "<p>body</p>")
    assert page.startswith("<!DOCTYPE html>") and "<title>A &lt;title&gt;</title>" in page
    assert "<style>" in page and "<script" not in page and "http" not in page.split("<body>")[0].split("<style>")[0]
    image = tmp_path / "plot.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert image_data_uri(image).startswith("data:image/png;base64,iVBORw0KGgo")


def test_commands_latex2mathml_passes_through_are_rewritten() -> None:
    rendered = latex_to_mathml(r"\arg\max_i z_i")
    assert "\\arg" not in rendered and rendered.count('mathvariant="normal"') == 3
