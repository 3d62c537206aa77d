from __future__ import annotations

import json
import re

import pytest

from pairsim_utils.config import SEED_CONFIG, ConfigError, TrainingConfig
from pairsim_utils.seed_card import load_seed_card


def test_defaults_are_the_seed_cards_hyperparameters():
    card = load_seed_card().hyperparameters
    assert float(card["learning_rate"]) == SEED_CONFIG.learning_rate
    assert int(card["per_device_train_batch_size"]) == SEED_CONFIG.train_batch_size
    assert int(card["per_device_eval_batch_size"]) == SEED_CONFIG.eval_batch_size
    assert int(card["num_train_epochs"]) == SEED_CONFIG.num_epochs
    assert card["lr_scheduler_type"] == SEED_CONFIG.lr_scheduler
    assert float(card["warmup_ratio"]) == SEED_CONFIG.warmup_ratio
    assert int(card["seed"]) == SEED_CONFIG.seed
    assert float(card["weight_decay"]) == SEED_CONFIG.weight_decay
    assert float(card["max_grad_norm"]) == SEED_CONFIG.max_grad_norm
    assert float(card["adam_epsilon"]) == SEED_CONFIG.adam_epsilon
    assert card["optim"].startswith("adamw_torch") and SEED_CONFIG.optimizer.startswith("adamw_torch")
    assert SEED_CONFIG.base_model == "sentence-transformers/all-MiniLM-L6-v2"
    assert SEED_CONFIG.max_seq_length == 256
    assert SEED_CONFIG.loss == "CosineSimilarityLoss"
    assert SEED_CONFIG.loss_fct.endswith("MSELoss")
    assert SEED_CONFIG.loss_fct in load_seed_card().loss_parameters


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_save_and_load_round_trip(tmp_path, suffix):
    config = SEED_CONFIG.replace(num_epochs=2, learning_rate=1e-4)
    path = config.save(tmp_path / f"config{suffix}")
    assert TrainingConfig.load(path) == config
    assert TrainingConfig.load(path) != SEED_CONFIG


def test_missing_settings_keep_seed_values(tmp_path):
    path = tmp_path / "partial.yaml"
    path.write_text("num_epochs: 1\n", encoding="utf-8")
    assert TrainingConfig.load(path) == SEED_CONFIG.replace(num_epochs=1)


def test_unknown_key_is_rejected_with_file_and_valid_keys(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({"learning_rte": 1e-4}), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        TrainingConfig.load(path)
    message = str(error.value)
    assert "typo.json" in message and "'learning_rte'" in message and "learning_rate" in message


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"num_epochs": "five"}, "num_epochs: expected int"),
    ({"train_batch_size": 0}, "train_batch_size: must be at least 1"),
    ({"learning_rate": -1.0}, "learning_rate: must be positive"),
    ({"warmup_ratio": 1.5}, "warmup_ratio: must be in"),
    ({"seed": True}, "seed: expected int"),
])
def test_bad_values_are_rejected(changes, fragment):
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        SEED_CONFIG.replace(**changes)


def test_int_given_for_float_is_accepted():
    assert SEED_CONFIG.replace(max_grad_norm=2).max_grad_norm == 2.0


def test_bad_file_names_and_contents(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        TrainingConfig.load(tmp_path / "absent.json")
    with pytest.raises(ConfigError, match=r"\.json, \.yaml or \.yml"):
        SEED_CONFIG.save(tmp_path / "config.txt")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.json: not valid JSON"):
        TrainingConfig.load(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        TrainingConfig.load(listed)


def test_to_frame_lists_every_setting():
    frame = SEED_CONFIG.to_frame()
    assert list(frame.index) == list(SEED_CONFIG.to_dict())
    assert frame.loc["learning_rate", "value"] == "5e-05"


def test_compare_with_card_flags_only_the_optimizer():
    from pairsim_utils.config import compare_with_card

    table = compare_with_card(SEED_CONFIG, load_seed_card().hyperparameters)
    assert table.loc[~table["same"]].index.tolist() == ["optimizer"]
    assert table.loc["learning_rate", "card"] == "5e-05" and table.loc["learning_rate", "same"]
    assert not compare_with_card(SEED_CONFIG.replace(num_epochs=3), load_seed_card().hyperparameters).loc[
        "num_epochs", "same"]
    assert table.loc["precision", ["ours", "card", "same"]].tolist() == ["fp32", "fp32", True]  # the card: fp32


def test_mixed_precision_on_a_gpu_differs_from_the_card():
    from pairsim_utils.config import compare_with_card

    table = compare_with_card(SEED_CONFIG, load_seed_card().hyperparameters, precision="bf16")
    assert table.loc[~table["same"]].index.tolist() == ["optimizer", "precision"]
    assert compare_with_card(SEED_CONFIG, {"bf16": "True"}, precision="bf16").loc["precision", "same"]


def test_settings_are_checked_against_any_annotation():
    from pairsim_utils.config import ConfigError, checked_value

    assert checked_value("rows", None, int | None) is None
    assert checked_value("rows", 3, int | None) == 3
    assert checked_value("rate", 1, float | None) == 1.0 and isinstance(checked_value("rate", 1, float), float)
    assert checked_value("flag", True, bool) is True
    for value, annotation in ((True, int | None), ("3", int), (None, float), (2.5, int)):
        with pytest.raises(ConfigError, match="expected"):
            checked_value("x", value, annotation)
