"""Agreement between the authors' labels and an independent second rating of the same pairs.

The second rater saw only the two phrases and the written label definitions, never the authors'
labels. Agreement is Cohen's kappa with linear weights (scikit-learn): 1 is perfect agreement, 0
what two raters guessing with the same label shares would reach; a 0.5-versus-1.0 disagreement
costs half as much as 0.0-versus-1.0. Disagreements were then adjudicated; ``final_label`` is the
label the pair carries now.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

RATING_COLUMNS = ("sentence_0", "sentence_1", "split", "first_label", "second_label", "final_label", "note")
GRADES = (0.0, 0.5, 1.0)


def load_ratings(path: Path) -> pd.DataFrame:
    """Read the second-rating record (``source/second_rating.csv``).

    Args:
        path: The CSV with the columns of :data:`RATING_COLUMNS`.

    Returns:
        One row per doubly rated pair; labels as floats.

    Raises:
        ValueError: Naming the file and line of a row whose labels are not 0.0, 0.5 or 1.0.
    """
    frame = pd.read_csv(path, dtype={"note": str}, keep_default_na=False)
    missing = [c for c in RATING_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    for column in ("first_label", "second_label", "final_label"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
        bad = frame.index[~frame[column].isin(GRADES)]
        if len(bad):
            raise ValueError(f"{path}: line {bad[0] + 2}, column '{column}': expected 0.0, 0.5 or 1.0")
    return frame


def weighted_kappa(ratings: pd.DataFrame) -> float:
    """Linearly weighted Cohen's kappa between the first and the second rating."""
    codes = {grade: index for index, grade in enumerate(GRADES)}
    return float(cohen_kappa_score(ratings["first_label"].map(codes), ratings["second_label"].map(codes),
                                   weights="linear"))


def confusion(ratings: pd.DataFrame) -> pd.DataFrame:
    """Counts of pairs by first label (rows) and second label (columns), every grade shown."""
    table = pd.crosstab(ratings["first_label"], ratings["second_label"])
    return table.reindex(index=list(GRADES), columns=list(GRADES), fill_value=0) \
        .rename_axis(index="authors", columns="second rater")


def agreement_summary(ratings: pd.DataFrame) -> dict[str, float]:
    """Returns:
    ``pairs``, ``exact`` (share rated alike), ``kappa``, ``disagreements`` and ``changed``
    (pairs whose label adjudication changed).
    """
    return {"pairs": len(ratings),
            "exact": float((ratings["first_label"] == ratings["second_label"]).mean()),
            "kappa": weighted_kappa(ratings),
            "disagreements": int((ratings["first_label"] != ratings["second_label"]).sum()),
            "changed": int((ratings["first_label"] != ratings["final_label"]).sum())}
