"""Grade one submission against one assignment: a verdict, marks and located findings per question.

The steps, each bounded so a bad submission costs a finding, never the run:

1. split the text into the assignment's questions (:mod:`.split`);
2. check the document on its own once — arithmetic, algebra and shapes line by line (``check_document``),
   and hand each finding to the question whose lines hold it;
3. compare each question's claims with the spec's truth (:mod:`.compare`), including the spec's known
   misconceptions;
4. decide the question: ``missing`` when it is not answered, ``review`` for proofs and explanations (a person
   judges them; the checkable algebra inside is still shown), else ``right``/``wrong``/``partial`` from the
   findings; with nothing wrong, an undecided working step leaves the question ``right`` only when every
   answer the spec asks for was matched with the truth and found right, else it goes to ``review``.

A false "wrong" on a right answer is the worst outcome, so anything not decided stays ``undecided`` and a
question with nothing decided goes to review rather than being marked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sympy

from chainrule.assignments.spec import Assignment, QuestionBase
from chainrule.documents import Document, open_document
from chainrule.errors import CasTimeout, ChainruleError, InputError
from chainrule.grading.checkers.printing import readable_finding
from chainrule.grading.compare import compare_question
from chainrule.grading.comparer import asked_items
from chainrule.grading.context import GradingContext
from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict
from chainrule.grading.merge import merge_findings
from chainrule.grading.split import SplitResult, split_submission

MAX_SUBMISSION_CHARS = 1_000_000

# Question types a person grades: the grader shows what it can check inside them but never marks them.
PERSON_GRADED = frozenset({"proof", "conceptual"})
# Asks that make an otherwise checkable question need a person too.
PERSON_ASKS = frozenset({"proof", "discussion", "plot"})


@dataclass(frozen=True)
class GradeOptions:
    """The time bound of each computer-algebra call made while comparing a claim with the truth."""

    claim_timeout: float = 5.0


DocumentCheck = Callable[[str, str], Sequence[Finding]]


def _default_document_check(assignment: Assignment | None = None, split: SplitResult | None = None
                            ) -> DocumentCheck | None:
    """The spec-free checker of ``chainrule check``, when it is installed in this build.

    It knows from the assignment what the document's own words cannot say: the domains of its parameters ("max{ax,
    x} has derivative 1 for x > 0 and a for x < 0" is right for the a ∈ (0, 1) the question fixes, and students
    rarely repeat that), and, line by line, what the question answered there makes function names mean (σ is
    the ReLU in AMA564 1b, the sigmoid in 1a.1).
    """
    try:
        from chainrule.grading.check import check_document
        from chainrule.grading.checkers.terms import Environment
        from chainrule.grading.meaning import question_functions
    except ImportError:
        return None
    domains = _parameter_domains(assignment) if assignment is not None else {}
    prompts = tuple(q.prompt for q in assignment.questions if getattr(q, "prompt", None)) if assignment else ()
    meanings = {q.id: question_functions(q) for q in assignment.questions} if assignment is not None else {}

    def assigned(line: int) -> dict:
        if split is None:
            return {}
        question = next((qid for qid, section in split.sections.items() if section.contains(line)), None)
        return meanings.get(question, {}) if question is not None else {}

    def run(text: str, source: str) -> Sequence[Finding]:
        return check_document(text, source, env=Environment(domains=dict(domains)), assigned=assigned,
                              extra_texts=prompts).findings

    return run


def _parameter_domains(assignment: Assignment) -> dict[str, sympy.Set]:
    """Each parameter's interval under the names a document writes it with; a name given two ranges gets none."""
    from chainrule.engine.exact import to_rational
    from chainrule.grading.translate import symbol_key
    from chainrule.notation import nodes as n
    from chainrule.notation.errors import NotationError
    from chainrule.notation.parser import parse_math

    found: dict[str, sympy.Set] = {}
    clashing: set[str] = set()
    for question in assignment.questions:
        for parameter in getattr(question, "parameters", None) or ():
            low = -sympy.oo if parameter.lower is None else to_rational(parameter.lower)
            high = sympy.oo if parameter.upper is None else to_rational(parameter.upper)
            interval = sympy.Interval(low, high, parameter.lower_open, parameter.upper_open)
            try:
                node = parse_math(parameter.tex or parameter.name)
            except NotationError:
                continue
            if not isinstance(node, n.Symbol):
                continue
            key = symbol_key(node)
            if key in found and found[key] != interval:
                clashing.add(key)
            found[key] = interval
    return {key: interval for key, interval in found.items() if key not in clashing}


