"""A class from the paths a TA types: folders, student folders, globs and a roster; bad paths are errors."""

import os
from pathlib import Path

import pytest

from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.roster import parse_roster, read_roster
from chainrule.errors import InputError


def make(path: Path, text: str = "## 1\n$x = 1$\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_gives_one_submission_per_file_and_per_student_folder(tmp_path):
    make(tmp_path / "class" / "alice.md")
    make(tmp_path / "class" / "bob.tex")
    make(tmp_path / "class" / "carol" / "hw1.ipynb", "{}")
    make(tmp_path / "class" / "carol" / "notes" / "part2.md")
    make(tmp_path / "class" / ".DS_Store")
    make(tmp_path / "class" / "readme.docx")
    found = collect_submissions([tmp_path / "class"])
    assert [item.key for item in found.submissions] == ["alice", "bob", "carol"]
    carol = found.submissions[2]
    assert carol.folder and [f.name for f in carol.files] == ["hw1.ipynb", "part2.md"]
    assert any("readme.docx" in note and "not a format" in note for note in found.notes)


def test_the_same_work_in_two_formats_is_graded_once_from_its_source(tmp_path):
    make(tmp_path / "dave" / "hw.tex")
    make(tmp_path / "dave" / "hw.pdf", "%PDF-1.4")
    found = collect_submissions([tmp_path])
    assert [f.name for f in found.submissions[0].files] == ["hw.tex"]


def test_keys_are_unique_and_do_not_depend_on_argument_order(tmp_path):
    paths = [make(tmp_path / "a" / "alice.md"), make(tmp_path / "b" / "alice.md"), make(tmp_path / "a" / "alice.tex"),
             make(tmp_path / "a" / "bob.md")]
    keys = {item.source: item.key for item in collect_submissions(paths).submissions}
    reversed_keys = {item.source: item.key for item in collect_submissions(paths[::-1]).submissions}
    assert keys == reversed_keys and len(set(keys.values())) == 4
    assert keys[str(paths[3])] == "bob"
    assert keys[str(paths[2])] == "alice_tex"


@pytest.mark.parametrize(("argument", "message"), [
    ("missing.md", "no such file or folder"),
    ("sub*/*.md", "no file matches this pattern"),
    ("empty", "no submissions in this folder"),
])
def test_bad_paths_are_located_errors(tmp_path, argument, message):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=message) as caught:
        collect_submissions([str(tmp_path / argument)])
    assert caught.value.where == str(tmp_path / argument)


def test_a_pipe_is_refused_before_it_can_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(InputError, match="not a regular file"):
        collect_submissions([tmp_path / "pipe.md"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_refused(tmp_path):
    path = make(tmp_path / "x.md")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read this file"):
        collect_submissions([path])


def test_a_glob_expands_and_a_file_named_twice_is_graded_once(tmp_path):
    make(tmp_path / "a.md")
    make(tmp_path / "b.md")
    found = collect_submissions([str(tmp_path / "*.md"), tmp_path / "a.md"])
    assert [item.key for item in found.submissions] == ["a", "b"]
    assert any("given twice" in note for note in found.notes)


def test_a_roster_names_students_and_lists_who_handed_nothing_in(tmp_path):
    make(tmp_path / "subs" / "s001.md")
    make(tmp_path / "subs" / "late-work.md")
    make(tmp_path / "subs" / "zed.md")
    roster_file = make(tmp_path / "roster.csv", "Student ID,Name,File\ns001,Ada Lovelace,\n"
                       "s002,Alan Turing,subs/late-work.md\ns003,Grace Hopper,\n")
    found = collect_submissions([tmp_path / "subs"], read_roster(roster_file))
    by_key = {item.key: item for item in found.submissions}
    assert by_key["s001"].name == "Ada Lovelace" and by_key["s002"].name == "Alan Turing"
    assert "zed" in by_key and any("not on the roster" in note for note in found.notes)
    assert [student.id for student in found.absent] == ["s003"]


def test_a_roster_file_that_does_not_exist_is_located_at_its_line(tmp_path):
    roster = parse_roster("id,name,file\nx1,X,gone.md\n", "r.csv", base=tmp_path)
    with pytest.raises(InputError, match="no such file") as caught:
        collect_submissions([], roster)
    assert caught.value.where.startswith("r.csv, line 2")


@pytest.mark.parametrize(("text", "message"), [
    ("name\nAda\n", "no student id column"),
    ("id,name\na,A\na,B\n", "already on line 2"),
    ("id,name\n,A\n", "a student id is required"),
    ("", "empty"),
])
def test_bad_rosters_are_located_errors(text, message):
    with pytest.raises(InputError, match=message):
        parse_roster(text, "r.csv")
