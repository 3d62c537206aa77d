"""Plots of the error analysis: scores, slices, calibration, embeddings, benchmarks (notebook 5)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from pairsim_utils.plots.axes import new_axes
from pairsim_utils.report import MIN_SLICE_PAIRS, slice_is_notable
from pairsim_utils.statistics import label_grade


def scores_by_grade(frame: pd.DataFrame, scores: dict, ax: Axes | None = None) -> Axes:
    """Box plots of each model's cosine per gold label grade (binned for continuous ratings), side by side.

    Args:
        frame: Pairs with ``label``.
        scores: Model name -> cosine scores.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (7, 4))
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
    ax = new_axes(ax, (7, 4))
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
    ax = new_axes(ax, (5.5, 5))
    sns.scatterplot(x=x, y=y, hue=hue.to_numpy(), ax=ax, s=14, alpha=0.7, palette="deep")
    if diagonal:
        low, high = min(np.min(x), np.min(y)), max(np.max(x), np.max(y))
        ax.plot([low, high], [low, high], color="grey", lw=0.8, ls="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    # outside the axes: inside, the legend hid points (the lexical traps sit top left)
    ax.legend(title=hue.name, fontsize=8, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def slice_gains(table: pd.DataFrame, ax: Axes | None = None, title: str = "") -> Axes:
    """Horizontal bars of the mean-absolute-error gain per slice (positive: fine-tuning helped).

    With ``gain low`` / ``gain high`` columns each bar gets its interval, and a slice that a finding may
    not name (:func:`pairsim_utils.report.slice_is_notable`: too few pairs, or an interval that
    includes zero) is drawn pale, so that the eye goes to the bars that carry a finding.

    Args:
        table: One dimension of :func:`pairsim_utils.analysis.slice_metrics`, indexed by slice.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.

    Returns:
        The Axes.
    """
    data = table.sort_values("mae gain")
    ax = new_axes(ax, (6, 0.32 * len(data) + 1.5))
    with_intervals = {"pairs", "gain low", "gain high"} <= set(data.columns)
    notable = slice_is_notable(data) if with_intervals else pd.Series(True, index=data.index)
    colors = [("seagreen" if gain > 0 else "indianred") if clear else ("#b5d8c2" if gain > 0 else "#ecbcbc")
              for gain, clear in zip(data["mae gain"], notable, strict=True)]
    labels = [str(i) for i in data.index]
    ax.barh(labels, data["mae gain"], color=colors)
    if with_intervals:
        errors = np.vstack([data["mae gain"] - data["gain low"], data["gain high"] - data["mae gain"]])
        ax.errorbar(data["mae gain"], labels, xerr=errors, fmt="none", ecolor="dimgrey", elinewidth=0.8, capsize=2)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("reduction of mean absolute error (base - fine-tuned)" + (
        f"\nwhiskers: 95 % interval; pale: under {MIN_SLICE_PAIRS} pairs or interval includes 0"
        if with_intervals else ""))
    ax.set_ylabel("")
    ax.set_title(title)
    return ax


def slice_gain_panels(slices: pd.DataFrame,
                      dimensions: Sequence[str] = ("relation", "domain", "label grade", "overlap"),
                      panels: int = 2) -> np.ndarray:
    """:func:`slice_gains` side by side for the first ``panels`` of ``dimensions`` that the table has,
    so a pairs file without ``relation`` or ``domain`` falls back to label grade and word overlap.

    Args:
        slices: :func:`pairsim_utils.analysis.slice_metrics` output.
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

    Each point's area grows with the pairs in its bin, and the bins' pair counts of the first variant
    are written beside its points, so that a point resting on a handful of pairs is seen to.

    Args:
        tables: Name -> :func:`pairsim_utils.analysis.reliability_table` output.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (5.5, 5.5))
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="perfectly calibrated")
    largest = max(table["pairs"].max() for table in tables.values())
    for index, (name, table) in enumerate(tables.items()):
        line, = ax.plot(table["mean prediction"], table["mean label"], lw=1, label=name)
        ax.scatter(table["mean prediction"], table["mean label"], s=15 + 150 * table["pairs"] / largest,
                   color=line.get_color(), alpha=0.8, zorder=3)
        if index == 0:
            for x, y, pairs in zip(table["mean prediction"], table["mean label"], table["pairs"], strict=True):
                ax.annotate(f"{pairs}", (x, y), xytext=(4, -10), textcoords="offset points", fontsize=7,
                            color=line.get_color())
    ax.set_xlabel("mean prediction in bin")
    ax.set_ylabel("mean gold label in bin")
    ax.set_title("Reliability on test (point area: pairs in the bin)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return ax


def embedding_scatter(coordinates: np.ndarray, domains: pd.Series, ax: Axes | None = None, title: str = "",
                      legend: bool = True) -> Axes:
    """2-D map of phrase embeddings coloured by domain.

    Args:
        coordinates: ``(n, 2)`` map coordinates.
        domains: The domain of each phrase.
        ax: Axes to draw on; a new figure when ``None``.
        title: Axes title.
        legend: Draw the domains' legend beside the Axes (one panel of several needs only one).

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (6, 5))
    sns.scatterplot(x=coordinates[:, 0], y=coordinates[:, 1], hue=domains.to_numpy(), ax=ax, s=10,
                    palette="tab20", hue_order=sorted(domains.unique()), legend=legend)
    if legend:
        ax.legend(title="domain", fontsize=8, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title(title)
    return ax


def benchmark_bars(table: pd.DataFrame, models: list[str], ax: Axes | None = None) -> Axes:
    """Grouped bars of Spearman per outside benchmark and model.

    Args:
        table: :func:`pairsim_utils.analysis.benchmark_table` output.
        models: The model columns to draw.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (8, 4))
    long = table.reset_index().melt(id_vars=["benchmark", "measures"], value_vars=models, var_name="model",
                                    value_name="spearman")
    long["benchmark"] = long["benchmark"] + " (" + long["measures"] + ")"
    sns.barplot(data=long, y="benchmark", x="spearman", hue="model", ax=ax, orient="h")
    ax.legend(title="model", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel("Spearman with human ratings")
    ax.set_ylabel("")
    ax.set_title("Outside benchmarks")
    return ax
