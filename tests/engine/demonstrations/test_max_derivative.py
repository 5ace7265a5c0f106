import numpy as np
import pytest
import sympy
import torch

from chainrule.engine.demonstrations import max_derivative_demonstration
from chainrule.engine.demonstrations.max_derivative import DEFAULT_FUNCTIONS, X
from chainrule.errors import InputError


def test_default_family_passes_and_matches_autograd_through_max():
    demo = max_derivative_demonstration()
    assert demo.passed and demo.catches_wrong_claims
    for x0 in np.linspace(-2.9, 2.9, 17):
        t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        values = torch.stack([torch.sin(t), t**2 / 4 - 1, torch.cos(2 * t) - 0.5])
        values.max().backward()
        index = int(values.argmax())
        expected = float(sympy.diff(DEFAULT_FUNCTIONS[index], X).subs(X, x0))
        assert t.grad.item() == __import__("pytest").approx(expected, rel=1e-12, abs=1e-12)


def test_abs_as_a_max_has_a_tie_at_zero_that_is_caught():
    demo = max_derivative_demonstration((X, -X), -1.0, 1.0, 21)
    tie = demo.counterexamples[0]
    assert tie.caught
    assert dict((e.label, e.value) for e in tie.evidence)["right derivative"].startswith("1.0")


def test_without_a_crossing_the_tie_counterexample_is_not_claimed():
    demo = max_derivative_demonstration((X, X - 1), -1.0, 1.0, 11)
    assert demo.passed
    assert not demo.counterexamples[0].caught  # the check does not invent a failure


@pytest.mark.parametrize("functions", ["abc", ["__import__('os').getpid()", "x"], [1, 2]])
def test_text_never_reaches_lambdify(functions) -> None:
    # sympy.lambdify turns a string into code and runs it: text here would be code execution.
    with pytest.raises(InputError, match="SymPy expressions"):
        max_derivative_demonstration(functions=functions)
