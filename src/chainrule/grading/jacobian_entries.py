"""Jacobians written entry by entry: ``(∂z₂/∂z₁)_{ij} = …``, or as a diagonal matrix with dots.

The Jacobian of an elementwise map is diagonal. An entry formula with two indices is therefore checked three
ways: two indices on a vector are wrong (a row has one), a formula that does not vanish off the diagonal is
wrong unless it mentions the diagonal (``δ_ij``, a case ``i = j``), and the diagonal entries are compared with
the truth's at every random point. A matrix written with dots (``diag`` spelled out) is checked on its first
diagonal entry, and on its last where that is indexed in the same size.
"""

from __future__ import annotations

import re

from chainrule.grading.evaluate import Points, Unevaluable, entry_value
from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.meaning import zero_based
from chainrule.grading.ocr import ocr_notes
from chainrule.grading.relations import first_line
from chainrule.grading.written import as_text
from chainrule.notation import nodes as n

__all__ = ["entries_finding", "pattern_matrix_finding"]


def entries_finding(points: Points, subject: n.Indexed, term: n.Node) -> Finding | None:
    """``(∂z₂/∂z₁)_{ij} = …``: entries of a Jacobian, checked against its shape, its diagonal and its values."""
    base = (
        subject.base.items[0]
        if isinstance(subject.base, n.Tuple) and len(subject.base.items) == 1
        else (subject.base)
    )
    try:
        value = points.evaluator(points.truths[0]).value(base)
    except Unevaluable:
        return None
    truth = points.truths[0]
    line = first_line(term) or subject.line
    written = f"{as_text(subject)} = {as_text(term)}"
    if len(subject.indices) == 2 and 1 in value.shape:
        rows = truth.shape_text(value.shape)
        size = truth.size_name(max(value.shape))
        return Finding(
            Verdict.WRONG,
            line,
            written,
            f"{as_text(base)} is {rows}; entries with two indices make it a {size}×{size} matrix",
            kind="shape",
        )
    if len(subject.indices) == 1 and 1 in value.shape:
        return _vector_entries(points, base, term, subject.indices[0], line, written)
    key = (points.resolve(base.of), points.resolve(base.wrt)) if isinstance(base, n.Derivative) else None
    if len(subject.indices) == 2 and key in truth.diagonal and not _mentions_diagonal(term, subject.indices):
        if not (isinstance(term, n.Number) and term.value == 0):
            return Finding(
                Verdict.WRONG,
                line,
                written,
                f"{as_text(base)} is the Jacobian of an elementwise map: "
                "it is diagonal, so entries off the diagonal are 0 (δ_ij)",
                kind="jacobian",
            )
    return _diagonal_entries(points, base, term, subject.indices, line, written)


def _vector_entries(
    points: Points, base: n.Node, term: n.Node, index: n.Node, line: int, written: str
) -> Finding | None:
    """``(∂ℓ/∂ŷ)_i = …``: each entry of a vector against the truth's, at every truth point."""
    if not isinstance(index, n.Symbol) or index.sub:
        return None
    for truth in points.truths:
        evaluator = points.evaluator(truth)
        try:
            expected = evaluator.value(base).reshape(-1)
        except Unevaluable:
            return None
        for position in range(expected.size):
            evaluator.indices = {index.name: position}
            try:
                entry = entry_value(evaluator, term)
            except Unevaluable:
                return None
            if entry is None:
                return None
            if abs(entry - expected[position]) > 1e-7 * max(1.0, abs(expected[position])):
                return Finding(Verdict.WRONG, line, written, f"entry {position + 1} differs from the truth "
                               f"({entry:.4g}, not {expected[position]:.4g}, at random values of every name)",
                               kind="symbolic")
    return Finding(Verdict.RIGHT, line, written, "every entry agrees with the truth at random values of every name",
                   kind="symbolic")


