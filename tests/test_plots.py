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


def test_training_plots_label_their_axes():
    import pandas as pd

    from pairsim_utils.plots import epoch_metrics, gradient_norm_curve, learning_rate_curve, loss_curve

    curve = pd.DataFrame({"step": [10, 20, 30], "loss": [0.3, 0.2, 0.1], "grad_norm": [2.0, 1.0, 0.5],
                          "learning_rate": [3e-5, 2e-5, 1e-5], "epoch": [1.0, 2.0, 3.0]})
    reference = pd.DataFrame({"step": [20], "training_loss": [0.25]})
    ax = loss_curve(curve, smooth=curve["loss"], boundaries=[15], reference=reference,
                    windows=pd.Series({20: 0.2}))
    labels = ax.get_legend_handles_labels()[1]
    assert "seed card (mean of 500 steps)" in labels and "ours (mean of 500 steps)" in labels
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "training loss (MSE)"
    assert learning_rate_curve(curve).get_ylabel() == "learning rate"
    assert "clipping threshold 1" in gradient_norm_curve(curve, clip=1.0).get_legend_handles_labels()[1]
    evaluation = pd.DataFrame({"dev_loss": [0.2, 0.15], "dev_spearman": [0.5, 0.6]}, index=[1.0, 2.0])
    ax = epoch_metrics(evaluation, train_loss=pd.Series([0.3, 0.1], index=[1.0, 2.0]))
    assert ax.get_xlabel() == "epoch" and len(ax.get_legend().get_texts()) == 3
    plt.close("all")


def test_slice_gain_panels_fall_back_when_relation_and_domain_are_missing():
    import pandas as pd

    from pairsim_utils.plots import scores_by_grade, slice_gain_panels

    index = pd.MultiIndex.from_tuples([("label grade", "0 to 0.25"), ("label grade", "0.75 to 1"),
                                       ("overlap", "no shared word")], names=["dimension", "slice"])
    slices = pd.DataFrame({"mae gain": [0.1, -0.05, 0.02]}, index=index)
    axes = slice_gain_panels(slices)
    assert [ax.get_title() for ax in axes] == ["By label grade", "By overlap"]
    frame = pd.DataFrame({"label": [0.1, 0.3, 0.6, 0.9]})
    ax = scores_by_grade(frame, {"base": np.array([0.2, 0.3, 0.4, 0.5])})
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0 to 0.25", "0.25 to 0.5", "0.5 to 0.75", "0.75 to 1"]
    plt.close("all")


def test_slice_gains_pale_the_slices_a_finding_may_not_name():
    import pandas as pd
    from matplotlib.colors import to_hex

    from pairsim_utils.plots import slice_gain_panels

    index = pd.MultiIndex.from_tuples([("relation", "causes"), ("relation", "tiny"), ("relation", "unclear"),
                                       ("relation", "hurt")], names=["dimension", "slice"])
    slices = pd.DataFrame({"pairs": [40, 10, 50, 60], "mae gain": [0.2, 0.3, 0.05, -0.1],
                           "gain low": [0.1, 0.1, -0.02, -0.15], "gain high": [0.3, 0.5, 0.12, -0.05]}, index=index)
    ax = slice_gain_panels(slices, panels=1)[0]
    colours = {label.get_text(): to_hex(bar.get_facecolor())
               for label, bar in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert colours["causes"] == to_hex("seagreen") and colours["hurt"] == to_hex("indianred")
    assert colours["tiny"] not in (to_hex("seagreen"), to_hex("indianred"))  # clear gain, but 10 pairs
    assert colours["unclear"] not in (to_hex("seagreen"), to_hex("indianred"))  # interval includes zero
    assert "pale" in ax.get_xlabel()
    plt.close("all")


def test_epoch_metrics_keep_a_small_change_small_and_ticks_whole():
    import pandas as pd

    from pairsim_utils.plots import epoch_metrics

    evaluation = pd.DataFrame({"dev_loss": [0.16, 0.15, 0.15], "dev_spearman": [0.588, 0.610, 0.600]},
                              index=[1.0, 2.0, 3.0])
    ax = epoch_metrics(evaluation)
    right = next(other for other in ax.figure.axes if other is not ax)
    low, high = right.get_ylim()
    assert high - low >= 0.3 and low <= 0.588 and high >= 0.610
    assert all(float(tick).is_integer() for tick in ax.get_xticks())
    plt.close("all")


def test_reliability_plot_shows_how_many_pairs_each_bin_holds():
    import pandas as pd

    from pairsim_utils.plots import reliability_plot

    table = pd.DataFrame({"pairs": [120, 7], "mean prediction": [0.3, 0.8], "mean label": [0.25, 0.9]})
    ax = reliability_plot({"fine-tuned": table, "calibrated": table})
    assert [text.get_text() for text in ax.texts] == ["120", "7"]
    sizes = ax.collections[0].get_sizes()
    assert sizes[0] > sizes[1]
    plt.close("all")


def test_embedding_map_names_every_domain_once():
    import pandas as pd

    from pairsim_utils.plots import embedding_scatter

    domains = pd.Series(["kitchen", "weather", "kitchen", "music"])
    ax = embedding_scatter(np.zeros((4, 2)) + np.arange(4)[:, None], domains)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["kitchen", "music", "weather"]
    assert embedding_scatter(np.zeros((4, 2)), domains, legend=False).get_legend() is None
    plt.close("all")
