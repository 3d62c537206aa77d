"""Plots of a training run's log (notebook 4 and the findings)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes

from pairsim_utils.plots.axes import new_axes


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
    ax = new_axes(ax, (9, 4.5))
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
    ax = new_axes(ax, (6, 3.5))
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
    ax = new_axes(ax, (6, 3.5))
    ax.plot(curve["step"], curve["grad_norm"], color="purple", lw=1)
    if clip is not None:
        ax.axhline(clip, color="crimson", ls="--", lw=1, label=f"clipping threshold {clip:g}")
        ax.legend(loc="upper right")
    ax.set_xlabel("step")
    ax.set_ylabel("gradient norm")
    ax.set_title("Gradient norm")
    return ax


SPEARMAN_AXIS_SPAN = 0.3
"""The dev-Spearman axis spans at least this much, so that a change of 0.02 looks like one, not like a spike."""


def epoch_metrics(evaluation: pd.DataFrame, train_loss: pd.Series | None = None, ax: Axes | None = None) -> Axes:
    """Dev loss per epoch (left axis) and dev Spearman (right axis), at whole-epoch ticks.

    Args:
        evaluation: :func:`pairsim_utils.training_log.evaluation_curve` output.
        train_loss: Mean training loss per epoch, drawn with the dev loss.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The left Axes (the right one is its twin); the legend sits below the plot, off the lines.
    """
    from matplotlib.ticker import MaxNLocator

    ax = new_axes(ax, (6, 4))
    ax.plot(evaluation.index, evaluation["dev_loss"], marker="o", color="crimson", label="dev loss")
    if train_loss is not None:
        ax.plot(train_loss.index, train_loss.values, marker="s", color="navy", label="train loss (epoch mean)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (MSE)")
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    right = ax.twinx()
    right.plot(evaluation.index, evaluation["dev_spearman"], marker="^", color="darkgreen", label="dev Spearman")
    middle = (evaluation["dev_spearman"].max() + evaluation["dev_spearman"].min()) / 2
    half = max(SPEARMAN_AXIS_SPAN, evaluation["dev_spearman"].max() - evaluation["dev_spearman"].min()) / 2
    right.set_ylim(middle - half, middle + half)
    right.set_ylabel("dev Spearman")
    right.grid(False)
    lines = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="upper center", bbox_to_anchor=(0.5, -0.18),
              ncol=3, frameon=False)
    ax.set_title("Per epoch: loss and dev Spearman")
    return ax
