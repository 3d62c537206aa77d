from __future__ import annotations

import pandas as pd
import pytest

from pairsim_utils.data import word_overlap
from pairsim_utils.seed_card import load_seed_card
from pairsim_utils.statistics import (
    card_comparison,
    domain_grade_table,
    label_distribution,
    most_connected,
    overlap_by_label,
    overlap_by_relation,
    phrase_lengths,
    relation_table,
    shared_concepts,
    shared_phrases,
    shared_word_shapes,
    sharing_shape,
)


@pytest.fixture
def splits():
    train = pd.DataFrame({
        "sentence_0": ["Wood", "Airport", "Pool Table", "Wood", "Rust"],
        "sentence_1": ["Sandpaper", "Suitcase", "Gene Pool", "Varnish", "Opera House"],
        "label": [1.0, 0.5, 0.0, 1.0, 0.0],
        "relation": ["tool_for", "loose", "lexical_trap", "acts_on", "unrelated"],
        "domain": ["workshop", "transport", "sports", "workshop", "workshop"],
    })
    dev = pd.DataFrame({"sentence_0": ["Ice"], "sentence_1": ["Steam"], "label": [1.0],
                        "relation": ["becomes"], "domain": ["weather"]})
    return {"train": train, "dev": dev}


def test_label_distribution(splits):
    table = label_distribution(splits)
    assert table.loc["1.0 interaction", "train"] == 2 and table.loc["0.0 unrelated", "train"] == 2
    assert table.loc["1.0 interaction", "dev share"] == 1.0 and table.loc["0.5 association", "dev"] == 0


def test_relation_table(splits):
    table = relation_table(splits)
    assert table.loc["becomes", "dev"] == 1 and table.loc["becomes", "train"] == 0
    assert table.loc["loose", "label"] == 0.5
    assert table["label"].is_monotonic_decreasing


def test_domain_grade_table(splits):
    table = domain_grade_table(splits["train"])
    assert table.loc["workshop", "total"] == 3 and table.loc["workshop", "1.0 interaction"] == 2
    assert table.index[0] == "workshop"


def test_overlap_tables(splits):
    by_relation = overlap_by_relation(splits["train"])
    assert by_relation.loc["lexical_trap", "share_with_common_word"] == 1.0
    assert by_relation.loc["lexical_trap", "mean_overlap"] == pytest.approx(round(1 / 3, 3))
    assert by_relation.loc["tool_for", "share_with_common_word"] == 0.0
    by_label = overlap_by_label(splits["train"])
    assert by_label.loc["0.0 unrelated", "share_with_common_word"] == 0.5


def test_most_connected(splits):
    top = most_connected(splits["train"], top=2)
    assert top.index[0] == "Wood" and top.loc["Wood", "pairs"] == 2


def test_shared_phrases_diagonal_and_overlap(splits):
    table = shared_phrases(splits)
    assert table.loc["train", "dev"] == 0 and table.loc["dev", "dev"] == 2
    leaky = {**splits, "dev": splits["dev"].assign(sentence_0=["wood"])}
    assert shared_phrases(leaky).loc["train", "dev"] == 1


def test_lengths_and_card_comparison(splits, base_model):
    lengths = phrase_lengths(splits, base_model.tokenizer)
    assert len(lengths) == 2 * (5 + 1)
    row = lengths[(lengths["phrase"] == "Pool Table")].iloc[0]
    assert (row["words"], row["tokens"]) == (2, 4)
    comparison = card_comparison(splits["train"], load_seed_card().data_statistics, base_model.tokenizer)
    assert comparison.loc["sentence_0", ("mean", "seed card")] == 3.37
    assert comparison.loc["label", ("mean", "ours")] == pytest.approx(0.5)
    assert list(comparison.columns.get_level_values(0)) == ["min", "min", "mean", "mean", "max", "max"]


def test_label_grade_keeps_our_grades_and_bins_continuous_ratings():
    from pairsim_utils.statistics import RATING_BINS, label_grade

    graded = label_grade(pd.Series([1.0, 0.5, 0.0]))
    assert graded.tolist() == [1.0, 0.5, 0.0] and graded.dtype == float
    rated = label_grade(pd.Series([0.0, 0.25, 0.26, 0.74, 1.0]))
    assert rated.tolist() == [RATING_BINS[0], RATING_BINS[0], RATING_BINS[1], RATING_BINS[2], RATING_BINS[3]]


def test_tables_work_on_continuous_ratings_without_metadata():
    rated = pd.DataFrame({"sentence_0": ["sun", "cat", "car", "tea"], "sentence_1": ["moon", "dog", "road", "cup"],
                          "label": [0.9, 0.8, 0.55, 0.1]})
    distribution = label_distribution({"train": rated})
    assert distribution.loc["0.75 to 1", "train"] == 2 and distribution["train"].sum() == 4
    assert overlap_by_label(rated)["pairs"].sum() == 4
    assert most_connected(rated)["pairs"].sum() == 8


@pytest.mark.parametrize(("first", "second", "shape"), [
    ("Tire", "Tire Iron", "one contains the other"), ("Pool Table", "Gene Pool", "two words + two words"),
    ("Fan Belt", "Ceiling Fan Motor", "other shape"), ("Spring", "Spring Roll", "one contains the other"),
    ("Wood", "Sandpaper", "no shared word"),
    ("Flip-Flop", "Flop", "other shape"),  # hyphens split words, as in data.word_overlap
])
def test_sharing_shape(first, second, shape):
    assert sharing_shape(first, second) == shape
    assert (shape == "no shared word") == (word_overlap(first, second) == 0)


def test_shared_word_shapes_counts_grades_per_shape():
    frame = pd.DataFrame({"sentence_0": ["Tire", "Spring", "Pool Table", "Wood"],
                          "sentence_1": ["Tire Iron", "Spring Roll", "Gene Pool", "Sandpaper"],
                          "label": [1.0, 0.0, 0.0, 1.0]})
    table = shared_word_shapes(frame)
    assert table.loc["one contains the other", "related share"] == 0.5
    assert table.loc["two words + two words", "0.0 unrelated"] == 1
    assert "no shared word" not in table.index


def test_shared_concepts_sees_what_exact_strings_miss():
    frame = lambda a, b: pd.DataFrame({"sentence_0": [a], "sentence_1": [b], "label": [1.0]})  # noqa: E731
    splits = {"train": frame("Glacier", "Valley"), "test": frame("Glacier Ice", "Meltwater")}
    assert shared_phrases(splits).loc["train", "test"] == 0
    assert shared_concepts(splits).loc["train", "test"] == 1
