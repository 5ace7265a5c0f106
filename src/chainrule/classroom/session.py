"""A grading session: one SQLite file per course assignment holding results, reviewer decisions and comments.

Why a database and not a folder of JSON: a class is graded over days by several people, a run is stopped and
resumed, the spec is fixed and everything re-graded — and none of that may lose a mark a person set.

* **Resume**: each submission is stored with a hash of its files and of the spec it was graded against; a run
  grades only what is pending, failed, changed, or graded against another spec, and commits each result as it
  arrives. Kill it anywhere and run the same command again.
* **Human decisions are never overwritten by the grader**: re-grading replaces the ``results`` rows only;
  ``decisions`` keep what the person decided *and what the grader said at the time*, so a decision whose
  automatic verdict has since changed is shown as "stale" to look at again, not silently dropped or applied.
  Every decision is also appended to ``decision_log``.
* **Concurrent readers**: WAL journal, so the review server reads while a grading run writes; writers wait
  (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chainrule.assignments.spec import Assignment
from chainrule.classroom.inputs import ClassSubmission
from chainrule.classroom.roster import Student
from chainrule.classroom.run import ClassOutcome
from chainrule.classroom.schema import MIGRATIONS, SCHEMA_VERSION
from chainrule.errors import InputError
from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict

ACTIONS = ("accept", "override", "comment")
MAX_COMMENT = 5_000
BUSY_TIMEOUT_MS = 15_000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(files: Sequence[Path]) -> str:
    """sha256 over the files' names and bytes: a resubmitted or edited file is graded again."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(Path(file).name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(file, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def spec_hash(spec_text: str) -> str:
    return hashlib.sha256(spec_text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Decision:
    key: str
    question: str
    action: str
    score: float | None
    comment: str
    reviewer: str
    auto_verdict: str | None
    auto_score: float | None
    decided_at: str


class Session:
    """One session file. Open it with :meth:`open` (existing) or :meth:`create` (new, or resumed)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection

    # -- opening -------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path) -> Session:
        """An existing session (brought up to this chainrule's schema); an InputError when there is none."""
        path = Path(path)
        if not path.is_file():
            raise InputError("no such session file" if not path.exists() else "not a session file", str(path))
        return cls(path, _connect(path))

    @classmethod
    def create(cls, path: str | Path, assignment: Assignment, spec_text: str, spec_source: str) -> Session:
        """A new session for ``assignment``, or the existing one at ``path`` if it grades the same assignment.

        The stored spec is replaced by ``spec_text`` (a fixed spec re-grades what was graded against the old one).
        """
        path = Path(path)
        if path.exists() and not path.is_file():
            raise InputError("not a session file", str(path))
        if not path.parent.is_dir():
            raise InputError("the session's folder does not exist", str(path))
        session = cls(path, _connect(path))
        known = session.meta("assignment")
        if known is not None and known != assignment.id:
            session.close()
            raise InputError(f"this session grades {known}, not {assignment.id} (one session file per assignment)",
                             str(path))
        with session.transaction():
            for key, value in (("assignment", assignment.id), ("spec", spec_text), ("spec_source", spec_source),
                               ("spec_hash", spec_hash(spec_text))):
                session.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            session.db.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (_now(),))
        return session

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` so concurrent writers queue instead of deadlocking."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def assignment(self) -> Assignment:
        """The spec this session grades against, as stored in it (the session file is self-contained)."""
        from chainrule.assignments.loader import parse_assignment

        text = self.meta("spec")
        if text is None:
            raise InputError("this session has no assignment yet (grade into it first)", str(self.path))
        return parse_assignment(text, self.meta("spec_source") or str(self.path))

    # -- grading -------------------------------------------------------------------------------------------

    def add_submissions(self, submissions: Sequence[ClassSubmission], variants: dict[str, str] | None = None,
                        force: bool = False) -> list[ClassSubmission]:
        """Record the class; returns the submissions that need grading (new, changed, failed, or another spec).

        ``force`` re-grades everything (decisions are kept either way).
        """
        current_spec = self.meta("spec_hash")
        todo: list[ClassSubmission] = []
        with self.transaction():
            for item in submissions:
                digest = content_hash(item.files)
                files = json.dumps([str(file) for file in item.files])
                variant = (variants or {}).get(item.key, "")
                row = self.db.execute("SELECT content_hash, status, spec_hash, variant FROM submissions WHERE key = ?",
                                      (item.key,)).fetchone()
                if row is None:
                    self.db.execute(
                        "INSERT INTO submissions (key, student, name, source, files, content_hash, status, added_at,"
                        " variant) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                        (item.key, item.student, item.name, item.source, files, digest, _now(), variant))
                    todo.append(item)
                    continue
                stale = (force or row[0] != digest or row[1] != "graded" or row[2] != current_spec
                         or row[3] != variant)
                self.db.execute(
                    "UPDATE submissions SET student = ?, name = ?, source = ?, files = ?, content_hash = ?, variant = ?"
                    + (", status = 'pending'" if stale else "") + " WHERE key = ?",
                    (item.student, item.name, item.source, files, digest, variant, item.key))
                if stale:
                    todo.append(item)
        return todo

    def set_absent(self, students: Sequence[Student]) -> None:
        """Roster students with no submission (shown in the gradebook as such, never as a zero by accident)."""
        with self.transaction():
            self.db.execute("DELETE FROM absent")
            self.db.executemany("INSERT OR REPLACE INTO absent VALUES (?, ?)", [(s.id, s.name) for s in students])

    def record(self, outcome: ClassOutcome) -> None:
        """Store one graded (or failed) submission in one transaction; decisions are left as they are."""
        result, key = outcome.result, outcome.submission.key
        with self.transaction():
            self.db.execute("DELETE FROM results WHERE key = ?", (key,))
            self.db.execute("DELETE FROM rendered WHERE key = ?", (key,))
            self.db.execute(
                "UPDATE submissions SET status = ?, failure = ?, spec_hash = ?, text = ?, errors = ?, graded_at = ?"
                " WHERE key = ?",
                ("graded" if outcome.graded else "failed", outcome.failure, self.meta("spec_hash"), result.text,
                 json.dumps(result.errors, ensure_ascii=False), _now(), key))
            if outcome.graded:
                self.db.executemany(
                    "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(key, q.id, position, q.verdict.value, q.score, q.max_score, q.summary,
                      json.dumps([f.to_json() for f in q.findings], ensure_ascii=False), json.dumps(q.lines))
                     for position, q in enumerate(result.questions)])

    # -- reviewing -----------------------------------------------------------------------------------------

    def decide(self, key: str, question: str, action: str, score: float | None = None, comment: str = "",
               reviewer: str = "") -> Decision:
        """Record a person's decision on one answer: accept the grader's marks, override them, or only comment.

        A comment alone keeps an earlier accept/override; an override's score must lie in [0, max marks].
        """
        if action not in ACTIONS:
            raise InputError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})", "action")
        comment = comment[:MAX_COMMENT]
        with self.transaction():
            row = self.db.execute("SELECT verdict, score, max_score FROM results WHERE key = ? AND question = ?",
                                  (key, question)).fetchone()
            if row is None:
                raise InputError(f"no graded answer of {key!r} to question {question!r}", "decision")
            verdict, auto_score, max_score = row
            earlier = self.decision(key, question)
            if action == "override":
                if score is None or not 0 <= score <= max_score:
                    raise InputError(f"marks between 0 and {max_score:g}", f"{key}, question {question}")
            elif action == "accept":
                score = auto_score
            elif earlier is not None and earlier.action != "comment":
                action, score = earlier.action, earlier.score  # a comment on a decided answer keeps the decision
            decided_at = _now()
            self.db.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, question, action, score, comment, reviewer, verdict, auto_score, decided_at))
            self.db.execute(
                "INSERT INTO decision_log (key, question, action, score, comment, reviewer, decided_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (key, question, action, score, comment, reviewer, decided_at))
        decision = self.decision(key, question)
        assert decision is not None
        return decision

    def decision(self, key: str, question: str) -> Decision | None:
        row = self.db.execute("SELECT * FROM decisions WHERE key = ? AND question = ?", (key, question)).fetchone()
        return Decision(*row) if row else None

    def decisions(self) -> dict[tuple[str, str], Decision]:
        return {(row[0], row[1]): Decision(*row) for row in self.db.execute("SELECT * FROM decisions")}

    # -- reading back --------------------------------------------------------------------------------------

    def submission_rows(self) -> list[dict[str, Any]]:
        """Every submission (key, student, name, source, status, failure, variant), by key."""
        cursor = self.db.execute(
            "SELECT key, student, name, source, status, failure, variant FROM submissions ORDER BY key")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def input_files(self) -> list[Path]:
        """Every file handed in, so nothing written for this session can ever replace one."""
        return [Path(name) for (files,) in self.db.execute("SELECT files FROM submissions")
                for name in json.loads(files)]

    def absent(self) -> list[Student]:
        return [Student(row[0], row[1]) for row in self.db.execute("SELECT student, name FROM absent ORDER BY 1")]

    def result(self, key: str) -> SubmissionResult:
        """One submission's result as the grader gave it (decisions are applied by :mod:`.marks`)."""
        row = self.db.execute("SELECT source, text, errors FROM submissions WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise InputError("no such submission in this session", key)
        questions = [_question(*values) for values in self.db.execute(
            "SELECT question, verdict, score, max_score, summary, findings, lines FROM results WHERE key = ?"
            " ORDER BY position", (key,))]
        return SubmissionResult(self.meta("assignment") or "", row[0], questions, json.loads(row[2]), row[1])

    def answers(self, question: str) -> list[tuple[str, QuestionResult]]:
        """Every graded answer to one question, by submission key (the grade-by-question view's data)."""
        return [(values[0], _question(*values[1:])) for values in self.db.execute(
            "SELECT key, question, verdict, score, max_score, summary, findings, lines FROM results"
            " WHERE question = ? ORDER BY key", (question,))]

    def count(self, status: str | None = None) -> int:
        query = "SELECT COUNT(*) FROM submissions" + (" WHERE status = ?" if status else "")
        return self.db.execute(query, (status,) if status else ()).fetchone()[0]


def _question(question: str, verdict: str, score: float, max_score: float, summary: str, findings: str,
              lines: str) -> QuestionResult:
    return QuestionResult(question, QuestionVerdict(verdict), score, max_score,
                          [finding_from_json(item) for item in json.loads(findings)], summary,
                          tuple(tuple(pair) for pair in json.loads(lines)))


def finding_from_json(data: dict[str, Any]) -> Finding:
    """The inverse of :meth:`Finding.to_json`."""
    return Finding(Verdict(data["verdict"]), data.get("line"), data.get("written", ""), data.get("reason", ""),
                   data.get("expected"), None, data.get("kind", "claim"), tuple(data.get("notes", ())),
                   data.get("answers"), data.get("latex"))


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys, migrated."""
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db, str(path))
    except sqlite3.DatabaseError as error:
        raise InputError(f"not a chainrule session ({error})", str(path)) from None
    return db


def migrate(db: sqlite3.Connection, where: str = "<session>") -> int:
    """Apply the migrations this file has not had; returns the schema version it is at now."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise InputError(f"made by a newer chainrule (schema {version}; this one knows {SCHEMA_VERSION})", where)
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            if current == version:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        version = db.execute("PRAGMA user_version").fetchone()[0]
    return version
