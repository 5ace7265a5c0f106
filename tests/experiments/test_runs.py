"""run_hw3 end to end on a short run, the noise finding's three cases, and device/seed checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from chainrule.errors import InputError
from chainrule.experiments.devices import resolve_device
from chainrule.experiments.runs import _noise_finding, check_seeds, run_hw3


def test_problem_2_summary_matches_the_written_file_and_has_a_twin(tmp_path: Path) -> None:
    summary = run_hw3(2, tmp_path, seed=1, epochs=2)
    assert json.loads((tmp_path / "summary.json").read_text()) == summary
    assert summary["network"]["parameters"] == 4353 and summary["seeds"] == [1]
    assert summary["final_training_loss"] == pytest.approx(summary["final_training_mse"])  # mse: no ½
    assert summary["problem_1_twin"]["error_vs_truth_rms"] != summary["error_vs_truth"]["rms"]
    for name in ("fit.png", "loss.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_problem_1_has_no_noise_entries(tmp_path: Path) -> None:
    summary = run_hw3(1, tmp_path, epochs=1, loss="half")
    assert "finding" not in summary and "problem_1_twin" not in summary
    assert summary["training"]["loss"] == "half" and "as stated" in summary["training"]["loss_note"]


@pytest.mark.parametrize(
    ("train_mse", "opening"),
    [
        (1.0, "After these epochs the network has not yet fitted"),
        (0.24, "The network does not interpolate"),
        (0.05, "The network fits part of the noise"),
    ],
)
def test_noise_finding_follows_the_numbers(train_mse: float, opening: str) -> None:
    assert _noise_finding(train_mse, 0.2, 0.25, 0.1).startswith(opening)


def test_seed_and_device_checks() -> None:
    assert check_seeds(4, 3) == [4, 5, 6]
    for seed, seeds in ((-1, 1), (0, 0), (0, 1001)):
        with pytest.raises(InputError):
            check_seeds(seed, seeds)
    assert resolve_device("cpu") == torch.device("cpu")
    with pytest.raises(InputError, match=r"cpu.*cuda"):
        resolve_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="CUDA is not available"):
            resolve_device("cuda")
