from chainrule.assignments.loader import load_assignment
from chainrule.grading.findings import Finding, QuestionVerdict, Verdict
from chainrule.grading.grade import decide, grade_text

NYU = load_assignment("nyu-dl-hw1-2022")
AMA = load_assignment("ama564-a1")


def finding(verdict, line=1, written="x"):
    return Finding(verdict, line, written, "because")


def test_decide_rules():
    question = NYU.question("1.2c")  # 6 marks, symbolic: decided from findings
    assert decide(question, [finding(Verdict.RIGHT)], 6) == (QuestionVerdict.RIGHT, 6, "1 right, 0 wrong, 0 undecided")
    assert decide(question, [finding(Verdict.WRONG)], 6)[:2] == (QuestionVerdict.WRONG, 0)
    partial = decide(question, [finding(Verdict.RIGHT), finding(Verdict.RIGHT), finding(Verdict.WRONG)], 6)
    assert partial[:2] == (QuestionVerdict.PARTIAL, 4)
    assert decide(question, [finding(Verdict.RIGHT), finding(Verdict.UNDECIDED)], 6)[:2] == (QuestionVerdict.REVIEW, 0)
    assert decide(question, [], 6)[0] is QuestionVerdict.REVIEW


def test_proofs_and_explanations_go_to_review_with_their_algebra():
    verdict, score, summary = decide(AMA.question("3"), [finding(Verdict.WRONG)], 2)
    assert (verdict, score) == (QuestionVerdict.REVIEW, 0) and "1 wrong" in summary


TEXT = """## 1.2
(c) $\\frac{\\partial \\ell}{\\partial b^{(2)}} = \\frac{\\partial \\ell}{\\partial z_3}$ and
$\\frac{\\partial \\ell}{\\partial W^{(2)}} = \\frac{\\partial \\ell}{\\partial z_3} z_2^\\top$
## 1.4
(d) rotation, translation, reflection, scaling
"""


def test_grade_text_end_to_end():
    result = grade_text(NYU, TEXT, "bob.md", document_check=False)
    by_id = {q.id: q for q in result.questions}
    assert by_id["1.2a"].verdict is QuestionVerdict.MISSING and by_id["1.2a"].max_score == 1
    assert by_id["1.2c"].verdict is QuestionVerdict.PARTIAL and by_id["1.2c"].lines == ((2, 3),)
    assert [f.line for f in by_id["1.2c"].findings if f.verdict is Verdict.WRONG] == [3]
    assert by_id["1.4d"].verdict is QuestionVerdict.REVIEW
    assert [f.kind for f in by_id["1.4d"].findings] == ["misconception"]
    assert result.score == by_id["1.2c"].score and result.max_score == sum(q.marks for q in NYU.questions)
    assert result.text == TEXT


def test_a_failing_line_checker_is_reported_and_grading_goes_on():
    def broken(_text, _source):
        raise RuntimeError("boom")

    result = grade_text(NYU, TEXT, "bob.md", document_check=broken)
    assert result.errors == ["bob.md: the line-by-line check failed: RuntimeError: boom"]
    assert {q.id: q.verdict for q in result.questions}["1.2c"] is QuestionVerdict.PARTIAL


def test_document_findings_join_their_question_and_undecided_yields_to_the_truth():
    def checker(_text, _source):
        return [finding(Verdict.UNDECIDED, 2, "db2"), finding(Verdict.WRONG, 5, "prose")]

    result = grade_text(NYU, TEXT, "bob.md", document_check=checker)
    by_id = {q.id: q for q in result.questions}
    assert not [f for f in by_id["1.2c"].findings if f.verdict is Verdict.UNDECIDED]  # line 2 decided by the truth
    assert next(f.written for f in by_id["1.4d"].findings if f.verdict is Verdict.WRONG) == "prose"


def test_a_value_following_from_an_earlier_wrong_value_is_carried_forward():
    text = "1. (b) $a = W^{(1)}x + b^{(1)} = (-3.2, 1.4)$\n\n$h = \\max\\{a, 0\\} = (0, 1.4)$\n"

    def checker(_text, _source):
        return [finding(Verdict.RIGHT, 3, "h = max{a, 0} = (0, 1.4)")]

    question = {q.id: q for q in grade_text(AMA, text, "c.md", document_check=checker).questions}["1b"]
    kinds = {(f.line, f.verdict, f.kind) for f in question.findings if f.kind != "symbolic" or f.line == 1}
    assert (1, Verdict.WRONG, "symbolic") in kinds
    assert (3, Verdict.RIGHT, "carried_forward") in kinds


