"""Every real PDF of the corpus reads end to end, and its math comes out as notation the reader parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainrule.documents import BlockKind
from chainrule.documents.pdf import read_pdf
from chainrule.notation import find_math, parse_math
from chainrule.notation.errors import NotationError


def _originals(shared: Path) -> list[Path]:
    found = sorted((shared / "corpus" / "originals").glob("*.pdf"))
    if not found:
        pytest.skip("no PDF originals in ../shared/corpus")
    return found


@pytest.mark.slow
def test_each_corpus_pdf_reads_with_located_lines_and_parsable_math(shared_dir: Path) -> None:
    parsed = total = 0
    for path in _originals(shared_dir):
        doc = read_pdf(path.read_bytes(), path.name)
        assert doc.format == "pdf" and doc.lines, path.name
        assert all(loc.page is not None and loc.line >= 1 for loc in doc.locations), path.name
        assert any(b.kind is BlockKind.MATH for b in doc.blocks), path.name
        assert any(b.label for b in doc.blocks if b.kind in (BlockKind.HEADING, BlockKind.ITEM)), path.name
        for span in find_math(doc.text):
            total += 1
            try:
                parse_math(span.latex)
                parsed += 1
            except NotationError:
                pass
    assert total > 500
    assert parsed / total > 0.8, f"{parsed}/{total} math spans parse"


def test_the_labelled_questions_appear_as_labels(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "originals" / "YuxiangChai+NYU-Deep-Learning__HW1_theory.pdf"
    if not path.exists():
        pytest.skip("the corpus has no YuxiangChai PDF")
    doc = read_pdf(path.read_bytes(), path.name)
    labels = [b.label for b in doc.blocks if b.label]
    for wanted in ("1.2", "1.3", "1.4", "(a)", "(b)", "(c)", "(d)", "(e)"):
        assert wanted in labels