def _diagonal_entries(
    points: Points, base: n.Node, term: n.Node, indices: tuple[n.Node, ...], line: int, written: str
) -> Finding | None:
    """Each diagonal entry ``i = j`` of the written formula against the truth's, at every truth point."""
    if len(indices) != 2 or not all(isinstance(i, n.Symbol) for i in indices):
        return None
    for truth in points.truths:
        evaluator = points.evaluator(truth)
        try:
            expected = evaluator.value(base)
        except Unevaluable:
            return None
        size = expected.shape[0]
        for position in range(size):
            evaluator.indices = {indices[0].name: position, indices[1].name: position}  # type: ignore[union-attr]
            try:
                entry = entry_value(evaluator, term)
            except Unevaluable:
                return None
            if entry is None:
                return None
            if abs(entry - expected[position, position]) > 1e-7 * max(1, abs(expected[position, position])):
                return Finding(
                    Verdict.WRONG, line, written, "the diagonal entries differ from the truth", kind="jacobian"
                )
    return Finding(Verdict.RIGHT, line, written, "the diagonal entries agree with the truth", kind="jacobian")


def pattern_matrix_finding(points: Points, subject: n.Node, term: n.Matrix) -> Finding | None:
    """``diag`` written as a matrix with dots: its first diagonal entry (and last, where it can) against the truth."""
    rows = term.rows
    if len(rows) < 2 or not rows[0] or not rows[-1]:
        return None
    first, last = rows[0][0], rows[-1][-1]
    written = f"{as_text(subject)} = {as_text(term)}"
    for truth in points.truths:
        evaluator = points.evaluator(truth)
        evaluator.zero_based = zero_based(term)
        try:
            expected = evaluator.value(subject)
        except Unevaluable:
            return None
        if expected.shape[0] != expected.shape[1]:
            return None
        try:
            top = evaluator.value(first)
        except Unevaluable:
            return None
        if top.shape != (1, 1):
            return None
        if abs(top[0, 0] - expected[0, 0]) > 1e-7 * max(1.0, abs(expected[0, 0])):
            notes = ocr_notes(points, first, [expected[:1, :1]])
            return Finding(
                Verdict.WRONG,
                first.line or term.line,
                written,
                f"the first diagonal entry {as_text(first)} differs from the truth",
                kind="jacobian",
                notes=notes,
            )
        try:
            bottom = evaluator.value(last)
        except Unevaluable:
            continue
        if bottom.shape == (1, 1) and abs(bottom[0, 0] - expected[-1, -1]) > 1e-7 * max(1.0, abs(expected[-1, -1])):
            return None  # the last entry is indexed in another size; the size check speaks to that
    return Finding(
        Verdict.RIGHT,
        first.line or term.line,
        written,
        "the diagonal entries agree with the truth",
        kind="jacobian",
    )


def _mentions_diagonal(term: n.Node, indices: tuple[n.Node, ...]) -> bool:
    """Whether an entry formula says where the diagonal is (``δ_ij``, a case on ``i = j``, the word)."""
    names = {i.name for i in indices if isinstance(i, n.Symbol)}
    for item in term.walk():
        if isinstance(item, n.Symbol) and item.name == "delta":
            return True
        condition = item.condition if isinstance(item, n.Piece) else None
        if condition is not None and names and names <= _bare_symbols(condition):
            return True  # "1 if i = j and (z₁)ᵢ > 0": a case split on the indices, however the reader joined it
        if isinstance(item, n.Chain):
            mentioned = {t.name for t in item.terms if isinstance(t, n.Symbol)}
            if names and names <= mentioned:
                return True
        if isinstance(item, n.Text) and re.search(r"\bi\s*[=≠]\s*j\b|diagonal", item.text):
            return True
    return False


def _bare_symbols(node: n.Node) -> set[str]:
    """Names written on the line, not as subscripts: in ``z_{ij} > 0`` neither i nor j is compared with anything."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.Symbol):
            found.add(item.name)
            continue
        if isinstance(item, n.Indexed):
            stack.append(item.base)
            continue
        stack.extend(item.children())
    return found
