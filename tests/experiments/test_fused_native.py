"""The compiled C loop (chainrule.experiments.native) against the plain nn.Module loop and the TorchScript loop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from chainrule.experiments import hw3, native
from chainrule.experiments.fused import train_fused
from chainrule.experiments.mlp import stack_params
from chainrule.experiments.reference import train_reference

needs_compiler = pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler on this machine")


def run(seed: int, config: hw3.Hw3Config, **options: object):
    data = hw3.make_data(seed, config)
    init = stack_params([hw3.initial_params(seed, config)])
    return train_fused(data.x[None], data.y[None], init, hw3.ensemble_orders([seed], config), config, **options)


@needs_compiler
def test_kernel_builds_where_a_compiler_exists() -> None:
    assert native.load() is not None  # otherwise every other test here would pass through the fallback


@needs_compiler
@pytest.mark.parametrize(
    ("widths", "n_data", "batch", "loss"),
    [
        ((1, 16, 12, 1), 64, 16, "mse"),
        ((1, 7, 5, 1), 60, 12, "half"),  # widths·batch not a multiple of the 16 vector lanes: the tail path
        ((1, 64, 64, 1), 512, 128, "mse"),  # HW3: all three big products through the tiled AVX-512 kernel
        ((1, 32, 16, 1), 64, 32, "mse"),  # the smallest shapes that tile
        ((1, 24, 32, 1), 64, 32, "half"),  # forward and backward products tile, the W2 update does not
    ],
)
def test_native_loop_matches_plain_loop(widths: tuple[int, ...], n_data: int, batch: int, loss: str) -> None:
    config = hw3.problem_config(2, widths=widths, n_data=n_data, batch_size=batch, epochs=4, loss=loss)
    data, init = hw3.make_data(5, config), hw3.initial_params(5, config)
    want = train_reference(data, init, hw3.epoch_orders(5, config), config)
    got = run(5, config, chunk_epochs=3)
    torch.testing.assert_close(got.params.seed(0).flat(), want.params.flat(), rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(got.epoch_losses[0], want.epoch_losses, rtol=1e-4, atol=1e-6)
    assert (got.params.seed(0).flat() - init.flat()).abs().max().item() > 1e-2  # it trained


@needs_compiler
def test_native_and_torchscript_loops_agree_over_many_steps() -> None:
    config = hw3.problem_config(1, epochs=40)
    native_run, script_run = run(1, config), run(1, config, native=False)
    torch.testing.assert_close(native_run.params.flat(), script_run.params.flat(), rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(native_run.epoch_losses, script_run.epoch_losses, rtol=1e-4, atol=1e-6)


def test_missing_or_failing_compiler_gives_no_kernel(tmp_path: Path) -> None:
    assert native.load_from(tmp_path, compiler="no-such-compiler-anywhere") is None
    if shutil.which("false") is not None:
        assert native.load_from(tmp_path, compiler="false") is None  # exits 1: a failed build
    assert not list(tmp_path.glob("*.so"))


@needs_compiler
def test_build_is_cached(tmp_path: Path) -> None:
    first = native.build(tmp_path)
    assert first is not None
    stamp = first.stat().st_mtime_ns
    assert native.build(tmp_path) == first
    assert first.stat().st_mtime_ns == stamp


@needs_compiler
def test_kernel_refuses_mismatched_buffers() -> None:
    kernel = native.load()
    assert kernel is not None
    a1, a2, a3 = torch.zeros(4, 2), torch.zeros(3, 5), torch.zeros(1, 4)
    h1a, h2a, d1, d2 = torch.ones(5, 8), torch.ones(4, 8), torch.zeros(4, 8), torch.zeros(3, 8)
    x, neg_y, residuals = torch.zeros(2, 8), torch.zeros(2, 8), torch.zeros(2, 8)
    with pytest.raises(ValueError, match="a2"):
        kernel.run(a1, torch.zeros(3, 4), a3, h1a, h2a, d1, d2, x, neg_y, residuals, -0.1)
    with pytest.raises(ValueError, match="float32"):
        kernel.run(a1, a2, a3, h1a, h2a, d1, d2, x.double(), neg_y, residuals, -0.1)
    kernel.run(a1, a2, a3, h1a, h2a, d1, d2, x, neg_y, residuals, -0.1)  # the right shapes run
    assert torch.all(residuals == 0.0)  # zero weights and labels: a zero residual and no step


@needs_compiler
def test_loop_sigmoid_is_as_accurate_as_torch() -> None:
    kernel = native.load()
    assert kernel is not None
    z = torch.cat([torch.linspace(-100.0, 100.0, 20001), torch.tensor([0.0, -0.0, 1e-30, 87.0, -87.0, 88.5, -90.0])])
    z = torch.cat([z, 7.0 * torch.randn(5000, generator=torch.Generator().manual_seed(3))])
    got, exact = kernel.sigmoid(z).double(), torch.sigmoid(z.double())  # float64: the independent route
    eps = torch.finfo(torch.float32).eps
    normal = z >= -80.0
    assert ((got - exact).abs() / exact)[normal].max().item() <= 2 * eps
    assert (got - exact).abs()[~normal].max().item() < 1e-37  # where the exact value underflows float32
    odd = torch.tensor([17.0, 9.0])  # fewer values than vector lanes: the tail path alone
    torch.testing.assert_close(kernel.sigmoid(odd), torch.sigmoid(odd), rtol=2 * eps, atol=0.0)
