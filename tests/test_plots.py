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


def test_data_plots_label_their_axes():
    import pandas as pd

    from pairsim_utils.plots import count_heatmap, label_shares, length_histogram, overlap_shares, relation_counts

    frame = pd.DataFrame({"label": [0.0, 0.5, 1.0, 1.0]})
    ax = label_shares({"train": frame, "dev": frame})
    assert ax.get_ylabel() == "share of pairs" and ax.get_legend() is not None
    table = pd.DataFrame({"label": [1.0, 0.5], "train": [3, 2]}, index=pd.Index(["causes", "loose"], name="relation"))
    assert relation_counts(table).get_xlabel() == "pairs in train"
    lengths = pd.DataFrame({"column": ["sentence_0", "sentence_1"], "tokens": [3, 4], "words": [1, 2]})
    assert length_histogram(lengths, unit="words").get_xlabel() == "phrase length (words)"
    overlap = pd.DataFrame({"label": [0.0], "share_with_common_word": [1.0]},
                           index=pd.Index(["lexical_trap"], name="relation"))
    assert overlap_shares(overlap).get_title() == "Lexical overlap by relation"
    heat = count_heatmap(pd.DataFrame({"a": [1, 2]}, index=["x", "y"]), title="counts")
    assert heat.get_title() == "counts"
    plt.close("all")
