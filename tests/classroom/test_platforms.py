"""The Gradescope autograder and the PrairieLearn grader, run in folders laid out as each platform lays them out.

The results are checked against the fields each platform documents (Gradescope's autograder specification,
PrairieLearn's external-grading results), written down here from their documentation.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chainrule.classroom.autograders import gradescope_zip, prairielearn_files
from chainrule.classroom.platforms import PlatformConfig
from chainrule.classroom.specs import load_spec

_, SPEC_TEXT, _ = load_spec("ama564-a1")
ANSWER = ("## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x^2)$$\n\n"
          "## Question 2\n\nThe risk is smallest where its derivative in c vanishes, so F(c) = tau.\n")

GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                  "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
                   "tags", "visibility", "extra_data"}
GRADESCOPE_VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
PRAIRIELEARN_TOP = {"gradable", "score", "message", "output", "images", "tests", "format_errors", "partial_scores"}
PRAIRIELEARN_TEST = {"name", "description", "points", "max_points", "message", "output", "images"}


def validate_gradescope(data):
    assert set(data) <= GRADESCOPE_TOP and isinstance(data["tests"], list)
    assert data.get("visibility", "visible") in GRADESCOPE_VISIBILITY
    assert data.get("stdout_visibility", "visible") in GRADESCOPE_VISIBILITY
    for test in data["tests"]:
        assert set(test) <= GRADESCOPE_TEST and isinstance(test["name"], str)
        assert test.get("status", "passed") in {"passed", "failed"}
        assert isinstance(test["score"], int | float) and isinstance(test["max_score"], int | float)
        assert 0 <= test["score"] <= test["max_score"] or test["max_score"] == 0 == test["score"]
    assert data["score"] == pytest.approx(sum(test["score"] for test in data["tests"]))


def validate_prairielearn(data):
    assert set(data) <= PRAIRIELEARN_TOP and isinstance(data["gradable"], bool)
    assert 0 <= data["score"] <= 1
    for test in data.get("tests", []):
        assert set(test) <= PRAIRIELEARN_TEST
        assert 0 <= test["points"] <= test["max_points"] or test["points"] == test["max_points"] == 0


def run_script(script: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(script)], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=600, check=False)


def gradescope_container(tmp_path, pending="exclude"):
    """/autograder as Gradescope builds it: the zip in source/, run_autograder copied up, results/ made."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    archive = tmp_path / "autograder.zip"
    archive.write_bytes(gradescope_zip(SPEC_TEXT, PlatformConfig(pending=pending)))
    with zipfile.ZipFile(archive) as opened:
        assert {"setup.sh", "run_autograder"} <= set(opened.namelist())  # at the root, as the spec requires
        opened.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def test_the_gradescope_autograder_writes_documented_results(tmp_path):
    root = gradescope_container(tmp_path)
    assert subprocess.run(["bash", "-n", str(root / "source" / "setup.sh")], check=False).returncode == 0
    (root / "submission" / "homework.md").write_text(ANSWER, encoding="utf-8")
    done = run_script(root / "run_autograder", {"AUTOGRADER_ROOT": str(root), "CHAINRULE_PYTHON": sys.executable,
                                                "PYTHONPATH": str(root / "source" / "chainrule" / "src")})
    assert done.returncode == 0, done.stderr
    assert f"chainrule from {root / 'source' / 'chainrule' / 'src'}" in done.stdout  # the zip's own copy ran
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(data)
    tests = {test["number"]: test for test in data["tests"]}
    assert tests["1a.2"]["status"] == "failed" and "line 3" in tests["1a.2"]["output"]
    waiting = tests["2"]
    assert waiting["status"] == "passed" and "(awaiting review)" in waiting["name"]
    assert "Awaiting review by a person" in waiting["output"] and waiting["max_score"] == 0 == waiting["score"]
    assert "await a person" in data["output"]


