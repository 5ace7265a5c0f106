"""chainrule inside an LMS grader: Gradescope's autograder and PrairieLearn's external grader, one submission each.

Both platforms start a container, put the student's files in a folder, run our entry point and read one JSON
file back. The entry point must *always* write that file — a crash that leaves none shows the student a
platform error instead of chainrule's findings — so every failure becomes a result that says what happened.

Questions a person grades (proofs, explanations, anything the grader sent to review) are not failed tests:
their output says they await a person, and the course decides how they count while they wait (``pending``):

* ``exclude`` (default): worth nothing here (0 of 0); the course grades them by hand on the platform;
* ``zero``: 0 of their marks until a person grades them;
* ``full``: their full marks, provisionally.

Run as ``python -m chainrule.classroom.platforms gradescope|prairielearn [--root DIR]`` (the scripts the
exports write do exactly that).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PENDING_POLICIES = ("exclude", "zero", "full")
GRADESCOPE_VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")
CONFIG_NAME = "chainrule-autograder.json"
SPEC_NAME = "spec.yaml"


@dataclass(frozen=True)
class PlatformConfig:
    """What the exported grader was built with (``chainrule-autograder.json`` beside the spec)."""

    pending: str = "exclude"
    visibility: str = "after_published"
    timeout: float = 240.0

    @classmethod
    def read(cls, folder: Path) -> PlatformConfig:
        path = folder / CONFIG_NAME
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{key: data[key] for key in ("pending", "visibility", "timeout") if key in data})

    def to_json(self) -> str:
        return json.dumps({"pending": self.pending, "visibility": self.visibility, "timeout": self.timeout},
                          indent=2) + "\n"


@dataclass(frozen=True)
class Graded:
    """One submission graded for a platform: the result, or why there is none."""

    result: Any  # SubmissionResult
    problem: str | None = None  # "no file chainrule reads was handed in", a read error, a time-out


def grade_folder(spec_path: Path, folder: Path, timeout: float, student: str = "") -> Graded:
    """Grade every submission file in ``folder`` as one student's work (the platform's submission folder).

    With a spec that has per-student variants, ``student`` (the platform's id for the submitter) picks the
    numbers the work is graded against.
    """
    from chainrule.assignments.variants import variant_for
    from chainrule.classroom.inputs import ClassSubmission, student_files
    from chainrule.classroom.run import grade_class
    from chainrule.classroom.specs import load_spec
    from chainrule.grading.batch import failed_result

    assignment, _, _ = load_spec(spec_path)
    if assignment.variants is not None and student:
        assignment = variant_for(assignment, student)[0]
    notes: list[str] = []
    files = student_files(folder, notes) if folder.is_dir() else []
    if not files:
        found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        problem = ("no file chainrule reads was handed in"
                   + (f" (found: {', '.join(found[:10])})" if found else " (the submission is empty)"))
        return Graded(failed_result(assignment, str(folder), problem), problem)
    submission = ClassSubmission("submission", tuple(files), str(folder), folder=True)
    outcome = grade_class(assignment, [submission], timeout=timeout)[0]
    return Graded(outcome.result, outcome.failure)


def _counted(question: Any, pending: str) -> tuple[float, float, bool]:
    """(score, max_score, awaiting a person) of one question under the course's pending policy."""
    from chainrule.grading.findings import QuestionVerdict

    if question.verdict is not QuestionVerdict.REVIEW:
        return question.score, question.max_score, False
    if pending == "full":
        return question.max_score, question.max_score, True
    if pending == "zero":
        return 0.0, question.max_score, True
    return 0.0, 0.0, True


def _pending_note(question: Any, pending: str) -> str:
    counted = {"exclude": "it is not counted in this score",
               "zero": "it counts 0 until then",
               "full": "its full marks are given until then"}[pending]
    return (f"Awaiting review by a person ({question.max_score:g} marks): this answer is not failed; "
            f"{counted}.")


def _question_output(question: Any) -> str:
    from chainrule.reports.grade_base import VERDICT_SYMBOL, ordered

    lines = [f"{question.verdict.value}: {question.summary}".rstrip(": ")]
    for finding in ordered(question.findings):
        where = f"line {finding.line}: " if finding.line is not None else ""
        text = f"{VERDICT_SYMBOL[finding.verdict]} {where}{finding.written} — {finding.reason}"
        if finding.expected:
            text += f" (expected {finding.expected})"
        lines.append(text)
    return "\n".join(lines)


def gradescope_results(graded: Graded, config: PlatformConfig, seconds: float = 0.0) -> dict[str, Any]:
    """Gradescope's ``results.json``: one test per question; pending ones say so and are never "failed"."""
    result = graded.result
    tests: list[dict[str, Any]] = []
    for question in result.questions:
        score, max_score, waiting = _counted(question, config.pending)
        if graded.problem:
            output, status = f"Not graded: {graded.problem}.", "failed"
        elif waiting:
            output, status = f"{_pending_note(question, config.pending)}\n{_question_output(question)}", "passed"
        else:
            output = _question_output(question)
            status = "passed" if score >= max_score else "failed"
        tests.append({"name": f"Question {question.id}" + (" (awaiting review)" if waiting and not graded.problem
                                                            else ""),
                      "number": question.id, "score": 0.0 if graded.problem else score,
                      "max_score": max_score, "status": status, "output": output, "visibility": "visible"})
    total = sum(test["score"] for test in tests)
    summary = (f"chainrule could not grade this submission: {graded.problem}." if graded.problem else
               f"Graded by chainrule against {result.assignment}: {total:g}/{sum(t['max_score'] for t in tests):g}.")
    waiting = sum("(awaiting review)" in test["name"] for test in tests)
    if waiting and not graded.problem:
        summary += f" {waiting} question(s) await a person."
    return {"score": total, "execution_time": round(seconds, 3), "output": summary,
            "visibility": config.visibility, "stdout_visibility": "hidden", "tests": tests}


def prairielearn_results(graded: Graded, config: PlatformConfig) -> dict[str, Any]:
    """PrairieLearn's ``results.json``: score in [0, 1]; an unreadable submission is not gradable (no penalty)."""
    result = graded.result
    if graded.problem:
        return {"gradable": False, "score": 0.0, "message": f"chainrule could not grade this submission: "
                f"{graded.problem}.", "format_errors": [graded.problem], "tests": []}
    tests: list[dict[str, Any]] = []
    points = max_points = 0.0
    for question in result.questions:
        score, max_score, waiting = _counted(question, config.pending)
        points, max_points = points + score, max_points + max_score
        message = _pending_note(question, config.pending) if waiting else f"{question.verdict.value}"
        tests.append({"name": f"Question {question.id}", "description": question.summary[:500], "points": score,
                      "max_points": max_score, "message": message, "output": _question_output(question)})
    fraction = min(1.0, max(0.0, points / max_points)) if max_points else 0.0
    return {"gradable": True, "score": round(fraction, 6),
            "message": f"{points:g}/{max_points:g} from chainrule's checks", "tests": tests}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    from chainrule.output_folder import write_atomically
    from chainrule.reports.jsonout import dumps

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (dumps(data) + "\n").encode("utf-8"))


