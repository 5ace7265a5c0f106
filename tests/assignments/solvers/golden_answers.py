"""The answers of the five original built-in assignments, kept as golden files so that no change to the engine or
the solvers silently alters a solved answer.

Run ``python tests/assignments/solvers/golden_answers.py`` to rewrite the files after a deliberate change, and read the
diff before committing it: every changed line is a changed answer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"
ORIGINAL_BUILTINS = ("ama564-a1", "you-nndl-hw1", "ryu-mathdnn-hw3", "nyu-dl-hw1-2022", "nyu-dl-hw1-2021")


def answers_of(solution: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """question id → answer key → the answer's exact value, shape and LaTeX (what a grader and a reader see)."""
    return {
        question.id: {
            key: {"value": answer.value, "shape": answer.shape, "tex": answer.tex}
            for key, answer in question.answers.items()
        }
        for question in solution.questions
    }


def golden_path(assignment_id: str) -> Path:
    return GOLDEN / f"{assignment_id}.json"


def main() -> None:
    from chainrule.assignments.loader import load_assignment
    from chainrule.assignments.solvers import SolveOptions, solve_assignment

    for assignment_id in sys.argv[1:] or ORIGINAL_BUILTINS:
        solution = solve_assignment(load_assignment(assignment_id), SolveOptions(run_experiments=False))
        text = json.dumps(answers_of(solution), indent=1, ensure_ascii=False, sort_keys=True)
        golden_path(assignment_id).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {golden_path(assignment_id)}")


if __name__ == "__main__":
    main()
