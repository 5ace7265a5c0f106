import time

import pytest

from chainrule.engine.bounded import BoundedCallError, call_bounded
from chainrule.errors import CasTimeout


def _square(value: int) -> int:
    return value * value


def _forever() -> None:
    while True:
        time.sleep(0.01)


def _fails() -> None:
    raise ZeroDivisionError("boom")


def test_bounded_call_returns_the_result():
    assert call_bounded(_square, 12, timeout=10) == 144


def test_bounded_call_kills_a_runaway_computation():
    started = time.monotonic()
    with pytest.raises(CasTimeout):
        call_bounded(_forever, timeout=0.3)
    assert time.monotonic() - started < 5


def test_bounded_call_reports_the_childs_exception():
    with pytest.raises(BoundedCallError, match="ZeroDivisionError: boom"):
        call_bounded(_fails, timeout=10)


def _nested(value: int) -> int:
    return call_bounded(_square, value, timeout=10)


def test_a_bounded_call_may_make_bounded_calls():
    assert call_bounded(_nested, 7, timeout=20) == 49


def _spawn_grandchild_and_hang(marker: str) -> None:
    import os
    import pathlib

    def _write_pid_and_hang() -> None:
        pathlib.Path(marker).write_text(str(os.getpid()))
        _forever()

    call_bounded(_write_pid_and_hang, timeout=60)


def test_killing_a_bounded_call_also_stops_the_bounded_calls_it_made(tmp_path):
    import os

    marker = tmp_path / "grandchild.pid"
    with pytest.raises(CasTimeout):
        call_bounded(_spawn_grandchild_and_hang, str(marker), timeout=1.5)
    pid = int(marker.read_text())
    for _ in range(100):  # the kernel delivers the parent-death signal asynchronously
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        with open(f"/proc/{pid}/stat") as stat:
            if stat.read().split()[2] == "Z":  # a zombie waiting for init to reap it is dead
                break
        time.sleep(0.05)
    else:
        pytest.fail("the grandchild outlived its killed parent")
