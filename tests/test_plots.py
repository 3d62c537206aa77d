from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from pairsim_utils.plots import parameter_bars, similarity_heatmap


def test_similarity_heatmap_labels_and_given_axes():
    fig, ax = plt.subplots()
    returned = similarity_heatmap(np.eye(3), ["A", "B", "C"], ax=ax, title="t")
    assert returned is ax
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "C"]
    assert ax.get_title() == "t" and ax.get_xlabel() == "phrase"
    plt.close(fig)


def test_similarity_heatmap_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="expected 2 x 2"):
        similarity_heatmap(np.eye(3), ["A", "B"])


def test_parameter_bars_makes_its_own_axes():
    ax = parameter_bars([1_000_000, 2_000_000], ["a", "b"])
    assert ax.get_xlabel() == "parameters (millions)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close(ax.figure)
