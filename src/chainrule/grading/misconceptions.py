"""The spec's known wrong patterns (misconceptions), found in a question's answer.

A spec lists, per question, patterns that mark a common mistake and the note to show. Each is reported once,
at the first line of the answer that shows it; a misconception marked ``review`` sends the line to a person
instead of calling it wrong.
"""

from __future__ import annotations

from typing import Any

from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.split import Section

__all__ = ["misconception_findings"]


def misconception_findings(question: Any, section: Section, lines: list[str]) -> list[Finding]:
    """The spec's known wrong patterns (literal text, case-insensitive), each at the first line showing it."""
    found: list[Finding] = []
    for misconception in getattr(question, "misconceptions", ()) or ():
        pattern = misconception.pattern.lower()
        for line in section.lines():
            if pattern in lines[line - 1].lower():
                verdict = Verdict.UNDECIDED if getattr(misconception, "verdict", "wrong") == "review" else Verdict.WRONG
                found.append(
                    Finding(verdict, line, lines[line - 1].strip()[:200], misconception.note, kind="misconception")
                )
                break
    return found