def read_submission_document(path: str | Path) -> Document:
    """A submission file of any format (Markdown, LaTeX, notebook, Python, PDF) as a document; a located
    InputError when it cannot be read."""
    try:
        return open_document(Path(path))
    except InputError as error:
        raise InputError(f"cannot read submission: {error.message}", error.where) from None


def read_submission(path: str | Path) -> str:
    """The rendition of a submission file (its text, for Markdown), the lines grading reads."""
    return read_submission_document(path).text


def grade_text(
    assignment: Assignment,
    text: str,
    source: str = "<submission>",
    options: GradeOptions | None = None,
    document_check: DocumentCheck | bool | None = True,
    document: Document | None = None,
) -> SubmissionResult:
    """Grade ``text`` (Markdown with LaTeX, possibly OCR'd) against ``assignment``.

    ``document_check`` is the spec-free line checker: ``True`` uses ``chainrule check``'s, ``None``/``False``
    skips it, a callable ``(text, source) -> findings`` replaces it. ``document`` is the file ``text`` was read
    from (its rendition is ``text``): each finding is then located where a person looks in that file.
    """
    if document is not None:
        result = grade_text(assignment, text, source, options, document_check)
        return result.locate(document)
    options = options or GradeOptions()
    errors = []
    if len(text) > MAX_SUBMISSION_CHARS:
        errors.append(f"{source}: longer than {MAX_SUBMISSION_CHARS} characters; only the start was graded")
        text = text[:MAX_SUBMISSION_CHARS]
    result = SubmissionResult(assignment=assignment.id, submission=source, text=text, errors=errors)
    split = split_submission(text, assignment.questions)
    document_findings = _check_document(assignment, text, source, document_check, split, result)
    context = GradingContext.build(assignment, split, options.claim_timeout)
    result.errors.extend(context.errors)
    for question in assignment.questions:
        result.questions.append(_grade_question(question, split, document_findings, context, result))
    return result


def _check_document(
    assignment: Assignment,
    text: str,
    source: str,
    document_check: DocumentCheck | bool | None,
    split: SplitResult,
    result: SubmissionResult,
) -> list[Finding]:
    check = _default_document_check(assignment, split) if document_check is True else document_check or None
    if check is None:
        return []
    try:
        # In-process: the checker bounds each of its claims itself (a bounded child could not fork again).
        return list(check(text, source))
    except CasTimeout:
        result.errors.append(f"{source}: the line-by-line check ran out of time")
    except Exception as error:  # a fault in the checker costs its findings, not the grade
        result.errors.append(f"{source}: the line-by-line check failed: {type(error).__name__}: {error}"[:300])
    return []


def _grade_question(
    question: QuestionBase,
    split: SplitResult,
    document_findings: list[Finding],
    context: GradingContext,
    result: SubmissionResult,
) -> QuestionResult:
    marks = float(question.marks or 0)
    section = split.sections.get(question.id)
    if section is None:
        return QuestionResult(question.id, QuestionVerdict.MISSING, 0.0, marks, [], "no answer found")
    findings = [f for f in document_findings if f.line is not None and section.contains(f.line)]
    try:
        compared = compare_question(question, section, context)
    except ChainruleError as error:
        compared = []
        result.errors.append(f"{question.id}: {str(error).splitlines()[0]}")
    # Where the truth decided a line, the spec-free checker's "could not decide" there says nothing more.
    decided = {f.line for f in compared if f.verdict is not Verdict.UNDECIDED}
    findings = [f for f in findings if not (f.verdict is Verdict.UNDECIDED and f.line in decided)]
    compared = _carried_forward(compared, findings)
    findings = [readable_finding(finding) for finding in merge_findings(findings, compared)]
    findings = [_unless_decimal_comma(finding, split.lines) for finding in findings]
    verdict, score, summary = decide(question, findings, marks, asked=asked_items(question))
    return QuestionResult(question.id, verdict, score, marks, findings, summary, section.ranges)


# "1,33" outside any bracket: a decimal comma (the reader takes it as two statements, 1 and 33)
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d+,\d+(?![\d,.])")


def _unless_decimal_comma(finding: Finding, lines: list[str]) -> Finding:
    """A "wrong" on a line that writes a number with a decimal comma may be the reader's split, not a mistake."""
    if finding.verdict is not Verdict.WRONG or finding.line is None or not 0 < finding.line <= len(lines):
        return finding
    text = lines[finding.line - 1]
    if not any(_outside_brackets(text, match.start()) for match in _DECIMAL_COMMA.finditer(text)):
        return finding
    return replace(finding, verdict=Verdict.UNDECIDED,
                   reason=f"{finding.reason}; but the line writes a number with a decimal comma (such as "
                          f"{_DECIMAL_COMMA.search(text).group(0)}), which the reader splits in two")


def _outside_brackets(text: str, position: int) -> bool:
    """Outside every bracket, or inside one whose entries are separated by ";" (``(0; 1,3)``): not a list."""
    opened: list[int] = []
    for index, char in enumerate(text[:position]):
        if char in "([{":
            opened.append(index)
        elif char in ")]}" and opened:
            opened.pop()
    if not opened:
        return True
    depth, end = 0, len(text)
    for index in range(opened[-1] + 1, len(text)):
        if text[index] in "([{":
            depth += 1
        elif text[index] in ")]}":
            if depth == 0:
                end = index
                break
            depth -= 1
    return ";" in text[opened[-1]:end]


def _carried_forward(compared: list[Finding], document: list[Finding]) -> list[Finding]:
    """A value that differs from the truth but follows correctly from the student's own earlier wrong value.

    The spec-free check judges each step from the values the document itself wrote; when it finds the step
    right on a line where the truth disagrees, and an earlier line of the question is already wrong, the
    mistake was carried forward, not made again.
    """
    right_steps = {f.line for f in document if f.verdict is Verdict.RIGHT}
    first_wrong: int | None = None
    kept: list[Finding] = []
    for finding in sorted(compared, key=lambda f: f.line or 0):
        carried = (
            finding.verdict is Verdict.WRONG
            and first_wrong is not None
            and finding.line is not None
            and finding.line > first_wrong
            and finding.line in right_steps
        )
        if carried:
            finding = replace(
                finding,
                verdict=Verdict.RIGHT,
                kind="carried_forward",
                reason=f"follows correctly from the earlier wrong value (line {first_wrong}); error carried forward",
                notes=(*finding.notes, f"against the truth: {finding.reason}"),
            )
        elif finding.verdict is Verdict.WRONG and first_wrong is None:
            first_wrong = finding.line
        kept.append(finding)
    return kept


def needs_person(question: QuestionBase) -> bool:
    asks = set(getattr(question, "asks", ()) or ())
    return question.type in PERSON_GRADED or (bool(asks & PERSON_ASKS) and question.type != "activation_derivative")


def decide(
    question: QuestionBase, findings: list[Finding], marks: float, asked: frozenset[str] = frozenset()
) -> tuple[QuestionVerdict, float, str]:
    """The question's verdict and marks from its findings (see the module docstring for the rules).

    ``asked`` names the truth items the question asks for (:func:`~chainrule.grading.comparer.asked_items`):
    when each of them is stated right and nothing is wrong, an undecided working step does not hold the mark
    back — it stays in the findings for the reader.
    """
    right = sum(f.verdict is Verdict.RIGHT for f in findings)
    wrong = sum(f.verdict is Verdict.WRONG for f in findings)
    undecided = sum(f.verdict is Verdict.UNDECIDED for f in findings)
    counts = f"{right} right, {wrong} wrong, {undecided} undecided"
    if needs_person(question):
        return QuestionVerdict.REVIEW, 0.0, f"a person grades this ({question.type}); checked inside: {counts}"
    if wrong and right:
        score = math.floor(2 * marks * right / (right + wrong)) / 2
        return QuestionVerdict.PARTIAL, score, counts
    if wrong:
        return QuestionVerdict.WRONG, 0.0, counts
    if right and not undecided:
        return QuestionVerdict.RIGHT, marks, counts
    answered = {f.answers for f in findings if f.verdict is Verdict.RIGHT and f.answers}
    if right and asked and asked <= answered:
        summary = f"every answer asked for is right; {counts} (undecided steps kept as notes)"
        return QuestionVerdict.RIGHT, marks, summary
    if right:
        return QuestionVerdict.REVIEW, 0.0, f"no mistake found, but not everything could be decided: {counts}"
    return QuestionVerdict.REVIEW, 0.0, "nothing in the answer could be checked automatically"


def grade_document(assignment: Assignment, document: Document, options: GradeOptions | None = None) -> SubmissionResult:
    """Grade a document read by :func:`~chainrule.documents.open_document`, findings located in its file."""
    return grade_text(assignment, document.text, document.source, options, document=document)


def grade_file(assignment: Assignment, path: str | Path, options: GradeOptions | None = None) -> SubmissionResult:
    return grade_document(assignment, read_submission_document(path), options)
