"""Run directories: what a finished run holds, how it is recognised, reused, resumed or read back.

A run lives in ``runs/<run-name>/``::

    model/              the fine-tuned model (safetensors) and its generated model card (README.md)
    checkpoints/        one checkpoint per epoch, for resuming an interrupted run
    config.json         the TrainingConfig used
    fingerprint.json    what the run was trained from: config, data files, row limits
    log_history.json    the Trainer's log: training loss every 10 steps, dev metrics every epoch
    metrics.json        dev and test metrics of the base and the fine-tuned model (written last)
    environment.json    versions, device, precision, threads, wall time

:func:`ensure_trained` reuses a finished run with the same fingerprint, resumes an unfinished one
and trains otherwise (:func:`pairsim_utils.training.train`); a finished run with another
fingerprint is moved aside, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pairsim_utils.config import SEED_CONFIG, TrainingConfig
from pairsim_utils.data import sha256_of, split_paths
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, RUNS_DIR, relative_to_repo, repo_path
from pairsim_utils.replay import GENERAL_PAIRS_FILE

logger = logging.getLogger(__name__)

RUN_FILES = ("config.json", "fingerprint.json", "log_history.json", "metrics.json", "environment.json")
NOT_RUN_NAMES = frozenset({"data", "cache"})
"""Folders under ``runs/`` that hold no run (prepared data sets, the embedding cache): no run may take them."""


def fingerprint(config: TrainingConfig, data_dir: Path, train_rows: int | None = None,
                eval_rows: int | None = None) -> dict[str, Any]:
    """Describe what a run is trained from, so that a finished run can be recognised.

    Args:
        config: The training configuration.
        data_dir: Folder with train/dev/test CSVs.
        train_rows: Row limit on train (unit tests only), or ``None``.
        eval_rows: Row limit on dev and test, or ``None``.

    Returns:
        ``{"config": …, "data": {file: sha256}, "train_rows": …, "eval_rows": …, "fingerprint": hex}``; ``data``
        names the general pairs too when replay mixes them in.
    """
    data = {path.name: sha256_of(path) for path in split_paths(data_dir).values()}
    if config.replay_ratio:
        data[GENERAL_PAIRS_FILE.name] = sha256_of(GENERAL_PAIRS_FILE)
    parts = {"config": config.fingerprint_dict(), "data": data, "train_rows": train_rows, "eval_rows": eval_rows}
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return {**parts, "fingerprint": digest}


def last_checkpoint(run_dir: Path) -> Path | None:
    """The newest ``checkpoints/checkpoint-N`` folder of a run, or ``None``."""
    checkpoints = sorted((run_dir / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return checkpoints[-1] if checkpoints else None


def is_finished(run_dir: Path, expected: dict[str, Any]) -> bool:
    """Whether ``run_dir`` holds a complete run with the ``expected`` fingerprint."""
    path = run_dir / "fingerprint.json"
    if not (path.is_file() and (run_dir / "metrics.json").is_file() and (run_dir / "model").is_dir()):
        return False
    return json.loads(path.read_text(encoding="utf-8"))["fingerprint"] == expected["fingerprint"]


def check_run_name(run_name: str) -> None:
    """Refuse names that are not a plain folder or that belong to folders holding no run.

    Raises:
        ValueError: Naming the problem and what to do instead.
    """
    if run_name in NOT_RUN_NAMES or not run_name or Path(run_name).name != run_name or run_name.startswith("."):
        raise ValueError(f"run name {run_name!r} is not allowed: use a plain folder name other than "
                         f"{', '.join(sorted(NOT_RUN_NAMES))} (those folders under runs/ hold no run)")


def move_aside(run_dir: Path) -> Path:
    """Rename a run directory to the first free ``<name>.previous-<n>`` beside it.

    Returns:
        Its new path.
    """
    number = 1
    while (target := run_dir.with_name(f"{run_dir.name}.previous-{number}")).exists():
        number += 1
    return run_dir.rename(target)


def ensure_trained(config: TrainingConfig = SEED_CONFIG, run_name: str = "seed",
                   data_dir: Path | str = CONCEPT_PAIRS_DIR, runs_dir: Path | str = RUNS_DIR,
                   force: bool = False, **train_options: Any) -> Path:
    """Reuse a finished run with the same fingerprint, or train (resuming an unfinished one).

    Args:
        config: Hyperparameters.
        run_name: Folder name under ``runs_dir``.
        data_dir: Folder with train/dev/test CSVs.
        runs_dir: Parent folder of runs.
        force: Retrain from scratch even if a finished run exists (the old one is moved aside).
        **train_options: Passed to :func:`train` (device, show_progress, train_rows, eval_rows…).

    Returns:
        The run directory.

    Raises:
        ValueError: For a run name that :func:`check_run_name` refuses.
    """
    from pairsim_utils.training import train

    check_run_name(run_name)
    run_dir, data_dir = repo_path(runs_dir) / run_name, repo_path(data_dir)
    expected = fingerprint(config, data_dir, train_options.get("train_rows"), train_options.get("eval_rows"))
    if not force and is_finished(run_dir, expected):
        logger.info("Reusing the finished run in %s/ (same configuration and data); pass force=True to retrain.",
                    relative_to_repo(run_dir))
        return run_dir
    recorded = run_dir / "fingerprint.json"
    stale = recorded.is_file() and \
        json.loads(recorded.read_text(encoding="utf-8"))["fingerprint"] != expected["fingerprint"]
    if run_dir.exists() and (force or stale):
        # A different or unwanted run: start clean rather than mix checkpoints, but keep a finished one.
        if (run_dir / "metrics.json").is_file():
            kept = move_aside(run_dir)
            logger.info("Moved the finished run in %s/ aside to %s/ (%s); delete it when no longer needed.",
                        relative_to_repo(run_dir), relative_to_repo(kept),
                        "force=True" if force else "its settings or data differ")
        else:
            shutil.rmtree(run_dir)
            logger.info("Removed the unfinished run in %s/ (%s).", relative_to_repo(run_dir),
                        "force=True" if force else "its settings or data differ")
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
        logger.info("Reading the finished run in %s/ (its settings are in config.json).", relative_to_repo(run_dir))
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
        """The fine-tuned ``SentenceTransformer``."""
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.path / "model"), device=device, local_files_only=True)

    def model_card(self) -> str:
        """The generated model card (Markdown)."""
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
