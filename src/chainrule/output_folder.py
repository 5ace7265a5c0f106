"""A folder that reports are written into without ever losing a file that was there.

A TA types ``-o`` pointing at the wrong place (the submissions' own folder), or shares an output folder with
people who can plant symlinks in it. Three rules keep every file safe:

* **checked before any work**: the folder is made if needed and a probe file is created and removed in it, so
  a folder that cannot be written is refused before an hour of grading, not after it;
* **never over an input**: a report whose name is already taken by one of the run's input files (same inode)
  gets another name; the input stays as it was;
* **atomic, never through a symlink**: each file is written to a fresh temporary file made with ``O_EXCL`` in
  the folder (no existing path, link or not, is opened), flushed to disk, then renamed over the target name.
  ``rename`` replaces a symlink itself, never the file it points to, and a reader sees the old file or the new
  one, never half of one. A run killed midway leaves every finished report whole, and at worst a hidden
  ``.*.tmp`` file, which the next run in that folder removes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from chainrule.errors import InputError

TEMP_PREFIX = ".chainrule-"
TEMP_SUFFIX = ".tmp"


class OutputFolder:
    """Where a run writes its files: made and probed once, then :meth:`write` per file, as each is ready."""

    def __init__(self, path: str | Path, inputs: Iterable[str | Path] = ()) -> None:
        self.path = Path(path)
        self._inputs = {_identity(Path(item)) for item in inputs} - {None}
        self._used: set[str] = set()
        self._prepare()

    def _prepare(self) -> None:
        where = str(self.path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError("not a folder", where)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot make this folder ({error.strerror or error})", where) from None
        try:  # a real write, not os.access: root passes access() checks that a read-only mount still refuses
            handle, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.path)
        except OSError as error:
            raise InputError(f"cannot write in this folder ({error.strerror or error})", where) from None
        os.close(handle)
        os.unlink(probe)
        self._remove_stale_temporaries()

    def _remove_stale_temporaries(self) -> None:
        """Temporary files a killed run left behind (only regular files of our own naming)."""
        for entry in os.scandir(self.path):
            if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(
                follow_symlinks=False
            ):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)

    def name_for(self, name: str) -> str:
        """``name``, or a variant of it when that would replace an input file, a folder or a name this run used."""
        stem, dot, suffix = name.partition(".")
        candidates = [name, f"{stem}.report{dot}{suffix}"]
        candidates += [f"{stem}-{count}.report{dot}{suffix}" for count in range(2, 10_000)]
        for candidate in candidates:
            if candidate in self._used:
                continue
            target = self.path / candidate
            if _identity(target) in self._inputs or (target.is_dir() and not target.is_symlink()):
                continue
            self._used.add(candidate)
            return candidate
        raise InputError(f"no free name for {name!r} in this folder", str(self.path))

    def write(self, name: str, content: str | bytes) -> Path:
        """Write one file atomically under ``name`` (see :meth:`name_for`); returns the path written."""
        chosen = self.name_for(name)
        data = content.encode("utf-8") if isinstance(content, str) else content
        return write_atomically(self.path / chosen, data)


def write_atomically(target: Path, data: bytes) -> Path:
    """``target`` holds ``data`` or its old content, never a mix; a symlink at ``target`` is replaced, not followed."""
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file a path names, following links; None when there is none."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino
