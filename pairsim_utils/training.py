"""Fine-tuning with sentence-transformers' Trainer, into a reusable run directory.

A run lives in ``runs/<run-name>/``::

    model/              the fine-tuned model (safetensors) and its generated model card (README.md)
    checkpoints/        one checkpoint per epoch, for resuming an interrupted run
    config.json         the TrainingConfig used
    fingerprint.json    what the run was trained from: config, data files, row limits
    log_history.json    the Trainer's log: training loss every 10 steps, dev metrics every epoch
    metrics.json        dev and test metrics of the base and the fine-tuned model (written last)
    environment.json    versions, device, precision, threads, wall time

:func:`ensure_trained` reuses a finished run with the same fingerprint, resumes an unfinished one
and trains otherwise. ``python -m pairsim_utils.training`` does the same from a shell, and runs
unchanged under ``torchrun --nproc_per_node=N`` or ``accelerate launch`` for data parallelism.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from pairsim_utils.config import SEED_CONFIG, TrainingConfig
from pairsim_utils.data import load_splits, sha256_of, split_paths
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, RUNS_DIR, relative_to_repo, repo_path

# Seconds per training step of the seed configuration, measured on this project's machines
# (see benchmarks/README.md); only used to tell the person waiting what to expect.
SECONDS_PER_STEP = {"cpu": 0.18, "cuda": 0.02, "mps": 0.05}
RUN_FILES = ("config.json", "fingerprint.json", "log_history.json", "metrics.json", "environment.json")


@dataclass(frozen=True)
class DeviceChoice:
    """Where training runs and in which precision.

    Attributes:
        device: ``"cuda"``, ``"mps"`` or ``"cpu"``.
        precision: ``"bf16"``, ``"fp16"`` (mixed precision on CUDA) or ``"fp32"``.
        name: Human-readable description (GPU model or thread count).
    """

    device: str
    precision: str
    name: str


def select_device(preference: str = "auto") -> DeviceChoice:
    """Pick the device: CUDA (bf16 where supported, else fp16) → Apple MPS → CPU.

    Args:
        preference: ``"auto"``, or ``"cuda"``, ``"mps"``, ``"cpu"`` to force one.

    Returns:
        The choice.

    Raises:
        ValueError: For an unknown or unavailable device.
    """
    available = {"cuda": torch.cuda.is_available(),
                 "mps": bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available(),
                 "cpu": True}
    if preference not in ("auto", *available):
        raise ValueError(f"device must be auto, cuda, mps or cpu, not {preference!r}")
    device = next(d for d in available if available[d]) if preference == "auto" else preference
    if not available[device]:
        raise ValueError(f"device {device!r} was asked for but is not available here")
    if device == "cuda":
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return DeviceChoice("cuda", precision, torch.cuda.get_device_name(0))
    if device == "mps":
        return DeviceChoice("mps", "fp32", "Apple MPS")
    return DeviceChoice("cpu", "fp32", f"CPU, {torch.get_num_threads()} threads")


def steps_per_run(train_rows: int, config: TrainingConfig, world_size: int = 1) -> int:
    """Returns:
    Optimizer steps of a run: batches per epoch (last one partial) times epochs.
    """
    per_step = config.train_batch_size * world_size
    return -(-train_rows // per_step) * config.num_epochs


def fingerprint(config: TrainingConfig, data_dir: Path, train_rows: int | None = None,
                eval_rows: int | None = None) -> dict[str, Any]:
    """Describe what a run is trained from, so that a finished run can be recognised.

    Args:
        config: The training configuration.
        data_dir: Folder with train/dev/test CSVs.
        train_rows: Row limit on train (unit tests only), or ``None``.
        eval_rows: Row limit on dev and test, or ``None``.

    Returns:
        ``{"config": …, "data": {file: sha256}, "train_rows": …, "eval_rows": …, "fingerprint": hex}``.
    """
    parts = {"config": config.to_dict(),
             "data": {path.name: sha256_of(path) for path in split_paths(data_dir).values()},
             "train_rows": train_rows, "eval_rows": eval_rows}
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return {**parts, "fingerprint": digest}


def training_arguments(config: TrainingConfig, output_dir: Path, choice: DeviceChoice, show_progress: bool):
    """Translate the configuration into the Trainer's arguments.

    Returns:
        ``SentenceTransformerTrainingArguments``: every hyperparameter from ``config``; loss logged
        every ``config.logging_steps``; dev evaluation and a checkpoint every epoch.
    """
    from sentence_transformers import SentenceTransformerTrainingArguments

    return SentenceTransformerTrainingArguments(
        output_dir=str(output_dir), seed=config.seed, num_train_epochs=config.num_epochs,
        per_device_train_batch_size=config.train_batch_size,
        per_device_eval_batch_size=config.eval_batch_size, learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler, warmup_steps=config.warmup_ratio,  # a float below 1 is a ratio
        weight_decay=config.weight_decay, adam_beta1=config.adam_beta1, adam_beta2=config.adam_beta2,
        adam_epsilon=config.adam_epsilon, max_grad_norm=config.max_grad_norm, optim=config.optimizer,
        logging_steps=config.logging_steps, logging_first_step=False, eval_strategy="epoch",
        save_strategy="epoch", save_total_limit=1, report_to="none", disable_tqdm=not show_progress,
        use_cpu=choice.device == "cpu", dataloader_drop_last=False,
        # BERT's pooler is not on the mean-pooling path and never gets a gradient (notebook 2):
        # data-parallel training must be told, or it waits for that gradient forever.
        ddp_find_unused_parameters=True,
        **precision_flags(choice),
    )


def precision_flags(choice: DeviceChoice) -> dict[str, bool]:
    """Returns:
    The Trainer's mixed-precision switches for a device choice (autocast; weights stay fp32).
    """
    return {"bf16": choice.precision == "bf16", "fp16": choice.precision == "fp16"}


def _dataset(frame: pd.DataFrame):
    from datasets import Dataset

    return Dataset.from_pandas(frame[["sentence_0", "sentence_1", "label"]], preserve_index=False)


def _limit(frame: pd.DataFrame, rows: int | None) -> pd.DataFrame:
    return frame if rows is None else frame.head(rows).reset_index(drop=True)


def evaluate_splits(model, splits: dict[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    """Spearman, Pearson (cosine) and MSE against the labels, per split, encoding each phrase once.

    Returns:
        ``{split: {"spearman": …, "pearson": …, "mse": …}}``.
    """
    from pairsim_utils.evaluation import regression_metrics

    results = {}
    for name, frame in splits.items():
        first, second = (model.encode(frame[column].tolist(), normalize_embeddings=True, show_progress_bar=False)
                         for column in ("sentence_0", "sentence_1"))
        results[name] = regression_metrics(frame["label"].to_numpy(), (first * second).sum(axis=1))
    return results


def environment_record(choice: DeviceChoice, wall_seconds: float, steps: int, world_size: int) -> dict[str, Any]:
    """Returns:
    Versions, device, precision, threads and timing of a run, for ``environment.json``.
    """
    import datasets
    import sentence_transformers
    import transformers

    return {"python": platform.python_version(), "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__, "datasets": datasets.__version__,
            "platform": platform.platform(terse=True), "device": choice.device, "device_name": choice.name,
            "precision": choice.precision, "torch_threads": torch.get_num_threads(), "world_size": world_size,
            "steps": steps, "wall_seconds": round(wall_seconds, 1),
            "seconds_per_step": round(wall_seconds / max(steps, 1), 4)}


def _write_json(path: Path, data: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def last_checkpoint(run_dir: Path) -> Path | None:
    """Returns:
    The newest ``checkpoints/checkpoint-N`` folder of a run, or ``None``.
    """
    checkpoints = sorted((run_dir / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return checkpoints[-1] if checkpoints else None


def build_trainer(model, config: TrainingConfig, splits: dict[str, pd.DataFrame], run_dir: Path,
                  choice: DeviceChoice, show_progress: bool, callbacks: list | None = None):
    """Assemble the Trainer: CosineSimilarityLoss, dev loss and dev Spearman/Pearson each epoch.

    Returns:
        A ``SentenceTransformerTrainer`` ready to ``train()``.
    """
    from sentence_transformers import SentenceTransformerTrainer
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss
    from transformers import PrinterCallback

    from pairsim_utils.evaluation import similarity_evaluator

    loss = CosineSimilarityLoss(model, loss_fct=_loss_function(config.loss_fct))
    trainer = SentenceTransformerTrainer(
        model=model, args=training_arguments(config, run_dir / "checkpoints", choice, show_progress),
        train_dataset=_dataset(splits["train"]), eval_dataset=_dataset(splits["dev"]), loss=loss,
        evaluator=similarity_evaluator(splits["dev"], "dev", batch_size=config.eval_batch_size),
        callbacks=callbacks)
    if not show_progress:
        trainer.remove_callback(PrinterCallback)
    return trainer


def _loss_function(name: str) -> torch.nn.Module:
    module_name, _, class_name = name.rpartition(".")
    if module_name not in ("torch.nn", "torch.nn.modules.loss"):
        raise ValueError(f"loss_fct must be a torch.nn loss, not {name!r}")
    return getattr(torch.nn, class_name)()


def widget_examples(frame: pd.DataFrame, sources: int = 5, candidates: int = 3) -> list[dict[str, Any]]:
    """Pick the model card's widget like the seed card's: a concept and a few of its partners.

    Choosing them here (the first concepts of ``frame`` with enough partners) keeps the card
    deterministic and spares the library's own random pick, which draws a progress bar.

    Returns:
        ``[{"source_sentence": …, "sentences": [...]}, …]``.
    """
    partners: dict[str, list[str]] = {}
    for first, second in zip(frame["sentence_0"], frame["sentence_1"], strict=True):
        partners.setdefault(first, []).append(second)
        partners.setdefault(second, []).append(first)
    chosen = [source for source, others in partners.items() if len(others) >= candidates][:sources]
    return [{"source_sentence": source, "sentences": partners[source][:candidates]} for source in chosen]


def _label_model_card(model, config: TrainingConfig, widget_source: pd.DataFrame) -> None:
    card = model.model_card_data
    card.widget = widget_examples(widget_source)
    card.local_files_only = True  # the hub is never asked; the base model is named by hand
    card.base_model = config.base_model
    card.language = ["en"]
    card.model_name = f"{config.base_model.split('/')[-1]} fine-tuned on pairsim concept pairs"
    card.train_datasets = [{"name": "pairsim concept pairs"}]
    card.eval_datasets = [{"name": "pairsim concept pairs"}]


def train(config: TrainingConfig = SEED_CONFIG, run_dir: Path | str = RUNS_DIR / "seed",
          data_dir: Path | str = CONCEPT_PAIRS_DIR, device: str = "auto", show_progress: bool = False,
          train_rows: int | None = None, eval_rows: int | None = None, resume: bool = True,
          callbacks: list | None = None) -> Path:
    """Fine-tune the base model and write a complete run directory.

    Args:
        config: Hyperparameters.
        run_dir: Where the run goes; created if missing.
        data_dir: Folder with train/dev/test CSVs.
        device: ``"auto"``, ``"cuda"``, ``"mps"`` or ``"cpu"``.
        show_progress: Show the Trainer's progress bar or table (off keeps test output stable).
        train_rows: Use only the first rows of train (unit tests only; never a result).
        eval_rows: Use only the first rows of dev and test (unit tests only).
        resume: Continue from the last checkpoint in ``run_dir`` when there is one.
        callbacks: Extra ``TrainerCallback``s.

    Returns:
        The run directory.
    """
    from pairsim_utils.model import load_base_model
    from pairsim_utils.reproducibility import set_seed

    run_dir, data_dir = repo_path(run_dir), repo_path(data_dir)
    choice = select_device(device)
    splits = {name: _limit(frame, train_rows if name == "train" else eval_rows)
              for name, frame in load_splits(data_dir).items()}
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    main_process = int(os.environ.get("RANK", "0")) == 0
    steps = steps_per_run(len(splits["train"]), config, world_size)
    if main_process:
        expected = steps * SECONDS_PER_STEP[choice.device] / 60
        print(f"Training on {choice.device} ({choice.name}, {choice.precision}): {steps:,} steps of "
              f"{config.train_batch_size * world_size} pairs; expect roughly {expected:.1f} min.", flush=True)
    set_seed(config.seed)
    model = load_base_model(device=choice.device)
    model.max_seq_length = config.max_seq_length
    _label_model_card(model, config, splits["dev"])
    trainer = build_trainer(model, config, splits, run_dir, choice, show_progress, callbacks)
    if trainer.is_world_process_zero():
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "metrics.json").unlink(missing_ok=True)  # a run is complete only once this is rewritten
        config.save(run_dir / "config.json")
        _write_json(run_dir / "fingerprint.json", fingerprint(config, data_dir, train_rows, eval_rows))
    base_metrics = evaluate_splits(model, {"dev": splits["dev"], "test": splits["test"]})
    checkpoint = last_checkpoint(run_dir) if resume else None
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    wall = time.perf_counter() - started
    if trainer.is_world_process_zero():
        trainer.save_model(str(run_dir / "model"))
        _write_json(run_dir / "log_history.json", trainer.state.log_history)
        _write_json(run_dir / "environment.json",
                    {**environment_record(choice, wall, trainer.state.global_step, world_size),
                     "resumed_from": checkpoint.name if checkpoint else None,
                     "data_dir": relative_to_repo(data_dir),
                     "data_pairs": {name: len(frame) for name, frame in splits.items()}})
        tuned = evaluate_splits(model, {"dev": splits["dev"], "test": splits["test"]})
        _write_json(run_dir / "metrics.json", {"base": base_metrics, "fine_tuned": tuned})
        print(f"Finished {trainer.state.global_step:,} steps in {wall / 60:.1f} min; run saved in "
              f"{relative_to_repo(run_dir)}/", flush=True)
    return run_dir


def is_finished(run_dir: Path, expected: dict[str, Any]) -> bool:
    """Returns:
    Whether ``run_dir`` holds a complete run with the ``expected`` fingerprint.
    """
    path = run_dir / "fingerprint.json"
    if not (path.is_file() and (run_dir / "metrics.json").is_file() and (run_dir / "model").is_dir()):
        return False
    return json.loads(path.read_text(encoding="utf-8"))["fingerprint"] == expected["fingerprint"]


def ensure_trained(config: TrainingConfig = SEED_CONFIG, run_name: str = "seed",
                   data_dir: Path | str = CONCEPT_PAIRS_DIR, runs_dir: Path | str = RUNS_DIR,
                   force: bool = False, **train_options: Any) -> Path:
    """Reuse a finished run with the same fingerprint, or train (resuming an unfinished one).

    Args:
        config: Hyperparameters.
        run_name: Folder name under ``runs_dir``.
        data_dir: Folder with train/dev/test CSVs.
        runs_dir: Parent folder of runs.
        force: Retrain from scratch even if a finished run exists.
        **train_options: Passed to :func:`train` (device, show_progress, train_rows, eval_rows…).

    Returns:
        The run directory.
    """
    run_dir, data_dir = repo_path(runs_dir) / run_name, repo_path(data_dir)
    expected = fingerprint(config, data_dir, train_options.get("train_rows"), train_options.get("eval_rows"))
    if not force and is_finished(run_dir, expected):
        print(f"Reusing the finished run in {relative_to_repo(run_dir)}/ (same configuration and data); "
              "pass force=True to retrain.", flush=True)
        return run_dir
    stale = (run_dir / "fingerprint.json").is_file() and \
        json.loads((run_dir / "fingerprint.json").read_text(encoding="utf-8"))["fingerprint"] != expected["fingerprint"]
    if run_dir.exists() and (force or stale):
        shutil.rmtree(run_dir)  # a different or unwanted run: start clean rather than mix checkpoints
    return train(config, run_dir, data_dir, **train_options)


def ensure_run(run_name: str = "seed", data_dir: Path | str = CONCEPT_PAIRS_DIR, runs_dir: Path | str = RUNS_DIR,
               config: TrainingConfig = SEED_CONFIG, **train_options: Any) -> Path:
    """The finished run of that name, whatever settings trained it; trained with ``config`` only when
    there is none. Notebooks that *read* a run (4, 5) use this, so that a run notebook 3 trained with
    other settings (``-p epochs 2``) is analysed rather than replaced.

    Args:
        run_name: The run, as in ``runs/<run_name>``.
        data_dir: The data the run must have been trained on.
        runs_dir: Parent folder of runs.
        config: Settings for training when no finished run exists.
        train_options: Passed on to :func:`ensure_trained`.

    Returns:
        The run directory.

    Raises:
        ValueError: When the finished run was trained on other data than ``data_dir``.
    """
    run_dir, data_dir = repo_path(runs_dir) / run_name, repo_path(data_dir)
    recorded = run_dir / "fingerprint.json"
    if (run_dir / "metrics.json").is_file() and recorded.is_file():
        trained_on = json.loads(recorded.read_text(encoding="utf-8"))["data"]
        if trained_on != fingerprint(config, data_dir)["data"]:
            raise ValueError(f"{relative_to_repo(run_dir)}/ was trained on other data than "
                             f"{relative_to_repo(data_dir)}/: choose another run_name, or retrain it (notebook 3 "
                             "with force=True).")
        print(f"Reading the finished run in {relative_to_repo(run_dir)}/ (its settings are in config.json).",
              flush=True)
        return run_dir
    return ensure_trained(config, run_name, data_dir, runs_dir, **train_options)


@dataclass(frozen=True)
class Run:
    """A finished run, read back from its directory."""

    path: Path
    config: TrainingConfig
    log_history: list[dict[str, Any]]
    metrics: dict[str, Any]
    environment: dict[str, Any]

    def load_model(self, device: str | None = "cpu"):
        """Returns:
        The fine-tuned ``SentenceTransformer``.
        """
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.path / "model"), device=device, local_files_only=True)

    def model_card(self) -> str:
        """Returns:
        The generated model card (Markdown).
        """
        return (self.path / "model" / "README.md").read_text(encoding="utf-8")


def load_run(run_dir: Path | str) -> Run:
    """Read a finished run.

    Raises:
        FileNotFoundError: Naming the missing file and how to produce the run.
    """
    run_dir = repo_path(run_dir)
    missing = [name for name in RUN_FILES if not (run_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{relative_to_repo(run_dir)}/ is not a finished run (missing "
                                f"{', '.join(missing)}); run notebooks/03_fine_tuning.ipynb or "
                                "`python -m pairsim_utils.training` first.")

    def read(name: str) -> Any:
        return json.loads((run_dir / name).read_text(encoding="utf-8"))

    return Run(run_dir, TrainingConfig.load(run_dir / "config.json"), read("log_history.json"),
               read("metrics.json"), read("environment.json"))


def main(argv: list[str] | None = None) -> int:
    """Command line: train (or reuse) a run; works under ``torchrun`` and ``accelerate launch``."""
    parser = argparse.ArgumentParser(description="Fine-tune all-MiniLM-L6-v2 on a pairs data set.")
    parser.add_argument("--run-name", default="seed")
    parser.add_argument("--runs-dir", default=str(RUNS_DIR))
    parser.add_argument("--data-dir", default=str(CONCEPT_PAIRS_DIR))
    parser.add_argument("--config", help="JSON or YAML file of TrainingConfig settings")
    parser.add_argument("--epochs", type=int, help="override num_epochs")
    parser.add_argument("--seed", type=int, help="override seed")
    parser.add_argument("--device", default="auto", choices=["auto", "cuda", "mps", "cpu"])
    parser.add_argument("--force", action="store_true", help="retrain even if a finished run exists")
    parser.add_argument("--progress", action="store_true", help="show the progress bar")
    parser.add_argument("--train-rows", type=int, help="first rows of train only (smoke tests)")
    parser.add_argument("--eval-rows", type=int, help="first rows of dev/test only (smoke tests)")
    args = parser.parse_args(argv)
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    go_offline()
    if not args.progress:
        quiet_progress_bars()
    config = TrainingConfig.load(args.config) if args.config else SEED_CONFIG
    overrides = {key: value for key, value in (("num_epochs", args.epochs), ("seed", args.seed)) if value is not None}
    config = config.replace(**overrides) if overrides else config
    ensure_trained(config, args.run_name, args.data_dir, args.runs_dir, force=args.force, device=args.device,
                   show_progress=args.progress, train_rows=args.train_rows, eval_rows=args.eval_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def describe_run_dir(run_dir: Path | str, skip: tuple[str, ...] = ("analysis",)) -> pd.DataFrame:
    """List what training wrote in a run directory (checkpoint folders summarised).

    Args:
        run_dir: The run.
        skip: Top-level folders to leave out: ``analysis/`` is added later by notebook 5.

    Returns:
        One row per file or checkpoint: ``path`` relative to the run, ``size (MB)``.
    """
    run_dir = repo_path(run_dir)
    rows = []
    for path in sorted(run_dir.rglob("*")):
        relative = path.relative_to(run_dir)
        inside_checkpoint = relative.parts[0] == "checkpoints" and len(relative.parts) > 2
        if path.is_dir() or relative.parts[0] in skip or inside_checkpoint:
            continue
        rows.append((relative.as_posix(), path.stat().st_size / 1e6))
    for checkpoint in sorted((run_dir / "checkpoints").glob("checkpoint-*")):
        size = sum(p.stat().st_size for p in checkpoint.rglob("*") if p.is_file())
        rows.append((f"{checkpoint.relative_to(run_dir).as_posix()}/ (model, optimizer, scheduler, RNG state)",
                     size / 1e6))
    return pd.DataFrame(rows, columns=["path", "size (MB)"]).set_index("path").round(1)
