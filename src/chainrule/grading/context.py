"""What one submission states once and every question shares: its parsed math, and what it declares in words.

The math of a submission is found and parsed once (:class:`GradingContext`); each question then takes the
statements inside its own lines. Declarations in prose hold for the whole document: renamings of the network's
quantities ("Output of f: z^{(2)} → z^{(1)}", "h denotes the output of Linear1") and the layout an answer says it
uses ("in denominator layout"). Long lines are not searched for declarations (bounded work).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from chainrule.assignments.spec import Assignment
from chainrule.errors import ChainruleError
from chainrule.grading.meaning import alias_keys, quantity_key
from chainrule.grading.split import Section, SplitResult
from chainrule.notation import nodes as n

__all__ = ["GradingContext", "Statement", "declared_renamings", "stated_layout"]

MAX_DECLARATION_LINE = 400

_ROLE_WORDS = {"linear1": "z1", "f": "z2", "linear2": "z3", "g": "yhat"}
_ROLE = r"(?P<role>linear\s*_?\s*\{?\s*[12]\s*\}?|f|g)"
_DECLARATION_PATTERNS = (
    r"output\s+of\s*" + _ROLE + r"\s*:\s*(?P<old>[^\s→]+?)\s*(?:→|->|\\rightarrow|\\to)\s*(?P<new>[^\s,.;]+)",
    r"(?P<new>[A-Za-z][A-Za-z0-9_^{}()\\]*)\s*(?:=|:=|is|denotes)\s*(?:the\s+)?(?:output\s+of\s+)?"
    + _ROLE
    + r"(?:'s)?\s+output",
    r"(?P<new>[A-Za-z][A-Za-z0-9_^{}()\\]*)\s*(?:=|:=|is|denotes)\s*(?:the\s+)?output\s+of\s+" + _ROLE + r"\b",
)
_DECLARATIONS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in _DECLARATION_PATTERNS)


def _plain(line: str) -> str:
    """A line with LaTeX wrappers removed, for reading declarations in words."""
    text = re.sub(r"\\(?:text|mathrm|textrm|operatorname|boldsymbol|mathbf|bm)\s*\{([^{}]*)\}", r"\1", line)
    text = re.sub(r"\\(?:text|mathrm|boldsymbol|mathbf|bm)\s*\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\[;,:! ]|\\quad|\\qquad|\$|\*\*", " ", text)
    return text


def declared_renamings(lines: Iterable[str]) -> dict[str, str]:
    """Student name key → the assignment's canonical network name, from declarations in words."""
    from chainrule.notation.parser import parse_math

    found: dict[str, str] = {}
    for line in lines:
        if len(line) > MAX_DECLARATION_LINE or "output" not in line.lower():
            continue  # declarations are short sentences; long lines are not read for them (bounded work)
        plain = _plain(line)
        for pattern in _DECLARATIONS:
            for match in pattern.finditer(plain):
                role = re.sub(r"[^a-z0-9]", "", match.group("role").lower())
                canonical = _ROLE_WORDS.get(role)
                if canonical is None:
                    continue
                try:
                    key = quantity_key(parse_math(match.group("new").strip()))
                except Exception:  # not a name the reader can take: no renaming
                    continue
                if key and key not in found:
                    found[key] = canonical
    return found



def stated_layout(lines: Iterable[str]) -> str | None:
    """``numerator`` or ``denominator`` when a submission names exactly one of the two layouts it uses."""
    named = {match.lower() for line in lines for match in re.findall(r"(numerator|denominator)[- ]layout", line, re.I)}
    return next(iter(named)) if len(named) == 1 else None



@dataclass
class Statement:
    """One parsed math span: its first line, the node, and the chains inside it."""

    line: int
    node: n.Node


@dataclass
class GradingContext:
    """Everything read from one submission once and shared by its questions."""

    assignment: Assignment
    split: SplitResult
    statements: list[Statement]
    renamings: dict[str, str]
    aliases: dict[str, str]
    claim_timeout: float = 5.0
    errors: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, assignment: Assignment, split: SplitResult, claim_timeout: float = 5.0) -> GradingContext:
        import chainrule.engine.activations  # noqa: F401  (imported once here, not in every bounded child)
        from chainrule.notation.markdown import find_math
        from chainrule.notation.parser import parse_math

        text = "\n".join(split.lines)
        statements: list[Statement] = []
        errors: list[str] = []
        try:
            spans = find_math(text)
        except ChainruleError as error:
            spans = []
            errors.append(f"math could not be found: {str(error).splitlines()[0]}")
        for span in spans:
            try:
                statements.append(Statement(span.line, parse_math(span.latex, line=span.line, column=span.column)))
            except ChainruleError:
                continue  # the line checker reports reader errors; here an unread span simply has no claims
            except Exception as error:  # a fault in the reader must cost this span, not the submission
                errors.append(f"line {span.line}: the reader failed ({type(error).__name__}: {error})")
        return cls(
            assignment=assignment,
            split=split,
            statements=statements,
            renamings=declared_renamings(split.lines),
            aliases=alias_keys(assignment),
            claim_timeout=claim_timeout,
            errors=errors,
        )

    def statements_in(self, section: Section) -> list[Statement]:
        return [statement for statement in self.statements if section.contains(statement.line)]

