"""`chainrule grade` on a class: bad paths exit 2 in one line, N in → N results, reports survive a killed run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()
RIGHT = "## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x)^2$$\n"
WRONG = "## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x^2)$$\n"


def make_class(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"student{index:02d}.md"
        path.write_text(RIGHT if index % 2 else WRONG, encoding="utf-8")
        paths.append(path)
    return paths


def test_bad_paths_exit_2_with_one_line_and_no_score(tmp_path):
    make_class(tmp_path / "subs", 1)
    for argument in [str(tmp_path / "nope.md"), str(tmp_path / "subs" / "*.tex"), str(tmp_path / "empty")]:
        (tmp_path / "empty").mkdir(exist_ok=True)
        result = runner.invoke(app, ["grade", "ama564-a1", str(tmp_path / "subs"), argument])
        assert result.exit_code == 2
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {argument}: "), result.output


def test_a_folder_of_n_gives_n_results_and_a_summary(tmp_path):
    make_class(tmp_path / "subs", 3)
    (tmp_path / "subs" / "junk.md").write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["grade", "ama564-a1", str(tmp_path / "subs"), "-f", "json", "-j", "2"])
    assert result.exit_code == 2  # one submission could not be read: bad input, though the others were graded
    start = result.stdout.index("[\n")
    data = json.loads(result.stdout[start:result.stdout.index("\n]\n") + 2])
    assert len(data) == 4
    junk = [item for item in data if item.get("graded") is False]
    assert len(junk) == 1 and "binary" in junk[0]["error"] and "score" not in junk[0]
    assert "class summary" in result.stderr and "4 submissions: 3 graded; 1 not graded" in result.stderr


def test_output_in_the_submissions_own_folder_replaces_no_submission(tmp_path):
    paths = make_class(tmp_path / "subs", 2)
    before = {path: path.read_text(encoding="utf-8") for path in paths}
    subs = str(tmp_path / "subs")
    result = runner.invoke(app, ["grade", "ama564-a1", subs, "-f", "md", "-o", subs])
    assert result.exit_code == 1, result.output  # graded; one answer is wrong
    assert {path: path.read_text(encoding="utf-8") for path in paths} == before
    reports = sorted(p.name for p in (tmp_path / "subs").glob("*.report.md"))
    assert reports == ["student00.report.md", "student01.report.md"]


def test_a_symlink_planted_in_the_output_folder_is_not_followed(tmp_path):
    make_class(tmp_path / "subs", 1)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "student00.md").symlink_to(victim)
    result = runner.invoke(app, ["grade", "ama564-a1", str(tmp_path / "subs"), "-f", "md", "-o", str(out)])
    assert result.exit_code == 1, result.output  # graded; the answer is wrong
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert not (out / "student00.md").is_symlink() and "student00" in (out / "student00.md").read_text()


def test_an_unwritable_output_folder_is_refused_before_grading(tmp_path):
    make_class(tmp_path / "subs", 2)
    target = tmp_path / "report.txt"
    target.write_text("a file, not a folder", encoding="utf-8")
    result = runner.invoke(app, ["grade", "ama564-a1", str(tmp_path / "subs"), "-o", str(target / "x")])
    assert result.exit_code == 2 and "cannot make this folder" in result.output
    assert "[1/2]" not in result.output  # nothing was graded
    if os.geteuid() == 0:
        result = runner.invoke(app, ["grade", "ama564-a1", str(tmp_path / "subs"), "-o", "/sys/kernel"])
        assert result.exit_code == 2 and "cannot write in this folder" in result.output and "[1/2]" not in result.output


def test_a_batch_killed_midway_leaves_the_finished_reports(tmp_path):
    make_class(tmp_path / "subs", 12)
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from chainrule.cli.app import main; main()",
               "grade", "ama564-a1", str(tmp_path / "subs"), "-f", "json", "-o", str(out)]
    process = subprocess.Popen(command,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 2 and process.poll() is None:
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    reports = list(out.glob("*.json"))
    assert reports, "no report was written before the kill"
    for report in reports:  # every report present is whole
        assert json.loads(report.read_text(encoding="utf-8"))["submission"].endswith(".md")
    assert process.returncode == -signal.SIGKILL and len(reports) < 12  # it really was stopped midway


def test_a_session_run_records_every_submission_and_the_next_run_resumes(tmp_path):
    from chainrule.classroom.session import Session

    make_class(tmp_path / "subs", 4)
    session = tmp_path / "hw1.sqlite"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nstudent00,Ada\nstudent01,Alan\nstudent09,Grace\n", encoding="utf-8")
    arguments = ["grade", "ama564-a1", str(tmp_path / "subs"), "--roster", str(roster), "--session", str(session)]
    result = runner.invoke(app, [*arguments, "-j", "2"])
    assert result.exit_code == 1, result.output  # graded; two answers are wrong
    with Session.open(session) as stored:
        assert stored.count("graded") == 4 and [s.id for s in stored.absent()] == ["student09"]
        assert {row["key"]: row["name"] for row in stored.submission_rows()}["student00"] == "Ada"
    again = runner.invoke(app, arguments)
    assert again.exit_code == 0 and "4 already graded, 0 to grade" in again.output
    assert "no submission" in again.output
