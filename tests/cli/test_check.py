"""`chainrule check FILE`, in-process: exit 0 when nothing is wrong, 1 when something is, 2 on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["check", *args])


def write(tmp_path, text: str):
    path = tmp_path / "answer.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_wrong_claim_exits_1_and_names_the_line(tmp_path):
    path = write(tmp_path, "Intro.\n\n$$\\frac{d}{dx}\\tanh x = 1 - \\tanh(x^2)$$\n")
    result = invoke(str(path))
    assert result.exit_code == 1, result.output
    assert "line 3:" in result.output
    assert "tanh(x²)" in result.output
    assert "1 wrong" in result.output


def test_nothing_wrong_exits_0(tmp_path):
    path = write(tmp_path, "$$\\sigma(0.3275) = 0.5812$$\n")
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    assert "nothing wrong found" in result.output


def test_json_format(tmp_path):
    path = write(tmp_path, "$$2 + 2 = 5$$\n\n$$1 + 1 = 2$$\n")
    result = invoke(str(path), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["counts"] == {"right": 1, "wrong": 1, "undecided": 0}
    assert data["findings"][0]["line"] == 1 and data["findings"][0]["verdict"] == "wrong"


def test_show_all_lists_right_claims_too(tmp_path):
    path = write(tmp_path, "$$1 + 1 = 2$$\n")
    assert "line 1" not in invoke(str(path)).output
    assert "line 1" in invoke(str(path), "--show", "all").output


def test_bad_input_exits_2_with_one_line(tmp_path):
    missing = invoke(str(tmp_path / "nope.md"))
    assert missing.exit_code == 2
    assert "no such file" in missing.output
    path = write(tmp_path, "$$1 = 1$$")
    bad_format = invoke(str(path), "--format", "xml")
    assert bad_format.exit_code == 2 and "--format" in bad_format.output
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\xff\xfe\x00")
    assert invoke(str(binary)).exit_code == 2


def test_help_mentions_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Exits 0 when nothing is wrong" in result.output


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_files_that_are_not_text_are_refused_in_one_line(tmp_path):
    import os

    assert "directory" in one_line_error(invoke(str(tmp_path)))
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)  # would block forever if read
    assert "not a regular file" in one_line_error(invoke(str(fifo)))
    nul = tmp_path / "nul.md"
    nul.write_bytes(b"$x$\x00\x01")
    assert "binary" in one_line_error(invoke(str(nul)))
    latin = tmp_path / "latin.md"
    latin.write_bytes("caf\xe9 $x = 1$".encode("latin-1"))
    assert "UTF-8" in one_line_error(invoke(str(latin)))
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"a" * 2_000_001)
    assert "bytes" in one_line_error(invoke(str(huge)))


def test_empty_file_has_nothing_wrong(tmp_path):
    result = invoke(str(write(tmp_path, "")))
    assert result.exit_code == 0 and "nothing wrong found" in result.output


def test_budget_must_be_positive(tmp_path):
    assert "--budget" in one_line_error(invoke(str(write(tmp_path, "$1 = 1$")), "--budget", "0"))


def test_a_claim_too_heavy_to_check_is_stopped_at_the_budget(tmp_path):
    # 10^(10^10) has ten billion digits: computing it would run for minutes and eat memory. Whatever the checker
    # does with it, the command must come back: either undecided (exit 0) or a one-line refusal at the budget.
    path = write(tmp_path, "$10^{10^{10}} = 5$\n")
    result = invoke(str(path), "--budget", "1")
    if result.exit_code == 2:
        assert "budget" in one_line_error(result)
    else:
        assert result.exit_code in (0, 1), result.output


def test_stopping_at_the_budget_leaves_no_claim_computing(tmp_path, monkeypatch):
    # The claim's own bounded call runs in a grandchild; killing the check at the budget must end it too.
    import os
    import time

    import chainrule.cli.check as check_command

    groups: list[int] = []
    end_group = check_command._end_group
    monkeypatch.setattr(check_command, "_end_group", lambda group: (groups.append(group), end_group(group)))
    path = write(tmp_path, "$\\sigma(x)^{99999999} = x^{99999999}$\n")
    result = invoke(str(path), "--budget", "1", "--timeout", "30")
    assert result.exit_code in (0, 2), result.output
    assert len(groups) == 1 and groups[0] > 0
    for _ in range(40):
        try:
            os.killpg(groups[0], 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("a process of the stopped check is still running")


def test_escape_sequences_in_a_submission_never_reach_the_terminal(tmp_path):
    # An OSC 52 sequence writes the clipboard; a CSI one recolours or hides text; U+202E reverses a line.
    hostile = tmp_path / "hostile.md"
    hostile.write_text("$$1 + 1 = 3$$ \x1b]52;c;ZXZpbA==\x07 \x1b[8m hidden \u202e\n\n$$2 + 2 = 5 \x1b[2J$$\n")
    for fmt in ("text", "json"):
        result = runner.invoke(app, ["check", str(hostile), "--format", fmt, "--show", "all"])
        assert result.exit_code in (0, 1), result.output
        assert not any(ch in result.output for ch in "\x1b\x07\u202e"), (fmt, result.output)
