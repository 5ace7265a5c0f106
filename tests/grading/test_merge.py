from chainrule.grading.findings import Finding, Verdict
from chainrule.grading.merge import merge_findings, relation_key


def test_relation_key_sets_spelling_aside():
    assert relation_key("∂ℓ/∂hat bold y = hat bold y − y") == relation_key("∂ℓ/∂ŷ = ŷ − y") == ("=", "yy")
    assert relation_key("∂z_2/∂z_1 ∈ ℝ^{K}") == ("∈", "RK")
    assert relation_key("∂ℓ/∂z_3 z_2ᵀ") is None


def test_the_same_limit_judged_twice_is_one_finding_with_the_expected_value_and_both_notes():
    checker = Finding(Verdict.WRONG, 25, "lim_{x→∞} d/dx LReLU(x) = a", "the limit is 1, not a", "1", kind="limit",
                      notes=("first",))
    truth = Finding(Verdict.WRONG, 25, "lim[x→∞] dleaky_relu(x)/dx = a", "the limit as x → +∞ is 1", "1",
                    kind="limit", notes=("second",))
    (merged,) = merge_findings([checker], [truth])
    assert merged.reason == "the limit is 1, not a" and merged.notes == ("first", "second")


def test_the_finding_that_says_what_was_expected_is_kept():
    vague = Finding(Verdict.WRONG, 9, "∂bold z_2/∂bold z_1 = [1 − tanh(bold z_1,1^2), _, 0]", "first entry differs")
    precise = Finding(Verdict.WRONG, 9, "∂z_2/∂z_1 = [1 − tanh(z_{1,1}^2), …, 0]", "should be 1 − tanh²", "1 − tanh²")
    (merged,) = merge_findings([vague], [precise])
    assert merged is precise


def test_different_lines_verdicts_or_right_sides_stay_apart():
    base = Finding(Verdict.WRONG, 25, "d/dx f = a", "no")
    others = [
        Finding(Verdict.WRONG, 27, "d/dx f = a", "no"),
        Finding(Verdict.RIGHT, 25, "d/dx f = a", "yes"),
        Finding(Verdict.WRONG, 25, "d/dx f = 1", "no"),
        Finding(Verdict.WRONG, 25, "d/dx f ∈ a", "no"),
    ]
    assert merge_findings([base], others) == [base, *others]


def test_one_sources_two_claims_with_the_same_right_side_stay_two():
    first = Finding(Verdict.RIGHT, 4, "α = 0.5: w₁ = 100", "agrees")
    second = Finding(Verdict.RIGHT, 4, "α = 0.5: w₂ = 100", "agrees")
    assert merge_findings([first, second]) == [first, second]
