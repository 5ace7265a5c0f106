"""The conventions every command shares: -o/--output, --format, stdin, legacy flags, atomic writes."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from chainrule.cli.app import app
from chainrule.cli.conventions import legacy_format, write_atomically
from chainrule.errors import InputError

runner = CliRunner()
NET = "examples/ama564-net.yaml"


def test_output_writes_the_same_as_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    printed = runner.invoke(app, ["backprop", NET, "--format", "json"])
    target = tmp_path / "trace.json"
    written = runner.invoke(app, ["backprop", NET, "-f", "json", "-o", str(target)])
    assert printed.exit_code == written.exit_code == 0
    assert json.loads(target.read_text()) == json.loads(printed.output)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_legacy_flags_still_work_and_contradictions_are_bad_input(monkeypatch):
    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    legacy = runner.invoke(app, ["backprop", NET, "--md"]).output
    assert legacy == runner.invoke(app, ["backprop", NET, "-f", "md"]).output
    clash = runner.invoke(app, ["backprop", NET, "--json", "--format", "md"])
    assert clash.exit_code == 2 and clash.output.count("\n") == 1
    assert legacy_format("text", "text", json=False) == "text"
    with pytest.raises(InputError):
        legacy_format("text", "text", json=True, md=True)


def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    write_atomically(link, "report")
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_text() == "report"


def test_stdin_is_read_where_a_file_is(tmp_path):
    result = runner.invoke(app, ["parse", "-", "--stats"], input="$a = b^{2}$ and $\\frac{1}{2$\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("<stdin>:1:")


def test_list_names_assignments_activations_and_losses():
    text = runner.invoke(app, ["list"]).output
    assert "ama564-a1" in text and "leaky_relu" in text and "quantile" in text
    data = json.loads(runner.invoke(app, ["list", "activations", "--format", "json"]).output)
    assert set(data) == {"activations"}
    assert {"name": "leaky_relu", "title": "Leaky ReLU", "parameters": ["a"]} in data["activations"]


def test_every_command_writing_results_has_output_and_format():
    from chainrule.cli.app import COMMANDS

    for name, _, _ in COMMANDS:
        if name == "review":  # serves a session in the browser; writes no results
            continue
        help_text = runner.invoke(app, [name, "--help"]).output
        assert "--output" in help_text and "-o" in help_text, name
        if name not in ("schema", "variants"):  # variants writes Markdown and HTML both
            assert "--format" in help_text, name
