"""The training recipes beyond the card's: losses by name, LoRA adapters, replay of general pairs, new settings."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

from pairsim_utils.adapters import add_lora, merge_lora, trainable_share
from pairsim_utils.config import SEED_CONFIG, ConfigError
from pairsim_utils.losses import build_loss, dev_loss_function
from pairsim_utils.paths import CONCEPT_PAIRS_DIR
from pairsim_utils.replay import load_general_pairs, with_replay
from pairsim_utils.runs import fingerprint


@pytest.mark.parametrize("name", ["CosineSimilarityLoss", "CoSENTLoss", "AnglELoss"])
def test_the_configured_loss_is_built(base_model, name):
    loss = build_loss(base_model, SEED_CONFIG.replace(loss=name))
    assert type(loss).__name__ == name


def test_only_the_cosine_loss_reports_a_dev_loss():
    assert isinstance(dev_loss_function(SEED_CONFIG), torch.nn.MSELoss)
    assert dev_loss_function(SEED_CONFIG.replace(loss="CoSENTLoss")) is None


@pytest.mark.parametrize("changes, message", [({"loss": "TripletLoss"}, "loss: must be one of"),
                                              ({"lora_rank": 0}, "lora_rank: must be at least 1"),
                                              ({"replay_ratio": 1.5}, r"replay_ratio: must be in \[0, 1\]")])
def test_bad_recipe_settings_are_refused(changes, message):
    with pytest.raises(ConfigError, match=message):
        SEED_CONFIG.replace(**changes)


def test_new_settings_leave_old_fingerprints_alone_until_used():
    plain = fingerprint(SEED_CONFIG, CONCEPT_PAIRS_DIR)
    assert "lora_rank" not in plain["config"] and "replay_ratio" not in plain["config"]
    replay = fingerprint(SEED_CONFIG.replace(replay_ratio=0.5), CONCEPT_PAIRS_DIR)
    assert replay["config"]["replay_ratio"] == 0.5
    assert "general_pairs.csv" in replay["data"] and "general_pairs.csv" not in plain["data"]
    assert replay["fingerprint"] != plain["fingerprint"]


def test_lora_trains_a_small_share_and_merges_back_to_the_base_shape(base_model):
    import copy

    model = copy.deepcopy(base_model)
    add_lora(model, rank=8)
    assert 0 < trainable_share(model) < 0.02
    merge_lora(model)
    merged, base = model.state_dict(), base_model.state_dict()
    assert merged.keys() == base.keys()
    # B starts at zero: before any training, the merged model is the base model exactly.
    assert all(torch.equal(merged[name], base[name]) for name in base)


def test_replay_appends_the_head_of_the_general_pairs():
    train = pd.DataFrame({"sentence_0": ["A"] * 8, "sentence_1": ["B"] * 8, "label": [1.0] * 8})
    general = load_general_pairs()
    mixed = with_replay(train, 0.25, general)
    assert len(mixed) == 10 and list(mixed["source"]) == ["ours"] * 8 + ["general"] * 2
    assert mixed.tail(2)["sentence_0"].tolist() == general["sentence_0"].head(2).tolist()
    with pytest.raises(ValueError, match="asks for"):
        with_replay(pd.concat([train] * 1000), 1.0, general)
