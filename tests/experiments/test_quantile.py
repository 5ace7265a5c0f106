"""Deep quantile regression pieces, each against an independent route."""

from __future__ import annotations

import pytest
import torch

from chainrule.experiments.quantile import QuantileConfig, check_loss, run_quantile_regression, sample, true_quantile


@pytest.mark.parametrize("tau", [0.1, 0.5, 0.9])
def test_constant_minimising_the_check_loss_is_the_empirical_quantile(tau: float) -> None:
    y = torch.randn(2001, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    candidates = torch.sort(y).values
    risks = torch.stack([check_loss(y - c, tau) for c in candidates])
    best = candidates[risks.argmin()]
    assert best.item() == pytest.approx(torch.quantile(y, tau).item(), abs=0.02)


def test_check_loss_values_by_hand() -> None:
    r = torch.tensor([2.0, -1.0])
    assert check_loss(r, 0.9).item() == pytest.approx((0.9 * 2.0 + 0.1 * 1.0) / 2)


@pytest.mark.parametrize("tau", [0.1, 0.5, 0.9])
def test_true_quantile_against_monte_carlo_at_fixed_x(tau: float) -> None:
    generator = torch.Generator().manual_seed(3)
    x, y = sample(200_000, generator)
    near = (x - 1.2).abs() < 0.01
    empirical = torch.quantile(y[near], tau).item()
    assert empirical == pytest.approx(true_quantile(torch.tensor(1.2), tau).item(), abs=0.05)
    probit = torch.special.ndtri(torch.tensor(tau, dtype=torch.float64)).item()
    mean, scale = torch.sin(torch.tensor(2.4)).item() + 0.6, 0.2 + 0.3 * 1.2
    assert true_quantile(torch.tensor(1.2), tau).item() == pytest.approx(mean + scale * probit, abs=1e-5)


def test_short_run_summary_has_coverages_near_tau(tmp_path) -> None:
    config = QuantileConfig(n_data=400, width=16, batch_size=100, epochs=40, step_size=1e-2, fresh_samples=4000)
    summary = run_quantile_regression(tmp_path, seed=1, config=config)
    for row in summary["quantiles"]:
        assert row["fraction_of_training_y_below_fit"] == pytest.approx(row["tau"], abs=0.12)
    assert (tmp_path / "quantiles.png").stat().st_size > 10_000
