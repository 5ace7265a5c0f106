"""What a class hands in, from the paths a TA types: files, folders, one folder per student, globs, a roster.

``chainrule grade SPEC submissions/`` must grade every submission in the folder, and a typo must never turn
into a student's zero. So every path is checked before anything is graded: a path that does not exist, a glob
that matched nothing, a folder with no submission in it or a file that cannot be opened is one located
:class:`InputError` (the CLI's exit 2). What a file *contains* is the reader's business, later: a binary or
broken file gets its own "not graded" result and the batch goes on.

Each submission gets a *key*: the name of its reports and its row in a session. Keys come from the student
(the roster's id, the student's folder, the file's stem), never from argument order, and are made unique by
adding what tells clashing entries apart (the extension, the parent folder, finally a short hash of the path).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from chainrule.classroom.roster import Roster, Student
from chainrule.errors import InputError

# The formats the document readers know, in the order one is preferred when a student's folder holds the same
# work twice (hw.tex and the hw.pdf made from it: the source reads better).
SUBMISSION_SUFFIXES: tuple[str, ...] = (
    ".tex", ".latex", ".ltx", ".md", ".markdown", ".mdown", ".ipynb", ".txt", ".text", ".py", ".pdf",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp",
)
MAX_FILES_PER_STUDENT = 20
MAX_DEPTH = 4
_GLOB = re.compile(r"[*?\[]")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


@dataclass(frozen=True)
class ClassSubmission:
    """One student's submission: its files (several for a student folder), its key and who handed it in."""

    key: str
    files: tuple[Path, ...]
    source: str  # how people know it: the path typed or found
    student: str = ""  # roster id, when the roster names the student
    name: str = ""
    folder: bool = False  # a student's folder rather than a single file
    text: str | None = None  # handed in as text (standard input) rather than as files


@dataclass
class ClassList:
    """Every submission found, roster students who handed nothing in, and remarks about skipped files."""

    submissions: list[ClassSubmission]
    absent: list[Student] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def collect_submissions(paths: Sequence[str | Path], roster: Roster | None = None, *,
                        allow_empty: bool = False) -> ClassList:
    """Expand ``paths`` (and the roster's ``file`` column) into keyed submissions; an InputError for a bad path.

    Nothing at all to grade is an error too, unless ``allow_empty`` (the caller adds submissions of its own).
    """
    notes: list[str] = []
    found: list[ClassSubmission] = []
    for argument in paths:
        found.extend(_expand(str(argument), notes))
    if roster is not None:
        for student in roster.students:
            if student.file is not None:
                where = f"{roster.source}, line {student.line}"
                found.extend(_expand(str(student.file), notes, where=where))
    found = _deduplicate(found, notes)
    if not found and not allow_empty:
        raise InputError("no submissions given", "PATH")
    absent: list[Student] = []
    if roster is not None:
        found, absent = _match_roster(found, roster, notes)
    return ClassList(_unique_keys(found), absent, notes)


def _expand(argument: str, notes: list[str], where: str | None = None) -> list[ClassSubmission]:
    path = Path(argument)
    located = f"{where}: {argument}" if where else argument
    if not os.path.lexists(path):
        if _GLOB.search(argument):
            matches = sorted(glob.glob(argument))
            if not matches:
                raise InputError("no file matches this pattern", located)
            return [item for match in matches for item in _expand(match, notes, where)]
        raise InputError("no such file or folder", located)
    if path.is_dir():
        return _expand_folder(path, notes, located)
    _check_openable(path, located)
    return [ClassSubmission(slug(path.stem), (path,), argument)]


def _check_openable(path: Path, located: str) -> None:
    if not path.is_file():  # a device or a pipe could be read forever
        raise InputError("not a regular file", located)
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as error:
        raise InputError(f"cannot read this file ({error.strerror or error})", located) from None


def _visible(folder: Path) -> list[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if not entry.name.startswith((".", "~$", "__")))
    except OSError as error:
        raise InputError(f"cannot list this folder ({error.strerror or error})", str(folder)) from None


def _is_submission_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUBMISSION_SUFFIXES


def _expand_folder(folder: Path, notes: list[str], located: str) -> list[ClassSubmission]:
    """Files in the folder are one submission each; each subfolder is one student's submission."""
    found: list[ClassSubmission] = []
    for entry in _visible(folder):
        if entry.is_dir():
            files = student_files(entry, notes)
            if files:
                found.append(ClassSubmission(slug(entry.name), tuple(files), str(entry), folder=True))
            else:
                notes.append(f"{entry}: skipped, no submission file in this folder")
        elif _is_submission_file(entry):
            _check_openable(entry, str(entry))
            found.append(ClassSubmission(slug(entry.stem), (entry,), str(entry)))
        elif entry.suffix.lower() != ".csv":
            notes.append(f"{entry}: skipped, not a format chainrule reads ({entry.suffix or 'no extension'})")
    if not found:
        raise InputError(f"no submissions in this folder (looked for {', '.join(SUBMISSION_SUFFIXES[:9])}, …)",
                         located)
    return found


