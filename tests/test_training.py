"""Training: device choice, arguments, run directory, reuse, resume and a 2-process DDP smoke run.

Runs here use a few dozen rows for one or two epochs: they test the machinery, never a result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file
from transformers import TrainerCallback

from pairsim_utils import runs, training
from pairsim_utils.config import CARD_NAMES, SEED_CONFIG
from pairsim_utils.devices import DeviceChoice, precision_flags, select_device
from pairsim_utils.losses import loss_function
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, REPO_ROOT
from pairsim_utils.runs import ensure_trained, fingerprint, is_finished, last_checkpoint, load_run
from pairsim_utils.training import steps_per_run, training_arguments

TINY = SEED_CONFIG.replace(num_epochs=2, logging_steps=2)
ROWS = {"train_rows": 30, "eval_rows": 12}


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    return ensure_trained(TINY, "tiny", runs_dir=runs, device="cpu", **ROWS)


def test_seed_configuration_is_1605_steps():
    assert steps_per_run(3201, SEED_CONFIG) == 1605
    assert steps_per_run(3201, SEED_CONFIG, world_size=2) == 805


def test_device_selection(monkeypatch):
    assert select_device("cpu").device == "cpu" and select_device("cpu").precision == "fp32"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert select_device("auto").device == "cpu"
    with pytest.raises(ValueError, match="'cuda' was asked for but is not available"):
        select_device("cuda")
    with pytest.raises(ValueError, match="device must be auto, cuda, mps or cpu"):
        select_device("tpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert select_device("auto") == DeviceChoice("mps", "fp32", "Apple MPS")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Test GPU")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    assert select_device("auto") == DeviceChoice("cuda", "bf16", "Test GPU")
    # a GPU that only emulates bf16 (a T4) says True unless emulation is excluded: it must get fp16
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: including_emulation)
    assert select_device("auto").precision == "fp16"
    assert select_device("cpu").device == "cpu"


# A value other than the seed configuration's for every setting the Trainer's arguments carry.
CHANGED = {"train_batch_size": 16, "eval_batch_size": 32, "num_epochs": 3, "learning_rate": 2e-5,
           "lr_scheduler": "cosine", "warmup_ratio": 0.1, "weight_decay": 0.01, "adam_beta1": 0.8,
           "adam_beta2": 0.99, "adam_epsilon": 1e-6, "max_grad_norm": 0.5, "optimizer": "adamw_torch",
           "seed": 7, "logging_steps": 25}
ARGUMENT_OF = {**CARD_NAMES, "warmup_ratio": "warmup_steps", "logging_steps": "logging_steps"}


@pytest.mark.parametrize("setting", sorted(CHANGED))
def test_every_setting_reaches_the_trainer(setting, tmp_path):
    config = SEED_CONFIG.replace(**{setting: CHANGED[setting]})
    args = training_arguments(config, tmp_path, select_device("cpu"), show_progress=False)
    seed_args = training_arguments(SEED_CONFIG, tmp_path, select_device("cpu"), show_progress=False)
    value = getattr(args, ARGUMENT_OF[setting])
    assert str(value) == str(CHANGED[setting]) or value == CHANGED[setting]
    assert getattr(seed_args, ARGUMENT_OF[setting]) != value


def test_every_card_hyperparameter_is_a_setting():
    assert set(CARD_NAMES) | {"logging_steps"} == set(CHANGED)


def test_cpu_training_keeps_full_precision_and_quiet_output(tmp_path):
    quiet = training_arguments(SEED_CONFIG, tmp_path, select_device("cpu"), show_progress=False)
    assert quiet.disable_tqdm and not quiet.bf16 and not quiet.fp16
    assert not training_arguments(SEED_CONFIG, tmp_path, select_device("cpu"), show_progress=True).disable_tqdm
    assert precision_flags(DeviceChoice("cuda", "bf16", "x")) == {"bf16": True, "fp16": False}
    assert precision_flags(DeviceChoice("cuda", "fp16", "x")) == {"bf16": False, "fp16": True}


def test_fingerprint_changes_with_config_data_and_rows(tmp_path):
    base = fingerprint(SEED_CONFIG, CONCEPT_PAIRS_DIR)
    assert base == fingerprint(SEED_CONFIG, CONCEPT_PAIRS_DIR)
    assert base["fingerprint"] != fingerprint(SEED_CONFIG.replace(seed=1), CONCEPT_PAIRS_DIR)["fingerprint"]
    assert base["fingerprint"] != fingerprint(SEED_CONFIG, CONCEPT_PAIRS_DIR, train_rows=5)["fingerprint"]
    for name in ("train.csv", "dev.csv", "test.csv"):
        (tmp_path / name).write_bytes((CONCEPT_PAIRS_DIR / name).read_bytes())
    assert fingerprint(SEED_CONFIG, tmp_path)["fingerprint"] == base["fingerprint"]
    extra_row = b"Ice,Steam,1.0,becomes,weather\n"
    (tmp_path / "dev.csv").write_bytes((CONCEPT_PAIRS_DIR / "dev.csv").read_bytes() + extra_row)
    assert fingerprint(SEED_CONFIG, tmp_path)["fingerprint"] != base["fingerprint"]


def test_run_directory_contents(finished_run):
    run = load_run(finished_run)
    assert run.config == TINY
    assert (finished_run / "model" / "model.safetensors").is_file()
    card = run.model_card()
    assert "base_model: sentence-transformers/all-MiniLM-L6-v2" in card and "CosineSimilarityLoss" in card
    losses = [entry for entry in run.log_history if "loss" in entry]
    assert [entry["step"] for entry in losses] == [2, 4, 6]
    evals = [entry for entry in run.log_history if "eval_loss" in entry]
    assert len(evals) == 2 and all("eval_dev_spearman_cosine" in entry for entry in evals)
    assert set(run.metrics) == {"base", "fine_tuned"}
    for model in run.metrics.values():
        assert set(model) == {"dev", "test"} and set(model["test"]) == {"spearman", "pearson", "mse"}
    assert run.environment["steps"] == 6 and run.environment["device"] == "cpu"
    assert {"torch", "transformers", "sentence_transformers", "wall_seconds", "torch_threads"} <= set(run.environment)
    assert json.loads((finished_run / "fingerprint.json").read_text())["train_rows"] == 30
    encoded = run.load_model().encode(["Ice"])
    assert encoded.shape == (1, 384)


def test_finished_run_is_reused_and_force_retrains(finished_run, monkeypatch, tmp_path):
    copy = shutil.copytree(finished_run, tmp_path / "tiny")
    monkeypatch.setattr(training, "train", lambda *a, **k: pytest.fail("should have reused the run"))
    assert ensure_trained(TINY, "tiny", runs_dir=tmp_path, device="cpu", **ROWS) == copy
    calls = []
    monkeypatch.setattr(training, "train", lambda config, run_dir, *a, **k: calls.append(config) or run_dir)
    ensure_trained(TINY, "tiny", runs_dir=tmp_path, device="cpu", force=True, **ROWS)
    assert calls == [TINY] and not copy.exists()  # force starts from a clean directory…
    assert load_run(tmp_path / "tiny.previous-1").config == TINY  # …and keeps the finished run beside it


def test_a_finished_run_with_other_settings_is_moved_aside_never_deleted(finished_run, monkeypatch, tmp_path):
    shutil.copytree(finished_run, tmp_path / "tiny")
    shutil.copytree(finished_run, tmp_path / "tiny.previous-1")  # an earlier one is kept too
    calls = []
    monkeypatch.setattr(training, "train", lambda config, run_dir, *a, **k: calls.append(config) or run_dir)
    other = TINY.replace(seed=7)
    ensure_trained(other, "tiny", runs_dir=tmp_path, device="cpu", **ROWS)
    assert calls == [other] and not (tmp_path / "tiny").exists()
    assert load_run(tmp_path / "tiny.previous-2").config == TINY


@pytest.mark.parametrize("name", ["data", "cache", "", "../seed", "a/b", ".hidden"])
def test_run_names_that_are_not_plain_run_folders_are_refused(name, tmp_path):
    with pytest.raises(ValueError, match="is not allowed"):
        ensure_trained(TINY, name, runs_dir=tmp_path, device="cpu", **ROWS)


def test_reading_notebooks_use_a_finished_run_whatever_its_settings(finished_run, monkeypatch, tmp_path):
    from pairsim_utils.runs import ensure_run

    copy = shutil.copytree(finished_run, tmp_path / "tiny")
    monkeypatch.setattr(training, "train", lambda *a, **k: pytest.fail("must not retrain a finished run"))
    assert ensure_run("tiny", CONCEPT_PAIRS_DIR, runs_dir=tmp_path) == copy  # TINY, not the seed configuration
    other = tmp_path / "other-data"
    other.mkdir()
    for split in ("train", "dev", "test"):
        (other / f"{split}.csv").write_text("sentence_0,sentence_1,label\nIce,Salt,1.0\n")
    with pytest.raises(ValueError, match="tiny/ was trained on other data"):
        ensure_run("tiny", other, runs_dir=tmp_path)
    calls = []
    monkeypatch.setattr(runs, "ensure_trained", lambda config, name, *a, **k: calls.append((config, name)))
    ensure_run("missing", CONCEPT_PAIRS_DIR, runs_dir=tmp_path)
    assert calls == [(SEED_CONFIG, "missing")]


def test_different_configuration_retrains(tmp_path, monkeypatch):
    run_dir = tmp_path / "x"
    run_dir.mkdir()
    (run_dir / "fingerprint.json").write_text(json.dumps({"fingerprint": "old"}))
    (run_dir / "metrics.json").write_text("{}")
    (run_dir / "model").mkdir()
    assert not is_finished(run_dir, fingerprint(TINY, CONCEPT_PAIRS_DIR))
    monkeypatch.setattr(training, "train", lambda config, run_dir, *a, **k: run_dir)
    ensure_trained(TINY, "x", runs_dir=tmp_path)
    assert not (run_dir / "metrics.json").exists()


class StopAfterFirstEpoch(TrainerCallback):
    """Simulates an interruption right after the first epoch's checkpoint."""

    def on_save(self, args, state, control, **kwargs):
        control.should_training_stop = True
        raise KeyboardInterrupt


