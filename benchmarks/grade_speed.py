"""Grading speed: chainrule's grader (each document read once, its parsed math shared by every question)
against the naive alternative that re-reads and re-parses the whole submission for every question it grades.

Both produce the same findings (checked below); the difference is only the repeated reading. The corpus is
the labelled development submissions in ../shared when present, else a generated NYU-style answer sheet.
Run: ``.venv/bin/python benchmarks/grade_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chainrule.assignments.loader import load_assignment
from chainrule.grading import compare, grade
from chainrule.grading.context import GradingContext
from chainrule.grading.grade import grade_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = [
    ("ama564-a1", "seeds/001_eab900ac343fe132.txt"),
    ("nyu-dl-hw1-2022", "seeds/002_9b45f76732716079.txt"),
    ("nyu-dl-hw1-2021", "corpus/submissions/nyu-dl-hw1-2021__blueblazin.md"),
    ("nyu-dl-hw1-2021", "corpus/submissions/nyu-dl-hw1-2021__yerephy.md"),
]
GENERATED = "\n".join(
    f"## 1.{section}\n"
    + "".join(
        f"({part}) $\\frac{{\\partial \\ell}}{{\\partial W^{{(2)}}}} = z_2 "
        f"\\frac{{\\partial \\ell}}{{\\partial \\hat y}}"
        f"\\frac{{\\partial \\hat y}}{{\\partial z_3}}$ and $z_3 = W^{{(2)}} z_2 + b^{{(2)}}$\n"
        for part in "abcd"
    )
    for section in (2, 3, 4)
)


def corpus() -> list[tuple[str, str, str]]:
    if (SHARED / "corpus" / "labels.yaml").is_file():
        return [(spec, path, (SHARED / path).read_text(encoding="utf-8")) for spec, path in CORPUS]
    return [("nyu-dl-hw1-2022", "generated", GENERATED)]


def reparse_per_question(original):  # type: ignore[no-untyped-def]
    """The alternative: every question builds its own context, re-reading the whole document."""

    def compare_question(question, section, context):  # type: ignore[no-untyped-def]
        fresh = GradingContext.build(context.assignment, context.split, context.claim_timeout)
        return original(question, section, fresh)

    return compare_question


def timed(texts, repeat):  # type: ignore[no-untyped-def]
    """Results and seconds per submission, each the best of ``repeat`` runs (the machine is shared)."""
    results, seconds = [], []
    for spec, path, text in texts:
        assignment = load_assignment(spec)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            result = grade_text(assignment, text, path, document_check=False)
            best = min(best, time.perf_counter() - start)
        results.append(result)
        seconds.append(best)
    return results, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = corpus()
    timed(texts, 1)  # warm up: imports, grammar, engine
    ours_results, ours = timed(texts, args.repeat)
    original = grade.compare_question
    grade.compare_question = reparse_per_question(compare.compare_question)
    try:
        naive_results, naive = timed(texts, args.repeat)
    finally:
        grade.compare_question = original
    for a, b in zip(ours_results, naive_results, strict=True):
        assert [q.findings for q in a.questions] == [q.findings for q in b.questions], "the two graders disagree"
    print(f"{'submission':60} {'chainrule':>12} {'re-parse/question':>18}")
    for (_, path, _), mine, theirs in zip(texts, ours, naive, strict=True):
        print(f"{path:60} {mine * 1000:9.1f} ms {theirs * 1000:15.1f} ms")
    print(f"chainrule (parse once per document):        {sum(ours) / len(ours) * 1000:8.1f} ms per submission")
    print(f"naive (re-parse the document per question): {sum(naive) / len(naive) * 1000:8.1f} ms per submission")
    print(f"speedup: {sum(naive) / sum(ours):.1f}x")


if __name__ == "__main__":
    main()
