"""Reading a user's text file for a command: refused early, with the reason, when it is not plain text.

Every command and the grader read Markdown/LaTeX files here, so a directory, a device such as /dev/zero,
a binary, a non-UTF-8 or an oversized file gets the same one-line refusal everywhere (and a batch records
it for that submission and goes on).
"""

from __future__ import annotations

from pathlib import Path

from chainrule.errors import InputError

MAX_FILE_BYTES = 2_000_000


def read_text_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file as text, or an InputError that says why not (missing, not a file, too big, binary, not UTF-8)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", str(path)) from None
    if path.is_dir():
        raise InputError("is a directory, not a file", str(path))
    if not path.is_file():  # a device or a pipe may never end: refuse it before reading
        raise InputError("not a regular file", str(path))
    if size > max_bytes:
        raise InputError(f"the file has {size} bytes, more than the {max_bytes} the reader accepts", str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", str(path)) from None
    if len(data) > max_bytes:
        raise InputError(f"the file has more than the {max_bytes} bytes the reader accepts", str(path))
    if b"\x00" in data:
        raise InputError("this looks like a binary file, not Markdown or LaTeX", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", str(path)) from None
