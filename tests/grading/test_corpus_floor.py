"""A floor that only rises: the grader's figures on the labelled corpus (../shared) may never get worse.

The figures are the scorer's own (``../shared/bin/score``): its logic is loaded from the shared folder and fed
the grader's JSON reports, made here in-process, each corpus file graded once per session. ``corpus_floor.json``
records, per submission, what was reached; this test fails on any submission where a figure is worse — fewer
mistakes caught at their line or fewer questions with a mistake caught, more false flags, more answers lost,
fewer review questions routed to review, more ``wrong`` flags on unlabelled lines — so a change that helps one
file and hurts another is seen. When the figures improve, record them:

    .venv/bin/python tests/grading/test_corpus_floor.py --raise

(it refuses to record while any figure is worse than the floor). Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from importlib.machinery import SourceFileLoader
from pathlib import Path
from typing import Any

import pytest

FLOOR = Path(__file__).with_name("corpus_floor.json")
SHARED = Path(__file__).resolve().parents[3] / "shared"
HIGHER_IS_BETTER = ("caught", "questions_caught", "review_routed")
LOWER_IS_BETTER = ("false_flags", "lost", "misfiled", "unlabelled_wrong")
# What each figure counts out of: when the labels change these, the old floor of that file no longer applies.
DENOMINATORS = ("mistakes", "questions", "right_lines", "labelled_questions", "review")


def _scorer(shared: Path) -> Any:
    """The scorer script as a module (it has no .py suffix), so its counting rules are used as they are."""
    loader = SourceFileLoader("chainrule_corpus_scorer", str(shared / "bin" / "score"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@cache
def _report(args: tuple[str, ...]) -> object:
    """What ``chainrule grade|check … --format json`` prints, made in this process (one grading per file)."""
    from chainrule.assignments.loader import load_assignment
    from chainrule.grading.check import check_document
    from chainrule.grading.grade import grade_file
    from chainrule.notation.text_file import read_text_file
    from chainrule.reports.check_json import render_check_json
    from chainrule.reports.grade import render_grade

    if args[0] == "grade":
        return json.loads(render_grade(grade_file(load_assignment(args[1]), Path(args[2])), "json"))
    path = Path(args[1])
    return json.loads(render_check_json(check_document(read_text_file(path), str(path))))


def corpus_figures(shared: Path = SHARED) -> dict[str, dict[str, int]]:
    """The scorer's figures for every labelled submission, keyed by its file."""
    import yaml

    scorer = _scorer(shared)
    scorer.run_json = lambda args, timeout: (_report(tuple(args[:-2])), "")  # drop "--format json"
    labels = yaml.safe_load((shared / "corpus" / "labels.yaml").read_text(encoding="utf-8"))["submissions"]
    return {item["file"]: scorer.score_submission(item, shared, 300.0, False)[0] for item in labels}


def regressions(figures: dict[str, dict[str, int]], floor: dict[str, dict[str, int]]) -> list[str]:
    """Every figure worse than its floor, in words (a file whose labels changed is compared no more)."""
    worse = []
    for file, mine in figures.items():
        recorded = floor.get(file)
        if recorded is None or any(recorded.get(key) != mine.get(key) for key in DENOMINATORS):
            continue
        worse += [f"{file}: {key} {mine[key]} < {recorded[key]}" for key in HIGHER_IS_BETTER
                  if mine[key] < recorded[key]]
        worse += [f"{file}: {key} {mine[key]} > {recorded[key]}" for key in LOWER_IS_BETTER
                  if mine[key] > recorded[key]]
    return worse


@pytest.fixture(scope="module")
def figures(shared_dir: Path) -> dict[str, dict[str, int]]:
    return corpus_figures(shared_dir)


def test_no_corpus_figure_gets_worse(figures):
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    worse = regressions(figures, floor)
    assert not worse, "worse than the recorded floor (tests/grading/corpus_floor.json):\n" + "\n".join(worse)


def test_every_labelled_submission_has_a_floor(figures):
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    missing = sorted(set(figures) - set(floor))
    assert not missing, f"record the floor for {missing} (see the module docstring)"


def main(argv: list[str]) -> int:
    """``--raise``: record the current figures as the floor, if none is worse than the floor recorded now."""
    if argv[1:] != ["--raise"]:
        print(__doc__)
        return 2
    figures = corpus_figures()
    floor = json.loads(FLOOR.read_text(encoding="utf-8")) if FLOOR.exists() else {}
    worse = regressions(figures, floor)
    if worse:
        print("not recorded; worse than the floor:\n" + "\n".join(worse))
        return 1
    FLOOR.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    totals = {key: sum(f[key] for f in figures.values()) for key in next(iter(figures.values()))}
    print(f"recorded {len(figures)} submissions: {totals}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
