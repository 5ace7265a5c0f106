"""Run a computer-algebra call where it can be killed, under a time bound.

SymPy can take minutes (or forever) on an innocent-looking expression, and a thread cannot be
stopped. So a bounded call runs in a forked child process; if it does not answer in time the child
is killed and :class:`~chainrule.errors.CasTimeout` is raised. Forking keeps the parent's imported
modules, so a call costs a few milliseconds, not a fresh interpreter.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from chainrule.errors import CasTimeout, ChainruleError

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 5.0


class BoundedCallError(ChainruleError, RuntimeError):
    """The bounded call raised; the message keeps the child's exception and traceback text."""


def _child(connection: Connection, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        result: tuple[str, Any] = ("ok", function(*args, **kwargs))
    except BaseException as error:  # report every failure to the parent, then exit
        result = ("error", (type(error).__name__, str(error), traceback.format_exc(limit=5)))
    try:
        connection.send(result)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        connection.send(("error", (type(error).__name__, f"result could not be sent back: {error}", "")))
    finally:
        connection.close()
        os._exit(0)


def call_bounded(function: Callable[..., T], *args: Any, timeout: float = DEFAULT_TIMEOUT_S, **kwargs: Any) -> T:
    """Return ``function(*args, **kwargs)`` computed in a child process killed after ``timeout`` seconds.

    Raises :class:`CasTimeout` when the bound is hit and :class:`BoundedCallError` when the call raised.
    Where ``fork`` is unavailable the call runs inline (unbounded) rather than not at all.
    """
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - not on Linux
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # Not a daemon: a bounded call may itself make bounded calls (a daemon may not have children).
    # The finally clause below kills it whatever happens, so it cannot outlive this call.
    process = context.Process(target=_child, args=(sender, function, args, kwargs), daemon=False)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise CasTimeout(f"{getattr(function, '__name__', 'call')} took longer than {timeout:g} s")
        try:
            status, payload = receiver.recv()
        except EOFError as error:
            raise BoundedCallError("the computation died without an answer") from error
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status == "error":
        name, message, trace = payload
        raise BoundedCallError(f"{name}: {message}\n{trace}".rstrip())
    return payload
