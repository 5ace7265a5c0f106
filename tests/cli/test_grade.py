import json

from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()

ANSWER = """## 1.2

(c) $\\frac{\\partial \\ell}{\\partial \\mathbf{b}^{(2)}} = \\frac{\\partial \\ell}{\\partial \\hat{\\mathbf{y}}}
\\frac{\\partial \\hat{\\mathbf{y}}}{\\partial \\mathbf{z}_3}$

(d) $\\frac{\\partial \\mathbf{z}_2}{\\partial \\mathbf{z}_1} \\in \\mathbb{R}^{K}$
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_grade_exits_1_when_it_finds_something_wrong_and_reads_stdin(tmp_path):
    wrong = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", "-", "-f", "json"], input=ANSWER)
    assert wrong.exit_code == 1, wrong.output
    assert json.loads(wrong.output)["submission"] == "<stdin>"
    nothing_wrong = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", "-", "-f", "json"], input="nothing here")
    assert nothing_wrong.exit_code == 0, nothing_wrong.output


def test_grade_prints_a_text_report(tmp_path):
    path = write(tmp_path, "alice.md", ANSWER)
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(path)])
    assert result.exit_code == 1, result.output
    assert "alice.md" in result.output and "nyu-dl-hw1-2022" in result.output
    assert "✗ line 6:" in result.output and "is m×m, not K" in result.output


def test_grade_json_for_two_submissions_is_an_array(tmp_path):
    first = write(tmp_path, "a.md", ANSWER)
    second = write(tmp_path, "b.md", "nothing here")
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(first), str(second), "--format", "json", "-j", "2"])
    assert result.exit_code == 1, result.output  # a wrong answer was found
    data = json.loads(result.stdout)
    assert [item["submission"] for item in data] == [str(first), str(second)]
    verdicts = {q["id"]: q["verdict"] for q in data[0]["questions"]}
    assert verdicts["1.2c"] == "right" and verdicts["1.2d"] == "wrong" and verdicts["1.2a"] == "missing"
    assert {q["verdict"] for q in data[1]["questions"]} == {"missing"}


def test_grade_writes_one_file_per_submission(tmp_path):
    path = write(tmp_path, "alice.md", ANSWER)
    out = tmp_path / "out"
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(path), "-f", "gradescope", "-o", str(out)])
    assert result.exit_code == 1, result.output
    data = json.loads((out / "alice.results.json").read_text())
    assert {test["name"] for test in data["tests"]} >= {"Question 1.2c", "Question 1.2d"}


def test_unknown_format_and_missing_file_exit_2_with_one_line(tmp_path):
    path = write(tmp_path, "alice.md", ANSWER)
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(path), "--format", "pdf"])
    assert result.exit_code == 2 and "--format" in result.output
    result = runner.invoke(app, ["grade", "no-such-assignment", str(path)])
    assert result.exit_code == 2 and "built-ins" in result.output


def test_a_missing_submission_is_one_line_and_exit_2_never_a_score(tmp_path):
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(tmp_path / "missing.md"), "-f", "json"])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'missing.md'}: no such file or folder"


def test_one_junk_submission_among_several_still_gives_n_out(tmp_path):
    good = write(tmp_path, "good.md", ANSWER)
    other = write(tmp_path, "other.md", ANSWER)
    binary = tmp_path / "junk.md"
    binary.write_bytes(bytes(range(256)) * 4)
    paths = [good, binary, other]
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", *map(str, paths), "-f", "json", "-j", "2"])
    assert result.exit_code == 2  # the junk file is bad input; the others are graded all the same
    data = json.loads(result.stdout[:result.stdout.index("\n]\n") + 2])
    assert [item["submission"] for item in data] == list(map(str, paths))
    assert data[1] == {"submission": str(binary), "graded": False, "error": data[1]["error"]}
    assert f"error: {binary}: " in result.stderr
