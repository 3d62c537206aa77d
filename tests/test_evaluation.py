from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import pearsonr, spearmanr

from pairsim_utils.evaluation import correlation_table, similarity_evaluator


def test_correlation_table_matches_scipy(base_model):
    frame = pd.DataFrame({"sentence_0": ["Drought", "Wood", "Ice", "Acid", "Stress"],
                          "sentence_1": ["Scarcity", "Sandpaper", "Steam", "Paper Lantern", "Cinder"],
                          "label": [1.0, 1.0, 1.0, 0.0, 0.0]})
    table = correlation_table(base_model, {"tiny": frame})
    first = base_model.encode(frame["sentence_0"].tolist(), convert_to_tensor=True)
    second = base_model.encode(frame["sentence_1"].tolist(), convert_to_tensor=True)
    cosine = (first * second).sum(dim=1).tolist()
    assert table.loc["tiny", "spearman"] == pytest.approx(spearmanr(cosine, frame["label"]).statistic, abs=1e-6)
    assert table.loc["tiny", "pearson"] == pytest.approx(pearsonr(cosine, frame["label"]).statistic, abs=1e-5)
    assert table.loc["tiny", "pairs"] == 5


def test_similarity_evaluator_names_its_metrics(base_model):
    frame = pd.DataFrame({"sentence_0": ["A", "B", "C"], "sentence_1": ["D", "E", "F"], "label": [0.0, 0.5, 1.0]})
    metrics = similarity_evaluator(frame, "dev")(base_model)
    assert {"dev_spearman_cosine", "dev_pearson_cosine"} <= set(metrics)
