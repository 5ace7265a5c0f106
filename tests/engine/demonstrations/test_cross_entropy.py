import math

import mpmath
import numpy as np
import pytest
import torch

from chainrule.engine.demonstrations import ce_bounds_demonstration, ce_limit_demonstration, cross_entropy
from chainrule.errors import InputError


def test_cross_entropy_agrees_with_torch_on_moderate_logits():
    rng = np.random.default_rng(0)
    for _ in range(20):
        f = rng.standard_normal(5) * 3
        label = int(rng.integers(5))
        expected = torch.nn.functional.cross_entropy(torch.tensor(f)[None], torch.tensor([label])).item()
        assert float(cross_entropy(f, label)) == pytest.approx(expected, rel=1e-12)


def test_bounds_demonstration_passes_and_catches_the_single_class_case():
    demo = ce_bounds_demonstration()
    assert demo.passed and demo.catches_wrong_claims
    assert demo.evidence_value("loss at margin 50 (float64, naive)") == 0.0
    smallest = mpmath.mpf(demo.evidence_value("smallest loss"))
    assert smallest > 0  # the margin-1000 case: log1p(3e^{-1000}), far below float64's range
    assert smallest == pytest.approx(3 * mpmath.exp(-1000), rel=1e-4)


def test_limit_values_match_the_closed_form():
    demo = ce_limit_demonstration(k=4)
    assert demo.passed and demo.catches_wrong_claims
    for lam, text in demo.evidence_value("values"):
        assert float(text) == pytest.approx(math.log1p(3 * math.exp(-lam)), rel=1e-5)


def test_bad_k_is_an_input_error():
    with pytest.raises(InputError):
        ce_bounds_demonstration(k=1)
