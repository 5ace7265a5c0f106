import numpy as np

from chainrule.engine.demonstrations import least_squares_divergence_demonstration, univariate_divergence_demonstration


def test_univariate_divergence_matches_powers_of_one_minus_alpha():
    demo = univariate_divergence_demonstration(("2.5", "3"), theta0=1, iterations=8)
    assert demo.passed and demo.catches_wrong_claims
    assert demo.evidence_value("α = 3").endswith(f"|θ_8| = {2**8}")
    assert demo.plot["w"][:3] == [1.0, -1.5, 2.25]


def test_least_squares_divergence_grows_like_the_unstable_factor():
    demo = least_squares_divergence_demonstration(iterations=12)
    assert demo.passed and demo.catches_wrong_claims
    distances = np.array(demo.plot["distance"])
    ratios = distances[6:] / distances[5:-1]
    np.testing.assert_allclose(ratios, 1.4, rtol=1e-3)  # |1 − 0.6·4| dominates
