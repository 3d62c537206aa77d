"""Second-rating agreement: weighted kappa, the confusion table, and a clear error for bad rows."""

from __future__ import annotations

import pandas as pd
import pytest

from pairsim_utils.agreement import RATING_COLUMNS, agreement_summary, confusion, load_ratings, weighted_kappa


def ratings(first, second, final=None):
    final = final or first
    return pd.DataFrame({"sentence_0": [f"A{i}" for i in range(len(first))],
                         "sentence_1": [f"B{i}" for i in range(len(first))], "split": "test",
                         "first_label": first, "second_label": second, "final_label": final, "note": ""})


def test_perfect_and_chance_agreement():
    assert weighted_kappa(ratings([0.0, 0.5, 1.0, 1.0], [0.0, 0.5, 1.0, 1.0])) == pytest.approx(1.0)
    # every second rating is the opposite grade: worse than chance
    assert weighted_kappa(ratings([0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0])) < 0


def test_a_half_step_costs_half_of_a_full_step():
    base = [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    half = weighted_kappa(ratings(base, [0.0, 0.0, 0.5, 0.5, 1.0, 0.5]))
    full = weighted_kappa(ratings(base, [0.0, 0.0, 0.5, 0.5, 1.0, 0.0]))
    assert 0 < full < half < 1


def test_confusion_and_summary():
    frame = ratings([0.0, 0.5, 1.0, 1.0], [0.0, 1.0, 1.0, 0.5], final=[0.0, 1.0, 1.0, 1.0])
    table = confusion(frame)
    assert table.shape == (3, 3) and table.to_numpy().sum() == 4
    assert table.loc[0.5, 1.0] == 1 and table.loc[1.0, 0.5] == 1 and table.loc[0.0, 0.0] == 1
    summary = agreement_summary(frame)
    assert (summary["pairs"], summary["exact"], summary["disagreements"], summary["changed"]) == (4, 0.5, 2, 1)


def test_bad_label_names_file_line_and_column(tmp_path):
    path = tmp_path / "second_rating.csv"
    frame = ratings([0.0, 0.5], [0.0, 0.7])
    frame[list(RATING_COLUMNS)].to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"second_rating.csv: line 3, column 'second_label'"):
        load_ratings(path)
