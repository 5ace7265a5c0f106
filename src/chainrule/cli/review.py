"""``chainrule review SESSION``: the grade-by-question review queue in the browser, served from this machine.

The server listens on 127.0.0.1 (this machine only) unless ``--host`` says otherwise, and every URL carries a
random token printed once here; Ctrl-C stops it. Decisions are written to the session file as they are made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainrule.errors import InputError


def review(
    session: Annotated[Path, typer.Argument(help="The grading session file (made by chainrule grade --session).")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on (0: any free port).")] = 8765,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Your name, recorded with each decision.")] = "",
) -> None:
    """Review a session question by question: findings beside each line, accept or set marks, comment."""
    from chainrule.review.server import new_token, serve

    if not 0 <= port <= 65535:
        raise InputError("a port between 0 and 65535", "--port")
    token = new_token()
    try:
        server = serve(session, token, host, port, reviewer[:100])
    except OSError as error:
        raise InputError(f"cannot listen there ({error.strerror or error})", f"{host}:{port}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"note: listening on {host}: anyone who can reach it and has the URL can change marks", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"reviewing {session} at http://{shown}:{server.server_port}/go?token={token}")
    typer.echo("press Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
