"""Plot helpers. Each takes an optional ``ax`` and returns the Axes it drew on."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from pairsim_utils.statistics import label_grade


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def similarity_heatmap(similarity: np.ndarray, labels: Sequence[str], ax: Axes | None = None,
                       title: str = "Cosine similarity") -> Axes:
    """Draw a square similarity matrix with its values written in the cells.

    Args:
        similarity: ``(n, n)`` matrix of scores in [-1, 1].
        labels: The ``n`` phrases, for both axes.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.

    Returns:
        The Axes.
    """
    similarity = np.asarray(similarity)
    if similarity.shape != (len(labels), len(labels)):
        raise ValueError(f"similarity has shape {similarity.shape}, expected {len(labels)} x {len(labels)}")
    ax = _axes(ax, (0.55 * len(labels) + 3, 0.5 * len(labels) + 2))
    sns.heatmap(similarity, ax=ax, xticklabels=labels, yticklabels=labels, vmin=-1, vmax=1,
                center=0, cmap="vlag", annot=True, fmt=".2f", annot_kws={"size": 7}, square=True,
                cbar_kws={"label": "cosine similarity"})
    ax.set_title(title)
    ax.set_xlabel("phrase")
    ax.set_ylabel("phrase")
    ax.tick_params(axis="x", labelrotation=90)
    return ax


def parameter_bars(counts: Sequence[int], parts: Sequence[str], ax: Axes | None = None) -> Axes:
    """Horizontal bars of parameter counts per model part (millions).

    Args:
        counts: Parameters per part.
        parts: Part names, in the order data flows through the model.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (7, 0.35 * len(parts) + 1.5))
    sns.barplot(x=np.asarray(counts) / 1e6, y=list(parts), ax=ax, color="steelblue", orient="h")
    ax.set_xlabel("parameters (millions)")
    ax.set_ylabel("")
    ax.set_title("Where the parameters are")
    return ax


def label_shares(splits: dict, ax: Axes | None = None) -> Axes:
    """Bars of the share of each label grade, one colour per split.

    Args:
        splits: Split name -> pairs with a ``label`` column.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (6, 3.5))
    shares = pd.concat([label_grade(frame["label"]).value_counts(normalize=True).rename("share").reset_index()
                        .assign(split=name) for name, frame in splits.items()])
    sns.barplot(data=shares, x="label", y="share", hue="split", ax=ax)
    ax.set_xlabel("label")
    ax.set_ylabel("share of pairs")
    ax.set_title("Label grades per split")
    return ax


def _bars_by_relation(table: pd.DataFrame, value: str, xlabel: str, title: str, ax: Axes | None) -> Axes:
    """Horizontal bars of one column of a per-relation table, coloured by the relation's label."""
    ax = _axes(ax, (6, 4.5))
    sns.barplot(data=table.reset_index(), y="relation", x=value, hue="label", dodge=False, palette="crest", ax=ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("relation")
    ax.set_title(title)
    return ax


def relation_counts(table, ax: Axes | None = None, split: str = "train") -> Axes:
    """Horizontal bars of pairs per relation, coloured by label.

    Args:
        table: :func:`pairsim_utils.statistics.relation_table` output.
        ax: Axes to draw on; a new figure when ``None``.
        split: Which split's column to draw.

    Returns:
        The Axes.
    """
    return _bars_by_relation(table, split, f"pairs in {split}", f"Relations in {split}", ax)


def length_histogram(lengths, unit: str = "tokens", ax: Axes | None = None) -> Axes:
    """Histogram of phrase lengths per column of the pairs file.

    Args:
        lengths: :func:`pairsim_utils.statistics.phrase_lengths` output.
        unit: ``"tokens"`` or ``"words"``.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (6, 3.5))
    sns.histplot(data=lengths, x=unit, hue="column", discrete=True, multiple="dodge", shrink=0.8,
                 stat="percent", common_norm=False, ax=ax)
    ax.set_xlabel(f"phrase length ({unit})")
    ax.set_ylabel("% of phrases")
    ax.set_title(f"Phrase length in {unit}")
    return ax


def overlap_shares(table, ax: Axes | None = None) -> Axes:
    """Bars of the share of pairs whose phrases share a word, per relation.

    Args:
        table: :func:`pairsim_utils.statistics.overlap_by_relation` output.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    return _bars_by_relation(table, "share_with_common_word", "share of pairs with a word in common",
                             "Lexical overlap by relation", ax)


def count_heatmap(table, ax: Axes | None = None, title: str = "") -> Axes:
    """A table of counts as an annotated heatmap (e.g. domains x label grades).

    Args:
        table: Counts with labelled index and columns.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (0.9 * table.shape[1] + 3, 0.4 * table.shape[0] + 1.5))
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax)
    ax.set_title(title)
    ax.set_xlabel(table.columns.name or "")
    ax.set_ylabel(table.index.name or "")
    return ax


def loss_curve(curve: pd.DataFrame, smooth: pd.Series | None = None, boundaries: Sequence[int] = (),
               reference: pd.DataFrame | None = None, windows: pd.Series | None = None,
               ax: Axes | None = None) -> Axes:
    """Training loss per logged step, with optional smoothing, epoch lines and reference points.

    Args:
        curve: :func:`pairsim_utils.training_log.training_curve` output.
        smooth: A smoothed loss to draw over the raw one.
        boundaries: Steps where epochs begin (dashed lines).
        reference: The seed card's logs (``step``, ``training_loss``), drawn as points.
        windows: Our window means at the card's steps, drawn as points.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (9, 4.5))
    ax.plot(curve["step"], curve["loss"], color="lightsteelblue", lw=1, label="loss (mean of 10 steps)")
    if smooth is not None:
        ax.plot(curve["step"], smooth, color="navy", lw=2, label="smoothed")
    for step in boundaries:
        ax.axvline(step, color="grey", ls="--", lw=0.8)
    if reference is not None:
        ax.scatter(reference["step"], reference["training_loss"], marker="D", s=60, color="crimson", zorder=3,
                   label="seed card (mean of 500 steps)")
    if windows is not None:
        ax.scatter(windows.index, windows.values, marker="o", s=60, color="darkorange", zorder=3,
                   label="ours (mean of 500 steps)")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (MSE)")
    ax.set_title("Training loss")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # outside: the card's points sit top right
    return ax


def learning_rate_curve(curve: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The learning rate at each logged step.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (6, 3.5))
    ax.plot(curve["step"], curve["learning_rate"], color="teal")
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.set_title("Learning-rate schedule")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    return ax


def gradient_norm_curve(curve: pd.DataFrame, clip: float | None = None, ax: Axes | None = None) -> Axes:
    """Gradient norm (before clipping) at each logged step.

    Args:
        curve: Training curve with ``grad_norm``.
        clip: The clipping threshold (``max_grad_norm``), drawn as a line.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (6, 3.5))
    ax.plot(curve["step"], curve["grad_norm"], color="purple", lw=1)
    if clip is not None:
        ax.axhline(clip, color="crimson", ls="--", lw=1, label=f"clipping threshold {clip:g}")
        ax.legend(loc="upper right")
    ax.set_xlabel("step")
    ax.set_ylabel("gradient norm")
    ax.set_title("Gradient norm")
    return ax


def epoch_metrics(evaluation: pd.DataFrame, train_loss: pd.Series | None = None, ax: Axes | None = None) -> Axes:
    """Dev loss per epoch (left axis) and dev Spearman (right axis).

    Args:
        evaluation: :func:`pairsim_utils.training_log.evaluation_curve` output.
        train_loss: Mean training loss per epoch, drawn with the dev loss.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The left Axes (the right one is its twin).
    """
    ax = _axes(ax, (6, 3.5))
    ax.plot(evaluation.index, evaluation["dev_loss"], marker="o", color="crimson", label="dev loss")
    if train_loss is not None:
        ax.plot(train_loss.index, train_loss.values, marker="s", color="navy", label="train loss (epoch mean)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (MSE)")
    right = ax.twinx()
    right.plot(evaluation.index, evaluation["dev_spearman"], marker="^", color="darkgreen", label="dev Spearman")
    right.set_ylabel("dev Spearman")
    right.grid(False)
    lines = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="center right")
    ax.set_title("Per epoch: loss and dev Spearman")
    return ax


def scores_by_grade(frame: pd.DataFrame, scores: dict, ax: Axes | None = None) -> Axes:
    """Box plots of each model's cosine per gold label grade (binned for continuous ratings), side by side.

    Args:
        frame: Pairs with ``label``.
        scores: Model name -> cosine scores.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (7, 4))
    grades = label_grade(frame["label"].reset_index(drop=True))
    long = pd.concat([pd.DataFrame({"label": grades, "cosine": s, "model": name}) for name, s in scores.items()])
    sns.boxplot(data=long, x="label", y="cosine", hue="model", ax=ax, fliersize=2)
    if grades.dtype == float:  # graded labels: mark the value each grade's scores should reach
        for level in sorted(grades.unique()):
            ax.axhline(level, color="grey", lw=0.6, ls=":")
    ax.set_xlabel("gold label")
    ax.set_ylabel("cosine similarity")
    ax.set_title("Cosine by gold label")
    return ax