def test_pending_questions_count_as_the_course_decides(tmp_path):
    from chainrule.classroom.platforms import Graded, gradescope_results, prairielearn_results
    from chainrule.grading.grade import grade_text

    assignment, _, _ = load_spec("ama564-a1")
    graded = Graded(grade_text(assignment, ANSWER, "hw.md"))
    for pending, score in (("zero", 0.0), ("full", 2.0)):
        data = gradescope_results(graded, PlatformConfig(pending=pending))
        validate_gradescope(data)
        question = next(test for test in data["tests"] if test["number"] == "2")
        assert (question["score"], question["max_score"], question["status"]) == (score, 2.0, "passed")
        validate_prairielearn(prairielearn_results(graded, PlatformConfig(pending=pending)))


def test_an_empty_gradescope_submission_still_gets_a_results_file(tmp_path):
    root = gradescope_container(tmp_path)
    (root / "submission" / "notes.docx").write_bytes(b"PK\x03\x04")
    done = run_script(root / "run_autograder", {"AUTOGRADER_ROOT": str(root), "CHAINRULE_PYTHON": sys.executable,
                                                "PYTHONPATH": str(root / "source" / "chainrule" / "src")})
    assert done.returncode == 0, done.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(data)
    assert data["score"] == 0 and "notes.docx" in data["output"]


def prairielearn_container(tmp_path):
    """/grade as PrairieLearn's grader lays it out: tests/ from the question, student/ files, data/data.json."""
    export = tmp_path / "export"
    for name, data, executable in prairielearn_files(SPEC_TEXT, PlatformConfig()):
        target = export / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if executable:
            target.chmod(0o755)
    root = tmp_path / "grade"
    shutil.copytree(export / "tests", root / "tests")
    (root / "student").mkdir()
    (root / "data").mkdir()
    (root / "data" / "data.json").write_text(json.dumps({"params": {}, "submitted_answers": {}}), encoding="utf-8")
    (root / "results").mkdir()
    return export, root


def test_the_prairielearn_grader_writes_documented_results(tmp_path):
    export, root = prairielearn_container(tmp_path)
    assert (export / "Dockerfile").is_file() and json.loads((export / "info-snippet.json").read_text())
    (root / "student" / "answer.md").write_text(ANSWER.replace("(x^2)", "(x)^2"), encoding="utf-8")  # now right
    env = {"GRADE_ROOT": str(root), "CHAINRULE_PYTHON": sys.executable,
           "PYTHONPATH": str(export / "chainrule" / "src")}
    done = run_script(root / "tests" / "run", env)
    assert done.returncode == 0, done.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_prairielearn(data)
    assert data["gradable"] is True and 0 < data["score"] < 1
    (root / "student" / "answer.md").write_bytes(b"\x00\x01\x02")  # unreadable: not gradable, no penalty
    done = run_script(root / "tests" / "run", env)
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_prairielearn(data)
    assert data["gradable"] is False and "binary" in data["message"]


def test_the_autograder_grades_a_student_against_their_own_variant(tmp_path):
    from chainrule.assignments.loader import load_assignment
    from chainrule.assignments.solvers import solve_assignment
    from chainrule.assignments.variants import variant_for

    example = Path(__file__).resolve().parents[2] / "examples" / "class" / "hw-backprop.yaml"
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(gradescope_zip(example.read_text(encoding="utf-8"), PlatformConfig()))) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    own, _ = variant_for(load_assignment(example), "s106")
    answers = next(q for q in solve_assignment(own).questions if q.id == "2").answers
    (root / "submission" / "hw.md").write_text(
        f"## Question 2\n\n$$f(x) = {answers['f'].value}$$\n\n$$L = {answers['L'].value}$$\n", encoding="utf-8")
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"sid": "s106", "name": "J"}]}))
    from chainrule.classroom.platforms import run_gradescope

    data = run_gradescope(root)
    validate_gradescope(data)
    assert next(t for t in data["tests"] if t["number"] == "2")["status"] == "passed"
