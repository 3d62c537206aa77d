"""Notebook 7's experiments: a declarative grid of training recipes, each trained with several seeds.

Every :class:`Variant` is the seed configuration with a few settings changed. ``make experiments``
(``python -m pairsim_utils.experiments``) trains each variant with each seed into
``runs/experiments/<variant>-seed<seed>/`` (reusing finished runs, resuming unfinished ones), scoring
our dev and test splits and the outside benchmarks at the end of every epoch, then sweeps the weight
interpolation between the base model and the trained one (:mod:`pairsim_utils.interpolation`). One
small table, ``data/results/experiments.csv``, holds every run's epochs and alphas; each row carries
the fingerprint of the recipe that produced it, and ``make test`` fails when the code, configuration
or data no longer produce that fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pairsim_utils.benchmarks import load_benchmark
from pairsim_utils.config import SEED_CONFIG, TrainingConfig
from pairsim_utils.data import load_splits, pair_keys
from pairsim_utils.devices import DeviceChoice
from pairsim_utils.embeddings import default_cache_dir
from pairsim_utils.files import write_text_atomic
from pairsim_utils.interpolation import ALPHAS, alpha_sweep
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, RESULTS_DIR, RUNS_DIR, relative_to_repo, repo_path
from pairsim_utils.runs import ensure_trained, fingerprint

# Named rather than __name__: under ``python -m`` this module is ``__main__``, outside the suite's status lines.
logger = logging.getLogger("pairsim_utils.experiments")

EXPERIMENTS_DIR = RUNS_DIR / "experiments"
TABLE_FILE = RESULTS_DIR / "experiments.csv"
SEEDS: tuple[int, ...] = (42, 43, 44)
"""The card's seed and two more: every recipe is trained three times."""


@dataclass(frozen=True)
class Variant:
    """One training recipe of the grid: the seed configuration with ``changes``.

    Attributes:
        name: Short name, used in run folders and tables.
        description: One line for readers.
        changes: Settings of :class:`~pairsim_utils.config.TrainingConfig` that differ from the seed's.
    """

    name: str
    description: str
    changes: dict[str, Any] = field(default_factory=dict)

    def config(self, seed: int) -> TrainingConfig:
        """The variant's configuration with ``seed``."""
        return SEED_CONFIG.replace(**self.changes, seed=seed)


VARIANTS: tuple[Variant, ...] = (
    Variant("card", "the seed card's recipe: CosineSimilarityLoss, every weight trained"),
    Variant("replay-0.5", "one general word pair, scored by the base model, per two training pairs",
            {"replay_ratio": 0.5}),
    Variant("replay-0.25", "one general word pair, scored by the base model, per four training pairs",
            {"replay_ratio": 0.25}),
    Variant("lora", "LoRA adapters of rank 8 at learning rate 5e-4; every original weight frozen",
            {"lora_rank": 8, "learning_rate": 5e-4}),
    Variant("cosent", "CoSENTLoss: only the order of the scores is trained", {"loss": "CoSENTLoss"}),
    Variant("angle", "AnglELoss: CoSENT on angle differences", {"loss": "AnglELoss"}),
)
"""The grid, in training order: the card's recipe first, then the variants most likely to keep the gain."""

CHOOSE_ON = ("dev", "men_dev")
"""The only columns a recipe is chosen on: our dev split and MEN's dev part."""
OUTSIDE = ("men_test", "simlex999", "wordsim353", "mturk771", "semeval17_en")
"""Outside benchmarks that are reported and never used to choose (MEN by its test part)."""
SCORED = ("dev", "men_dev", "test", *OUTSIDE)
"""Every pairs set scored at each epoch and each alpha: the table's metric columns."""


def variant(name: str) -> Variant:
    """The grid's variant of that name.

    Raises:
        KeyError: Naming the variants there are.
    """
    by_name = {v.name: v for v in VARIANTS}
    if name not in by_name:
        raise KeyError(f"no variant {name!r}; the grid has {', '.join(by_name)}")
    return by_name[name]


def run_name(variant_name: str, seed: int) -> str:
    """The run folder of a variant and seed under ``runs/experiments/``."""
    return f"{variant_name}-seed{seed}"


