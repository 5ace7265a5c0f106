"""Run a computer-algebra call where it can be killed, under a time bound.

SymPy can take minutes (or forever) on an innocent-looking expression, and a thread cannot be
stopped. So a bounded call runs in a forked child process; if it does not answer in time the child
is killed and :class:`~chainrule.errors.CasTimeout` is raised. Forking keeps the parent's imported
modules, so a call costs a few milliseconds, not a fresh interpreter.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from chainrule.errors import CasTimeout, ChainruleError

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 5.0


class BoundedCallError(ChainruleError, RuntimeError):
    """The bounded call raised; the message keeps the child's exception and traceback text."""


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies.

    Killing a timed-out child must also stop the bounded calls *it* started (a grandchild computing at 100%
    CPU with nobody to read its answer). With the parent-death signal every level dies with the one above.
    Elsewhere this does nothing, and the bound still holds for the direct child.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _child(connection: Connection, function: Callable[..., Any], args: tuple, kwargs: dict, parent: int) -> None:
    die_with_parent(parent)
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
    process = context.Process(target=_child, args=(sender, function, args, kwargs, os.getpid()), daemon=False)
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
