"""The grade-by-question queue as data: every student's answer to one question, rendered, with its findings.

This is the Python API under ``chainrule review`` (a notebook can use it directly). An answer is shown as the
student wrote it — the lines of their submission that answer the question, math as MathML — with chainrule's
findings beside each line, the first wrong line marked, and the standing mark (automatic, reviewed, pending).

Answers whose findings agree (same verdict, same marks, the same claims judged the same way with the same
expected values) form a *group*, so a TA can accept twenty identical right answers in one action.

Rendering math is the slow part, so each answer's HTML is cached in the session, keyed by a fingerprint of
its text and findings; a re-grade or a new submission changes the fingerprint and the answer is rendered anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from chainrule.classroom.marks import QuestionMark, StudentMarks, class_marks, question_mark
from chainrule.classroom.session import Session
from chainrule.grading.findings import Finding, QuestionResult, Verdict
from chainrule.reports.mathml import latex_to_mathml

MAX_LINES_SHOWN = 400
_FINDING_ORDER = {Verdict.WRONG: 0, Verdict.UNDECIDED: 1, Verdict.RIGHT: 2}


@dataclass
class Answer:
    """One student's answer to the question, ready to show."""

    key: str
    name: str
    result: QuestionResult
    mark: QuestionMark
    html: Markup  # the lines with their findings (escaped by construction)
    first_wrong: int | None
    signature: str  # equal for answers whose findings agree


@dataclass
class QuestionQueue:
    question: str
    title: str
    prompt: str
    max_score: float
    answers: list[Answer]
    groups: list[list[str]] = field(default_factory=list)  # keys of answers that agree, two or more, unsettled

    @property
    def settled(self) -> int:
        return sum(answer.mark.source != "pending" for answer in self.answers)


def math_line(text: str) -> Markup:
    """One submission line: prose escaped, each complete ``$…$``/``$$…$$`` span as MathML."""
    parts: list[Markup] = []
    position = 0
    while True:
        start = text.find("$", position)
        if start < 0:
            break
        delimiter = "$$" if text.startswith("$$", start) else "$"
        end = text.find(delimiter, start + len(delimiter))
        if end < 0:
            break
        parts.append(escape(text[position:start]))
        parts.append(latex_to_mathml(text[start + len(delimiter):end], display=delimiter == "$$"))
        position = end + len(delimiter)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _finding_html(finding: Finding) -> Markup:
    expected = Markup(' <span class="expected">expected {}</span>').format(
        math_line(f"${finding.expected}$") if _looks_like_tex(finding.expected) else finding.expected
    ) if finding.expected else Markup("")
    return Markup('<li class="finding {v}"><span class="verdict">{v}</span> {reason}{expected}</li>').format(
        v=finding.verdict.value, reason=finding.reason, expected=expected)


def _looks_like_tex(text: str | None) -> bool:
    return bool(text) and "\\" in text


def render_answer(text: str, result: QuestionResult) -> tuple[Markup, int | None]:
    """The answer's lines as an HTML table, findings beside their line; and the first wrong line."""
    lines = text.split("\n")
    by_line: dict[int | None, list[Finding]] = {}
    for finding in result.findings:
        by_line.setdefault(finding.line, []).append(finding)
    wrong = sorted(f.line for f in result.findings if f.verdict is Verdict.WRONG and f.line is not None)
    first_wrong = wrong[0] if wrong else None
    numbers = [n for first, last in result.lines for n in range(first, last + 1) if 0 < n <= len(lines)]
    rows: list[Markup] = []
    for number in numbers[:MAX_LINES_SHOWN]:
        findings = sorted(by_line.get(number, []), key=lambda f: _FINDING_ORDER[f.verdict])
        marker = " first-wrong" if number == first_wrong else ""
        verdicts = " ".join(sorted({f"has-{f.verdict.value}" for f in findings}))
        notes = Markup("").join(_finding_html(f) for f in findings)
        rows.append(Markup('<tr class="line {classes}"><td class="no">{number}</td><td class="src">{line}</td>'
                           '<td class="notes"><ul>{notes}</ul></td></tr>').format(
            classes=f"{verdicts}{marker}".strip(), number=number, line=math_line(lines[number - 1]), notes=notes))
    loose = [f for f in result.findings if f.line is None or f.line not in numbers]
    if loose:
        notes = Markup("").join(_finding_html(f) for f in loose)
        rows.append(Markup('<tr class="line"><td class="no"></td><td class="src"></td>'
                           '<td class="notes"><ul>{}</ul></td></tr>').format(notes))
    if not rows:
        rows.append(Markup('<tr class="line"><td class="no"></td><td class="src empty">no answer found</td>'
                           '<td class="notes"></td></tr>'))
    return Markup('<table class="answer-lines">{}</table>').format(Markup("").join(rows)), first_wrong


def signature(result: QuestionResult) -> str:
    """What two agreeing answers share: the verdict, the marks and each claim's verdict and expected value."""
    claims = sorted((f.verdict.value, f.kind, f.answers or "", f.expected or "") for f in result.findings)
    data = json.dumps([result.verdict.value, result.score, claims], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _fingerprint(text: str, result: QuestionResult) -> str:
    data = json.dumps([text, result.lines, [f.to_json() for f in result.findings]], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def question_queue(session: Session, question_id: str, *, cache: bool = True) -> QuestionQueue:
    """Every answer to ``question_id`` (by submission key), rendered (from the cache where it is current)."""
    assignment = session.assignment()
    question = assignment.question(question_id)  # KeyError names the known ids
    decisions = session.decisions()
    texts = {key: (name or student, text) for key, student, name, text in session.db.execute(
        "SELECT key, student, name, text FROM submissions WHERE status = 'graded'")}
    cached = {key: (fingerprint, html) for key, fingerprint, html in session.db.execute(
        "SELECT key, fingerprint, html FROM rendered WHERE question = ?", (question_id,))} if cache else {}
    answers: list[Answer] = []
    fresh: list[tuple[str, str, str, str]] = []
    for key, result in session.answers(question_id):
        name, text = texts.get(key, ("", ""))
        fingerprint = _fingerprint(text, result)
        if key in cached and cached[key][0] == fingerprint:
            stored = json.loads(cached[key][1])
            html, first_wrong = Markup(stored["html"]), stored["first_wrong"]
        else:
            html, first_wrong = render_answer(text, result)
            fresh.append((key, question_id, fingerprint, json.dumps({"html": str(html), "first_wrong": first_wrong})))
        mark = question_mark(result, decisions.get((key, question_id)))
        answers.append(Answer(key, name, result, mark, html, first_wrong, signature(result)))
    if cache and fresh:
        with session.transaction():
            session.db.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?, ?)", fresh)
    groups: dict[str, list[str]] = {}
    for answer in answers:
        if answer.mark.source != "reviewed":
            groups.setdefault(answer.signature, []).append(answer.key)
    return QuestionQueue(question_id, question.title or "", question.prompt, float(question.marks or 0), answers,
                         [keys for keys in groups.values() if len(keys) > 1])


def student_totals(session: Session) -> dict[str, StudentMarks]:
    """Every student's standing marks, by submission key (for the live totals beside each answer)."""
    return {marks.key: marks for marks in class_marks(session)}


def accept_group(session: Session, question_id: str, keys: list[str], reviewer: str = "") -> int:
    """Accept the grader's marks for every listed answer (one agreeing group); returns how many were accepted."""
    for key in keys:
        session.decide(key, question_id, "accept", reviewer=reviewer)
    return len(keys)
