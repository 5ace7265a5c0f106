"""The result of a demonstration: a claim, the numbers that support it, and proof that the check has teeth.

A proof question cannot be graded by computation, but its claim can be demonstrated: chainrule evaluates the
claim on concrete, adversarial instances (exactly where it can) and, beside it, runs the same check on a
plausible *wrong* claim to show that the check would catch it. A demonstration that cannot fail is worthless,
so ``counterexamples`` is never empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Counterexample", "Demonstration", "Evidence"]


@dataclass(frozen=True)
class Evidence:
    """One number (or small table) with a label saying what it shows."""

    label: str
    value: Any
    note: str = ""


@dataclass(frozen=True)
class Counterexample:
    """A wrong claim run through the same check; ``caught`` is True when the check rejects it."""

    wrong_claim: str
    caught: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Demonstration:
    """``passed`` is True when every check of the claim held on the instances tried.

    ``question`` names the assignment question (``"ryu-hw3/5c"``); ``plot`` holds plot-ready lists when a
    picture helps (e.g. the empirical risk against q).
    """

    question: str
    claim: str
    passed: bool
    evidence: tuple[Evidence, ...]
    counterexamples: tuple[Counterexample, ...]
    plot: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.counterexamples:
            raise ValueError("a demonstration needs at least one counterexample the check catches")

    @property
    def counterexample(self) -> Counterexample:
        return self.counterexamples[0]

    @property
    def catches_wrong_claims(self) -> bool:
        return all(c.caught for c in self.counterexamples)

    def evidence_value(self, label: str) -> Any:
        """The value of the evidence called ``label`` (KeyError when absent)."""
        for item in self.evidence:
            if item.label == label:
                return item.value
        raise KeyError(label)
