"""``chainrule train`` in-process: files written, what is printed, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["train", *args])


def test_hw3_problem_1_writes_three_files_and_states_the_loss_convention(tmp_path: Path) -> None:
    result = invoke("ryu-mathdnn-hw3", "--problem", "1", "-o", str(tmp_path), "--epochs", "2", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"fit.png", "loss.png", "summary.json"}
    assert "without the ½" in result.output and "--loss half" in result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["network"]["parameters"] == 4353
    assert summary["seed"] == 3 and summary["device"] == "cpu" and summary["training"]["epochs"] == 2
    assert summary["final_training_loss"] > 0 and summary["error_vs_truth"]["rms"] > 0 and summary["seconds"] > 0


def test_hw3_problem_2_reports_noise_and_its_exact_label_twin(tmp_path: Path) -> None:
    result = invoke("ryu-mathdnn-hw3", "--problem", "2", "-o", str(tmp_path), "--epochs", "2", "--loss", "half")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["label_noise_variance"] == 0.25 and summary["training"]["loss"] == "half"
    assert summary["final_training_loss"] == pytest.approx(0.5 * summary["final_training_mse"], rel=1e-6)
    assert summary["problem_1_twin"]["error_vs_truth_rms"] > 0
    assert summary["finding"] in result.output


def test_hw3_seed_ensemble_lists_every_seed(tmp_path: Path) -> None:
    result = invoke("ryu-mathdnn-hw3", "-o", str(tmp_path), "--epochs", "1", "--seeds", "3", "--seed", "5")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seeds"] == [5, 6, 7] and [row["seed"] for row in summary["per_seed"]] == [5, 6, 7]
    mean = sum(row["final_training_loss"] for row in summary["per_seed"]) / 3
    assert summary["final_training_loss"] == pytest.approx(mean, rel=1e-6)


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["nonsense"], "TARGET"),
        (["ryu-mathdnn-hw3", "--problem", "3"], "--problem"),
        (["ryu-mathdnn-hw3", "--loss", "l1"], "--loss"),
        (["ryu-mathdnn-hw3", "--seeds", "0"], "--seeds"),
        (["ryu-mathdnn-hw3", "--seed", "-4"], "--seed"),
        (["ryu-mathdnn-hw3", "--epochs", "0"], "--epochs"),
        (["ryu-mathdnn-hw3", "--device", "tpu"], "--device"),
        (["dead-relu", "--problem", "1"], "--problem"),
        (["quantile-regression", "--seeds", "4"], "--seeds"),
    ],
)
def test_bad_arguments_are_one_line_errors_with_exit_2(args: list[str], where: str, tmp_path: Path) -> None:
    result = invoke(*args, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {where}")
    assert not (tmp_path / "out").exists()


def test_cuda_request_without_cuda_is_a_clear_input_error(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = invoke("ryu-mathdnn-hw3", "--device", "cuda", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.strip() == result.output.strip().splitlines()[0]
    assert "CUDA is not available" in result.output and "--device cpu" in result.output


@pytest.mark.parametrize(("target", "files"), [("dead-relu", {"unit.png", "fit.png", "summary.json"}),
                                               ("leaky-relu", {"unit.png", "fit.png", "summary.json"})])  # fmt: skip
def test_relu_demonstrations_write_their_files(target: str, files: set[str], tmp_path: Path) -> None:
    result = invoke(target, "-o", str(tmp_path), "--epochs", "3")
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == files
    unit = json.loads((tmp_path / "summary.json").read_text())["watched_unit"]
    assert unit["parameters_never_changed"] is (target == "dead-relu")


def test_quantile_regression_writes_its_files(tmp_path: Path) -> None:
    result = invoke("quantile-regression", "-o", str(tmp_path), "--epochs", "2")
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"quantiles.png", "loss.png", "summary.json"}
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [row["tau"] for row in summary["quantiles"]] == [0.1, 0.5, 0.9]
    assert "τ = 0.9" in result.output


@pytest.mark.parametrize(("name", "reason"), [("afile", "not a folder"), ("afile/sub", "cannot make this folder")])
def test_output_that_cannot_be_a_folder_is_refused_before_training(name: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("keep me")
    result = invoke("dead-relu", "--epochs", "1", "-o", str(tmp_path / name))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0], result.output
    assert (tmp_path / "afile").read_text() == "keep me"