def test_overlong_submission_is_cut_and_said_so(monkeypatch):
    monkeypatch.setattr("chainrule.grading.grade.MAX_SUBMISSION_CHARS", 1000)
    result = grade_text(NYU, "## 1.2\n(a) " + "output is x = f output " * 100, "huge.md", document_check=False)
    assert result.errors == ["huge.md: longer than 1000 characters; only the start was graded"]
    assert len(result.text) == 1000


def test_one_shape_fault_seen_twice_is_reported_once_with_both_notes():
    text = "## 1.2\n(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = "
    text += "5(W^{(1)}x + b^{(1)})^\\top \\frac{\\partial \\ell}{\\partial z_3}$\n"

    def checker(_text, _source):
        return [Finding(Verdict.WRONG, 2, "5 (W^(1) x + b^(1))ᵀ ∂ℓ/∂z_3", "(1×m)·(1×K)", kind="shape")]

    question = {q.id: q for q in grade_text(NYU, text, "d.md", document_check=checker).questions}["1.2c"]
    (finding,) = [f for f in question.findings if f.verdict is Verdict.WRONG]
    assert finding.reason == "(1×m)·(1×K)" and "^+ instead of ^⊤" in finding.notes[0]


def test_every_asked_answer_right_makes_the_question_right_despite_an_undecided_step():
    question = AMA.question("1b")
    asked = frozenset({"yhat", "∂loss/∂W1"})
    steps = [Finding(Verdict.RIGHT, 1, "ŷ = 1.33", "ok", answers="yhat"), finding(Verdict.UNDECIDED, 2)]
    one_short = decide(question, steps, 3, asked=asked)
    assert one_short[:2] == (QuestionVerdict.REVIEW, 0)
    steps.append(Finding(Verdict.RIGHT, 3, "∂L/∂W1 = …", "ok", answers="∂loss/∂W1"))
    verdict, score, summary = decide(question, steps, 3, asked=asked)
    assert (verdict, score) == (QuestionVerdict.RIGHT, 3) and "1 undecided" in summary
    steps.append(finding(Verdict.WRONG, 4))
    assert decide(question, steps, 3, asked=asked)[0] is QuestionVerdict.PARTIAL
    assert decide(AMA.question("3"), steps[:3], 2, asked=asked)[0] is QuestionVerdict.REVIEW  # a proof stays


AMA_1B = r"""1. (b) $a = W^{(1)}x + b^{(1)} = (-3.2, 1.3)^T$, $h = \max(a, 0) = (0, 1.3)^T$,
$\hat{y} = W^{(2)} h + b^{(2)} = 1.33$.

$\frac{\partial L}{\partial b^{(2)}} = 1$, $\frac{\partial L}{\partial W^{(2)}} = \begin{pmatrix} 0 & 1.3 \end{pmatrix}$

$\frac{\partial L}{\partial a} = (0, 1.1)^T$ so
$\frac{\partial L}{\partial W^{(1)}} = \frac{\partial L}{\partial a} \cdot x
= \begin{pmatrix} 0 & 0 & 0 \\ 1.1 & 2.2 & 3.3 \end{pmatrix}$,
$\frac{\partial L}{\partial b^{(1)}} = (0, 1.1)^T$
"""


def test_a_worked_numeric_pass_with_an_outer_product_written_as_a_product_is_right():
    question = {q.id: q for q in grade_text(AMA, AMA_1B, "e.md", document_check=False).questions}["1b"]
    assert question.verdict is QuestionVerdict.RIGHT and question.score == 3
    assert any(f.verdict is Verdict.UNDECIDED and f.line in (7, 8) for f in question.findings)
    assert {"yhat", "∂loss/∂W1", "∂loss/∂b1", "∂loss/∂W2", "∂loss/∂b2"} <= {f.answers for f in question.findings}


def test_a_pass_missing_an_asked_gradient_goes_to_review():
    text = AMA_1B.replace(r"$\frac{\partial L}{\partial b^{(1)}} = (0, 1.1)^T$", "")
    question = {q.id: q for q in grade_text(AMA, text, "e.md", document_check=False).questions}["1b"]
    assert question.verdict is QuestionVerdict.REVIEW


def test_an_answer_placed_on_weak_evidence_goes_to_review_with_the_reason():
    # Letters restarting with nothing to confirm which section: the second "(a)" is 1.3(a) only by position.
    assignment = load_assignment("nyu-dl-hw1-2022")
    text = ("(a) the five steps: forward, loss, zero_grad, backward, step\n(b) z_1 = W x + b\n(c) gradients\n"
            "(d) entries\n(a) something\n")
    result = grade_text(assignment, text, document_check=None)
    verdicts = {question.id: question for question in result.questions}
    assert verdicts["1.3a"].verdict is QuestionVerdict.REVIEW and "position" in verdicts["1.3a"].summary
    assert verdicts["1.2a"].verdict is not QuestionVerdict.MISSING and "position" not in verdicts["1.2a"].summary