def test_interrupted_run_resumes_to_the_same_result(finished_run, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        ensure_trained(TINY, "resumed", runs_dir=tmp_path, device="cpu", callbacks=[StopAfterFirstEpoch()], **ROWS)
    interrupted = tmp_path / "resumed"
    assert last_checkpoint(interrupted).name == "checkpoint-3" and not (interrupted / "metrics.json").exists()
    ensure_trained(TINY, "resumed", runs_dir=tmp_path, device="cpu", **ROWS)
    resumed, straight = load_run(interrupted), load_run(finished_run)
    assert resumed.environment["resumed_from"] == "checkpoint-3"
    losses = lambda run: [(e["step"], round(e["loss"], 6)) for e in run.log_history if "loss" in e]  # noqa: E731
    assert losses(resumed)[-1] == losses(straight)[-1]
    first = load_file(interrupted / "model" / "model.safetensors")
    second = load_file(finished_run / "model" / "model.safetensors")
    assert first.keys() == second.keys()
    assert all(torch.allclose(first[k], second[k], atol=1e-6) for k in first)


def test_load_run_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"is not a finished run .*03_fine_tuning\.ipynb"):
        load_run(tmp_path)


def test_bad_loss_function_is_rejected():
    with pytest.raises(ValueError, match=r"must be a torch\.nn loss"):
        loss_function("os.system")


