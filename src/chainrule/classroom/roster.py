"""A class roster: one row per student (id, name, and optionally the file they handed in), read from CSV.

LMS exports name their columns differently (``SID``, ``Student ID``, ``email``…), so a few common headers are
accepted for each column; anything the roster gets wrong is one located error (``roster.csv, line 7: …``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from chainrule.errors import InputError

MAX_ROSTER_BYTES = 5_000_000
MAX_STUDENTS = 20_000

_ID_HEADERS = ("student_id", "id", "sid", "studentid", "student", "email", "login", "username")
_NAME_HEADERS = ("name", "full_name", "fullname", "student_name")
_FILE_HEADERS = ("file", "submission", "path", "filename")
_ID = re.compile(r"[^\x00-\x1f\x7f]{1,128}")


@dataclass(frozen=True)
class Student:
    """One roster row. ``file`` is resolved against the roster's folder; ``line`` is where the row is."""

    id: str
    name: str = ""
    file: Path | None = None
    line: int = 0


@dataclass(frozen=True)
class Roster:
    source: str
    students: tuple[Student, ...]

    def by_id(self) -> dict[str, Student]:
        return {student.id: student for student in self.students}


def _column(headers: list[str], choices: tuple[str, ...]) -> int | None:
    normalised = [re.sub(r"[^a-z]", "_", header.strip().lower()).strip("_") for header in headers]
    for choice in choices:
        if choice in normalised:
            return normalised.index(choice)
    return None


def read_roster(path: str | Path) -> Roster:
    """Read and check a roster CSV (UTF-8, a header row); ids must be unique and non-empty."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError("no such roster file" if not path.exists() else "the roster is not a regular file", source)
    try:
        data = path.read_bytes()[: MAX_ROSTER_BYTES + 1]
    except OSError as error:
        raise InputError(f"cannot read the roster ({error.strerror or error})", source) from None
    if len(data) > MAX_ROSTER_BYTES:
        raise InputError(f"a roster of more than {MAX_ROSTER_BYTES:,} bytes", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError("not UTF-8 text: save the roster as UTF-8 CSV", f"{source}, line {line}") from None
    return parse_roster(text, source, base=path.parent)


def parse_roster(text: str, source: str = "<roster>", base: Path | None = None) -> Roster:
    """Roster rows from CSV text; a ``file`` column is resolved against ``base``."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError("the roster is empty (expected a header row: student_id,name,file)", source)
    headers = rows[0]
    id_column = _column(headers, _ID_HEADERS)
    if id_column is None:
        raise InputError(f"no student id column (one of: {', '.join(_ID_HEADERS)})", f"{source}, line 1")
    name_column = _column(headers, _NAME_HEADERS)
    file_column = _column(headers, _FILE_HEADERS)
    students: list[Student] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{source}, line {number}"
        if len(students) >= MAX_STUDENTS:
            raise InputError(f"more than {MAX_STUDENTS} students", where)
        student_id = row[id_column].strip() if id_column < len(row) else ""
        if not _ID.fullmatch(student_id):
            raise InputError("a student id is required (printable, at most 128 characters)", where)
        if student_id in seen:
            raise InputError(f"student id {student_id!r} already on line {seen[student_id]}", where)
        seen[student_id] = number
        name = row[name_column].strip() if name_column is not None and name_column < len(row) else ""
        file: Path | None = None
        if file_column is not None and file_column < len(row) and row[file_column].strip():
            file = Path(row[file_column].strip())
            if base is not None and not file.is_absolute():
                file = base / file
        students.append(Student(student_id, name[:200], file, number))
    if not students:
        raise InputError("the roster has a header but no students", source)
    return Roster(source, tuple(students))
