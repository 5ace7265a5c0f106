"""The HTML solution page: self-contained, escaped, answers boxed, images relative or embedded."""

from __future__ import annotations

from pathlib import Path

from solution_sample import sample_solution

from chainrule.reports.solution_html import solution_html


def test_page_structure() -> None:
    page = solution_html(sample_solution())
    assert "<script" not in page and "<link" not in page
    assert '<section id="q-1a">' in page and '<a href="#q-1a">1a</a>' in page
    assert page.count('<span class="boxed">') == 1  # the unboxed answer is not shown
    assert "Why &lt;b&gt;?" in page  # prompts are escaped
    assert '<img src="q1a.png"' in page
    assert "<h3>Rubric</h3>" in page and "graded by a person" in page


def test_images_can_be_embedded(tmp_path: Path) -> None:
    (tmp_path / "q1a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    page = solution_html(sample_solution(), image_dir=str(tmp_path), embed_images=True)
    assert 'src="data:image/png;base64,' in page and 'src="q1a.png"' not in page
