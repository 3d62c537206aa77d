"""Fine-tuning with sentence-transformers' Trainer, into a run directory (:mod:`pairsim_utils.runs`).

``python -m pairsim_utils.training`` trains (or reuses) a run from a shell, and runs unchanged under
``torchrun --nproc_per_node=N`` or ``accelerate launch`` for data parallelism.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from pairsim_utils.adapters import add_lora, merge_lora
from pairsim_utils.config import SEED_CONFIG, TrainingConfig
from pairsim_utils.data import load_splits
from pairsim_utils.devices import SECONDS_PER_STEP, DeviceChoice, precision_flags, select_device
from pairsim_utils.embeddings import EmbeddingCache, default_cache_dir
from pairsim_utils.files import write_json
from pairsim_utils.losses import build_loss, dev_loss_function
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, RUNS_DIR, relative_to_repo, repo_path
from pairsim_utils.replay import load_general_pairs, with_replay
from pairsim_utils.runs import ensure_trained, fingerprint, last_checkpoint

logger = logging.getLogger(__name__)

TRACK_BATCH_SIZE = 64
"""Encoding batch of the per-epoch scoring of tracked pairs sets (``track``): it changes no result."""


def steps_per_run(train_rows: int, config: TrainingConfig, world_size: int = 1) -> int:
    """Optimizer steps of a run: batches per epoch (last one partial) times epochs."""
    per_step = config.train_batch_size * world_size
    return -(-train_rows // per_step) * config.num_epochs


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


def _dataset(frame: pd.DataFrame):
    from datasets import Dataset

    return Dataset.from_pandas(frame[["sentence_0", "sentence_1", "label"]], preserve_index=False)


def _limit(frame: pd.DataFrame, rows: int | None) -> pd.DataFrame:
    return frame if rows is None else frame.head(rows).reset_index(drop=True)


def evaluate_splits(model, splits: dict[str, pd.DataFrame],
                    cache_dir: Path | str | None = None) -> dict[str, dict[str, float]]:
    """Spearman, Pearson (cosine) and MSE against the labels, per split.

    Embeddings go through the on-disk cache (:class:`~pairsim_utils.embeddings.EmbeddingCache`): each
    distinct phrase is encoded once, the base model's only once per machine, and notebook 5 reuses them.

    Returns:
        ``{split: {"spearman": …, "pearson": …, "mse": …}}``.
    """
    from pairsim_utils.metrics import regression_metrics

    cache = EmbeddingCache(model, cache_dir)
    return {name: regression_metrics(frame["label"].to_numpy(), cache.score(frame)) for name, frame in splits.items()}


def environment_record(choice: DeviceChoice, wall_seconds: float, steps: int, world_size: int) -> dict[str, Any]:
    """Versions, device, precision, threads and timing of a run, for ``environment.json``."""
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


def build_trainer(model, config: TrainingConfig, splits: dict[str, pd.DataFrame], run_dir: Path,
                  choice: DeviceChoice, show_progress: bool, callbacks: list | None = None,
                  track: Mapping[str, pd.DataFrame] | None = None):
    """Assemble the Trainer: the configured loss, dev loss and dev Spearman/Pearson each epoch.

    Args:
        model: The model to train.
        config: Hyperparameters.
        splits: ``train`` and ``dev`` pairs.
        run_dir: The run; checkpoints go to ``run_dir/checkpoints``.
        choice: Device and precision.
        show_progress: Show the Trainer's progress bar.
        callbacks: Extra ``TrainerCallback``s.
        track: Further pairs sets (name -> pairs) scored at the end of every epoch beside dev, to draw
            per-epoch curves; they do not change training.

    Returns:
        A ``SentenceTransformerTrainer`` ready to ``train()``.
    """
    from sentence_transformers import SentenceTransformerTrainer
    from sentence_transformers.sentence_transformer.evaluation import SequentialEvaluator
    from transformers import PrinterCallback

    from pairsim_utils.metrics import similarity_evaluator

    # No eval_dataset: the evaluator reports the dev loss from its own embeddings (one pass, not two).
    evaluator = similarity_evaluator(splits["dev"], "dev", batch_size=config.eval_batch_size,
                                     loss_function=dev_loss_function(config))
    if track:
        evaluator = SequentialEvaluator([evaluator, *(similarity_evaluator(frame, name, batch_size=TRACK_BATCH_SIZE)
                                                      for name, frame in track.items())])
    trainer = SentenceTransformerTrainer(
        model=model, args=training_arguments(config, run_dir / "checkpoints", choice, show_progress),
        train_dataset=_dataset(splits["train"]), loss=build_loss(model, config), evaluator=evaluator,
        callbacks=callbacks)
    if not show_progress:
        trainer.remove_callback(PrinterCallback)
    return trainer


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


def train(config: TrainingConfig = SEED_CONFIG, run_dir: Path | str = RUNS_DIR / "seed",
          data_dir: Path | str = CONCEPT_PAIRS_DIR, device: str = "auto", show_progress: bool = False,
          train_rows: int | None = None, eval_rows: int | None = None, resume: bool = True,
          callbacks: list | None = None, track: Mapping[str, pd.DataFrame] | None = None) -> Path:
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
        track: Pairs sets scored every epoch beside dev (:func:`build_trainer`).

    Returns:
        The run directory.
    """
    from pairsim_utils.model import load_base_model
    from pairsim_utils.reproducibility import set_seed

    run_dir, data_dir = repo_path(run_dir), repo_path(data_dir)
    choice = select_device(device)
    splits = {name: _limit(frame, train_rows if name == "train" else eval_rows)
              for name, frame in load_splits(data_dir).items()}
    if config.replay_ratio:
        splits["train"] = with_replay(splits["train"], config.replay_ratio, load_general_pairs())
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    main_process = int(os.environ.get("RANK", "0")) == 0
    steps = steps_per_run(len(splits["train"]), config, world_size)
    if main_process:
        expected = steps * SECONDS_PER_STEP[choice.device] / 60
        logger.info("Training on %s (%s, %s): %s steps of %d pairs; expect roughly %.1f min.", choice.device,
                    choice.name, choice.precision, f"{steps:,}", config.train_batch_size * world_size, expected)
    set_seed(config.seed)
    model = load_base_model(device=choice.device)
    model.max_seq_length = config.max_seq_length
    _label_model_card(model, config, splits["dev"])
    if config.lora_rank:
        add_lora(model, config.lora_rank)
    trainer = build_trainer(model, config, splits, run_dir, choice, show_progress, callbacks, track)
    if trainer.is_world_process_zero():
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "metrics.json").unlink(missing_ok=True)  # a run is complete only once this is rewritten
        config.save(run_dir / "config.json")
        write_json(run_dir / "fingerprint.json", fingerprint(config, data_dir, train_rows, eval_rows))
    cache_dir = default_cache_dir(run_dir.parent)
    scored = {"dev": splits["dev"], "test": splits["test"]}
    base_metrics = evaluate_splits(model, scored, cache_dir) if trainer.is_world_process_zero() else {}
    checkpoint = last_checkpoint(run_dir) if resume else None
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    wall = time.perf_counter() - started
    merge_lora(model)  # a LoRA run is saved as an ordinary model of the base model's shape
    if trainer.is_world_process_zero():
        trainer.save_model(str(run_dir / "model"))
        write_json(run_dir / "log_history.json", trainer.state.log_history)
        write_json(run_dir / "environment.json",
                    {**environment_record(choice, wall, trainer.state.global_step, world_size),
                     "resumed_from": checkpoint.name if checkpoint else None,
                     "data_dir": relative_to_repo(data_dir),
                     "data_pairs": {name: len(frame) for name, frame in splits.items()}})
        tuned = evaluate_splits(model, scored, cache_dir)
        write_json(run_dir / "metrics.json", {"base": base_metrics, "fine_tuned": tuned})
        logger.info("Finished %s steps in %.1f min; run saved in %s/", f"{trainer.state.global_step:,}", wall / 60,
                    relative_to_repo(run_dir))
    return run_dir


