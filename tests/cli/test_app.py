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


def test_an_os_error_in_a_command_is_one_line_with_exit_1():
    import errno

    import typer

    from chainrule.cli.app import located_errors

    def fails() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "out/report.html")

    single = typer.Typer()
    single.command()(located_errors(fails))
    result = runner.invoke(single, [])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["error: out/report.html: No space left on device"]
