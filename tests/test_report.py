from __future__ import annotations

import numpy as np
import pandas as pd

from pairsim_utils.analysis import benchmark_table, slice_metrics
from pairsim_utils.interval_display import headline_display, with_interval
from pairsim_utils.metrics import headline_table
from pairsim_utils.report import findings_markdown


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
    assert "By relation" not in bare and "Lexical traps" not in bare


def test_benchmark_table_shape_is_what_findings_expect(base_model, tmp_path):
    from pairsim_utils.embeddings import EmbeddingCache

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
    assert "kinds of pair unlike those it was trained on" in advice
    from pairsim_utils.config import SEED_CONFIG

    run = SimpleNamespace(config=SEED_CONFIG, environment={"data_pairs": {"test": 1000}})
    limits = limitations_markdown(data, run)
    assert "1,000 pairs" in limits and "99.5% of the test pairs" in limits


def flipped(headline: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The headline with one metric's difference mirrored: a gain becomes a loss of the same size."""
    table = headline.copy()
    row = table.loc[(metric, "difference")]
    table.loc[(metric, "difference"), ["value", "low", "high"]] = [-row["value"], -row["high"], -row["low"]]
    return table


def test_generated_sentences_follow_the_values():
    _, _, headline = tables()
    empty = pd.DataFrame()
    assert headline.loc[("mse", "difference"), "high"] < 0
    text = findings_markdown(headline, empty, empty, empty, "base", "tuned")
    assert "Scores moved closer to the label's scale" in text
    worse = findings_markdown(flipped(headline, "mse"), empty, empty, empty, "base", "tuned")
    assert "moved away from the label's scale" in worse and "closer" not in worse
    lost = findings_markdown(flipped(headline, "spearman"), empty, empty, empty, "base", "tuned")
    assert "made things worse" in lost and "a real loss" in lost


def test_slices_are_named_only_when_large_and_clear():
    from pairsim_utils.report import MIN_SLICE_PAIRS, notable_slices

    index = pd.MultiIndex.from_tuples([("relation", n) for n in ("big", "small", "unclear", "worse")],
                                      names=["dimension", "slice"])
    slices = pd.DataFrame({"pairs": [MIN_SLICE_PAIRS, MIN_SLICE_PAIRS - 1, 200, 80],
                           "mae gain": [0.2, 0.4, 0.1, -0.1], "gain low": [0.05, 0.2, -0.01, -0.2],
                           "gain high": [0.3, 0.6, 0.2, -0.02]}, index=index)
    assert notable_slices(slices).index.tolist() == ["big", "worse"]
    _, _, headline = tables()
    text = findings_markdown(headline, slices, pd.DataFrame(), pd.DataFrame(), "base", "tuned")
    assert "*big* (+0.20 [+0.05, +0.30], 30 pairs)" in text and "*worse*" in text
    assert "small" not in text and "unclear" not in text
    from pairsim_utils.report import recommendation_markdown

    advice = recommendation_markdown(headline, pd.DataFrame(), slices=slices)
    assert "especially relation *worse*" in advice and "where its error rose" in advice
    assert "*worse*" not in recommendation_markdown(headline, pd.DataFrame(), slices=slices.drop(("relation", "worse")))


def test_run_summary_and_limitations_name_settings_that_differ_from_the_card():
    from types import SimpleNamespace

    from pairsim_utils.config import SEED_CONFIG
    from pairsim_utils.report import limitations_markdown, run_summary_markdown

    environment = {"steps": 642, "wall_seconds": 120.0, "device_name": "a CPU", "data_dir": "data/concept_pairs"}
    card = SimpleNamespace(config=SEED_CONFIG, environment=environment)
    assert "the configuration of the published seed model card" in run_summary_markdown(card)
    other = SimpleNamespace(config=SEED_CONFIG.replace(num_epochs=2), environment=environment)
    summary = run_summary_markdown(other)
    assert "except num_epochs 2 (card: 5)" in summary and "configuration of the published" not in summary
    limits = limitations_markdown({"phrase_disjoint": True}, other)
    assert "kept as they are" not in limits and "num_epochs" in limits
    assert "kept as they are" in limitations_markdown({"phrase_disjoint": True}, card)


def test_one_sentence_answer():
    from pairsim_utils.report import answer_markdown

    _, _, headline = tables()
    benchmarks = pd.DataFrame({"change": [0.02, -0.1]}, index=["MEN", "SimLex-999"])
    answer = answer_markdown(headline, benchmarks, tuned="tuned")
    assert answer.startswith("**In one sentence:** Fine-tuning raised agreement")
    assert "on 1 of 2 outside benchmarks" in answer
    lost = answer_markdown(flipped(headline, "spearman"), benchmarks, tuned="tuned")
    assert "lowered agreement with our labels" in lost
    assert "on all 2 outside" in answer_markdown(headline, benchmarks.assign(change=[-0.01, -0.02]), tuned="tuned")
    kept = answer_markdown(headline, benchmarks.assign(change=[0.01, 0.02]), tuned="tuned")
    assert "without lowering agreement with human ratings on any of 2" in kept
