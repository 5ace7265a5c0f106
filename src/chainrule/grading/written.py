"""How a claim is shown in a finding: the student's formula as plain text, and as LaTeX for HTML reports.

Subjects the grader builds itself (a table row's "output of f") name the truth directly; they are shown by
their role in the network, never as the grader's internal names.
"""

from __future__ import annotations

from chainrule.grading.meaning import TRUTH_PREFIX
from chainrule.notation import nodes as n

__all__ = ["as_latex", "as_text"]

_ROLE_TEXT = {
    "z1": "Linear1 output z_1",
    "z2": "f output z_2",
    "z3": "Linear2 output z_3",
    "yhat": "g output ŷ",
    "loss": "the loss ℓ",
}


def as_text(node: n.Node) -> str:
    """The student's formula in the findings' plain text (``∂ℓ/∂z_3``, ``ŷ``: no style words such as bold)."""
    from chainrule.grading.checkers.printing import to_text

    if isinstance(node, n.Symbol) and node.name.startswith(TRUTH_PREFIX):
        name = node.name[len(TRUTH_PREFIX) :]
        return _ROLE_TEXT.get(name, name)
    try:
        return to_text(node)
    except Exception:  # the printer is a convenience; a finding must not be lost to it
        return type(node).__name__


def as_latex(*parts: n.Node | str) -> str | None:
    """The same claim as LaTeX for HTML (``None`` when a part cannot be printed or names a grader's quantity)."""
    from chainrule.notation import to_latex

    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if isinstance(part, n.Symbol) and part.name.startswith(TRUTH_PREFIX):
            return None
        try:
            out.append(to_latex(part))
        except Exception:  # the printer is a convenience; a finding must not be lost to it
            return None
    return " ".join(out)
