"""The output folder never loses a file: not an input, not a symlink's target, not a half-written report."""

import os
import tempfile
from pathlib import Path

import pytest

from chainrule.errors import InputError
from chainrule.output_folder import TEMP_PREFIX, OutputFolder, write_atomically


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in (root ignores modes, so use a kernel folder for root)."""
    if os.geteuid() == 0:
        candidate = Path("/sys/kernel")
        try:
            tempfile.NamedTemporaryFile(dir=candidate).close()
        except OSError:
            return candidate
        pytest.skip("no folder refuses root's writes here")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_a_report_never_replaces_an_input_file(tmp_path):
    submission = tmp_path / "alice.md"
    submission.write_text("my answers", encoding="utf-8")
    folder = OutputFolder(tmp_path, inputs=[submission])
    written = folder.write("alice.md", "the report")
    assert submission.read_text(encoding="utf-8") == "my answers"
    assert written.name == "alice.report.md" and written.read_text(encoding="utf-8") == "the report"


def test_an_input_reached_through_a_symlink_is_not_replaced_either(tmp_path):
    submission = tmp_path / "subs" / "alice.md"
    submission.parent.mkdir()
    submission.write_text("my answers", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "alice.md").symlink_to(submission)
    written = OutputFolder(out, inputs=[submission]).write("alice.md", "report")
    assert submission.read_text(encoding="utf-8") == "my answers" and written.name == "alice.report.md"


def test_a_symlink_in_the_output_folder_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bob.md").symlink_to(victim)
    written = OutputFolder(out).write("bob.md", "report")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not written.is_symlink() and written.read_text(encoding="utf-8") == "report"


def test_names_are_unique_within_a_run_and_folders_are_skipped(tmp_path):
    (tmp_path / "carol.md").mkdir()
    folder = OutputFolder(tmp_path)
    assert folder.write("carol.md", "1").name == "carol.report.md"
    assert folder.write("carol.md", "2").name == "carol-2.report.md"


def test_an_unwritable_folder_is_refused_up_front(tmp_path):
    target = unwritable_folder(tmp_path)
    with pytest.raises(InputError, match="cannot write in this folder"):
        OutputFolder(target)


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        OutputFolder(tmp_path / "out")
    with pytest.raises(InputError, match="cannot make this folder"):
        OutputFolder(tmp_path / "out" / "below")


def test_leftover_temporary_files_are_cleaned_and_writes_are_whole(tmp_path):
    stale = tmp_path / f"{TEMP_PREFIX}abc.tmp"
    stale.write_text("half", encoding="utf-8")
    OutputFolder(tmp_path)
    assert not stale.exists()
    target = write_atomically(tmp_path / "r.json", b"{}")
    assert target.read_bytes() == b"{}" and [p.name for p in tmp_path.iterdir()] == ["r.json"]
