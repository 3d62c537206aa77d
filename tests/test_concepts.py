"""Concept identity: which phrases count as one concept when the splits are made disjoint."""

from __future__ import annotations

import pytest

from pairsim_utils.concepts import concept_clashes, concept_words, same_concept, same_form


@pytest.mark.parametrize(("first", "second"), [
    # the v1 review's list of concepts that crossed the splits
    ("Damp", "Dampness"), ("Rock", "Rocks"), ("Lawn Chair", "Lawn Chairs"), ("Sticker", "Stickers"),
    ("Reed", "Reeds"), ("Taste Bud", "Taste Buds"), ("Monsoon", "Monsoon Rain"), ("Glacier", "Glacier Ice"),
    ("Ginger", "Ginger Root"), ("Cancer", "Lung Cancer"), ("Flood", "Flooding"),
    # near-duplicates the review found inside train
    ("Air Conditioner", "Air Conditioning"), ("Water Droplet", "Water Droplets"),
    ("Cup of Tea", "cup of tea"),
])
def test_same_concept(first, second):
    assert same_concept(first, second) and same_concept(second, first)


@pytest.mark.parametrize(("first", "second"), [
    ("Plant", "Planet"), ("Boxer", "Box"), ("Basket", "Basketball"), ("Heart", "Heartwood"),
    ("Collar", "Collarbone"), ("Battery", "Batter"), ("Pool Table", "Gene Pool"), ("Tea", "Team"),
])
def test_different_concepts(first, second):
    assert not same_concept(first, second)


def test_small_words_are_ignored():
    assert concept_words("Cup of Tea") == concept_words("cup tea")


def test_clashes_only_across_splits():
    home = {"rock": "train", "rocks": "test", "rock salt": "train", "glacier": "dev", "glacier ice": "dev"}
    assert concept_clashes(home) == [("rock", "rocks"), ("rock salt", "rocks")]


def test_same_form_is_stricter_than_same_concept():
    assert same_form("Air Conditioner", "Air Conditioning") and same_form("Water Droplets", "water droplet")
    assert same_concept("Lightning", "Lightning Rod") and not same_form("Lightning", "Lightning Rod")
