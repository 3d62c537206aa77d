"""Plots of the data and the model's parts (notebooks 1 and 2)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from pairsim_utils.plots.axes import new_axes
from pairsim_utils.statistics import label_grade


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
    ax = new_axes(ax, (0.8 * len(labels) + 3, 0.7 * len(labels) + 2))
    sns.heatmap(similarity, ax=ax, xticklabels=labels, yticklabels=labels, vmin=-1, vmax=1,
                center=0, cmap="vlag", annot=True, fmt=".2f", annot_kws={"size": 10}, square=True,
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
    ax = new_axes(ax, (7, 0.35 * len(parts) + 1.5))
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
    ax = new_axes(ax, (6, 3.5))
    shares = pd.concat([label_grade(frame["label"]).value_counts(normalize=True).rename("share").reset_index()
                        .assign(split=name) for name, frame in splits.items()])
    sns.barplot(data=shares, x="label", y="share", hue="split", ax=ax)
    ax.set_xlabel("label")
    ax.set_ylabel("share of pairs")
    ax.set_title("Label grades per split")
    return ax


def _bars_by_relation(table: pd.DataFrame, value: str, xlabel: str, title: str, ax: Axes | None) -> Axes:
    """Horizontal bars of one column of a per-relation table, coloured by the relation's label."""
    ax = new_axes(ax, (6, 4.5))
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
    ax = new_axes(ax, (6, 3.5))
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
    ax = new_axes(ax, (0.9 * table.shape[1] + 3, 0.4 * table.shape[0] + 1.5))
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax)
    ax.set_title(title)
    ax.set_xlabel(table.columns.name or "")
    ax.set_ylabel(table.index.name or "")
    return ax
