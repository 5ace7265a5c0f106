"""A small graded submission shared by the grade-report tests (built by hand, not by the grader)."""

from __future__ import annotations

from chainrule.grading.findings import Finding, QuestionResult, QuestionVerdict, SubmissionResult, Verdict

TEXT = "\n".join(
    [
        "## 1.2",
        "(a) forward, loss, zero_grad, backward, step",
        "(c) $\\frac{\\partial \\ell}{\\partial W^{(2)}} = z_2^\\top \\frac{\\partial \\ell}{\\partial z_3}$",
        "and $b = 1 | 2$",
    ]
)


def sample_result() -> SubmissionResult:
    wrong = Finding(
        verdict=Verdict.WRONG,
        line=3,
        written="\\frac{\\partial \\ell}{\\partial W^{(2)}} = z_2^\\top \\frac{\\partial \\ell}{\\partial z_3}",
        expected="z_2 \\frac{\\partial \\ell}{\\partial z_3}",
        reason="a 1×m row times a 1×K row does not multiply",
        kind="shape",
        notes=("read as ^+ instead of ^⊤ it would be right",),
    )
    right = Finding(verdict=Verdict.RIGHT, line=2, written="five steps", reason="all five steps named")
    undecided = Finding(verdict=Verdict.UNDECIDED, line=4, written="b = 1 | 2", reason="could not read `|`")
    return SubmissionResult(
        assignment="nyu-dl-hw1-2022",
        submission="alice.md",
        questions=[
            QuestionResult("1.2a", QuestionVerdict.RIGHT, 1.0, 1.0, [right], "all steps", ((2, 2),)),
            QuestionResult("1.2c", QuestionVerdict.PARTIAL, 1.5, 6.0, [wrong, undecided], "", ((3, 4),)),
            QuestionResult("1.2d", QuestionVerdict.MISSING, 0.0, 2.0, [], "not answered"),
        ],
        errors=["line 9: unbalanced braces"],
        text=TEXT,
    )
