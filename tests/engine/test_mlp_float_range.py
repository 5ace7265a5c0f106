"""``backprop --float`` refuses a pass that leaves float64's range rather than printing ``inf`` (issue 11.9)."""

from __future__ import annotations

import pytest

from chainrule.assignments.network import parse_network
from chainrule.engine.mlp_float import trace_float
from chainrule.errors import ChainruleError

HUGE = """layers:
  - {W: [[1e200, 1e200]], b: [0], activation: identity}
  - {W: [[1e200]], b: [0], activation: identity}
input: [3, 7]
target: [1]
loss: half_squared_error
"""


def test_overflow_is_reported_with_where_it_happened() -> None:
    with pytest.raises(ChainruleError, match="z2 is outside float64's range"):
        trace_float(parse_network(HUGE))


def test_a_pass_inside_the_range_still_runs() -> None:
    trace = trace_float(parse_network(HUGE.replace("1e200", "2")))
    assert trace.mode == "float"
