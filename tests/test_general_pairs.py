"""Replay pairs in data/general_pairs/: apart from our data and the benchmarks, labelled by the base model."""

from __future__ import annotations

import numpy as np
import pytest

from pairsim_utils.authoring.general_pairs import PAIRS, draw_pairs, excluded_words
from pairsim_utils.data import pair_key, words
from pairsim_utils.replay import load_general_pairs


def test_the_draw_alternates_kinds_without_self_or_repeated_pairs():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(40, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = draw_pairs([f"w{i}" for i in range(40)], vectors, count=60, seed=1)
    assert list(pairs["kind"].head(4)) == ["neighbour", "random", "neighbour", "random"]
    assert not (pairs["sentence_0"] == pairs["sentence_1"]).any()
    assert len({pair_key(a, b) for a, b in zip(pairs["sentence_0"], pairs["sentence_1"], strict=True)}) == 60
    assert pairs.equals(draw_pairs([f"w{i}" for i in range(40)], vectors, count=60, seed=1))
    assert pairs["label"].between(0, 1).all()


def test_no_general_word_appears_in_our_data_or_a_benchmark():
    general = load_general_pairs()
    assert len(general) == PAIRS
    used = {word for column in ("sentence_0", "sentence_1") for phrase in general[column] for word in words(phrase)}
    assert not used & excluded_words()


@pytest.mark.slow
def test_labels_are_the_base_models_cosines(base_model):
    general = load_general_pairs()
    first, second = (base_model.encode(general[column].tolist(), batch_size=64, normalize_embeddings=True)
                     for column in ("sentence_0", "sentence_1"))
    cosine = np.clip(np.sum(first * second, axis=1), 0, None)
    # Stored to 4 decimals; 1e-4 also covers float differences between machines.
    assert np.abs(cosine - general["label"].to_numpy()).max() <= 1e-4
