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

from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.grading.meaning import (
    Condition,
    FunctionMeaning,
    alias_keys,
    document_functions,
    quantity_key,
    question_functions,
    read_math,
)
from chainrule.grading.relations import claimed_chains
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
    condition: Condition | None = None  # the words around it restrict where it holds (``for $x < 0$``)


@dataclass
class GradingContext:
    """Everything read from one submission once and shared by its questions."""

    assignment: Assignment
    split: SplitResult
    statements: list[Statement]
    renamings: dict[str, str]
    aliases: dict[str, str]
    functions: dict[str, FunctionMeaning | None] = field(default_factory=dict)  # what the document declares
    claim_timeout: float = 5.0
    errors: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, assignment: Assignment, split: SplitResult, claim_timeout: float = 5.0) -> GradingContext:
        """Read the submission's math once (:func:`~chainrule.grading.meaning.read_math`, as ``check`` does)."""
        import chainrule.engine.activations  # noqa: F401  (imported once here, not in every bounded child)

        prompts = [question.prompt for question in assignment.questions if getattr(question, "prompt", None)]
        read = read_math("\n".join(split.lines), prompts)
        statements = [
            Statement(span.span.line if len(span.nodes) == 1 else (node.line or span.span.line), node, span.condition)
            for span in read.spans
            for node in span.nodes
        ]
        return cls(
            assignment=assignment,
            split=split,
            statements=statements,
            functions=document_functions(chain for s in statements for chain in claimed_chains(s.node)),
            renamings=declared_renamings(split.lines),
            aliases=alias_keys(assignment),
            claim_timeout=claim_timeout,
            errors=list(read.faults),
        )

    def functions_for(self, question: QuestionBase) -> dict[str, FunctionMeaning | None]:
        """What function names mean in a question's answer: the document's declarations over the question's."""
        return {**question_functions(question), **self.functions}

    def statements_in(self, section: Section) -> list[Statement]:
        return [statement for statement in self.statements if section.contains(statement.line)]