@pytest.mark.slow
def test_two_process_ddp_smoke_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29517",
               "-m", "pairsim_utils.training", "--runs-dir", str(tmp_path), "--run-name", "ddp",
               "--device", "cpu", "--epochs", "1", "--train-rows", "40", "--eval-rows", "10"]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    run = load_run(tmp_path / "ddp")
    assert run.environment["world_size"] == 2
    assert run.environment["steps"] == 2  # 40 rows / (10 per device x 2 processes)
    assert result.stdout.count("Training on cpu") == 1  # only the main process talks


def test_describe_run_dir_summarises_checkpoints(finished_run):
    from pairsim_utils.runs import describe_run_dir

    listing = describe_run_dir(finished_run)
    paths = listing.index.tolist()
    assert "metrics.json" in paths and "model/model.safetensors" in paths
    assert any(p.startswith("checkpoints/checkpoint-6/") for p in paths)
    assert not any("optimizer.pt" in p for p in paths)
    assert listing.loc["model/model.safetensors", "size (MB)"] > 80
    (finished_run / "analysis").mkdir(exist_ok=True)
    (finished_run / "analysis" / "headline.csv").write_text("x\n")
    assert describe_run_dir(finished_run).index.tolist() == paths


def test_widget_examples_take_concepts_with_enough_partners():
    import pandas as pd

    frame = pd.DataFrame({"sentence_0": ["Rust", "Rust", "Oil", "Ice", "Rust"],
                          "sentence_1": ["Oil", "Wire Brush", "Oil Can", "Steam", "Sandpaper"]})
    assert training.widget_examples(frame, candidates=3) == [
        {"source_sentence": "Rust", "sentences": ["Oil", "Wire Brush", "Sandpaper"]}]
    second = training.widget_examples(frame, candidates=2)[1]
    assert second == {"source_sentence": "Oil", "sentences": ["Rust", "Oil Can"]}


def test_command_line_sets_every_training_setting(tmp_path):
    from dataclasses import fields

    from pairsim_utils.config import TrainingConfig
    from pairsim_utils.training import parse_command_line

    config, options = parse_command_line(["--run-name", "two", "--epochs", "2", "--learning_rate", "3e-5",
                                          "--device", "cpu", "--force"])
    assert (config.num_epochs, config.learning_rate, options.run_name, options.force) == (2, 3e-5, "two", True)
    changed = {"max_seq_length": 128, "warmup_ratio": 0.25, "weight_decay": 0.01, "loss": "CoSENTLoss",
               "optimizer": "adamw_torch", "logging_steps": 5}
    flags = [part for name, value in changed.items() for part in (f"--{name}", str(value))]
    assert parse_command_line(flags)[0] == SEED_CONFIG.replace(**changed)
    assert {f"--{f.name}" for f in fields(TrainingConfig)} <= parse_usage()
    from pairsim_utils.config import ConfigError

    with pytest.raises(ConfigError, match="num_epochs: must be at least 1"):
        parse_command_line(["--epochs", "0"])
    saved = SEED_CONFIG.replace(num_epochs=3, seed=9).save(tmp_path / "mine.yaml")
    from_file, _ = parse_command_line(["--config", str(saved), "--seed", "1"])
    assert (from_file.num_epochs, from_file.seed) == (3, 1)  # the file, then the flags


def parse_usage() -> set[str]:
    """Every long option the training command line accepts."""
    from transformers import HfArgumentParser

    from pairsim_utils.config import TrainingConfig
    from pairsim_utils.training import RunOptions

    parser = HfArgumentParser((TrainingConfig, RunOptions))
    return {option for action in parser._actions for option in action.option_strings}
