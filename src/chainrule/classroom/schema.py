"""The grading session's SQLite schema, as numbered migrations (``PRAGMA user_version`` says which ran).

A session file outlives chainrule versions: a TA grades in week 3 and exports in week 5 after an upgrade. Each
migration is applied once, in order, in one transaction; a file newer than this chainrule is refused rather
than guessed at. Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: what was handed in, what the grader said, what people decided.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE submissions (
        key TEXT PRIMARY KEY,
        student TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        files TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'graded', 'failed')),
        failure TEXT,
        spec_hash TEXT,
        text TEXT NOT NULL DEFAULT '',
        errors TEXT NOT NULL DEFAULT '[]',
        added_at TEXT NOT NULL,
        graded_at TEXT
    );
    CREATE TABLE results (
        key TEXT NOT NULL REFERENCES submissions(key) ON DELETE CASCADE,
        question TEXT NOT NULL,
        position INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        summary TEXT NOT NULL,
        findings TEXT NOT NULL,
        lines TEXT NOT NULL,
        PRIMARY KEY (key, question)
    );
    CREATE INDEX results_by_question ON results (question, key);
    CREATE TABLE decisions (
        key TEXT NOT NULL REFERENCES submissions(key) ON DELETE CASCADE,
        question TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('accept', 'override', 'comment')),
        score REAL,
        comment TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        auto_verdict TEXT,
        auto_score REAL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (key, question)
    );
    """,
    # 2: every decision ever made, in order (a decision replaced by a later one is still on record); students
    # on the roster who handed nothing in; rendered answers, so a review page of 200 answers is a lookup.
    """
    CREATE TABLE decision_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        question TEXT NOT NULL,
        action TEXT NOT NULL,
        score REAL,
        comment TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL
    );
    CREATE TABLE absent (student TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
    CREATE TABLE rendered (
        key TEXT NOT NULL REFERENCES submissions(key) ON DELETE CASCADE,
        question TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        html TEXT NOT NULL,
        PRIMARY KEY (key, question)
    );
    """,
    # 3: per-student variants: the numbers each student's assignment was generated with.
    """
    ALTER TABLE submissions ADD COLUMN variant TEXT NOT NULL DEFAULT '';
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
