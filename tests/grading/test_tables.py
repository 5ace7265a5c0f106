"""Tables: the first cell says what a row is about, a shape column states a shape (never a value), and the
value is the formula in the last other column (made-up tables)."""

from chainrule.assignments.loader import load_assignment
from chainrule.grading.compare import compare_question
from chainrule.grading.context import GradingContext
from chainrule.grading.findings import Verdict
from chainrule.grading.split import split_submission

NYU = load_assignment("nyu-dl-hw1-2022")

GRADIENTS = r"""## 1.2
(c)

| Param | dl/d(param) | Size |
|---|---|---|
| $W^{(2)}$ | $z_2 \frac{\partial \ell}{\partial \hat y}\frac{\partial \hat y}{\partial z_3}$ | $m \times K$ |
| $b^{(2)}$ | $\frac{\partial \ell}{\partial \hat y}\frac{\partial \hat y}{\partial z_3}$ | $K \times K$ |
| $b^{(1)}$ | $\frac{\partial \hat y}{\partial z_3}\frac{\partial \ell}{\partial \hat y}$ | $1 \times m$ |
"""


def findings(text, question_id):
    split = split_submission(text, NYU.questions)
    context = GradingContext.build(NYU, split)
    return compare_question(NYU.question(question_id), split.sections[question_id], context)


def test_the_shape_column_is_a_shape_claim_and_the_value_column_is_compared():
    found = findings(GRADIENTS, "1.2c")
    by_line = {}
    for finding in found:
        by_line.setdefault(finding.line, []).append(finding)
    assert [f.verdict for f in by_line[6]] == [Verdict.RIGHT]  # right value, right size: nothing against it
    assert {f.kind for f in by_line[7] if f.verdict is Verdict.WRONG} == {"shape"}  # K×K for a 1×K row
    assert any(f.verdict is Verdict.WRONG and "multiplies" in f.reason for f in by_line[8])  # K×K times 1×K


def test_a_size_is_never_compared_as_a_value():
    assert not any("is 1×1" in f.reason for f in findings(GRADIENTS, "1.2c"))


def test_a_table_of_layers_compares_each_output():
    text = r"""## 1.2
(b)

| Layer | In | Out |
|---|---|---|
| Linear1 | $x$ | $W^{(1)} x + b^{(1)}$ |
| $f$ | $z_1$ | $5 (z_1)^+$ |
| Linear2 | $z_2$ | $W^{(2)} z_2 - b^{(2)}$ |
"""
    verdicts = {f.line: f.verdict for f in findings(text, "1.2b")}
    assert verdicts == {6: Verdict.RIGHT, 7: Verdict.RIGHT, 8: Verdict.WRONG}


AMA = load_assignment("ama564-a1")


def test_a_row_of_pairs_holds_one_claim_per_pair_and_digit_subscripts_are_row_and_column():
    text = r"""## Question 1
### (b)

| quantity | value | quantity | value |
|---|---|---|---|
| $dL/dw^{(1)}_{12}$ | $0$ | $dL/dw^{(1)}_{23}$ | $3.3$ |
| $dL/db^{(1)}_2$ | $1.1$ | $dL/dw^{(2)}_{12}$ | $2.6$ |
"""
    split = split_submission(text, AMA.questions)
    context = GradingContext.build(AMA, split)
    found = compare_question(AMA.question("1b"), split.sections["1b"], context)
    verdicts = sorted((f.line, f.written.split(" = ")[0], f.verdict.value) for f in found)
    assert verdicts == [(6, "dL/dw^(1)_{12}", "right"), (6, "dL/dw^(1)_{23}", "right"),
                        (7, "dL/db^(1)_2", "right"), (7, "dL/dw^(2)_{12}", "wrong")]