def run_gradescope(root: Path) -> dict[str, Any]:
    """Grade ``root/submission`` with ``root/source``'s spec; write ``root/results/results.json``."""
    source = root / "source"
    config = PlatformConfig.read(source)
    started = time.monotonic()
    try:
        graded = grade_folder(source / SPEC_NAME, root / "submission", config.timeout, _submitter(root))
        data = gradescope_results(graded, config, time.monotonic() - started)
    except Exception as error:  # the platform must get a results file whatever happened
        traceback.print_exc()
        data = {"score": 0.0, "output": f"The autograder failed ({type(error).__name__}: {error}); "
                "the course staff will grade this submission.", "stdout_visibility": "hidden", "tests": []}
    _write_json(root / "results" / "results.json", data)
    return data


def _submitter(root: Path) -> str:
    """The submitter's student id (else e-mail) from Gradescope's ``submission_metadata.json``, if present."""
    try:
        users = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8")).get("users") or []
    except (OSError, ValueError, AttributeError):
        return ""
    first = users[0] if users and isinstance(users[0], dict) else {}
    return str(first.get("sid") or first.get("email") or "")


def run_prairielearn(root: Path) -> dict[str, Any]:
    """Grade ``root/student`` with ``root/tests``'s spec; write ``root/results/results.json``."""
    tests = root / "tests"
    config = PlatformConfig.read(tests)
    try:
        data = prairielearn_results(grade_folder(tests / SPEC_NAME, root / "student", config.timeout), config)
    except Exception as error:  # the platform must get a results file whatever happened
        traceback.print_exc()
        data = {"gradable": False, "score": 0.0, "message": f"The grader failed ({type(error).__name__}: {error})."}
    _write_json(root / "results" / "results.json", data)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chainrule.classroom.platforms")
    parser.add_argument("platform", choices=("gradescope", "prairielearn"))
    parser.add_argument("--root", type=Path, help="the platform's folder (default /autograder or /grade)")
    arguments = parser.parse_args(argv)
    print(f"chainrule from {Path(__file__).resolve().parents[1]}", flush=True)  # the platform's stdout log
    if arguments.platform == "gradescope":
        run_gradescope(arguments.root or Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    else:
        run_prairielearn(arguments.root or Path(os.environ.get("GRADE_ROOT", "/grade")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
