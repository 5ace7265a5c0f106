"""What each question is about, as words, so an answer can be recognised by what it says.

A student's ``(b)`` is ambiguous; what follows it is not: an answer about the binary cross-entropy belongs to the
question that asks about BCE, one about soft-argmax to the softmax question, and a restated question text
("Name and describe the 5 programming steps ...") shares the words of the question it restates. Each question's
*profile* is the set of terms of its title, keywords, prompt and model answer; a term counts by how few
questions share it (inverse document frequency over the assignment's questions), so "tanh" tells the tanh
question from the sigmoid one while "gradient", which every question uses, tells nothing.

Terms are lowercase words of three letters or more (plural *s* dropped, hyphens joined and split), LaTeX
command names (``\\tanh`` → tanh), Greek letters by name (σ → sigma) and numbers of three digits or more.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from chainrule.grading.question_tree import QuestionLike

_GREEK = {"σ": "sigma", "ρ": "rho", "θ": "theta", "λ": "lambda", "α": "alpha", "β": "beta", "τ": "tau",
          "∂": "partial", "∇": "nabla", "φ": "phi", "ϕ": "phi", "Φ": "phi", "δ": "delta", "ε": "epsilon",
          "ϵ": "epsilon", "η": "eta", "γ": "gamma", "μ": "mu", "π": "pi", "ℓ": "ell", "Σ": "sum", "∑": "sum"}
_STOP = frozenset("""
the and for with that this these those from into onto over under are was were been being have has had not but
its it's their there then than them they you your our can could would should will shall may might must each
every all any some such only also just very more most less much many how what why when where which who whom
whose use used using show shows find give gives given write written let now same still here per via both
either neither other another one two three four five first second third answer question problem part solution
above below following previous next above note thus hence therefore since because so get got make made
frac left right mathbf mathrm mathcal mathbb boldsymbol text textbf textit operatorname begin end cdot quad
qquad displaystyle limits hat tilde bar vec dots ldots cdots vdots ddots big bigg biggl biggr array matrix
bmatrix pmatrix align aligned cases item label ref eqref tag nonumber emph
""".split())
_WORD = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z][a-z0-9_]*)*|\d{3,}")
MAX_TEXT = 4000  # characters of a segment read for its terms


def terms(text: str) -> set[str]:
    """The terms of ``text`` that can say which question it is about."""
    text = text[:MAX_TEXT]
    for letter, name in _GREEK.items():
        text = text.replace(letter, f" {name} ")
    text = re.sub(r"\\([A-Za-z]+)", r" \1 ", text).lower()
    found: set[str] = set()
    for word in _WORD.findall(text):
        parts = [word.replace("-", "")] + (word.split("-") if "-" in word else [])
        for part in parts:
            part = part.strip("_")
            part = _singular(part)
            if len(part) >= 3 and part not in _STOP:
                found.add(part)
    return found


def _singular(word: str) -> str:
    """"losses" → "loss", "entries" → "entry", "gradients" → "gradient"; short words and "-ss/-us/-is" stay."""
    if len(word) <= 4:
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def profile_text(question: QuestionLike) -> list[tuple[str, float]]:
    """The texts that say what a question is about, each with how much it says: the title and keywords most."""
    texts: list[tuple[str, float]] = [(getattr(question, "title", None) or "", 2.0)]
    texts += [(keyword, 2.0) for keyword in getattr(question, "keywords", None) or []]
    for name, weight in (("prompt", 1.0), ("statement", 1.0), ("model_answer", 0.5)):
        value = getattr(question, name, None)
        if isinstance(value, str):
            texts.append((value, weight))
    texts += [(line, 0.5) for line in getattr(question, "rubric", None) or [] if isinstance(line, str)]
    return texts


class ContentModel:
    """Per question, the terms that point to it, weighted by how few questions share them."""

    def __init__(self, questions: Sequence[QuestionLike]) -> None:
        self.ids = [question.id for question in questions]
        self.weights: dict[str, dict[str, float]] = {}
        for question in questions:
            table: dict[str, float] = {}
            for text, weight in profile_text(question):
                for term in terms(text):
                    table[term] = max(table.get(term, 0.0), weight)
            self.weights[question.id] = table
        counts: dict[str, int] = {}
        for table in self.weights.values():
            for term in table:
                counts[term] = counts.get(term, 0) + 1
        total = max(len(questions), 1)
        self.idf = {term: math.log(total / count) for term, count in counts.items()}

    def scores(self, found: Iterable[str]) -> dict[str, float]:
        """How strongly a text with terms ``found`` points to each question (0 for none of its terms)."""
        found = set(found)
        return {
            question_id: sum(self.idf[term] * min(weight, 1.5) for term, weight in table.items() if term in found)
            for question_id, table in self.weights.items()
        }

    def affinity(self, found: Iterable[str], scale: float = 3.0) -> dict[str, float]:
        """Per question, in (-1, 1): how much more a text points to it than to the assignment's average question.

        The shape (a bounded tanh of the score above the mean) keeps a long text from outweighing numbering:
        content decides between readings of a label, it does not overrule a clear one.
        """
        raw = self.scores(found)
        if not raw:
            return {}
        mean = sum(raw.values()) / len(raw)
        return {question_id: math.tanh((value - mean) / scale) for question_id, value in raw.items()}
