"""Shared fixtures. Tests that read the real course material in ../shared skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the checkout (seeds, corpus, labels.yaml)."""
    if not (SHARED / "corpus" / "labels.yaml").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


# Property tests draw the same examples on every run: a CI result (and its run time) does not depend on luck, and
# a failure seen once is seen again. Set HYPOTHESIS_PROFILE=explore to draw fresh examples while developing.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
