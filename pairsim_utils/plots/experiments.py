"""Plots of notebook 7's experiments: the trade-off between our test split and the outside benchmarks."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from pairsim_utils.experiment_results import seeds_in_words
from pairsim_utils.plots.axes import new_axes


def alpha_curves(sweep: pd.DataFrame, columns: dict[str, str], ax: Axes | None = None) -> Axes:
    """Spearman of each pairs set against the interpolation weight alpha.

    Args:
        sweep: :func:`pairsim_utils.interpolation.alpha_sweep` output (index ``alpha``).
        columns: Column -> legend label, in drawing order.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (8, 4.5))
    long = sweep[list(columns)].rename(columns=columns).reset_index().melt("alpha", var_name="pairs set",
                                                                          value_name="Spearman")
    sns.lineplot(long, x="alpha", y="Spearman", hue="pairs set", marker="o", ax=ax)
    ax.set(xlabel="alpha (0 = base model, 1 = fine-tuned)", ylabel="Spearman correlation with human labels",
           title="Interpolating between the base and the fine-tuned weights")
    ax.legend(title=None, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax


def tradeoff_plot(summary: pd.DataFrame, base: pd.Series, chosen: tuple[str, str, float] | None = None,
                  target_test: float | None = None, ax: Axes | None = None) -> Axes:
    """Test Spearman against mean outside Spearman: every variant's alpha path, its trained point with the
    seed range as error bars, the base model, and the chosen point.

    Args:
        summary: :func:`pairsim_utils.experiment_results.seed_summary` output.
        base: :func:`pairsim_utils.experiment_results.base_scores` output.
        chosen: ``(variant, stage, point)`` to ring, or ``None``.
        target_test: A test Spearman to mark with a dotted line (the goal's share of the gain), or ``None``.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (8, 6))
    variants = list(dict.fromkeys(summary.index.get_level_values("variant")))
    summary = summary.sort_index()  # a sorted index makes the lookups below exact and fast
    colours = dict(zip(variants, sns.color_palette("tab10", len(variants)), strict=True))
    for name in variants:
        path = summary.loc[(name, "alpha")]
        ax.plot(path[("outside_mean", "mean")], path[("test", "mean")], color=colours[name], lw=1, alpha=0.6)
        epochs = summary.loc[(name, "epoch")]
        last = epochs.loc[epochs.index.max()]
        ax.errorbar(last[("outside_mean", "mean")], last[("test", "mean")],
                    xerr=[[last[("outside_mean", "mean")] - last[("outside_mean", "min")]],
                          [last[("outside_mean", "max")] - last[("outside_mean", "mean")]]],
                    yerr=[[last[("test", "mean")] - last[("test", "min")]],
                          [last[("test", "max")] - last[("test", "mean")]]],
                    fmt="o", color=colours[name], capsize=3,
                    label=f"{name} ({seeds_in_words(int(last[('seeds', '')]))})")
    ax.scatter(base["outside_mean"], base["test"], marker="s", s=70, color="black", zorder=3, label="base model")
    if chosen is not None:
        point = summary.loc[chosen]
        ax.scatter(point[("outside_mean", "mean")], point[("test", "mean")], s=250, facecolors="none",
                   edgecolors="crimson", linewidths=2, zorder=4, label="chosen on dev")
    ax.axvline(base["outside_mean"], color="grey", ls="--", lw=0.8)
    if target_test is not None:
        ax.axhline(target_test, color="grey", ls=":", lw=1, label="90 % of the card recipe's gain")
    ax.set(xlabel="mean Spearman on the outside benchmarks (higher: remembers more)",
           ylabel="Spearman on our test split (higher: learned more)",
           title="What each recipe learned against what it kept")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax


def epoch_curves(table: pd.DataFrame, metric: str, ax: Axes | None = None) -> Axes:
    """One metric after each epoch, per variant, from the base model (epoch 0) on: mean over seeds with the
    seed range as a band.

    Args:
        table: The experiments table.
        metric: A metric column (``dev``, ``outside_mean``…).
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes.
    """
    ax = new_axes(ax, (7, 4.5))
    # Epoch 0 is the base model (every run's alpha = 0 row): it puts the epochs' changes on the scale of the gain.
    start = table[(table["stage"] == "alpha") & (table["point"] == 0.0)]
    epochs = pd.concat([start, table[table["stage"] == "epoch"]], ignore_index=True)
    sns.lineplot(epochs, x="point", y=metric, hue="variant", errorbar=("pi", 100), marker="o", ax=ax)
    ax.set(xlabel="epoch (0: the base model)", ylabel=f"Spearman ({metric})", xticks=sorted(epochs["point"].unique()))
    ax.legend(title=None, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax
