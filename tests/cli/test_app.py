"""The `chainrule` command group: usage mistakes are one line with exit code 2, and help is still help."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["grade", "nyu-dl-hw1-2022"], "error: chainrule grade: Missing argument 'submissions'."),
        (["check", "x.md", "--timeout", "abc"], "error: chainrule check: Invalid value for '--timeout'"),
        (["check", "x.md", "--bogus"], "error: chainrule check: No such option: --bogus"),
        (["no-such-command"], "error: chainrule: No such command 'no-such-command'."),
        (["train", "dead-relu", "--epochs", "1e9"], "error: chainrule train: Invalid value for '--epochs'"),
    ],
)
def test_usage_mistakes_are_one_line_with_exit_2(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(expected)
    assert lines[0].endswith("--help)")


def test_help_is_still_the_full_help():
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "--budget" in result.output and "Exits 0 when nothing is wrong" in result.output
    assert runner.invoke(app, ["--help"]).exit_code == 0


def test_an_os_error_in_a_command_is_one_line_with_exit_3():
    import errno

    import typer

    from chainrule.cli.app import located_errors

    def fails() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "out/report.html")

    single = typer.Typer()
    single.command()(located_errors(fails))
    result = runner.invoke(single, [])
    assert result.exit_code == 3
    assert result.output.strip().splitlines() == ["error: out/report.html: No space left on device"]


def _single(function):
    import typer

    from chainrule.cli.app import located_errors

    single = typer.Typer()
    single.command()(located_errors(function))
    return single


def test_an_unexpected_error_is_one_line_with_a_hint_and_debug_shows_the_traceback(monkeypatch):
    def buggy() -> None:
        {}["missing"]

    monkeypatch.delenv("CHAINRULE_DEBUG", raising=False)
    result = runner.invoke(_single(buggy), [])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "unexpected KeyError" in lines[0] and "--debug" in lines[0]
    monkeypatch.setenv("CHAINRULE_DEBUG", "1")
    debug = runner.invoke(_single(buggy), [])
    assert debug.exit_code == 3 and "Traceback" in debug.output and "KeyError" in debug.output


def test_control_characters_in_an_error_never_reach_the_terminal():
    from chainrule.errors import InputError

    def hostile() -> None:
        raise InputError("bad \x1b]52;c;ZXZpbA==\x07 value", "line 1")

    result = runner.invoke(_single(hostile), [])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output and "␛]52" in result.output


def test_ctrl_c_is_one_line_not_a_traceback(tmp_path):
    import subprocess
    import sys

    # Abort (what click makes of Ctrl-C) used to be looked up where it does not exist: a chained traceback.
    code = ("import typer\nfrom chainrule.cli import app as m\n"
            "def boom():\n    raise KeyboardInterrupt\n"
            "m.app.command('boom')(m.located_errors(boom))\nm.main(['boom'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "error: interrupted"


def test_version_and_debug_anywhere():
    from chainrule import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"chainrule {__version__}"
    assert "--debug" in runner.invoke(app, ["--help"]).output


def test_every_command_documents_the_exit_codes():
    from chainrule.cli.app import COMMANDS

    for name, _, _ in COMMANDS:
        help_text = " ".join(runner.invoke(app, [name, "--help"]).output.replace("│", " ").split())
        assert "Exit status: 0 done, nothing wrong found; 1 something wrong found; 2 bad input" in help_text, name


def test_a_closed_pipe_ends_quietly(tmp_path):
    import subprocess
    from pathlib import Path

    chainrule = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "chainrule"
    if not chainrule.exists():
        import pytest

        pytest.skip("needs the installed console script")
    # `list` prints more than `head -1` reads; the rest goes into a closed pipe.
    done = subprocess.run(f"'{chainrule}' list | head -1", shell=True, capture_output=True, text=True, timeout=120)
    assert done.stdout == "assignments:\n"
    assert done.stderr == "", done.stderr
