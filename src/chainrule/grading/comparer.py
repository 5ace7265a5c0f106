"""Compare a question's relation chains with its truth, by value at random points, with shapes and layout.

A submission's relation chains (``∂ℓ/∂W₂ = z₂ ∂ℓ/∂z₃ = …``) are read once per document (:mod:`.context`). Each
term is evaluated numerically (:mod:`.evaluate`) where the spec gives every name in it a value (:mod:`.truth`):
the network's parameters, inputs, intermediates and every Jacobian. A term is then

* right when it equals the truth of the chain's subject (the quantity named on the left);
* wrong when it differs — with the reason: transposed (a wrong answer under numerator layout, only a note
  under denominator layout), a product whose shapes do not fit, a wrong size in ``∈ ℝ^…``, a full matrix where
  an elementwise map's Jacobian is diagonal (:mod:`.jacobian_entries`), two indices on a row vector;
* left alone when any name in it has no value (a tensor, an index sum, a symbol the spec does not know).

Where a one-symbol change (``⊤``↔``+``, ``l``↔``1``, a lost ``²``) would make a wrong term right, the finding
says so (:mod:`.ocr`): scanned work is often misread there.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from chainrule.assignments.spec import QuestionBase
from chainrule.grading.context import GradingContext, Statement
from chainrule.grading.evaluate import Points, ShapeError, Unevaluable, same_values
from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.jacobian_entries import entries_finding, pattern_matrix_finding
from chainrule.grading.meaning import (
    Condition,
    entry_indices,
    is_shape_statement,
    output_resolver,
    resolver,
    without_argument,
    without_words,
)
from chainrule.grading.ocr import ocr_notes
from chainrule.grading.relations import claimed_chains
from chainrule.grading.tables import table_chains
from chainrule.grading.truth import POINTS, NoTruth, Truth, matrix_truth, mlp_truth, network_truth
from chainrule.grading.written import as_latex, as_text
from chainrule.notation import nodes as n

__all__ = ["QuestionComparer", "asked_items"]

def _numbers_tolerance(node: n.Node) -> float:
    """Half a unit in the last place written, for a term made of numbers only; 0 (exact) otherwise."""
    decimals = [item.decimals for item in node.walk() if isinstance(item, n.Number)]
    other = [item for item in node.walk() if isinstance(item, (n.Symbol, n.Derivative, n.Apply))]
    if not decimals or other:
        return 0.0
    # Entries written as whole numbers (the 0 of "(0, 1.3)") are exact; the rounding is that of the decimals.
    return 0.5 * 10 ** (-max(decimals)) * 1.0001 if max(decimals) > 0 else 0.0


_FORWARD_ITEMS = ("z1", "z2", "z3", "yhat", "loss")
_GRADIENT_ITEMS = ("W1", "b1", "W2", "b2")


def asked_items(question: QuestionBase) -> frozenset[str]:
    """The truth items a question asks for and the comparison can match one by one; empty when it asks for
    something the comparison cannot tell apart (local Jacobians, explanations), so such a question is never
    marked right on these items alone."""
    if question.type == "mlp_numeric":
        layers = len(getattr(question, "layers", ()))
        gradients = {f"∂loss/∂{kind}{index}" for index in range(1, layers + 1) for kind in ("W", "b")}
        return frozenset({"yhat", *gradients})
    if question.type == "matrix_gradient":
        return frozenset({f"∂loss/∂{question.with_respect_to}"})  # type: ignore[attr-defined]
    if question.type == "symbolic_backprop":
        asks = set(getattr(question, "asks", ()) or ())
        if not asks or not asks <= {"forward", "gradients"}:
            return frozenset()
        items: set[str] = set()
        if "forward" in asks:
            items.update(_FORWARD_ITEMS)
        if "gradients" in asks:
            items.update(f"∂loss/∂{name}" for name in _GRADIENT_ITEMS)
        return frozenset(items)
    return frozenset()


class QuestionComparer:
    """Compares one question's chains with its truth (built afresh at each of a few random points)."""

    def __init__(self, question: QuestionBase, context: GradingContext) -> None:
        self.question = question
        self.context = context
        self.layout = context.assignment.conventions.layout
        self.strict = self.layout == "numerator"
        self.resolve = resolver(question, context.renamings, context.aliases)
        if question.type == "matrix_gradient":
            self.resolve = output_resolver(self.resolve, getattr(question, "output", "f"))
        self.truths = self._truths()
        self.points = Points(self.truths, self.resolve, self.strict, context.functions_for(question))
        self.stated_layout: str | None = None  # the layout a submission says its answers are in, if it says one
        self.asked = asked_items(question)

    def _same_quantity(self, first: n.Node, second: n.Node) -> bool:
        name = self.resolve(first)
        return name is not None and name == self.resolve(second)

    def answered(self, subject: n.Node) -> str | None:
        """The asked truth item that ``subject`` names (the network's output, a loss gradient), or None."""
        if isinstance(subject, n.Gradient) and subject.wrt is not None:
            subject = n.Derivative(subject.of, subject.wrt, partial=True)
        if isinstance(subject, n.Derivative) and subject.of is not None:
            if self.resolve(subject.of) != "loss" or not isinstance(subject.wrt, n.Symbol | n.Power):
                return None
            if isinstance(subject.wrt, n.Symbol) and entry_indices(subject.wrt) and self.points.free is None:
                return None  # one entry, not the whole gradient
            item = f"∂loss/∂{self.resolve(subject.wrt)}"
        elif isinstance(subject, n.Symbol | n.Apply) and not (isinstance(subject, n.Symbol) and entry_indices(subject)):
            name = self.resolve(subject)
            last = len(getattr(self.question, "layers", ()))
            item = "yhat" if name in (f"h{last}", f"a{last}") and self.question.type == "mlp_numeric" else name or ""
        else:
            return None
        return item if item in self.asked else None

    def _truths(self) -> list[Truth]:
        kind = self.question.type
        if kind == "symbolic_backprop":
            return [network_truth(self.question, self.layout, np.random.default_rng(seed)) for seed in range(POINTS)]
        if kind == "matrix_gradient":
            rngs = (np.random.default_rng(seed) for seed in range(POINTS))
            return [matrix_truth(self.question, self.context.assignment, rng) for rng in rngs]
        if kind == "mlp_numeric":
            try:
                return [mlp_truth(self.question, self.layout)]
            except NoTruth:
                return []  # a loss this comparison does not model: the line checker still reads the answer
        return []

    def _free_index(self, subject: n.Node) -> tuple[str, int] | None:
        """The one free index of a subject such as ``∂ℓ/∂ŷ_i``, with its range, or None."""
        truth = self.truths[0]
        found: dict[str, int] = {}
        for item in subject.walk():
            if not isinstance(item, n.Symbol):
                continue
            for index in entry_indices(item):
                if isinstance(index, n.Symbol) and not index.sub and index.name not in truth.sizes:
                    base = self.resolve(item)
                    if base in truth.values:
                        found[index.name] = max(truth.values[base].shape)
        return next(iter(found.items())) if len(found) == 1 else None

    def findings(self, statements: list[Statement]) -> list[Finding]:
        """Findings for the claims of table rows, then for every chain of the question's statements."""
        found: list[Finding] = []
        if not self.truths:
            return found
        for chain in table_chains(self.question, self.context.split.lines, self.resolve, statements):
            try:
                found.extend(self.compare_chain(chain))
            except (Unevaluable, FloatingPointError, ValueError, IndexError, ZeroDivisionError):
                continue
        for statement in statements:
            for chain in claimed_chains(statement.node):
                try:
                    compared = self.compare_chain(chain)
                except (Unevaluable, FloatingPointError, ValueError, IndexError, ZeroDivisionError):
                    continue
                found.extend(_under(statement.condition, f) for f in compared)
        return found

    # -- one chain
    def compare_chain(self, chain: n.Chain) -> list[Finding]:
        findings: list[Finding] = []
        terms, ops = chain.terms, [op.op for op in chain.ops]
        if is_shape_statement(terms, set().union(*(truth.sizes for truth in self.truths))):
            return findings  # a statement about shapes: the line checker reads it as one
        subject = without_argument(without_words(terms[0]), self._same_quantity)
        self.points.free = None if isinstance(subject, n.Indexed) else self._free_index(subject)
        subject_values = self.points.values_of(subject)
        for index, term in enumerate(terms[1:], start=1):
            op = ops[index - 1]
            if op == "∈":
                found = self._membership(chain, index)
                if found:
                    findings.append(found)
                continue
            if op != "=":
                continue
            if (
                self.question.type == "symbolic_backprop"
                and isinstance(subject, n.Symbol)
                and isinstance(term, n.Number)
            ):
                continue  # "L = 1", "i = 0": an index or a layer number, not a value at random points
            if isinstance(subject, n.Indexed) and index == 1:
                found = entries_finding(self.points, subject, term)
                if found:
                    findings.append(found)
                continue
            if isinstance(term, n.Matrix) and any(isinstance(c, n.Dots) for row in term.rows for c in row):
                found = pattern_matrix_finding(self.points, subject, term)
                if found:
                    findings.append(found)
                continue
            reference = subject_values if index == 1 or subject_values is not None else None
            reference_node = subject
            if reference is None and index >= 2:
                reference_node = terms[index - 1]
                reference = self.points.values_of(reference_node)
            found = self._compare_term(term, reference, reference_node, ops[index - 1])
            if found:
                findings.append(found)
        return findings

    def _compare_term(
        self, term: n.Node, reference: list[np.ndarray] | None, reference_node: n.Node, op: str
    ) -> Finding | None:
        line = term.line or reference_node.line
        written = f"{as_text(reference_node)} = {as_text(term)}"
        latex = as_latex(reference_node, "=", term)
        answers = self.answered(reference_node)
        try:
            values = self.points.evaluate_all(term)
        except ShapeError as error:
            if not self.strict:
                return Finding(
                    Verdict.UNDECIDED,
                    line,
                    as_text(term),
                    f"as written the term {error}; read as an outer or entrywise product it may be meant right",
                    kind="shape",
                )
            notes = ocr_notes(self.points, term, reference)
            return Finding(
                Verdict.WRONG, line, as_text(term), f"the shapes do not fit: it {error}", kind="shape", notes=notes
            )
        except Unevaluable:
            return None
        if reference is None:
            return None
        tolerance = _numbers_tolerance(term)
        if all(same_values(v, r, tolerance) for v, r in zip(values, reference, strict=True)):
            in_layout = ""
            if self.question.type == "matrix_gradient" and answers:
                shape = self.truths[0].shape_text(reference[0].shape)
                in_layout = f", in the assignment's {self.layout} layout ({shape})"
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"agrees with the truth at random values of every name{in_layout}",
                kind="symbolic",
                notes=self._forbidden_notes(term) if self._is_asked(reference_node) else (),
                latex=latex,
                answers=answers,
            )
        expected = self._expected_text(reference_node, reference[0])
        if all(same_values(v.T, r, tolerance) for v, r in zip(values, reference, strict=True)):
            shape = self.truths[0].shape_text(reference[0].shape)
            if self.question.type == "matrix_gradient":
                return self._transposed_gradient(line, written, expected, shape, latex, answers)
            if self.strict:
                return Finding(
                    Verdict.WRONG,
                    line,
                    written,
                    f"transposed: in numerator layout this is {shape}",
                    expected=expected,
                    kind="layout",
                    latex=latex,
                    answers=answers,
                )
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"right up to orientation (the {self.layout} layout makes it {shape})",
                kind="layout",
                notes=("written transposed",),
                latex=latex,
                answers=answers,
            )
        if values[0].shape != reference[0].shape:
            reason = (
                f"it is {self.truths[0].shape_text(values[0].shape)} but "
                f"{as_text(reference_node)} is {self.truths[0].shape_text(reference[0].shape)}"
            )
        else:
            reason = "differs from the truth at random values of every name"
        return Finding(
            Verdict.WRONG,
            line,
            written,
            reason,
            expected=expected,
            kind="symbolic",
            notes=ocr_notes(self.points, term, reference),
            latex=latex,
            answers=answers,
        )

    def _transposed_gradient(
        self, line: int | None, written: str, expected: str | None, shape: str, latex: str | None, answers: str | None
    ) -> Finding:
        """A gradient written as its transpose: right in the layout the answer states, else wrong under the
        assignment's stated layout — with the layouts named either way."""
        other = "numerator" if self.layout == "denominator" else "denominator"
        if self.stated_layout == other:
            return Finding(
                Verdict.RIGHT,
                line,
                written,
                f"right in the {other} layout the answer states (the assignment's {self.layout} layout makes it "
                f"{shape}, the transpose)",
                kind="layout",
                notes=(f"written in {other} layout",),
                latex=latex,
                answers=answers,
            )
        return Finding(
            Verdict.WRONG,
            line,
            written,
            f"transposed: this is the {other}-layout form; in the assignment's {self.layout} layout it is {shape}",
            expected=expected,
            kind="layout",
            latex=latex,
        )

    def _is_asked(self, subject: n.Node) -> bool:
        """Whether the subject is one of the gradients asked for (∂ℓ/∂ of a parameter), not a working step."""
        if not isinstance(subject, n.Derivative) or subject.of is None:
            return False
        return self.resolve(subject.of) == "loss" and self.resolve(subject.wrt) in ("W1", "b1", "W2", "b2")

    def _forbidden_notes(self, term: n.Node) -> tuple[str, ...]:
        """Names the question does not allow in an answer: noted, never a reason for "wrong" by itself."""
        allowed = set(getattr(self.question, "allowed_symbols", ()) or ())
        if not allowed:
            return ()
        used: list[str] = []
        stack = [term]
        while stack:
            item = stack.pop()
            name = None
            if not isinstance(item, n.Derivative | n.Symbol):
                stack.extend(reversed(item.children()))
            if isinstance(item, n.Derivative) and item.of is not None:
                of, wrt = self.resolve(item.of), self.resolve(item.wrt)
                if of and wrt:
                    name = f"d{'l' if of == 'loss' else of}_d{wrt}"
                    shown = as_text(item)
            elif isinstance(item, n.Symbol):
                name, shown = self.resolve(item), as_text(item)
            if name and name not in allowed and shown not in used:
                used.append(shown)
        if not used:
            return ()
        return (f"uses {', '.join(used)}, which the question does not allow in the answer; the mathematics is right",)

    def _expected_text(self, node: n.Node, value: np.ndarray) -> str | None:
        if self.question.type == "mlp_numeric":
            return np.array2string(value.squeeze(), precision=4, separator=", ")
        return None

    # -- a wrong size in ∈ R^{…}
    def _membership(self, chain: n.Chain, index: int) -> Finding | None:
        space = chain.terms[index]
        if not isinstance(space, n.Space) or space.field != "R":
            return None
        subject = next((t for t in chain.terms[:index] if self.points.values_of(t) is not None), None)
        if subject is None or isinstance(subject, n.Matrix):
            return None
        dims: list[int] = []
        truth = self.truths[0]
        for dim in space.dims:
            if isinstance(dim, n.Number) and dim.value.denominator == 1:
                dims.append(int(dim.value))
            elif isinstance(dim, n.Symbol) and dim.name in truth.sizes and not dim.sub:
                dims.append(truth.sizes[dim.name])
            elif isinstance(dim, n.Mul) and all(isinstance(f, n.Symbol) and f.name in truth.sizes for f in dim.factors):
                dims.extend(truth.sizes[f.name] for f in dim.factors)  # type: ignore[union-attr]
            else:
                return None
        value = self.points.evaluator(truth).value(subject)
        if sorted(d for d in dims if d != 1) == sorted(d for d in value.shape if d != 1):
            return None
        return Finding(
            Verdict.WRONG,
            space.line or chain.line,
            f"{as_text(subject)} ∈ {as_text(space)}",
            f"{as_text(subject)} is {truth.shape_text(value.shape)}, not {truth.shape_text(tuple(dims))}",
            kind="shape",
        )


def _under(condition: Condition | None, finding: Finding) -> Finding:
    """A claim stated under a condition (``for $x < 0$``) was compared everywhere: its "wrong" is not shown."""
    if condition is None or finding.verdict is not Verdict.WRONG:
        return finding
    return replace(finding, verdict=Verdict.UNDECIDED, reason=f"{finding.reason}; but {condition.caveat}, which "
                   "the comparison at random points does not apply")
