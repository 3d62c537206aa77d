from __future__ import annotations

import numpy as np
import pandas as pd

from pairsim_utils.evaluation import benchmark_table, headline_table, slice_metrics
from pairsim_utils.report import findings_markdown, headline_display, with_interval


def tables():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"sentence_0": [f"A{i}" for i in range(60)], "sentence_1": [f"B{i}" for i in range(60)],
                          "label": rng.choice([0.0, 0.5, 1.0], 60),
                          "relation": rng.choice(["causes", "loose", "unrelated", "lexical_trap"], 60),
                          "domain": "x"})
    scores = {"base": frame["label"].to_numpy() * 0.2 + 0.3 + rng.normal(0, 0.2, 60),
              "tuned": frame["label"].to_numpy() + rng.normal(0, 0.1, 60)}
    headline = headline_table(frame["label"].to_numpy(), scores, {"base": 0.4, "tuned": 0.5}, resamples=100)
    return frame, scores, headline


def test_with_interval():
    assert with_interval(0.61234, 0.5, 0.7) == "0.612 [0.500, 0.700]"


def test_headline_display_has_metrics_as_rows_and_models_as_columns():
    _, _, headline = tables()
    display = headline_display(headline)
    assert display.columns.tolist() == ["base", "tuned", "difference"]
    assert display.index.tolist() == ["Spearman", "Pearson", "MSE", "ROC AUC", "F1 at the dev threshold"]
    assert display.loc["Spearman", "tuned"].startswith(f"{headline.loc[('spearman', 'tuned'), 'value']:.3f} [")


def test_findings_read_every_number_from_the_tables():
    frame, scores, headline = tables()
    slices = slice_metrics(frame, scores, min_pairs=1)
    traps = pd.DataFrame({"mean cosine": [0.41, 0.12], "share above threshold": [0.5, 0.25]}, index=["base", "tuned"])
    benchmarks = pd.DataFrame({"measures": ["relatedness", "similarity"], "pairs": [10, 10], "base": [0.7, 0.5],
                               "tuned": [0.72, 0.4], "change": [0.02, -0.1]}, index=["MEN", "SimLex-999"])
    text = findings_markdown(headline, slices, traps, benchmarks, "base", "tuned")
    spearman = headline.loc[("spearman", "tuned"), "value"]
    assert f"{spearman:.3f}" in text and "0.41 → 0.12" in text and "50% → 25%" in text
    assert "relatedness sets +0.020; similarity sets -0.100" in text and "Largest change: SimLex-999 (-0.100)" in text
    assert "a real gain" in text
    bare = findings_markdown(headline, slices.drop(index="relation", level=0), traps.iloc[0:0],
                             benchmarks.iloc[0:0], "base", "tuned")
    assert "Where it helped most" not in bare and "Lexical traps" not in bare


def test_benchmark_table_shape_is_what_findings_expect(base_model, tmp_path):
    from pairsim_utils.evaluation import EmbeddingCache

    frame = pd.DataFrame({"sentence_0": ["car", "cup"], "sentence_1": ["road", "coffee"], "label": [0.3, 0.9]})
    caches = {"base": EmbeddingCache(base_model, cache_dir=tmp_path)}
    table = benchmark_table(caches, {"tiny": frame}, {"tiny": "relatedness"}, min_pairs=2)
    assert {"measures", "pairs", "base", "change"} <= set(table.columns)


def test_text_for_other_data_says_how_new_the_test_pairs_are():
    from types import SimpleNamespace

    from pairsim_utils.report import limitations_markdown, recommendation_markdown, test_split_note

    frame, scores, headline = tables()
    slices = slice_metrics(frame, scores, min_pairs=1)
    data = {"name": "MEN", "phrase_disjoint": False, "test_pairs_with_seen_phrase": 0.995, "source": "men"}
    assert test_split_note({"phrase_disjoint": True}) == "whose concepts never appear in training"
    assert "99.5% of pairs contain a term" in test_split_note(data)
    text = findings_markdown(headline, slices, pd.DataFrame(), pd.DataFrame(), "base", "tuned", data=data)
    assert "held-out pairs" in text and "99.5%" in text and "never appear" not in text
    advice = recommendation_markdown(headline, pd.DataFrame(), data)
    assert "pairs like those of MEN" in advice and "Test on new terms" in advice
    assert "slices where its error fell least" in advice
    worst = slices.loc["relation", "mae gain"].idxmin()
    advice = recommendation_markdown(headline, pd.DataFrame(), data, slices)
    assert f"especially relation *{worst}*, where its error" in advice
    run = SimpleNamespace(environment={"data_pairs": {"test": 1000}})
    limits = limitations_markdown(data, run)
    assert "1,000 pairs" in limits and "99.5% of the test pairs" in limits
