"""``chainrule check FILE``: decide the claims of a Markdown/LaTeX answer on its own, without a spec.

Exit status: 0 when nothing is wrong, 1 when some claim is wrong, 2 on bad input (unreadable file, bad option).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError

FORMATS = ("text", "json")
SHOWS = ("wrong", "undecided", "all")
MAX_FILE_BYTES = 2_000_000


def check(
    file: Annotated[Path, typer.Argument(help="A Markdown/LaTeX file with the answers (OCR output is fine).")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    show: Annotated[str, typer.Option("--show", help="In text: wrong (default), undecided or all.")] = "wrong",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per algebra call.")] = 3.0,
) -> None:
    """Check every claim in FILE: right, wrong or undecided, each with its line and reason.

    Exits 0 when nothing is wrong, 1 when at least one claim is wrong, 2 on bad input.
    """
    if output_format not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {output_format!r}", "--format")
    if show not in SHOWS:
        raise InputError(f"--show must be one of {', '.join(SHOWS)}, got {show!r}", "--show")
    if not 0 < timeout <= 60:
        raise InputError("--timeout must be between 0 and 60 seconds", "--timeout")
    text = read_text(file)

    from chainrule.grading.check import check_document
    from chainrule.grading.findings import Verdict

    result = check_document(text, str(file), timeout=timeout)
    if output_format == "json":
        from chainrule.reports.check_json import render_check_json

        typer.echo(render_check_json(result))
    else:
        from chainrule.reports.check_text import render_check_text

        typer.echo(render_check_text(result, show=show), nl=False)
    if result.count(Verdict.WRONG):
        raise typer.Exit(1)


def read_text(file: Path) -> str:
    """The file as text, or an InputError naming it."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES} bytes", str(file))
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", str(file)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", str(file)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", str(file)) from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", str(file)) from None
