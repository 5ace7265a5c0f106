from chainrule.engine.matcalc import (
    Apply,
    MatMul,
    Scale,
    compare_expressions,
    matrix,
    solve_problem,
    two_layer_network,
    vector,
)


def test_equal_forms_of_a_gradient_compare_equal():
    _, derivative = solve_problem("you-hw1/2.1")
    x, a, z = vector("x", "n"), matrix("A", "n", "n"), vector("z", "n")
    expanded = a @ x + a.T @ x + z
    result = compare_expressions(expanded, derivative.value)
    assert result.equal is True and result.trials == 3


def test_a_transposed_answer_is_a_shape_mismatch_with_a_layout_hint():
    _, derivative = solve_problem("you-hw1/3")
    _, numerator = solve_problem("you-hw1/3-numerator")
    result = compare_expressions(numerator.value, derivative.value)
    assert result.equal is False and "transpose" in result.reason


def test_a_wrong_value_is_caught_and_an_undefined_one_is_undecided():
    x, a = vector("x", "n"), matrix("A", "n", "n")
    assert compare_expressions(Scale(2, a @ x), a @ x).equal is False
    result = compare_expressions(Apply("log", x), x)  # log of a negative entry: not a number
    assert result.equal is None


def test_nyu_compare_uses_true_jacobian_values():
    solution = two_layer_network("relu", "identity", "mse")
    s = solution.symbols
    right = MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"], s["W2"], s["dz2_dz1"]))
    assert solution.compare(right, "W1").equal is True
    assert solution.compare(solution.gradients["W1"].expanded, "W1").equal is True
    no_jacobian = MatMul((s["x"], s["dl_dyhat"], s["dyhat_dz3"], s["W2"]))
    assert solution.compare(no_jacobian, "W1", trials=5).equal is False
    assert solution.compare(s["W2"].T, "W2").equal is False


def test_distinct_sizes_expose_a_confused_dimension():
    solution = two_layer_network("relu", "identity", "mse")
    s = solution.symbols
    wrong = MatMul((s["x"], s["dl_dyhat"]))  # (n×K) where (n×m) is expected
    result = solution.compare(wrong, "W1")
    assert result.equal is False and result.reason.startswith("shape (n×K)")