@dataclass(frozen=True)
class RunOptions:
    """The command line's options besides the training settings: which run, on what, where."""

    run_name: str = field(default="seed", metadata={"help": "folder under --runs-dir"})
    runs_dir: str = field(default=str(relative_to_repo(RUNS_DIR)), metadata={"help": "parent folder of runs"})
    data_dir: str = field(default=str(relative_to_repo(CONCEPT_PAIRS_DIR)),
                          metadata={"help": "folder with train.csv, dev.csv and test.csv"})
    config: str | None = field(default=None, metadata={"help": "JSON or YAML file of settings; flags override it"})
    device: str = field(default="auto", metadata={"choices": ["auto", "cuda", "mps", "cpu"]})
    force: bool = field(default=False, metadata={"help": "retrain even if a finished run exists"})
    progress: bool = field(default=False, metadata={"help": "show the progress bar"})
    train_rows: int | None = field(default=None, metadata={"help": "first rows of train only (smoke tests)"})
    eval_rows: int | None = field(default=None, metadata={"help": "first rows of dev/test only (smoke tests)"})


def parse_command_line(argv: list[str] | None = None) -> tuple[TrainingConfig, RunOptions]:
    """Parse every :class:`~pairsim_utils.config.TrainingConfig` setting (``--learning_rate 3e-5``,
    ``--epochs 2``…) and the :class:`RunOptions` with ``transformers.HfArgumentParser``.

    Settings come from the seed configuration, then from ``--config FILE`` when given, then from flags.

    Returns:
        The training configuration and the run options.
    """
    from transformers import HfArgumentParser

    # transformers types its dataclass argument as a NewType, which no real class matches
    parser = HfArgumentParser((TrainingConfig, RunOptions),  # type: ignore[arg-type]
                              description="Fine-tune all-MiniLM-L6-v2 on a pairs data set.")
    config_file = parser.parse_known_args(argv)[0].config
    if config_file:
        parser.set_defaults(**TrainingConfig.load(config_file).to_dict())
    config, options = parser.parse_args_into_dataclasses(argv)
    return config, options


def main(argv: list[str] | None = None) -> int:
    """Command line: train (or reuse) a run; works under ``torchrun`` and ``accelerate launch``."""
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars, show_status_lines

    config, options = parse_command_line(argv)
    show_status_lines()
    go_offline()
    if not options.progress:
        quiet_progress_bars()
    ensure_trained(config, options.run_name, options.data_dir, options.runs_dir, force=options.force,
                   device=options.device, show_progress=options.progress, train_rows=options.train_rows,
                   eval_rows=options.eval_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
