"""Shortcut baselines: they must score a data set built the v1 way highly, and ignore meaning."""

from __future__ import annotations

import pandas as pd

from pairsim_utils.shortcuts import domain_rule, shortcut_table, surface_features

NEIGHBOURS = [frozenset(("kitchen", "household"))]


def frame(rows):
    return pd.DataFrame(rows, columns=["sentence_0", "sentence_1", "label", "relation", "domain"])


V1_LIKE = frame([
    ("Whisk", "Egg", 1.0, "tool_for", "kitchen"), ("Oven", "Bread", 1.0, "produces", "kitchen"),
    ("Mop", "Floor", 1.0, "acts_on", "household"), ("Broom", "Dust", 1.0, "acts_on", "household"),
    ("Comet", "Orbit", 0.5, "loose", "space"), ("Star", "Nebula", 0.5, "loose", "space"),
    ("Whisk", "Comet", 0.0, "unrelated", "kitchen"), ("Mop", "Star", 0.0, "unrelated", "household"),
    ("Pool Table", "Gene Pool", 0.0, "lexical_trap", "household"), ("Egg", "Nebula", 0.0, "unrelated", "kitchen"),
])


def test_domain_rule_reads_domains_and_word_shape_only():
    scores = domain_rule(V1_LIKE, NEIGHBOURS)
    assert scores.tolist() == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_neighbouring_domains_are_not_distant():
    rows = frame([("Whisk", "Egg", 1.0, "tool_for", "kitchen"), ("Mop", "Floor", 1.0, "acts_on", "household"),
                  ("Whisk", "Mop", 0.0, "unrelated", "kitchen")])
    assert domain_rule(rows, NEIGHBOURS).tolist() == [1, 1, 1]
    assert domain_rule(rows, []).tolist() == [1, 1, 0]


def test_an_authored_pair_puts_both_phrases_in_its_domain():
    rows = frame([("Whisk", "Egg", 1.0, "tool_for", "kitchen"), ("Mop", "Floor", 1.0, "acts_on", "household"),
                  ("Whisk", "Mop", 0.0, "hard_negative", "kitchen")])
    assert domain_rule(rows, []).tolist() == [1, 1, 1]


def test_surface_features():
    features = surface_features(frame([("Tire", "Tire Iron", 1.0, "tool_for", "x"),
                                       ("Fan Belt", "Ceiling Fan", 0.0, "lexical_trap", "x")]))
    assert features.loc[0].tolist() == [1, 2, 4, 9, 1, 1]
    assert features.loc[1].tolist() == [2, 2, 8, 11, 1, 0]


def test_shortcut_table_flags_a_v1_like_split():
    table = shortcut_table({"train": V1_LIKE, "dev": V1_LIKE, "test": V1_LIKE}, NEIGHBOURS)
    assert table.loc["domain rule", "test"] > 0.85  # the rule ranks every 0.0 below every related pair
    assert list(table.columns) == ["train", "dev", "test"]
