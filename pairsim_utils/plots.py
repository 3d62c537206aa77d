"""Plot helpers. Each takes an optional ``ax`` and returns the Axes it drew on."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.axes import Axes


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
