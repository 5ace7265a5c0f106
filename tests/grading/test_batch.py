import time

import pytest

from chainrule.assignments.loader import load_assignment
from chainrule.errors import InputError
from chainrule.grading.batch import Submission, grade_many, run_isolated
from chainrule.grading.findings import QuestionVerdict

NYU = load_assignment("nyu-dl-hw1-2022")
ANSWER = "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial b^{(2)}} = \\frac{\\partial \\ell}{\\partial z_3}$\n"


def test_n_in_n_out_in_order_with_progress(tmp_path):
    paths = []
    for index in range(3):
        path = tmp_path / f"s{index}.md"
        path.write_text(ANSWER if index != 1 else "nothing", encoding="utf-8")
        paths.append(path)
    paths.append(tmp_path / "missing.md")
    calls = []
    results = grade_many(NYU, paths, jobs=2, progress=lambda done, total, result: calls.append((done, total)))
    assert [r.submission for r in results] == [str(p) for p in paths]
    assert sorted(calls) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    verdicts = [{q.id: q.verdict for q in r.questions}["1.2c"] for r in results]
    assert verdicts[0] is QuestionVerdict.RIGHT and verdicts[1] is QuestionVerdict.MISSING
    assert verdicts[3] is QuestionVerdict.REVIEW and "cannot read submission" in results[3].errors[0]


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _fail():
    raise ValueError("bad claim")


def test_isolated_run_reports_timeouts_and_errors():
    assert run_isolated(_sleep, (0,), timeout=10) == ("ok", "woke")
    assert run_isolated(_sleep, (30,), timeout=0.5) == ("timeout", 0.5)
    status, text = run_isolated(_fail, (), timeout=10)
    assert status == "error" and text.startswith("ValueError: bad claim")


def test_a_submission_over_its_time_bound_is_reported_not_fatal():
    results = grade_many(NYU, [Submission("slow.md", ANSWER * 50)], timeout=0.001)
    assert "took longer than" in results[0].errors[0]
    assert {q.verdict for q in results[0].questions} == {QuestionVerdict.REVIEW}


def test_jobs_must_be_positive():
    with pytest.raises(InputError, match="--jobs"):
        grade_many(NYU, [], jobs=0)
