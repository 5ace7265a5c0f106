"""Bad input: one located InputError (exit 2 from the CLI), never a traceback, a hang or a file read."""

import os

import pytest
from typer.testing import CliRunner

from chainrule.cli.app import app
from chainrule.documents import open_document, read_document
from chainrule.errors import InputError

runner = CliRunner()


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: costs no disk
    with pytest.raises(InputError) as caught:
        open_document(path)
    assert "50,000,000 bytes" in caught.value.message and caught.value.where == str(path)


@pytest.mark.parametrize("name", ["huge.pdf", "huge.ipynb", "huge.tex", "huge"])
def test_every_format_has_a_size_bound(tmp_path, name):
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n" if name.endswith(".pdf") else b"{\"nbformat\": 4, \"cells\": [")
        handle.truncate(50_000_000)
    with pytest.raises(InputError, match="more than"):
        open_document(path)


def test_binary_junk_is_one_line():
    junk = bytes(range(256)) * 64
    with pytest.raises(InputError, match="binary"):
        read_document(junk, "junk.md")
    with pytest.raises(InputError, match="UTF-8"):
        read_document(b"caf\xe9\n$x = 1$", "latin.tex")
    with pytest.raises(InputError, match="control characters"):
        read_document(b"\x01\x02\x03\x04" * 100, "ctrl.txt")


def test_devices_directories_and_missing_files(tmp_path):
    for path, reason in ((tmp_path, "directory"), (tmp_path / "nope.md", "no such file"),
                         ("/dev/zero", "not a regular file")):
        with pytest.raises(InputError, match=reason):
            open_document(path)
    fifo = tmp_path / "pipe.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        open_document(fifo)


def cli(*args):
    return runner.invoke(app, [*map(str, args)])


def test_the_cli_gives_one_located_line_and_exit_2(tmp_path):
    notebook = tmp_path / "hw.ipynb"
    notebook.write_text("{not json")
    junk = tmp_path / "junk.tex"
    junk.write_bytes(b"\x00\x01binary")
    for path in (notebook, junk):
        for command in ("check", "parse"):
            result = cli(command, path)
            assert result.exit_code == 2, result.output
            assert "Traceback" not in result.output
            assert str(path) in result.output


def test_check_of_latex_with_input_or_a_runaway_def_shows_what_it_read_and_exits_2(tmp_path):
    path = tmp_path / "hw.tex"
    path.write_text("\\def\\x{\\x\\x}\n\\begin{document}\n\\input{/etc/passwd}\n$2 + 2 = 4$ and $\\x$\n"
                    "\\end{document}\n")
    result = runner.invoke(app, ["check", str(path), "--show", "all"])
    assert result.exit_code == 2
    assert "root:" not in result.output
    assert f"{path}, line 3: \\input{{/etc/passwd}} was not read" in result.output
    assert f"{path}, line 4: \\x was left as written" in result.output
    assert "line 4" in result.output  # the claim that was read is still checked, at its source line


def test_grade_goes_on_past_bad_files(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("## 1.2 (a)\n$2 + 2 = 4$\n")
    notebook = tmp_path / "bad.ipynb"
    notebook.write_text("[1, 2")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00" * 100)
    result = runner.invoke(app, ["grade", "nyu-dl-hw1-2022", str(good), str(notebook), str(junk), "-f", "json"])
    assert "Traceback" not in result.output
    import json

    data = json.loads(result.stdout)
    assert [item["submission"] for item in data] == [str(good), str(notebook), str(junk)]
    assert "JSON" in data[1]["error"] and data[1]["graded"] is False
    assert data[0]["questions"] and not data[0]["errors"]  # the good one was graded all the same
