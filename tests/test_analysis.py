"""Metrics (pairsim_utils.metrics), the embedding cache (embeddings) and the analyses (analysis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import f1_score, roc_auc_score

from pairsim_utils.analysis import (
    benchmark_table,
    domain_separation,
    embedding_map,
    fit_calibration,
    reliability_table,
    retrieval_view,
    slice_columns,
    slice_metrics,
    trap_table,
    worst_errors,
)
from pairsim_utils.embeddings import EmbeddingCache, model_fingerprint
from pairsim_utils.metrics import (
    best_f1_threshold,
    correlation_table,
    f1_at,
    headline_table,
    regression_metrics,
    related,
    roc_auc,
    similarity_evaluator,
    threshold_metrics,
)

PAIRS = pd.DataFrame({"sentence_0": ["Drought", "Wood", "Ice", "Acid", "Stress", "Pool Table"],
                      "sentence_1": ["Scarcity", "Sandpaper", "Steam", "Paper Lantern", "Cinder", "Gene Pool"],
                      "label": [1.0, 1.0, 1.0, 0.0, 0.0, 0.0],
                      "relation": ["causes", "tool_for", "becomes", "unrelated", "unrelated", "lexical_trap"],
                      "domain": ["weather", "workshop", "weather", "workshop", "work", "sports"]})


def test_correlation_table_matches_scipy(base_model):
    table = correlation_table(base_model, {"tiny": PAIRS})
    first = base_model.encode(PAIRS["sentence_0"].tolist(), convert_to_tensor=True)
    second = base_model.encode(PAIRS["sentence_1"].tolist(), convert_to_tensor=True)
    cosine = (first * second).sum(dim=1).tolist()
    assert table.loc["tiny", "spearman"] == pytest.approx(spearmanr(cosine, PAIRS["label"]).statistic, abs=1e-6)
    assert table.loc["tiny", "pearson"] == pytest.approx(pearsonr(cosine, PAIRS["label"]).statistic, abs=1e-5)
    assert table.loc["tiny", "pairs"] == 6
    assert {"dev_spearman_cosine", "dev_pearson_cosine"} <= set(similarity_evaluator(PAIRS, "dev")(base_model))


def test_embedding_cache_encodes_each_phrase_once(base_model, tmp_path):
    cache = EmbeddingCache(base_model, cache_dir=tmp_path)
    scores = cache.score(PAIRS)
    assert cache.encoded_count == 12 and len(cache) == 12
    assert cache.path.name == f"{model_fingerprint(base_model)}.npz" and cache.path.is_file()
    again = cache.score(PAIRS)
    assert cache.encoded_count == 12 and np.array_equal(scores, again)
    fresh = EmbeddingCache(base_model, cache_dir=tmp_path)  # a later session: read from disk
    assert len(fresh) == 12 and np.allclose(fresh.score(PAIRS), scores) and fresh.encoded_count == 0
    expected = base_model.similarity_pairwise(base_model.encode(PAIRS["sentence_0"].tolist()),
                                              base_model.encode(PAIRS["sentence_1"].tolist())).numpy()
    assert np.allclose(scores, expected, atol=1e-5)
    fresh.encode(["Hydraulic Jack"])
    assert fresh.encoded_count == 1 and len(EmbeddingCache(base_model, cache_dir=tmp_path)) == 13


def test_the_cache_folder_is_the_runs_folder_unless_the_variable_names_another(base_model, tmp_path, monkeypatch):
    from pairsim_utils.embeddings import CACHE_DIR_VARIABLE, default_cache_dir

    monkeypatch.delenv(CACHE_DIR_VARIABLE, raising=False)
    assert default_cache_dir(tmp_path / "runs") == tmp_path / "runs" / "cache" / "embeddings"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "elsewhere"))
    assert default_cache_dir(tmp_path / "runs") == tmp_path / "elsewhere"
    assert EmbeddingCache(base_model).path.parent == tmp_path / "elsewhere"  # read when made, not on import
    assert EmbeddingCache(base_model, cache_dir=tmp_path / "given").path.parent == tmp_path / "given"


def test_model_fingerprint_changes_with_weights(base_model):
    import copy

    import torch

    other = copy.deepcopy(base_model)
    assert model_fingerprint(other) == model_fingerprint(base_model)
    with torch.no_grad():
        next(other.parameters()).add_(1e-3)
    assert model_fingerprint(other) != model_fingerprint(base_model)


def test_regression_metrics_are_the_libraries():
    labels = np.array([0.0, 0.5, 1.0, 1.0, 0.0])
    scores = np.array([0.1, 0.4, 0.8, 0.6, 0.5])
    metrics = regression_metrics(labels, scores)
    assert metrics["spearman"] == pytest.approx(spearmanr(scores, labels).statistic)
    assert metrics["mse"] == pytest.approx(np.mean((scores - labels) ** 2))
    assert related(labels).tolist() == [0, 1, 1, 1, 0]


@pytest.mark.parametrize("seed", range(5))
def test_fast_roc_auc_and_f1_equal_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    labels = rng.choice([0.0, 0.5, 1.0], 300)
    scores = np.round(rng.random(300), 2)  # rounded: many ties, which the rank-sum must count half
    truth = related(labels)
    assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(truth, scores), abs=1e-12)
    for threshold in (0.0, 0.3, 0.5, 1.1):
        expected = f1_score(truth, (scores >= threshold).astype(int), zero_division=0)
        assert f1_at(labels, scores, threshold) == pytest.approx(expected, abs=1e-12)


def test_undefined_metrics_are_nan_without_warnings():
    import warnings

    from pairsim_utils.intervals import bootstrap_interval
    from pairsim_utils.metrics import metric_function

    one_class, scores = np.zeros(4), np.array([0.1, 0.4, 0.2, 0.3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(roc_auc(one_class, scores))
        assert np.isnan(metric_function("spearman", 0.5)(np.full(4, 0.5), scores))
        assert np.isnan(metric_function("pearson", 0.5)(one_class, np.full(4, 0.3)))
        # a pair of classes that some resamples lose entirely: the interval is undefined, not an error
        low, high = bootstrap_interval(roc_auc, np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.9, 0.1]), resamples=50)
    assert np.isnan(low) and np.isnan(high)


def test_best_f1_threshold_on_separable_scores():
    labels = np.array([0, 0, 0.5, 1, 1])
    scores = np.array([0.1, 0.2, 0.6, 0.7, 0.9])
    threshold, f1 = best_f1_threshold(labels, scores)
    assert threshold == pytest.approx(0.6) and f1 == pytest.approx(1.0)
    result = threshold_metrics(labels, scores, threshold)
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (3, 0, 0, 2)
    shifted = threshold_metrics(labels, scores, 0.65)
    assert shifted["fn"] == 1 and shifted["recall"] == pytest.approx(2 / 3)
    assert shifted["f1"] == pytest.approx(f1_score([0, 0, 1, 1, 1], [0, 0, 0, 1, 1]))


def test_headline_table_difference_is_paired():
    rng = np.random.default_rng(0)
    labels = rng.choice([0.0, 0.5, 1.0], 200)
    weak, strong = labels + rng.normal(0, 0.6, 200), labels + rng.normal(0, 0.2, 200)
    table = headline_table(labels, {"a": weak, "b": strong}, {"a": 0.5, "b": 0.5}, resamples=200)
    assert table.index.get_level_values("metric").unique().tolist() == ["spearman", "pearson", "mse", "roc_auc", "f1"]
    difference = table.loc[("spearman", "difference")]
    expected = spearmanr(strong, labels).statistic - spearmanr(weak, labels).statistic
    assert difference["value"] == pytest.approx(expected)
    assert 0 < difference["low"] < difference["value"] < difference["high"]
    assert table.loc[("mse", "difference"), "high"] < 0
    same = headline_table(labels, {"a": weak, "b": weak}, {"a": 0.5, "b": 0.5}, resamples=100)
    assert same.loc[("spearman", "difference")].abs().max() == 0  # paired: identical models differ by exactly 0


def test_headline_table_with_baselines_and_concept_intervals():
    from pairsim_utils.intervals import concept_resamples

    rng = np.random.default_rng(0)
    words = [f"concept{i}" for i in range(40)]
    frame = pd.DataFrame({"sentence_0": rng.choice(words, 300), "sentence_1": rng.choice(words, 300)})
    labels = rng.choice([0.0, 0.5, 1.0], 300)
    scores = {"constant": np.full(300, 0.5), "base": labels + rng.normal(0, 0.6, 300),
              "tuned": labels + rng.normal(0, 0.2, 300)}
    draws = concept_resamples(frame, resamples=100)
    table = headline_table(labels, scores, dict.fromkeys(scores, 0.5), resamples=100, reference="base",
                           concept_draws=draws)
    assert table.index.get_level_values("model").unique().tolist() == ["constant", "base", "tuned", "difference"]
    assert np.isnan(table.loc[("spearman", "constant")]).all()  # a constant has no correlation
    assert table.loc[("roc_auc", "constant"), "value"] == 0.5
    difference = table.loc[("spearman", "difference")]
    expected = spearmanr(scores["tuned"], labels).statistic - spearmanr(scores["base"], labels).statistic
    assert difference["value"] == pytest.approx(expected)
    assert difference["concept low"] < difference["value"] < difference["concept high"]
    assert "concept low" not in headline_table(labels, scores, dict.fromkeys(scores, 0.5), resamples=50)


def test_slices_and_missing_metadata():
    scores = {"base": np.array([0.3, 0.2, 0.4, 0.3, 0.1, 0.8]), "tuned": np.array([0.9, 0.8, 0.9, 0.1, 0.1, 0.3])}
    table = slice_metrics(PAIRS, scores, min_pairs=1)
    assert {"relation", "domain", "label grade", "length", "overlap"} == set(table.index.get_level_values(0))
    trap = table.loc[("relation", "lexical_trap")]
    assert trap["mae base"] == pytest.approx(0.8) and trap["mae gain"] == pytest.approx(0.5)
    assert table.loc[("overlap", "shares a word"), "pairs"] == 1
    bare = PAIRS[["sentence_0", "sentence_1", "label"]]
    assert set(slice_columns(bare).columns) == {"label grade", "length", "overlap"}
    dimensions = slice_metrics(bare, scores, min_pairs=4).index.get_level_values(0).unique().tolist()
    assert dimensions == ["length", "overlap"]  # 4 two-word pairs, 5 pairs without a shared word


def test_slice_gain_intervals_come_from_the_resamples_restricted_to_the_slice():
    scores = {"base": np.array([0.3, 0.2, 0.4, 0.3, 0.1, 0.8]), "tuned": np.array([0.9, 0.8, 0.9, 0.1, 0.1, 0.3])}
    everything = [np.arange(6)] * 3
    table = slice_metrics(PAIRS, scores, min_pairs=1, concept_draws=everything)
    # resamples that keep every row give an interval of zero width at the slice's own gain
    assert np.allclose(table["gain low"], table["mae gain"]) and np.allclose(table["gain high"], table["mae gain"])
    only_first = [np.array([0, 0, 1])] * 3
    narrow = slice_metrics(PAIRS, scores, min_pairs=1, concept_draws=only_first)
    assert narrow.loc[("relation", "causes"), "gain low"] == pytest.approx(abs(0.3 - 1) - abs(0.9 - 1))
    assert np.isnan(narrow.loc[("relation", "lexical_trap"), "gain low"])  # never drawn


def test_worst_errors():
    scores = np.array([0.9, 0.2, 0.8, 0.7, 0.1, 0.6])
    fp = worst_errors(PAIRS, scores, "false positive", top=2)
    assert fp["sentence_0"].tolist() == ["Acid", "Pool Table"]
    fn = worst_errors(PAIRS, scores, "false negative", top=1)
    assert fn["sentence_0"].tolist() == ["Wood"] and fn["error"].iloc[0] == pytest.approx(-0.8)
    assert len(worst_errors(PAIRS, scores, "false positive", threshold=0.65)) == 1
    with pytest.raises(ValueError, match="kind must be"):
        worst_errors(PAIRS, scores, "wrong")


def test_calibration_and_reliability():
    rng = np.random.default_rng(0)
    labels = rng.choice([0.0, 0.5, 1.0], 400)
    scores = 0.3 + 0.3 * labels + rng.normal(0, 0.05, 400)  # compressed scale, as a base model's
    calibration = fit_calibration(scores, labels)
    calibrated = calibration.predict(scores)
    assert np.mean((calibrated - labels) ** 2) < np.mean((scores - labels) ** 2) / 3
    table = reliability_table(calibrated, labels, bins=5)
    assert table["pairs"].sum() == 400
    assert (table["mean prediction"] - table["mean label"]).abs().max() < 0.1


def test_retrieval_view_ranks_partners(base_model, tmp_path):
    frame = pd.DataFrame({"sentence_0": ["Rust", "Rust", "Oil Can"], "sentence_1": ["Oil", "Opera House", "Rust"],
                          "label": [1.0, 0.0, 1.0]})
    view = retrieval_view(frame, {"base": EmbeddingCache(base_model, cache_dir=tmp_path)}, ["Rust"])
    assert set(view.loc["Rust"].index) == {"Oil", "Opera House", "Oil Can"}
    assert sorted(view["rank base"].tolist()) == [1, 2, 3]


def test_embedding_map_and_domain_separation():
    rng = np.random.default_rng(0)
    grouped = np.vstack([rng.normal(5, 0.1, (20, 8)), rng.normal(-5, 0.1, (20, 8))])
    domains = pd.Series(["a"] * 20 + ["b"] * 20)
    assert domain_separation(grouped, domains) > 0.9
    assert embedding_map({"m": grouped})["m"].shape == (40, 2)


def test_benchmark_table(base_model, tmp_path):
    caches = {name: EmbeddingCache(base_model, cache_dir=tmp_path) for name in ("base", "same")}
    table = benchmark_table(caches, {"tiny": PAIRS}, {"tiny": "relatedness"}, min_pairs=3)
    assert table.loc["tiny", "change"] == pytest.approx(0.0, abs=1e-6) and table.loc["tiny", "pairs"] == 6


def test_benchmark_table_leaves_out_the_data_sets_own_pairs(base_model, tmp_path):
    caches = {"base": EmbeddingCache(base_model, cache_dir=tmp_path)}
    own = pd.DataFrame({"sentence_0": ["sandpaper", "DROUGHT"], "sentence_1": ["wood", "scarcity"],
                        "label": [1.0, 1.0]})
    table = benchmark_table(caches, {"tiny": PAIRS}, {"tiny": "relatedness"}, seen=[own], min_pairs=3)
    assert table.loc["tiny", ["pairs", "left out"]].tolist() == [4, 2]  # either order, any case
    assert table.loc["tiny", "base"] == pytest.approx(
        regression_metrics(PAIRS["label"].to_numpy()[2:], caches["base"].score(PAIRS.iloc[2:]))["spearman"])
    dropped = benchmark_table(caches, {"tiny": PAIRS}, {"tiny": "relatedness"}, seen=[own], min_pairs=5)
    assert dropped.empty and "change" in dropped.columns


def test_trap_table_reads_relation_and_is_empty_without_it():
    scores = {"a": np.array([0.9, 0.8, 0.7, 0.1, 0.2, 0.6]), "b": np.array([0.9, 0.8, 0.7, 0.1, 0.2, 0.1])}
    table = trap_table(PAIRS, scores, {"a": 0.5, "b": 0.5})
    assert table.loc["a", "share above threshold"] == 1.0 and table.loc["b", "share above threshold"] == 0.0
    assert table.loc["b", "mean cosine"] == pytest.approx(0.1)
    assert trap_table(PAIRS.drop(columns="relation"), scores, {"a": 0.5, "b": 0.5}).empty


def test_analysis_tables_round_trip_through_their_files(tmp_path):
    from pairsim_utils.analysis import ANALYSIS_TABLES, load_analysis, save_analysis

    scores = {"base": np.array([0.3, 0.2, 0.4, 0.3, 0.1, 0.8]), "tuned": np.array([0.9, 0.8, 0.9, 0.1, 0.1, 0.3])}
    labels = PAIRS["label"].to_numpy()
    tables = {"headline": headline_table(labels, scores, dict.fromkeys(scores, 0.5), resamples=20),
              "slices": slice_metrics(PAIRS, scores, min_pairs=1),
              "benchmarks": pd.DataFrame({"measures": ["relatedness"], "change": [0.1]},
                                         index=pd.Index(["MEN"], name="benchmark")),
              "traps": trap_table(PAIRS, scores, dict.fromkeys(scores, 0.5))}
    written = save_analysis(tmp_path / "analysis", tables, PAIRS.assign(**scores), "- a finding")
    assert written == sorted([f"{name}.csv" for name in ANALYSIS_TABLES] + ["test_scores.csv", "findings.md"])
    back = load_analysis(tmp_path / "analysis")
    pd.testing.assert_frame_equal(back["headline"], tables["headline"])
    pd.testing.assert_frame_equal(back["slices"], tables["slices"], check_dtype=False)
    assert back["test_scores"]["tuned"].tolist() == scores["tuned"].tolist()
