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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs a trained run (the ``finished_run`` fixture trains one) is slow, and slow tests run
    first: with several workers (``-n auto``) the long ones then start at once, not last while the others idle.
    """
    for item in items:
        if "finished_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