def residual_histogram(frame: pd.DataFrame, scores: dict, ax: Axes | None = None) -> Axes:
    """Histograms of residuals (cosine minus label) per model.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (7, 4))
    long = pd.concat([pd.DataFrame({"residual": s - frame["label"].to_numpy(), "model": name})
                      for name, s in scores.items()])
    sns.histplot(data=long, x="residual", hue="model", bins=40, element="step", stat="density",
                 common_norm=False, ax=ax)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("cosine - label")
    ax.set_ylabel("density")
    ax.set_title("Residuals")
    return ax


def score_scatter(x: np.ndarray, y: np.ndarray, hue: pd.Series, xlabel: str, ylabel: str, title: str,
                  ax: Axes | None = None, diagonal: bool = False) -> Axes:
    """Scatter of two score vectors (e.g. base vs fine-tuned cosine), coloured by a category.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (5.5, 5))
    sns.scatterplot(x=x, y=y, hue=hue.to_numpy(), ax=ax, s=14, alpha=0.7, palette="deep")
    if diagonal:
        low, high = min(np.min(x), np.min(y)), max(np.max(x), np.max(y))
        ax.plot([low, high], [low, high], color="grey", lw=0.8, ls="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(title=hue.name, fontsize=8, title_fontsize=8, loc="best")
    return ax


def slice_gains(table: pd.DataFrame, ax: Axes | None = None, title: str = "") -> Axes:
    """Horizontal bars of the mean-absolute-error gain per slice (positive: fine-tuning helped).

    Args:
        table: One dimension of :func:`pairsim_utils.evaluation.slice_metrics`, indexed by slice.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.

    Returns:
        The Axes.
    """
    data = table.sort_values("mae gain")
    ax = _axes(ax, (6, 0.32 * len(data) + 1.5))
    colors = ["seagreen" if v > 0 else "indianred" for v in data["mae gain"]]
    ax.barh([str(i) for i in data.index], data["mae gain"], color=colors)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("reduction of mean absolute error (base - fine-tuned)")
    ax.set_ylabel("")
    ax.set_title(title)
    return ax


def slice_gain_panels(slices: pd.DataFrame,
                      dimensions: Sequence[str] = ("relation", "domain", "label grade", "overlap"),
                      panels: int = 2) -> np.ndarray:
    """:func:`slice_gains` side by side for the first ``panels`` of ``dimensions`` that the table has,
    so a pairs file without ``relation`` or ``domain`` falls back to label grade and word overlap.

    Args:
        slices: :func:`pairsim_utils.evaluation.slice_metrics` output.
        dimensions: Slicing dimensions in order of preference.
        panels: How many to draw.

    Returns:
        The Axes, one per panel.
    """
    present = [d for d in dimensions if d in slices.index.get_level_values("dimension")][:panels]
    figure, axes = plt.subplots(1, len(present), figsize=(6 * len(present), 5), squeeze=False)
    for ax, dimension in zip(axes[0], present, strict=True):
        slice_gains(slices.loc[dimension], ax=ax, title=f"By {dimension}")
    figure.tight_layout()
    return axes[0]


def reliability_plot(tables: dict, ax: Axes | None = None) -> Axes:
    """Mean label against mean prediction per bin, one line per variant; the diagonal is perfect.

    Args:
        tables: Name -> :func:`pairsim_utils.evaluation.reliability_table` output.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (5, 5))
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="perfectly calibrated")
    for name, table in tables.items():
        ax.plot(table["mean prediction"], table["mean label"], marker="o", label=name)
    ax.set_xlabel("mean prediction in bin")
    ax.set_ylabel("mean gold label in bin")
    ax.set_title("Reliability on test")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def embedding_scatter(coordinates: np.ndarray, domains: pd.Series, ax: Axes | None = None, title: str = "") -> Axes:
    """2-D map of phrase embeddings coloured by domain.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (6, 5))
    sns.scatterplot(x=coordinates[:, 0], y=coordinates[:, 1], hue=domains.to_numpy(), ax=ax, s=10,
                    palette="tab20", legend=False)
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title(title)
    return ax


def benchmark_bars(table: pd.DataFrame, models: list[str], ax: Axes | None = None) -> Axes:
    """Grouped bars of Spearman per outside benchmark and model.

    Args:
        table: :func:`pairsim_utils.evaluation.benchmark_table` output.
        models: The model columns to draw.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = _axes(ax, (8, 4))
    long = table.reset_index().melt(id_vars=["benchmark", "measures"], value_vars=models, var_name="model",
                                    value_name="spearman")
    long["benchmark"] = long["benchmark"] + " (" + long["measures"] + ")"
    sns.barplot(data=long, y="benchmark", x="spearman", hue="model", ax=ax, orient="h")
    ax.legend(title="model", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel("Spearman with human ratings")
    ax.set_ylabel("")
    ax.set_title("Outside benchmarks")
    return ax
