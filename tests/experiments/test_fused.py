"""The fused fast path against the plain nn.Module + torch.optim.SGD loop (the independent route)."""

from __future__ import annotations

import pytest
import torch

from chainrule.experiments import hw3
from chainrule.experiments.fused import train_fused
from chainrule.experiments.mlp import MlpParams, stack_params
from chainrule.experiments.reference import train_reference


def small(problem: int = 1, **overrides: object) -> hw3.Hw3Config:
    settings: dict[str, object] = {"widths": (1, 16, 12, 1), "n_data": 64, "batch_size": 16, "epochs": 6}
    settings.update(overrides)
    return hw3.problem_config(problem, **settings)


def assert_params_close(got: MlpParams, want: MlpParams) -> None:
    for g, w in zip(got.weights + got.biases, want.weights + want.biases, strict=True):
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-4)  # float32, sums in another order


def solo_fused(seed: int, config: hw3.Hw3Config, chunk_epochs: int = 25):
    data = hw3.make_data(seed, config)
    return train_fused(
        data.x[None],
        data.y[None],
        stack_params([hw3.initial_params(seed, config)]),
        hw3.ensemble_orders([seed], config),
        config,
        chunk_epochs=chunk_epochs,
    )


@pytest.mark.parametrize(("problem", "loss"), [(1, "mse"), (2, "mse"), (2, "half")])
def test_fused_matches_plain_loop_for_same_seed_and_order(problem: int, loss: str) -> None:
    config = small(problem, loss=loss)
    data, init = hw3.make_data(4, config), hw3.initial_params(4, config)
    want = train_reference(data, init, hw3.epoch_orders(4, config), config)
    got = solo_fused(4, config, chunk_epochs=4)  # chunk boundary inside the run
    assert_params_close(got.params.seed(0), want.params)
    torch.testing.assert_close(got.epoch_losses[0], want.epoch_losses, rtol=1e-4, atol=1e-6)
    moved = (got.params.seed(0).flat() - init.flat()).abs().max().item()
    assert moved > 1e-2  # training happened, so the comparison is not vacuous


def test_full_width_network_matches_plain_loop_for_a_few_epochs() -> None:
    config = hw3.problem_config(1, epochs=3)
    data, init = hw3.make_data(0, config), hw3.initial_params(0, config)
    want = train_reference(data, init, hw3.epoch_orders(0, config), config)
    assert_params_close(solo_fused(0, config).params.seed(0), want.params)


def test_half_loss_takes_half_the_first_step() -> None:
    mse, half = small(1, epochs=1, n_data=16, batch_size=16), small(1, epochs=1, n_data=16, batch_size=16, loss="half")
    init = hw3.initial_params(2, mse).flat()
    step_mse = solo_fused(2, mse).params.seed(0).flat() - init
    step_half = solo_fused(2, half).params.seed(0).flat() - init
    torch.testing.assert_close(step_half, 0.5 * step_mse, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("native", [False, True])  # one batched bmm program; the C loop seed after seed
def test_each_seed_of_an_ensemble_matches_its_solo_run(native: bool) -> None:
    config = small(2)
    seeds = [3, 11, 12]
    data = [hw3.make_data(s, config) for s in seeds]
    together = train_fused(
        torch.stack([d.x for d in data]),
        torch.stack([d.y for d in data]),
        stack_params([hw3.initial_params(s, config) for s in seeds]),
        hw3.ensemble_orders(seeds, config),
        config,
        native=native,
    )
    for i, seed in enumerate(seeds):
        alone = solo_fused(seed, config)
        assert_params_close(together.params.seed(i), alone.params.seed(0))
        torch.testing.assert_close(together.epoch_losses[i], alone.epoch_losses[0], rtol=1e-5, atol=1e-7)
    assert not torch.allclose(together.params.seed(0).flat(), together.params.seed(1).flat())


def test_progress_reports_every_chunk_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    config = small(1, epochs=5)
    data = hw3.make_data(0, config)
    train_fused(
        data.x[None],
        data.y[None],
        stack_params([hw3.initial_params(0, config)]),
        hw3.ensemble_orders([0], config),
        config,
        progress=lambda done, total: seen.append((done, total)),
        chunk_epochs=2,
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_scripted_and_eager_single_seed_loops_agree() -> None:
    config = small(2)
    data, init = hw3.make_data(6, config), stack_params([hw3.initial_params(6, config)])
    runs = [
        train_fused(
            data.x[None], data.y[None], init, hw3.ensemble_orders([6], config), config, scripted=flag, native=False
        )
        for flag in (True, False)
    ]
    torch.testing.assert_close(runs[0].params.flat(), runs[1].params.flat(), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(runs[0].epoch_losses, runs[1].epoch_losses, rtol=1e-6, atol=1e-7)


def test_seed_groups_do_not_change_any_seed() -> None:
    config = small(1, epochs=3)
    seeds = [0, 1, 2, 3, 4]
    data = [hw3.make_data(s, config) for s in seeds]
    x, y = torch.stack([d.x for d in data]), torch.stack([d.y for d in data])
    init = stack_params([hw3.initial_params(s, config) for s in seeds])
    orders = hw3.ensemble_orders
    grouped = train_fused(x, y, init, orders(seeds, config), config, group_size=2, native=False)
    whole = train_fused(x, y, init, orders(seeds, config), config, group_size=16, native=False)
    torch.testing.assert_close(grouped.params.flat(), whole.params.flat(), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(grouped.epoch_losses, whole.epoch_losses, rtol=1e-6, atol=1e-7)
