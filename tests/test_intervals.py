"""Pair-level and concept-level (pigeonhole) bootstrap intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pairsim_utils.intervals import (
    bootstrap_interval,
    concept_graph_summary,
    concept_ids,
    concept_resamples,
    percentile_interval,
)


def test_bootstrap_interval_contains_the_estimate_and_narrows_with_data():
    rng = np.random.default_rng(1)
    small = rng.normal(size=50)
    large = rng.normal(size=2000)
    low_s, high_s = bootstrap_interval(np.mean, small, resamples=500)
    low_l, high_l = bootstrap_interval(np.mean, large, resamples=500)
    assert low_s < small.mean() < high_s and low_l < large.mean() < high_l
    assert (high_l - low_l) < (high_s - low_s) / 3
    assert bootstrap_interval(np.mean, small, resamples=500) == (low_s, high_s)  # seeded


def test_concept_ids_join_forms_of_one_concept():
    frame = pd.DataFrame({"sentence_0": ["Dent", "Forge", "Anvil"], "sentence_1": ["Hammer", "dents", "Forges"]})
    first, second = concept_ids(frame)
    assert first[0] == second[1] and first[1] == second[2]  # Dent/dents, Forge/Forges
    assert len(set(first) | set(second)) == 4


def test_concept_resamples_repeat_each_pair_by_the_product_of_its_concepts_draws():
    frame = pd.DataFrame({"sentence_0": ["A", "A", "B"], "sentence_1": ["B", "C", "C"]})
    for draw in concept_resamples(frame, resamples=50, seed=3):
        counts = np.bincount(draw, minlength=3)
        # with draws w_A, w_B, w_C: counts are w_A·w_B, w_A·w_C, w_B·w_C, so their product is a square
        product = int(np.prod(counts))
        assert round(product ** 0.5) ** 2 == product
    assert [d.tolist() for d in concept_resamples(frame, 5, seed=1)] == [
        d.tolist() for d in concept_resamples(frame, 5, seed=1)]


def test_clustered_errors_widen_the_concept_interval():
    """When pairs of a concept err together, resampling concepts must give a wider interval than resampling pairs."""
    rng = np.random.default_rng(0)
    concepts = [f"c{i}" for i in range(30)]
    first = rng.choice(concepts, 600)
    second = np.array([f"d{i}" for i in rng.integers(0, 600, 600)])
    concept_error = dict(zip(concepts, rng.normal(0, 1, 30), strict=True))
    errors = np.array([concept_error[c] for c in first]) + rng.normal(0, 0.2, 600)
    frame = pd.DataFrame({"sentence_0": first, "sentence_1": second})
    pair_low, pair_high = bootstrap_interval(np.mean, errors, resamples=400)
    low, high = percentile_interval(np.mean, concept_resamples(frame, 400), errors)
    assert (high - low) > 2.5 * (pair_high - pair_low)
    assert low < errors.mean() < high


def test_percentile_interval_skips_undefined_resamples():
    values = np.array([1.0, 2.0, 3.0])
    draws = [np.array([], dtype=int), np.array([0, 1]), np.array([1, 2])]
    low, high = percentile_interval(lambda x: x.mean() if x.size else np.nan, draws, values, confidence=0.5)
    assert 1.5 <= low <= high <= 2.5


def test_concept_graph_summary():
    frame = pd.DataFrame({"sentence_0": ["A", "B", "X"], "sentence_1": ["B", "C", "Y"]})
    summary = concept_graph_summary(frame)
    assert summary["concepts"] == 5 and summary["pieces"] == 2
    assert summary["largest piece share"] == pytest.approx(3 / 5)
