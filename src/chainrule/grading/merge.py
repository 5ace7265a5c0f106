"""One finding per claim: the line checker and the truth comparison often judge the same relation.

Both see ``lim_{x→∞} d/dx LReLU(x) = a`` at line 25, each prints it in its own words
(``lim[x→∞] dleaky_relu(x)/dx = a``), and a report that lists both counts one mistake twice. Two findings are
about the same claim when they share the line, the verdict and the relation: the same relation sign with the
same right-hand side once spelling (bold, hats, sub- and superscript styles, spacing, dots) is set aside. The
kept finding is the more informative one — the one that says what was expected, else the longer reason — and
it carries the notes of both. The line checker's finding comes first and stays, unless only the other says
what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from chainrule.grading.findings import Finding, Verdict

_RELATIONS = (" = ", " ∈ ", " ≤ ", " ≥ ", " < ", " > ", " ≈ ", " ≠ ")
_STYLE_WORDS = re.compile(r"\b(?:bold|hat|tilde|bar|vec|mathbf|boldsymbol|bm|mathrm|text)\b")


def _spelling_free(text: str) -> str:
    """Letters and digits only, accents and style words dropped: ``hat bold y`` and ``ŷ`` both give ``y``."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]", "", _STYLE_WORDS.sub(" ", without_accents))


def relation_key(written: str) -> tuple[str, str] | None:
    """The relation sign and spelling-free right-hand side of the last relation written, or None if none."""
    best: tuple[int, str] | None = None
    for relation in _RELATIONS:
        at = written.rfind(relation)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, relation)
    if best is None:
        return None
    at, relation = best
    right = _spelling_free(written[at + len(relation) :])
    return (relation.strip(), right) if right else None


def _merged(earlier: Finding, later: Finding) -> Finding:
    more = later.expected is not None and earlier.expected is None
    kept, other = (later, earlier) if more else (earlier, later)
    notes = (*kept.notes, *(note for note in other.notes if note not in kept.notes))
    answers = kept.answers or other.answers  # what the claim answers is known to either side
    if notes == kept.notes and answers == kept.answers:
        return kept
    return replace(kept, notes=notes, answers=answers)


def merge_findings(*sources: list[Finding]) -> list[Finding]:
    """The findings of every source with each claim once, in first-seen order.

    The same text at a line, or the same shape fault at a line, is one claim wherever it comes from. The same
    relation (see the module docstring) is one claim only across sources — the line checker and the truth
    comparison — since one checker's two findings at a line with the same right-hand side (``w₁ = 100``,
    ``w₂ = 100``) are two claims.
    """
    kept: list[Finding] = []
    index: dict[tuple[object, ...], int] = {}
    relations: dict[tuple[object, ...], tuple[int, int]] = {}  # key → (kept index, source)
    for source, findings in enumerate(sources):
        for finding in findings:
            keys: list[tuple[object, ...]] = [(finding.line, finding.verdict, "text", finding.written.strip())]
            if finding.kind == "shape" and finding.verdict is Verdict.WRONG:
                keys.append((finding.line, finding.verdict, "shape"))
            relation = relation_key(finding.written)
            relation_at = (finding.line, finding.verdict, *relation) if relation and finding.line is not None else None
            seen = next((index[key] for key in keys if key in index), None)
            if seen is None and relation_at in relations and relations[relation_at][1] != source:
                seen = relations[relation_at][0]
            if seen is None:
                for key in keys:
                    index[key] = len(kept)
                if relation_at is not None:
                    relations.setdefault(relation_at, (len(kept), source))
                kept.append(finding)
                continue
            kept[seen] = _merged(kept[seen], finding)
            for key in keys:
                index.setdefault(key, seen)
    return kept
