"""Reading a run's ``log_history.json``: training curve, evaluation per epoch, window means."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd


def training_curve(log_history: list[dict[str, Any]]) -> pd.DataFrame:
    """The training-loss entries of a Trainer log.

    Each entry is the mean loss over the steps since the previous entry (every ``logging_steps``).

    Returns:
        Columns ``step``, ``epoch``, ``loss``, ``grad_norm``, ``learning_rate``, indexed by step.
    """
    rows = [{key: entry.get(key) for key in ("step", "epoch", "loss", "grad_norm", "learning_rate")}
            for entry in log_history if "loss" in entry]
    return pd.DataFrame(rows).astype(float).astype({"step": int}).set_index("step", drop=False)


def evaluation_curve(log_history: list[dict[str, Any]]) -> pd.DataFrame:
    """The per-epoch evaluation entries: dev loss and dev Spearman / Pearson (cosine).

    Returns:
        Columns ``epoch``, ``step``, ``dev_loss``, ``dev_spearman``, ``dev_pearson``.
    """
    rows = [{"epoch": entry["epoch"], "step": entry["step"], "dev_loss": entry["eval_loss"],
             "dev_spearman": entry.get("eval_dev_spearman_cosine"),
             "dev_pearson": entry.get("eval_dev_pearson_cosine")}
            for entry in log_history if "eval_loss" in entry]
    return pd.DataFrame(rows).set_index("epoch")


def window_means(curve: pd.DataFrame, steps: Iterable[int], window: int) -> pd.Series:
    """Mean training loss over the ``window`` steps ending at each of ``steps``.

    This is what a Trainer logging every ``window`` steps would have reported (the seed card
    logged every 500), recomputed from a denser log so the two can be compared like with like.

    Args:
        curve: :func:`training_curve` output, logged at a step interval dividing ``window``.
        steps: Steps at which to report; those past the end of the log (a shorter run than the
            card's) are left out.
        window: Window length in steps.

    Returns:
        Mean loss per requested step that the log reaches.

    Raises:
        ValueError: When the window is not a multiple of the logging interval, or the log has a gap
            inside a window.
    """
    interval = int(curve["step"].diff().dropna().mode().iloc[0]) if len(curve) > 1 else window
    if window % interval:
        raise ValueError(f"window {window} is not a multiple of the logging interval {interval}")
    means = {}
    for step in steps:
        if step > curve["step"].max():
            continue
        inside = curve[(curve["step"] > step - window) & (curve["step"] <= step)]
        if len(inside) * interval != window:
            raise ValueError(f"the log does not cover steps {step - window + 1}-{step}")
        means[step] = inside["loss"].mean()
    return pd.Series(means, name=f"mean loss over {window} steps").rename_axis("step")


def smoothed(curve: pd.DataFrame, span: int = 10) -> pd.Series:
    """An exponential moving average of the training loss (``span`` log entries)."""
    return curve["loss"].ewm(span=span, adjust=False).mean()


def epoch_boundaries(curve: pd.DataFrame) -> list[int]:
    """The steps at which each epoch after the first begins (for drawing vertical lines)."""
    steps_per_epoch = curve["step"].iloc[-1] / curve["epoch"].iloc[-1]
    epochs = int(curve["epoch"].iloc[-1] + 0.5)
    return [int(steps_per_epoch * epoch + 0.5) for epoch in range(1, epochs)]
