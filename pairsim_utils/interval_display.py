"""Numbers with their 95 % intervals as readers see them: cells such as ``"0.612 [0.560, 0.660]"`` and the
headline table laid out one row per metric, one column per model.
"""

from __future__ import annotations

import pandas as pd

METRIC_NAMES = {"spearman": "Spearman", "pearson": "Pearson", "mse": "MSE", "roc_auc": "ROC AUC",
                "f1": "F1 at the dev threshold"}


def bracket(low: float, high: float, digits: int = 3) -> str:
    """``"[0.560, 0.660]"``."""
    return f"[{low:.{digits}f}, {high:.{digits}f}]"


def with_interval(value: float, low: float, high: float, digits: int = 3) -> str:
    """``"0.612 [0.560, 0.660]"``."""
    return f"{value:.{digits}f} {bracket(low, high, digits)}"


def interval_columns(table: pd.DataFrame | pd.Series) -> tuple[str, str]:
    """The interval columns to report: the concept-level ones when the table (or row) has them, else the pair-level."""
    names = table.index if isinstance(table, pd.Series) else table.columns
    return ("concept low", "concept high") if "concept low" in names else ("low", "high")


def interval_cell(row: pd.Series, digits: int = 3) -> str:
    """One headline row as text.

    Returns:
        ``"0.612 [0.560, 0.660]"`` (the concept-level interval when present), or ``"—"`` when the value is
        undefined (a constant has no correlation).
    """
    low, high = interval_columns(row)
    if pd.isna(row["value"]):
        return "—"
    return with_interval(row["value"], row[low], row[high], digits)


def headline_display(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """The headline table as readers want it: one row per metric, one column per model.

    Args:
        table: :func:`pairsim_utils.metrics.headline_table` output.
        digits: Decimals shown.

    Returns:
        Cells such as ``"0.612 [0.560, 0.660]"``: value and 95 % bootstrap interval, over resampled
        concepts when the table has that interval, else over resampled pairs.
    """
    cells = table.apply(lambda row: interval_cell(row, digits), axis=1)
    display = cells.unstack("model")
    display = display[list(table.index.get_level_values("model").unique())]
    display.index = [METRIC_NAMES.get(m, m) for m in display.index]
    return display.loc[[METRIC_NAMES[m] for m in table.index.get_level_values("metric").unique()]]


def interval_comparison(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Pair-level next to concept-level intervals, for each metric's difference row.

    Args:
        table: :func:`pairsim_utils.metrics.headline_table` output with concept intervals.
        digits: Decimals shown.

    Returns:
        One row per metric: the difference, both intervals, and how much wider the concept one is.
    """
    rows = table.xs("difference", level="model")
    widths = (rows["concept high"] - rows["concept low"]) / (rows["high"] - rows["low"])
    return pd.DataFrame({
        "difference": rows["value"].round(digits).to_numpy(),
        "resampling pairs": [bracket(a, b, digits) for a, b in zip(rows["low"], rows["high"], strict=True)],
        "resampling concepts": [bracket(a, b, digits)
                                for a, b in zip(rows["concept low"], rows["concept high"], strict=True)],
        "width ratio": widths.round(2).to_numpy(),
    }, index=[METRIC_NAMES.get(m, m) for m in rows.index])