def scored_sets(data_dir: Path | str = CONCEPT_PAIRS_DIR, min_pairs: int = 30) -> dict[str, pd.DataFrame]:
    """Pairs sets of :data:`SCORED`: our dev and test splits and the benchmark files, by file stem.

    A benchmark pair that also occurs in our splits (in either order) is left out, as in notebook 5:
    a recipe must not score well on a benchmark because it trained on one of its pairs. A benchmark
    with fewer than ``min_pairs`` pairs left (on other data, e.g. MEN itself) is left out whole.
    """
    splits = load_splits(repo_path(data_dir))
    ours = set().union(*(pair_keys(frame) for frame in splits.values()))
    sets = {name: splits[name] for name in ("dev", "test")}
    for name in SCORED:
        if name not in sets:
            frame = load_benchmark(name)
            unseen = frame[~pair_keys(frame).isin(ours)].reset_index(drop=True)
            if len(unseen) >= min_pairs:
                sets[name] = unseen
    return {name: sets[name] for name in SCORED if name in sets}


NOT_IN_RESULTS = frozenset({"output_dir", "logging_dir", "save_strategy", "save_steps", "save_total_limit",
                            "disable_tqdm", "report_to"})
"""Trainer arguments that change where files go or how often they are written, never a result."""


def recipe_fingerprint(config: TrainingConfig, data_dir: Path | str = CONCEPT_PAIRS_DIR) -> str:
    """What a row of the results table was produced from, in 16 hex digits.

    It covers the run's fingerprint (configuration and data files), the Trainer arguments the code
    builds from the configuration (on a CPU in fp32), the pairs scored (:func:`scored_sets`) and the
    alphas, so that a change to any of them makes committed results stale.
    """
    from pairsim_utils.training import training_arguments

    arguments = training_arguments(config, Path("checkpoints"), DeviceChoice("cpu", "fp32", "cpu"), False).to_dict()
    parts = {"run": fingerprint(config, repo_path(data_dir))["fingerprint"],
             "arguments": {key: str(value) for key, value in arguments.items() if key not in NOT_IN_RESULTS},
             "scored": {name: hashlib.sha256(frame[["sentence_0", "sentence_1", "label"]].to_csv().encode()).hexdigest()
                        for name, frame in scored_sets(data_dir).items()},
             "alphas": list(ALPHAS)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def run_experiment(variant: Variant, seed: int, runs_dir: Path | str = EXPERIMENTS_DIR,
                   data_dir: Path | str = CONCEPT_PAIRS_DIR, base=None, alphas: tuple[float, ...] = ALPHAS,
                   **train_options: Any) -> Path:
    """Train (or reuse) one variant with one seed, then sweep its interpolation with the base model.

    Args:
        variant: The recipe.
        seed: The seed.
        runs_dir: Parent folder of the grid's runs.
        data_dir: Our splits.
        base: The base model, when the caller already has it loaded.
        alphas: The interpolation weights of the sweep (fewer only in smoke tests).
        **train_options: Passed to :func:`~pairsim_utils.runs.ensure_trained` (``train_rows``… for smoke tests).

    Returns:
        The run directory, holding ``sweep.csv`` beside the usual run files.
    """
    from pairsim_utils.model import load_base_model
    from pairsim_utils.runs import load_run

    sets = scored_sets(data_dir)
    eval_rows = train_options.get("eval_rows")
    if eval_rows is not None:
        sets = {name: frame.head(eval_rows) for name, frame in sets.items()}
    track = {name: frame for name, frame in sets.items() if name != "dev"}  # the dev evaluator is always there
    run_dir = ensure_trained(variant.config(seed), run_name(variant.name, seed), data_dir, runs_dir,
                             track=track, **train_options)
    sweep_file = run_dir / "sweep.csv"
    if not sweep_file.is_file():
        started = time.perf_counter()
        base = base if base is not None else load_base_model()
        sweep = alpha_sweep(base, load_run(run_dir).load_model(), sets, alphas, default_cache_dir(runs_dir))
        write_text_atomic(sweep_file, sweep.to_csv(lineterminator="\n"))
        logger.info("Swept %d alphas in %.1f min.", len(alphas), (time.perf_counter() - started) / 60)
    return run_dir


def run_rows(run_dir: Path, variant_name: str, seed: int, recipe: str) -> pd.DataFrame:
    """The table rows of one finished run: one per epoch (from its log) and one per alpha (its sweep).

    Returns:
        Columns ``variant``, ``seed``, ``stage`` (``epoch`` or ``alpha``), ``point``, :data:`SCORED`,
        ``outside_mean``, ``train_seconds`` and ``fingerprint``.
    """
    history = json.loads((run_dir / "log_history.json").read_text(encoding="utf-8"))
    epochs = pd.DataFrame([{"stage": "epoch", "point": round(entry["epoch"], 3),
                            **{name: entry[f"eval_{name}_spearman_cosine"] for name in SCORED}}
                           for entry in history if "eval_dev_spearman_cosine" in entry])
    alphas = pd.read_csv(run_dir / "sweep.csv").rename(columns={"alpha": "point"}).assign(stage="alpha")
    rows = pd.concat([epochs, alphas[["stage", "point", *SCORED]]], ignore_index=True)
    environment = json.loads((run_dir / "environment.json").read_text(encoding="utf-8"))
    rows["outside_mean"] = rows[list(OUTSIDE)].mean(axis=1)
    rows[[*SCORED, "outside_mean"]] = rows[[*SCORED, "outside_mean"]].round(4)
    rows.insert(0, "seed", seed)
    rows.insert(0, "variant", variant_name)
    return rows.assign(train_seconds=environment["wall_seconds"], fingerprint=recipe)


def results_table(runs_dir: Path | str = EXPERIMENTS_DIR, data_dir: Path | str = CONCEPT_PAIRS_DIR,
                  variants: tuple[Variant, ...] = VARIANTS, seeds: tuple[int, ...] = SEEDS) -> pd.DataFrame:
    """Rows of every finished run of the grid (runs still missing are left out)."""
    frames = []
    for spec in variants:
        for seed in seeds:
            run_dir = Path(runs_dir) / run_name(spec.name, seed)
            if (run_dir / "sweep.csv").is_file() and (run_dir / "metrics.json").is_file():
                frames.append(run_rows(run_dir, spec.name, seed, recipe_fingerprint(spec.config(seed), data_dir)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def load_table(path: Path | str = TABLE_FILE) -> pd.DataFrame:
    """The committed results table."""
    return pd.read_csv(path)


def stale_runs(table: pd.DataFrame, data_dir: Path | str = CONCEPT_PAIRS_DIR) -> list[str]:
    """Runs of the table whose fingerprint today's code, configuration and data no longer produce.

    Returns:
        ``"<variant>-seed<seed>"`` names; empty when every row is current.
    """
    stale = []
    for (name, seed), rows in table.groupby(["variant", "seed"], sort=False):
        recipe = recipe_fingerprint(variant(str(name)).config(int(seed)), data_dir)
        if set(rows["fingerprint"]) != {recipe}:
            stale.append(run_name(str(name), int(seed)))
    return stale


def main(argv: list[str] | None = None) -> int:
    """``make experiments``: train what the grid lacks, seed by seed, and write the results table."""
    from pairsim_utils.model import load_base_model
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars, show_status_lines

    parser = argparse.ArgumentParser(description="Train the experiments grid and write its results table.")
    parser.add_argument("--variants", nargs="+", default=[v.name for v in VARIANTS], choices=[v.name for v in VARIANTS])
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--table", default=str(TABLE_FILE), help="where the results table goes")
    arguments = parser.parse_args(argv)
    show_status_lines()
    go_offline()
    quiet_progress_bars()
    chosen = tuple(variant(name) for name in arguments.variants)
    base = load_base_model()
    started, total = time.perf_counter(), len(chosen) * len(arguments.seeds)
    for number, (seed, spec) in enumerate(((s, v) for s in arguments.seeds for v in chosen), start=1):
        logger.info("[%d/%d] %s, seed %d: %s", number, total, spec.name, seed, spec.description)
        run_experiment(spec, seed, base=base)
        table = results_table()  # every finished run of the grid, not only those asked for now
        write_text_atomic(Path(arguments.table), table.to_csv(index=False, lineterminator="\n"))
    logger.info("Grid done in %.1f min; table in %s", (time.perf_counter() - started) / 60,
                relative_to_repo(arguments.table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
