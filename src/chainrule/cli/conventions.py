"""The conventions every ``chainrule`` command shares, in one place so the commands cannot drift apart.

* ``-o/--output PATH`` writes the result there instead of standard output; the file is written atomically
  (a temporary file beside it, then a rename), so a killed run never leaves half a report.
* ``-f/--format`` names what is written (``text``, ``md``, ``html``, ``json``, ...); each command lists the
  formats it can write, and typer refuses any other in one line.
* ``-`` reads standard input wherever a command reads a file.
* Exit status: 0 done (nothing wrong found), 1 something wrong found, 2 bad input, 3 could not finish.

Older spellings (``--json``, ``--md``, ``--out``) are still accepted, hidden from the help, so scripts
written for earlier versions keep working; each is folded into ``--format``/``--output`` here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError

# The exit codes, as the help of every command states them.
EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT, EXIT_FAILED = 0, 1, 2, 3

EXIT_CODES_HELP = (
    "Exit status: 0 done, nothing wrong found; 1 something wrong found; 2 bad input (a file, spec or option); "
    "3 could not finish (a time limit, the disk, or a bug: rerun with --debug)."
)

STDIN = "-"
MAX_STDIN_BYTES = 2_000_000

Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="PATH", help="Write the result to this file instead of standard output."),
]
JsonFlag = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")]
MarkdownFlag = Annotated[bool, typer.Option("--md", hidden=True, help="Same as --format md.")]


def legacy_format(fmt: str, default: str, **flags: bool) -> str:
    """Fold the hidden ``--json``/``--md`` flags into ``--format``; two different choices are bad input."""
    chosen = [name for name, given in flags.items() if given]
    if len(chosen) > 1:
        raise InputError("choose one format", "/".join(f"--{name}" for name in chosen))
    if not chosen:
        return fmt
    if fmt != default and fmt != chosen[0]:
        raise InputError(f"--{chosen[0]} contradicts --format {fmt}", "--format")
    return chosen[0]


def read_input_text(path: Path) -> tuple[str, str]:
    """``(text, name)`` of a file the command reads; ``-`` is standard input, named ``<stdin>``."""
    from chainrule.notation.text_file import read_text_file

    if str(path) != STDIN:
        return read_text_file(path), str(path)
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise InputError(f"more than the {MAX_STDIN_BYTES} bytes the reader accepts", "<stdin>")
    if b"\x00" in data:
        raise InputError("this looks like binary data, not Markdown or LaTeX", "<stdin>")
    try:
        return data.decode("utf-8-sig"), "<stdin>"
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", "<stdin>") from None


def read_input_document(path: Path):  # type: ignore[no-untyped-def]
    """The file the command reads as a :class:`~chainrule.documents.Document` (any format: Markdown, LaTeX, a
    notebook, Python, a PDF); ``-`` is standard input, named ``<stdin>``, its format told by its content."""
    from chainrule.documents import open_document, read_document

    if str(path) != STDIN:
        return open_document(path)
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise InputError(f"more than the {MAX_STDIN_BYTES} bytes the reader accepts", "<stdin>")
    return read_document(data, "<stdin>")


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` (the result) or write it to ``output``; a trailing newline is added when missing."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None or str(output) == STDIN:
        typer.echo(text, nl=False)
        return
    write_atomically(output, text)
    typer.echo(f"wrote {output}", err=True)


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file in the same folder and a rename.

    A reader never sees half a file, and a symlink at ``target`` is replaced, not followed (the rename
    replaces the link itself), so chainrule never writes into a file some link points at.
    """
    if target.is_dir():
        raise InputError("is a folder; give a file name", str(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder for this file does not exist", str(target))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
