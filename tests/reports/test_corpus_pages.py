"""Every labelled submission of the corpus, graded once and opened in headless chromium, renders cleanly.

What a TA must never see on a graded page: raw ``\\begin`` (a formula shown as source because rows were split),
a literal ``&`` between math cells, math or findings spilling out of their table cell, or brackets that do not
stretch because the math font did not load. Skips cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from person_facing import leaks

ASSIGNMENT_IDS = {
    "seeds/000_5108e9c6c3f40273.txt": "ama564-a1",
    "seeds/003_624ed05b8cd86c4d.txt": "you-nndl-hw1",
    "seeds/004_03aaa0388276d36d.txt": "ryu-mathdnn-hw3",
    "corpus/assignments/nyu-dl-hw1-2022.txt": "nyu-dl-hw1-2022",
    "corpus/assignments/nyu-dl-hw1-2021.txt": "nyu-dl-hw1-2021",
}

# Reads the page: raw \begin outside code, & as a math token, elements outside their cell, the font's state.
PAGE_PROBLEMS = """() => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('code')) continue;
    if (node.textContent.includes('\\\\begin')) problems.push('raw \\\\begin: ' + node.textContent.slice(0, 80));
  }
  for (const token of document.querySelectorAll('math mi, math mo, math mn')) {
    if (token.textContent.trim() === '&')
      problems.push('literal & in math: ' + token.closest('math').textContent.slice(0, 80));
  }
  const inside = (inner, outer) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
  for (const cell of document.querySelectorAll('td')) {
    const box = cell.getBoundingClientRect();
    const check = (el) => {
      for (const child of el.children) {
        const r = child.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (!inside(r, box)) { problems.push('overflows its cell: <' + child.tagName.toLowerCase() + '> ' +
                                             child.textContent.slice(0, 60)); continue; }
        const style = getComputedStyle(child);
        if (style.overflowX === 'visible') check(child);
      }
    };
    check(cell);
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) {
    let widest = null;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const narrower = !widest || r.width < widest.getBoundingClientRect().width;
      if (r.right > document.documentElement.clientWidth + 1 && narrower) widest = el;
    }
    problems.push('page scrolls sideways: <' + (widest ? widest.tagName.toLowerCase() + ' class=' + widest.className +
                  '> ' + widest.textContent.slice(0, 80) : '?'));
  }
  return problems;
}"""
FONT_LOADED = """async () => {
  await document.fonts.load('16px ChainruleMath', '∑');
  return [...document.fonts].some(f => f.family.replace(/"/g, '') === 'ChainruleMath' && f.status === 'loaded');
}"""


def labelled(shared: Path) -> list[tuple[str, Path, str | None]]:
    labels = yaml.safe_load((shared / "corpus" / "labels.yaml").read_text(encoding="utf-8"))
    entries = []
    for item in labels["submissions"]:
        assignment = item.get("assignment")
        entries.append((item["file"], shared / item["file"], ASSIGNMENT_IDS.get(assignment) if assignment else None))
    return entries


@pytest.fixture(scope="session")
def corpus_pages(shared_dir, tmp_path_factory) -> dict[str, Path]:
    """Each labelled submission graded once (or checked, without an assignment), its page written to disk."""
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.batch import grade_many
    from chainrule.grading.check import check_document
    from chainrule.reports.check_html import render_check_html
    from chainrule.reports.grade_html import to_html
    from chainrule.reports.page import write_assets

    folder = tmp_path_factory.mktemp("corpus-pages")
    write_assets(folder)
    pages: dict[str, Path] = {}
    by_assignment: dict[str, list[tuple[str, Path]]] = {}
    for name, path, assignment in labelled(shared_dir):
        if assignment is None:
            text = path.read_text(encoding="utf-8")
            result = check_document(text, name, budget=60)
            html = render_check_html(result, text=text, font="link")
            pages[name] = folder / f"{len(pages):02d}.html"
            pages[name].write_text(html, encoding="utf-8")
        else:
            by_assignment.setdefault(assignment, []).append((name, path))
    for assignment, items in by_assignment.items():
        results = grade_many(load_assignment(assignment), [path for _, path in items], jobs=2, timeout=240)
        for (name, _), result in zip(items, results, strict=True):
            pages[name] = folder / f"{len(pages):02d}.html"
            pages[name].write_text(to_html(result, font="link"), encoding="utf-8")
    return pages


# What chainrule itself says on a page: findings (claim as rendered, reason, expected, notes) and summaries.
CHAINRULE_WORDS = """() => [...document.querySelectorAll('div.finding, section > p, header p')]
  .map(el => el.innerText).join('\\n')"""


def test_every_labelled_page_renders_cleanly_and_reads_as_mathematics(corpus_pages, browser_page):
    """One pass over the graded corpus (grading is the slow part): rendering, font, and words."""
    failures: dict[str, list[str]] = {}
    for name, page_file in sorted(corpus_pages.items()):
        browser_page.open_file(page_file)
        problems = browser_page.evaluate(PAGE_PROBLEMS)
        problems += [f"program syntax: {leak}" for leak in leaks(browser_page.evaluate(CHAINRULE_WORDS))]
        if not browser_page.evaluate(FONT_LOADED):
            problems.append("the math font did not load")
        if problems:
            failures[name] = problems[:5]
    assert not failures, "\n".join(f"{name}: {problems}" for name, problems in failures.items())
    assert len(corpus_pages) >= 20
