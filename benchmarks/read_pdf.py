"""Read every corpus PDF with chainrule's PDF reader and with pymupdf4llm, side by side.

For each reader: pages per second (all corpus PDFs, best of ``--repeat`` runs, the readers alternating), and
the math it hands on — the ``$…$`` / ``$$…$$`` spans chainrule's ``find_math`` finds in its Markdown and the
share of them the notation reader (``parse_math``) parses. pymupdf4llm is what a user would pick to turn a
PDF into Markdown for a language model; it keeps math as styled text, so its span count shows how much math
survives as something a checker can read at all. The closing ``speedup:`` line is pymupdf4llm's total time
over chainrule's.

Usage: .venv/bin/python benchmarks/read_pdf.py [--shared ../shared] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from chainrule.documents.pdf import read_pdf
from chainrule.notation import find_math, parse_math
from chainrule.notation.errors import NotationError

REPO = Path(__file__).resolve().parents[1]


def ours(path: Path) -> tuple[str, int]:
    doc = read_pdf(path.read_bytes(), path.name)
    pages = {loc.page for loc in doc.locations}
    return doc.text, len(pages)


def theirs(path: Path) -> tuple[str, int]:
    import pymupdf
    import pymupdf4llm

    with pymupdf.open(path) as doc:
        return pymupdf4llm.to_markdown(doc, show_progress=False), doc.page_count


def measure(read: Callable[[Path], tuple[str, int]], paths: list[Path]) -> tuple[float, list[str]]:
    """Seconds to read every PDF once, and the Markdown of each."""
    start = time.perf_counter()
    texts = [read(p)[0] for p in paths]
    return time.perf_counter() - start, texts


def math_share(texts: list[str]) -> tuple[int, int]:
    parsed = total = 0
    for text in texts:
        for span in find_math(text):
            total += 1
            try:
                parse_math(span.latex)
                parsed += 1
            except NotationError:
                pass
    return parsed, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    paths = sorted((args.shared / "corpus" / "originals").glob("*.pdf"))
    if not paths:
        print(f"no corpus PDFs under {args.shared}: skipped")
        return 0
    try:
        import pymupdf4llm  # noqa: F401
    except ImportError:
        print("pymupdf4llm is not installed (make bench installs the bench extra): skipped")
        return 0
    import pymupdf

    pages = sum(pymupdf.open(p).page_count for p in paths)
    print(f"{len(paths)} PDFs, {pages} pages from {args.shared / 'corpus' / 'originals'}")
    best = {"chainrule": float("inf"), "pymupdf4llm": float("inf")}
    texts: dict[str, list[str]] = {}
    for _ in range(max(1, args.repeat)):
        for name, read in (("chainrule", ours), ("pymupdf4llm", theirs)):
            seconds, texts[name] = measure(read, paths)
            best[name] = min(best[name], seconds)
    for name in ("chainrule", "pymupdf4llm"):
        parsed, total = math_share(texts[name])
        share = f"{parsed}/{total} = {parsed / total:.0%}" if total else "0/0 (no math spans)"
        print(f"{name:12} {best[name]:7.2f} s  {pages / best[name]:6.1f} pages/s  "
              f"math spans parsed: {share}")
    print(f"speedup: {best['pymupdf4llm'] / best['chainrule']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
