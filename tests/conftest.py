"""Shared fixtures. Tests that read the real course material in ../shared skip cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the checkout (seeds, corpus, labels.yaml)."""
    if not (SHARED / "corpus" / "labels.yaml").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