def student_files(folder: Path, notes: list[str], depth: int = 0) -> list[Path]:
    """A student folder's submission files; of files sharing a stem, the preferred format only."""
    files: list[Path] = []
    for entry in _visible(folder):
        if entry.is_dir() and depth < MAX_DEPTH:
            files.extend(student_files(entry, notes, depth + 1))
        elif _is_submission_file(entry):
            _check_openable(entry, str(entry))
            files.append(entry)
    if depth:
        return files
    best: dict[tuple[Path, str], Path] = {}
    for file in files:
        slot = (file.parent, file.stem)
        if slot not in best or _rank(file) < _rank(best[slot]):
            best[slot] = file
    kept = sorted(best.values())
    for file in sorted(set(files) - set(kept)):
        notes.append(f"{file}: skipped, {best[(file.parent, file.stem)].name} holds the same work in a format "
                     "that reads better")
    if len(kept) > MAX_FILES_PER_STUDENT:
        raise InputError(f"more than {MAX_FILES_PER_STUDENT} submission files in one student's folder", str(folder))
    return kept


def _rank(path: Path) -> int:
    return SUBMISSION_SUFFIXES.index(path.suffix.lower())


def _deduplicate(found: list[ClassSubmission], notes: list[str]) -> list[ClassSubmission]:
    """The same file named twice (``a.md`` and ``./a.md``, or a folder and a file in it) is one submission."""
    seen: set[tuple[str, ...]] = set()
    kept: list[ClassSubmission] = []
    for item in found:
        identity = tuple(os.path.realpath(file) for file in item.files)
        if identity in seen:
            notes.append(f"{item.source}: given twice, graded once")
            continue
        seen.add(identity)
        kept.append(item)
    return kept


def _match_roster(
    found: list[ClassSubmission], roster: Roster, notes: list[str]
) -> tuple[list[ClassSubmission], list[Student]]:
    """Name each submission's student: by the roster's file column, else by id = file stem or folder name."""
    by_file = {os.path.realpath(s.file): s for s in roster.students if s.file is not None}
    by_key = {slug(s.id).lower(): s for s in roster.students}
    matched: list[ClassSubmission] = []
    handed_in: set[str] = set()
    for item in found:
        student = next((by_file[p] for p in map(os.path.realpath, item.files) if p in by_file), None)
        student = student or by_key.get(item.key.lower())
        if student is None:
            notes.append(f"{item.source}: not on the roster {roster.source}; graded under its own name")
            matched.append(item)
            continue
        if student.id in handed_in:
            notes.append(f"{item.source}: a second submission for {student.id}; both are graded")
        handed_in.add(student.id)
        matched.append(replace(item, key=slug(student.id), student=student.id, name=student.name))
    absent = [student for student in roster.students if student.id not in handed_in]
    return matched, absent


def _key_levels(item: ClassSubmission) -> list[str]:
    """Ever more specific names for a submission, used until its key is unique."""
    first = item.files[0]
    path = Path(item.source)
    base = item.key
    levels = [base]
    if not item.folder and not item.student:
        levels.append(slug(f"{base}_{first.suffix.lstrip('.')}"))
    parent = path.parent.name or "root"
    levels.append(slug(f"{parent}-{levels[-1]}"))
    digest = hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    levels.append(f"{levels[-1]}-{digest}")
    return levels


def _unique_keys(found: list[ClassSubmission]) -> list[ClassSubmission]:
    """Give every submission the least specific key no other submission shares (independent of order)."""
    levels = [_key_levels(item) for item in found]
    chosen = [0] * len(found)
    while True:
        keys = [levels[i][chosen[i]] for i in range(len(found))]
        counts: dict[str, int] = {}
        for key in keys:
            counts[key.lower()] = counts.get(key.lower(), 0) + 1  # case-insensitive file systems exist
        clashing = [i for i, key in enumerate(keys) if counts[key.lower()] > 1 and chosen[i] < len(levels[i]) - 1]
        if not clashing:
            break
        for index in clashing:
            chosen[index] += 1
    return [replace(item, key=key) for item, key in zip(found, keys, strict=True)]


def slug(text: str) -> str:
    """A file-name-safe key: letters, digits and ``._@+-``; never empty, never hidden, bounded."""
    slug = _UNSAFE.sub("_", text).strip("._") or "submission"
    return slug[:80]
