"""The grading session: results and decisions in SQLite, resumable, migrated, decisions kept over re-grading."""

import sqlite3
import threading

import pytest

from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.marks import class_marks
from chainrule.classroom.run import grade_class
from chainrule.classroom.schema import MIGRATIONS, SCHEMA_VERSION
from chainrule.classroom.session import Session
from chainrule.classroom.specs import load_spec
from chainrule.errors import InputError

PROOF = "\n## Question 2\n\nThe risk is minimised where its derivative in c vanishes, so F(c) = tau.\n"
RIGHT = "## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x)^2$$\n" + PROOF
WRONG = "## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x^2)$$\n"
SPEC, SPEC_TEXT, SPEC_SOURCE = load_spec("ama564-a1")


def class_folder(tmp_path, count=3):
    folder = tmp_path / "subs"
    folder.mkdir()
    for index in range(count):
        (folder / f"s{index}.md").write_text(WRONG if index % 2 else RIGHT, encoding="utf-8")
    return collect_submissions([folder]).submissions


def graded_session(tmp_path, count=3):
    submissions = class_folder(tmp_path, count)
    session = Session.create(tmp_path / "hw.sqlite", SPEC, SPEC_TEXT, SPEC_SOURCE)
    todo = session.add_submissions(submissions)
    grade_class(SPEC, todo, on_done=lambda outcome, done, total: session.record(outcome))
    return session, submissions


def test_every_submission_is_recorded_and_a_second_run_grades_nothing(tmp_path):
    session, submissions = graded_session(tmp_path)
    assert session.count("graded") == 3
    assert session.add_submissions(submissions) == []
    (tmp_path / "subs" / "s1.md").write_text(RIGHT, encoding="utf-8")  # a resubmission is graded again
    assert [item.key for item in session.add_submissions(submissions)] == ["s1"]


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path):
    submissions = class_folder(tmp_path, 4)
    session = Session.create(tmp_path / "hw.sqlite", SPEC, SPEC_TEXT, SPEC_SOURCE)
    todo = session.add_submissions(submissions)

    class Stop(Exception):
        pass

    def record_then_stop(outcome, done, total):
        session.record(outcome)
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        grade_class(SPEC, todo, on_done=record_then_stop)
    session.close()
    reopened = Session.open(tmp_path / "hw.sqlite")
    # two were recorded (a busy machine may make one of them a "not graded", which a resumed run retries)
    assert reopened.count("graded") + reopened.count("failed") == 2, reopened.submission_rows()
    remaining = reopened.add_submissions(submissions)
    assert len(remaining) == 4 - reopened.count("graded")
    grade_class(SPEC, remaining, on_done=lambda outcome, done, total: reopened.record(outcome))
    assert reopened.count("pending") == 0 and reopened.count("graded") + reopened.count("failed") == 4


def test_regrading_after_a_spec_fix_keeps_every_decision(tmp_path):
    session, submissions = graded_session(tmp_path)
    question = session.result("s0").questions[0].id
    session.decide("s0", question, "override", 0.5, comment="see margin", reviewer="ta1")
    session.decide("s1", question, "comment", comment="nice")
    fixed = SPEC_TEXT.replace("title:", "title: (fixed)", 1)
    session = Session.create(tmp_path / "hw.sqlite", SPEC, fixed, SPEC_SOURCE)
    todo = session.add_submissions(submissions)
    assert len(todo) == 3  # graded against another spec: all again
    grade_class(SPEC, todo, on_done=lambda outcome, done, total: session.record(outcome))
    decision = session.decision("s0", question)
    assert (decision.action, decision.score, decision.comment) == ("override", 0.5, "see margin")
    marks = {m.key: m for m in class_marks(session)}
    assert marks["s0"].questions[question].score == 0.5 and marks["s0"].questions[question].source == "reviewed"
    assert marks["s1"].questions[question].comment == "nice"


def test_a_comment_keeps_the_decision_and_overrides_are_bounded(tmp_path):
    session, _ = graded_session(tmp_path, 1)
    question = session.result("s0").questions[0]
    session.decide("s0", question.id, "override", question.max_score)
    session.decide("s0", question.id, "comment", comment="good")
    decision = session.decision("s0", question.id)
    assert decision.action == "override" and decision.score == question.max_score and decision.comment == "good"
    with pytest.raises(InputError, match="marks between 0"):
        session.decide("s0", question.id, "override", question.max_score + 1)
    log = session.db.execute("SELECT action FROM decision_log ORDER BY id").fetchall()
    assert [row[0] for row in log] == ["override", "override"]


def test_totals_keep_automatic_and_reviewed_marks_apart_until_settled(tmp_path):
    session, _ = graded_session(tmp_path, 1)
    marks = class_marks(session)[0]
    pending = [m for m in marks.questions.values() if m.source == "pending"]
    assert pending and not marks.final
    for mark in pending:
        session.decide("s0", mark.question, "override", mark.max_score)
    settled = class_marks(session)[0]
    assert settled.final and settled.reviewed == sum(m.max_score for m in pending)
    assert settled.total == settled.automatic + settled.reviewed


def test_a_session_of_another_assignment_is_refused(tmp_path):
    graded_session(tmp_path, 1)[0].close()
    other, text, source = load_spec("you-nndl-hw1")
    with pytest.raises(InputError, match="this session grades ama564-a1"):
        Session.create(tmp_path / "hw.sqlite", other, text, source)


def test_an_old_session_file_is_migrated_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO submissions (key, source, files, content_hash, status, added_at)"
               " VALUES ('a', 'a.md', '[]', 'x', 'pending', 'now')")
    db.commit()
    db.close()
    session = Session.open(path)
    assert session.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert session.submission_rows()[0]["variant"] == ""
    session.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    session.close()
    with pytest.raises(InputError, match="newer chainrule"):
        Session.open(path)
    (tmp_path / "junk.sqlite").write_text("not a database", encoding="utf-8")
    with pytest.raises(InputError, match="not a chainrule session"):
        Session.open(tmp_path / "junk.sqlite")


def test_readers_see_committed_results_while_a_writer_works(tmp_path):
    session, _ = graded_session(tmp_path, 2)
    assert session.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    question = session.result("s0").questions[0].id
    errors = []

    def read_many():
        reader = Session.open(tmp_path / "hw.sqlite")
        try:
            for _ in range(50):
                assert len(class_marks(reader)) == 2
        except Exception as error:  # reported to the main thread
            errors.append(error)
        finally:
            reader.close()

    threads = [threading.Thread(target=read_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    for index in range(50):
        session.decide("s0", question, "comment", comment=f"note {index}")
    for thread in threads:
        thread.join()
    assert errors == []
