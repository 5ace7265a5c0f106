"""The one exception root of chainrule.

Every error a user can cause carries *where* it happened (a line and column in a text, a field
path in a spec, an option on the command line) so that the CLI can print one located line and a
batch can record it and go on. Subclasses also derive from a standard exception where that helps
callers who do not know chainrule's types.
"""

from __future__ import annotations


class ChainruleError(Exception):
    """Root of every exception chainrule raises on purpose."""


class InputError(ChainruleError, ValueError):
    """Bad input from a user: a submission, a spec, a network file or a CLI argument.

    ``where`` is a human-readable location such as ``"net.yaml: layers[0].W"`` or
    ``"line 41, col 12"``; ``message`` says what is wrong in plain words.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class CasTimeout(ChainruleError, TimeoutError):
    """A computer-algebra call ran past its time bound and was killed."""
