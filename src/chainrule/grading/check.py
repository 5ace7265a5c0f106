"""``check_document``: decide every claim a document makes on its own, without a spec.

The document is read top to bottom. Each relation chain is translated under what earlier lines established
(declared shapes, parameter domains, numbers given to names), its steps are checked one by one, and the
*first* wrong step of each chain is reported with its line, what was written and why. Steps after it are not
judged (they usually follow from the mistake). A member whose own shapes do not fit (``(1×K)·(1×m)``) is
reported on its line as well. Each claim is isolated: a timeout or a translation failure makes that claim
undecided with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy

from chainrule.grading.checkers import EQUALITIES, Context, Step, check_step
from chainrule.grading.checkers.jacobian import T as JACOBIAN_T
from chainrule.grading.checkers.jacobian import check_elementwise_jacobian, learn_activation, remember_form
from chainrule.grading.checkers.printing import readable_finding, to_text
from chainrule.grading.checkers.terms import Binding, Environment, Term, soften
from chainrule.grading.claims import ReadDocument, RelationChain, declare, declare_from, read_document
from chainrule.grading.findings import CheckResult, Finding, Verdict
from chainrule.grading.meaning import is_shape_statement, statement_shape
from chainrule.grading.translate import (
    activation_form,
    declared_shape,
    derivative_key,
    function_key,
    symbol_key,
    translate,
)
from chainrule.notation import nodes as n
from chainrule.shapes import Shape, ShapeMismatch, same_shape

if TYPE_CHECKING:
    from chainrule.grading.meaning import FunctionMeaning

__all__ = ["ChainOutcome", "check_chain", "check_chains", "check_document"]

DOCUMENT_BUDGET_S = 120.0
SKIPPED_OPS = frozenset({"→", "↦", ":", "∼", "∝", "∉", "⊂", "⊆"})


@dataclass
class ChainOutcome:
    """The findings of one chain: at most one wrong step, plus members whose shapes do not fit."""

    chain: RelationChain
    findings: list[Finding]

    @property
    def first_wrong(self) -> Finding | None:
        return next((f for f in self.findings if f.verdict is Verdict.WRONG), None)


Assigned = Callable[[int], Mapping[str, "FunctionMeaning | None"]]


def check_document(text: str, source: str = "<document>", *, timeout: float = 3.0,
                   budget: float = DOCUMENT_BUDGET_S, env: Environment | None = None,
                   assigned: Assigned | None = None, extra_texts: tuple[str, ...] = ()) -> CheckResult:
    """Every claim of a Markdown/LaTeX document, decided right, wrong or undecided, each with a reason.

    Raises :class:`~chainrule.errors.InputError` only when the document itself cannot be taken (not text, too
    large); unreadable math is listed in ``errors`` and the check goes on. ``env`` carries what is known before
    the document starts (the grader puts in its assignment's parameter domains, such as ``a ∈ (0, 1)``);
    ``assigned`` says what the assignment makes function names mean at a line (the grader: the question's f, g
    and σ there), and ``extra_texts`` (its prompts) may declare function names the document then applies.
    """
    document = read_document(text, extra_texts)
    result = CheckResult(source=source, errors=list(document.errors))
    for outcome in check_chains(document, env=env, timeout=timeout, budget=budget, assigned=assigned):
        result.findings.extend(readable_finding(finding) for finding in outcome.findings)
    return result


def check_chains(document: ReadDocument, *, env: Environment | None = None, timeout: float = 3.0,
                 budget: float = DOCUMENT_BUDGET_S, assigned: Assigned | None = None) -> Iterator[ChainOutcome]:
    """Check each chain of a read document in order, yielding its outcome (the grader's per-question hook).

    ``timeout`` bounds each computer-algebra call; ``budget`` bounds the whole document (seconds): chains met
    after it is spent are undecided, so one huge submission cannot hold up a batch.
    """
    env = env or Environment()
    declare(document, env)
    context = Context(env, timeout=timeout)
    declared = 0
    deadline = time.monotonic() + budget
    for chain in document.chains:
        if time.monotonic() > deadline:
            yield ChainOutcome(chain, [Finding(Verdict.UNDECIDED, chain.line, "", f"not checked: the {budget:g} s "
                                               "allowed for this document were spent")])
            continue
        # what a line declares holds from that line on (the whole line: "f(x) = max{ax, x}, a ∈ (0, 1)")
        while declared < len(document.chains) and document.chains[declared].line <= chain.line:
            declare_from(document.chains[declared], env)
            declared += 1
        if assigned is not None:
            env.assigned = dict(assigned(chain.line))
        try:
            yield check_chain(chain, context)
        except Exception as error:  # one chain that breaks the checker must not stop the document
            yield ChainOutcome(chain, [Finding(Verdict.UNDECIDED, chain.line, "", f"the check failed on this chain "
                                               f"({type(error).__name__}: {error})")])


def check_chain(chain: RelationChain, context: Context) -> ChainOutcome:
    """Check one chain under ``context`` and then record what it establishes (bindings, definitions).

    A claim stated under a condition on one name (``for $x < 0$``) is checked with that name in the condition's
    interval only, as claimed.
    """
    condition = chain.condition
    if condition is None or not condition.intervals:
        return _check_chain(chain, context)
    domains = context.env.domains
    before = dict(domains)
    for name, interval in condition.intervals:
        domains[name] = interval if name not in before else interval.intersect(before[name])
    try:
        return _check_chain(chain, context)
    finally:
        domains.clear()
        domains.update(before)


def _check_chain(chain: RelationChain, context: Context) -> ChainOutcome:
    env = context.env
    if all(op in EQUALITIES for op in chain.ops) and is_shape_statement(chain.terms):
        return ChainOutcome(chain, _check_shape_statement(chain))
    head = _defined_function_head(chain.terms[0], env) if chain.ops[0] in EQUALITIES else None
    parameters = frozenset(symbol_key(arg) for arg in (head.args if head else ()))
    own = [_bound_variables(term) for term in chain.terms]
    cache: dict[tuple[int, frozenset[str]], Term] = {}

    def member(index: int, frozen: frozenset[str]) -> Term:
        if (index, frozen) not in cache:
            cache[index, frozen] = _translate_member(chain.terms[index], env, frozen)
        return cache[index, frozen]

    terms = [member(i, parameters | own[i]) for i in range(len(chain.terms))]
    findings: list[Finding] = []
    seen_mismatch: set[tuple[int | None, str]] = set()
    for node, term in zip(chain.terms, terms, strict=True):
        if term.mismatch and (term.line, term.mismatch) not in seen_mismatch:
            seen_mismatch.add((term.line, term.mismatch))
            findings.append(Finding(Verdict.WRONG, term.line or node.line, term.text,
                                    term.mismatch, kind="shape", column=term.column))
    for index, op in enumerate(chain.ops):
        if op in SKIPPED_OPS:
            continue
        left_node, right_node = chain.terms[index], chain.terms[index + 1]
        line = right_node.line or chain.op_lines[index] or chain.line
        if op == "∈":
            finding = _check_membership(chain, terms, index, line)
            if finding is not None:
                findings.append(finding)
                if finding.verdict is Verdict.WRONG:
                    break
            continue
        if index == 0 and op in EQUALITIES and (head is not None
                                                 or _is_definition(left_node, terms[index + 1], env, line)):
            continue
        # the variable of a derivative or limit stays a variable on both sides of its step; elsewhere a name
        # with a number gets it (∂L/∂ŷ = −1/ŷ = −1.25 evaluates −1/ŷ at ŷ's number in the second step)
        frozen = parameters | own[index] | own[index + 1]
        context.variables = frozenset(env.symbol(name) for name in frozen)
        left, right = member(index, frozen), member(index + 1, frozen)
        step = Step(left, op, right, line, right_node.column or None)
        finding = check_elementwise_jacobian(left_node, right_node, context, line, step.written) \
            if op in EQUALITIES else None
        if finding is None:
            used_left = _bindings_used(left_node, left, env, frozen)
            used_right = _bindings_used(right_node, right, env, frozen)
            finding = _unless_operands_differ(check_step(step, context), step, used_left, used_right, env)
            finding = _unless_shape_from_elsewhere(finding, (left_node, right_node), env, frozen)
        findings.append(finding)
        if finding.verdict is Verdict.WRONG:
            break
    if chain.caveat:
        findings = [_with_caveat(f, chain.caveat) for f in findings]
    _record(chain, terms, env, rebind=not any(f.verdict is Verdict.WRONG for f in findings))
    if head is not None:
        _record_function(head, terms[1], env)
    if chain.ops[0] in EQUALITIES:
        _record_structure(chain, env)
    return ChainOutcome(chain, findings)


def _check_shape_statement(chain: RelationChain) -> list[Finding]:
    """``(n×n)(n×1) = n×1``: the shapes each side states must fit and agree (shape algebra, not arithmetic)."""
    from chainrule.grading.checkers.printing import to_text

    shapes = []
    for index, term in enumerate(chain.terms):
        line = term.line or chain.line
        try:
            shapes.append(statement_shape(term))
        except ShapeMismatch as error:
            if _mixed_sizes(error.left, error.right):
                return [Finding(Verdict.UNDECIDED, line, to_text(term), f"a shape annotation whose sizes may fit: "
                                f"{error}", kind="shape")]
            return [Finding(Verdict.WRONG, line, to_text(term), f"a shape annotation whose sizes do not fit: {error}",
                            kind="shape")]
        if index and shapes[-1] is not None and shapes[-2] is not None and shapes[-1] != shapes[-2]:
            written = f"{to_text(chain.terms[index - 1])} = {to_text(term)}"
            return [Finding(Verdict.WRONG, line, written, f"the two sides state different shapes: {shapes[-2]} "
                            f"and {shapes[-1]}", kind="shape")]
    if any(shape is None for shape in shapes):
        return [Finding(Verdict.UNDECIDED, chain.line, " = ".join(to_text(t) for t in chain.terms),
                        "a shape annotation this check cannot read", kind="shape")]
    return [Finding(Verdict.RIGHT, chain.line, " = ".join(to_text(t) for t in chain.terms),
                    "the shapes fit and agree (a statement about shapes, not arithmetic)", kind="shape")]


def _mixed_sizes(left: Shape, right: Shape) -> bool:
    """A size written as a number against one written as a name (3 against n): they may be the same size."""
    return isinstance(left.cols, int) != isinstance(right.rows, int)


def _record_structure(chain: RelationChain, env: Environment) -> None:
    """What a chain says about functions and names beyond values: L_1(x) = W x + b, f = tanh, z_2 = f(z_1)."""
    head, body = chain.terms[0], chain.terms[1]
    if isinstance(head, n.Apply) and isinstance(head.func, n.Symbol) and len(head.args) == 1:
        name = symbol_key(head.func)
        if isinstance(head.args[0], n.Symbol):
            env.node_functions[name] = (symbol_key(head.args[0]), body)
        learn_activation(head, body, env, lambda func: activation_form(func, env, JACOBIAN_T))
    if isinstance(head, n.Symbol):
        key = symbol_key(head)
        for term in chain.terms[1:]:
            scale = sympy.Integer(1)
            if isinstance(term, n.Mul) and len(term.factors) == 2 and isinstance(term.factors[0], n.Number):
                scale = sympy.Rational(term.factors[0].value.numerator, term.factors[0].value.denominator)
                term = term.factors[1]  # z_2 = 5 ReLU(z_1)
            if not (isinstance(term, n.Apply) and len(term.args) == 1 and isinstance(term.args[0], n.Symbol)):
                continue
            entries = env.applications.setdefault(key, [])
            if isinstance(term.func, n.Symbol) and scale == 1:
                entries.append((symbol_key(term.func), symbol_key(term.args[0]), env.activation_epoch, False))
            elif (form := activation_form(term.func, env, JACOBIAN_T)) is not None:
                name = to_text(term.func) if scale == 1 else f"{scale}·{to_text(term.func)}"
                env.activation_forms[name] = scale * form  # an inline name: never a change of a named function
                remember_form(name, scale * form, env)
                entries.append((name, symbol_key(term.args[0]), env.activation_epoch, True))


def _with_caveat(finding: Finding, caveat: str) -> Finding:
    if finding.verdict is not Verdict.WRONG:
        return finding
    return Finding(Verdict.UNDECIDED, finding.line, finding.written, f"{finding.reason}; but {caveat}",
                   expected=finding.expected, column=finding.column, kind=finding.kind, notes=finding.notes)


def _defined_function_head(node: n.Node, env: Environment) -> n.Apply | None:
    """``f(x) = …`` / ``σ(a) = …`` with distinct plain names as arguments: the chain defines a function."""
    if not isinstance(node, n.Apply) or not node.args or not all(isinstance(a, n.Symbol) for a in node.args):
        return None
    if len({symbol_key(a) for a in node.args}) != len(node.args):
        return None
    if isinstance(node.func, n.Symbol):
        return node
    if isinstance(node.func, n.Function) and env.function_meanings().get(function_key(node.func), "") is None:
        return node
    return None


def _record_function(head: n.Apply, body: Term, env: Environment) -> None:
    name = symbol_key(head.func) if isinstance(head.func, n.Symbol) else function_key(head.func)
    template = body.template
    if not isinstance(template, sympy.Expr) or isinstance(template, sympy.MatrixBase) \
            or template.atoms(sympy.core.function.AppliedUndef):
        env.function_defs.pop(name, None)  # redefined by something we cannot use: forget the old meaning
        return
    env.function_defs[name] = (tuple(env.symbol(symbol_key(a)) for a in head.args), body)


def _bindings_used(node: n.Node, term: Term, env: Environment, frozen: frozenset[str]) -> list[Binding]:
    """The earlier numbers put into this member for names (none when it was kept symbolic)."""
    if term.template is None or term.free_symbols:
        return []
    names = {symbol_key(s) for s in node.walk() if isinstance(s, n.Symbol)}
    return [env.bindings[name] for name in sorted(names) if name in env.bindings and name not in frozen]


def _unless_operands_differ(finding: Finding, step: Step, used_left: list[Binding], used_right: list[Binding],
                            env: Environment) -> Finding:
    """A substitution step that is off because it puts in other numbers than the ones found earlier.

    ``ŷ1(1 − ŷ1) = 0.7391(1 − 0.7391)`` after ``ŷ1 = 0.7491``: the arithmetic may be fine and the names may have
    been reused, so this is not called wrong here; the finding says which operand differs.
    """
    if finding.verdict is not Verdict.WRONG or finding.kind != "numeric":
        return finding
    for used, other in ((used_left, step.right), (used_right, step.left)):
        if not used or other.is_written_result:  # a result, not a formula with numbers put in
            continue
        written_values = {number.value for _, number in other.literals}
        missing = [b for b in used if not {number.value for _, number in b.term.literals} <= written_values]
        if missing:
            found = ", ".join(f"{b.name} = {b.term.text}" + (f" (line {b.line})" if b.line else "") for b in missing)
            return Finding(Verdict.UNDECIDED, finding.line, finding.written,
                           f"the numbers put in differ from the values found earlier ({found}); with those values "
                           f"{finding.reason}", expected=finding.expected, column=finding.column, kind="operand")
    return finding


def _unless_shape_from_elsewhere(finding: Finding, nodes: tuple[n.Node, n.Node], env: Environment,
                                 frozen: frozenset[str]) -> Finding:
    """A shape conflict that only the values put in from earlier lines create is not the student's mistake.

    ``x = 0`` in question 1 ("not differentiable at x = 0") and ``∂L/∂b xᵀ`` in question 2: names are reused
    across a document, so a conflict that vanishes when nothing is put in for names stays undecided.
    """
    if finding.verdict is not Verdict.WRONG or finding.kind != "shape":
        return finding
    plain = [translate(node, env, frozen=frozen, substitute=False) for node in nodes]
    left, right = plain
    if left.shape_certain and right.shape_certain and left.shape.is_known and right.shape.is_known \
            and same_shape(*soften(left.shape, right.shape)) is False:
        return finding
    return Finding(Verdict.UNDECIDED, finding.line, finding.written,
                   f"{finding.reason}, but only with values put in from earlier lines (a name may be reused)",
                   column=finding.column, kind="shape")


def _translate_member(node: n.Node, env: Environment, frozen: frozenset[str]) -> Term:
    """Translate with earlier numbers put in for names, but only when that leaves a closed number.

    ``ŷ − y`` with ŷ = 1.33 known and y unknown stays symbolic: half-substituted forms compare badly.
    """
    substituted = translate(node, env, frozen=frozen)
    if substituted.template is None or not substituted.free_symbols:
        return substituted
    plain = translate(node, env, frozen=frozen, substitute=False)
    return plain if plain.template is not None else substituted


def _bound_variables(term: n.Node) -> frozenset[str]:
    """Names that are the variable of a derivative or limit in this member: they stay variables."""
    names = set()
    for node in term.walk():
        if isinstance(node, n.Derivative) and isinstance(node.wrt, n.Symbol):
            names.add(symbol_key(node.wrt))
        elif isinstance(node, n.Limit) and isinstance(node.var, n.Symbol):
            names.add(symbol_key(node.var))
    return frozenset(names)


RESTATEMENT_LINES = 2  # a name given a number is checked again only this close to where it got it


def _is_definition(node: n.Node, right: Term, env: Environment, line: int) -> bool:
    """``name = …`` (or ``∂L/∂ŷ = …``) defines the name and claims nothing to check.

    The exception is a restatement right after the computation (``z1 = 0.15·0.05 + … \\ z1 = 0.3275``): a name
    that got its number a line or two above, now written with a number or a closed formula again. Further away a
    new value is a new definition: questions reuse names (ŷ in question 1 is not ŷ in question 2).
    """
    if isinstance(node, n.Symbol) and node.name == "pi" and not node.sub:
        return False  # π = 3.14 is a claim about π
    key = symbol_key(node) if isinstance(node, n.Symbol) else derivative_key(node)
    if key is None:
        return False
    binding = env.bindings.get(key)
    if binding is None:
        return isinstance(node, n.Symbol)
    if binding.line is None or not 0 <= line - binding.line <= RESTATEMENT_LINES:
        return True
    if _one_number(binding.term) and _one_number(right):
        return True  # x = 3, then x = 5 (or x = −√2, then x = √2): a new value, not a claim about the old one
    return right.template is None or bool(right.free_symbols) or not _is_closed(right)


def _one_number(term: Term) -> bool:
    """A member written with one number and no other name (``5``, ``−√2``, ``π/4``): a value, not a computation."""
    return len(term.literals) <= 1 and term.template is not None and not term.free_symbols and not term.is_matrix \
        and (len(term.literals) == 1 or bool(term.template.atoms(sympy.NumberSymbol)))


def _check_membership(chain: RelationChain, terms: list[Term], index: int, line: int) -> Finding | None:
    """``… ∈ ℝ^{…}`` after a derivative or a product: its declared size must be the shape worked out."""
    target = chain.terms[index + 1]
    if not isinstance(target, n.Space):
        return None
    declared = declared_shape(target)
    if declared is None:
        return None
    position = index
    while position >= 0:
        term, node = terms[position], chain.terms[position]
        if not isinstance(node, n.Symbol) and term.shape_certain and term.shape.is_known:
            if same_shape(term.shape, declared) is False:
                return Finding(Verdict.WRONG, line, f"{term.text} ∈ {_space_text(target)}",
                               f"{term.text} is {term.shape}, not {declared}", kind="shape", column=target.column)
            return None
        if position == 0 or chain.ops[position - 1] not in EQUALITIES:
            return None
        position -= 1
    return None


def _space_text(space: n.Space) -> str:
    from chainrule.grading.checkers.printing import to_text

    return to_text(space)


def _record(chain: RelationChain, terms: list[Term], env: Environment, *, rebind: bool = True) -> None:
    """Remember what the chain establishes: numbers written for a name, formulas defining it, results."""
    given = len(terms) == 2 and isinstance(chain.terms[0], n.Symbol)  # "ŷ = 0.8" gives a value, computes none
    for index, term in enumerate(terms):
        if index > 0 and term.is_bare_number and not given:
            env.earlier_results.add(term.literals[0][1].value)
    head = chain.terms[0]
    if not all(op in EQUALITIES for op in chain.ops if op != "∈"):
        return
    closed = [t for t in terms[1:] if t.template is not None and not t.free_symbols and _is_closed(t)]
    derivative = derivative_key(head)
    if derivative is not None and closed and (rebind or derivative not in env.bindings):
        env.bindings[derivative] = Binding(derivative, closed[-1], closed[-1].line)
    if not isinstance(head, n.Symbol):
        return
    key = symbol_key(head)
    if closed:
        if rebind or key not in env.bindings:
            env.bindings[key] = Binding(key, closed[-1], closed[-1].line)
        return
    formulas = [t for t in terms[1:] if isinstance(t.template, sympy.Expr) and t.free_symbols
                and not t.template.atoms(sympy.core.function.AppliedUndef)]
    if formulas and key not in env.bindings:
        env.definitions[key] = formulas[0]
    shaped = [t for t in terms[1:] if t.shape_certain and t.shape.is_known]
    if shaped and key not in env.shapes:
        env.shapes[key] = shaped[0].shape


def _is_closed(term: Term) -> bool:
    template = term.template
    if template is None:
        return False
    if isinstance(template, sympy.MatrixBase):
        return all(not entry.atoms(sympy.core.function.AppliedUndef) for entry in template)
    return not template.atoms(sympy.core.function.AppliedUndef) and not template.has(sympy.Limit,
                                                                                     sympy.Derivative)
