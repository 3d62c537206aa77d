"""Shared fixtures. The real base model is small and loads in well under a second once imported."""

from __future__ import annotations

import pytest

from pairsim_utils.reproducibility import go_offline, quiet_progress_bars


@pytest.fixture(scope="session")
def base_model():
    """The real all-MiniLM-L6-v2, loaded once per test session from the packaged files."""
    go_offline()
    quiet_progress_bars()
    from pairsim_utils.model import load_base_model

    return load_base_model(device="cpu")
