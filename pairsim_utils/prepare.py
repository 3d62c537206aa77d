"""Preparing another pairs data set for the suite (``make run DATA=...``).

A data source is one of:

- a name from :data:`NAMED_SOURCES` (``men``: the MEN benchmark, its dev file for training and its
  test file for testing);
- a folder holding some of ``train.csv``, ``dev.csv`` and ``test.csv``;
- a single pairs CSV.

Every file is validated first (:func:`pairsim_utils.data.load_pairs`: file, line and column of each
problem). Missing splits are cut reproducibly (:data:`HELD_OUT_SHARE`, stratified by label grade,
seeded). The result goes to ``runs/data/<name>/`` with a ``split.json`` that documents how it was
made, which the notebooks and the findings report read. Nothing is written until every check has
passed, and the folder is replaced in one step, so a failed preparation never leaves half a data set.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from pairsim_utils.data import (
    CHECKSUM_FILE,
    SPLITS,
    PairsFileError,
    check_disjoint,
    checksums_bytes,
    load_pairs,
    phrase_key,
    phrase_keys,
    split_paths,
)
from pairsim_utils.paths import BENCHMARKS_DIR, CONCEPT_PAIRS_DIR, RUNS_DIR, relative_to_repo, repo_path
from pairsim_utils.runs import NOT_RUN_NAMES

PREPARED_DIR = RUNS_DIR / "data"
SPLIT_RECORD = "split.json"
HELD_OUT_SHARE = 0.15
"""Share of a file cut off for each missing held-out split (dev, test)."""
MIN_PAIRS_TO_SPLIT = 20
RESERVED_NAMES = NOT_RUN_NAMES | {"seed"}
"""Folders under ``runs/`` that a prepared data set must not take (or the shipped data's run)."""
NAMED_SOURCES = {
    "men": {"train": BENCHMARKS_DIR / "men_dev.csv", "test": BENCHMARKS_DIR / "men_test.csv"},
}
NAMED_DESCRIPTIONS = {
    "men": ("MEN", "3,000 English word pairs (Bruni et al., 2014) rated for relatedness by crowd workers on a "
                   "0-50 scale, rescaled to 0-1; its published dev part (2,000 pairs) gives train and dev, its "
                   "test part (1,000 pairs) tests."),
}
SHIPPED_DESCRIPTION = {
    "name": "concept pairs", "source": "data/concept_pairs", "phrase_disjoint": True,
    "description": "pairsim's concept pairs: 1.0 when one concept acts on the other, 0.5 when they are "
                   "loosely associated, 0.0 otherwise (see data/concept_pairs/README.md).",
    "split_method": "authored concept-disjoint splits: no phrase of dev or test occurs in train.",
}


def is_shipped(data_dir: Path | str) -> bool:
    """Whether ``data_dir`` is the shipped concept-pair data (as opposed to a prepared data set)."""
    return repo_path(data_dir).resolve() == CONCEPT_PAIRS_DIR.resolve()


def source_files(source: str | Path) -> tuple[str, dict[str, Path]]:
    """Find the files of a data source.

    Args:
        source: A name in :data:`NAMED_SOURCES`, a folder with split CSVs, or one CSV file.

    Returns:
        ``(name, files)``: a short name for the run, and split name -> file; a single file is
        returned under the key ``"all"``.

    Raises:
        PairsFileError: When the source does not exist or a folder has no split files.
    """
    if str(source).lower() in NAMED_SOURCES:
        return str(source).lower(), dict(NAMED_SOURCES[str(source).lower()])
    path = repo_path(source)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem if path.is_file() else path.name).strip("-.") or "pairs"
    name = f"{name}-pairs" if name in RESERVED_NAMES else name
    if path.is_file():
        return name, {"all": path}
    if path.is_dir():
        files = {split: file for split, file in split_paths(path).items() if file.is_file()}
        if not files:
            raise PairsFileError(str(source), [f"no {', '.join(f'{s}.csv' for s in SPLITS)} in this folder"])
        return name, files
    raise PairsFileError(str(source), [f"no such file or folder, and not one of the named data sets "
                                       f"({', '.join(NAMED_SOURCES)})"])


def cut(frame: pd.DataFrame, pairs: int, seed: int, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split off ``pairs`` pairs at random, stratified by label grade (scikit-learn).

    Args:
        frame: Validated pairs.
        pairs: How many pairs to hold out.
        seed: Random seed.
        path: The file the pairs came from, for the error message.

    Returns:
        ``(rest, held_out)``, each in the file's original order.
    """
    from sklearn.model_selection import train_test_split

    from pairsim_utils.statistics import label_grade

    if len(frame) < MIN_PAIRS_TO_SPLIT:
        raise PairsFileError(relative_to_repo(path), [
            f"only {len(frame)} pairs: at least {MIN_PAIRS_TO_SPLIT} are needed to cut dev and test splits from it"])
    grades = label_grade(frame["label"]).astype(str)
    stratify = grades if grades.value_counts().min() >= 2 else None
    rest, held_out = train_test_split(frame, test_size=pairs, random_state=seed, stratify=stratify)
    return rest.sort_index(), held_out.sort_index()


def make_splits(frames: dict[str, pd.DataFrame], files: dict[str, Path],
                seed: int) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Complete a data set's splits: keep the ones given, cut the missing ones from the training file.

    Each missing held-out split (test, dev) gets :data:`HELD_OUT_SHARE` of the training file's pairs:
    a single file becomes 70 / 15 / 15 %.

    Args:
        frames: Split name (or ``"all"`` for a single file) -> validated pairs.
        files: The same keys -> source file.
        seed: Random seed for the cuts.

    Returns:
        ``(splits, origins)``: train/dev/test pairs, and for each split where it came from, in words.
    """
    frames, files = dict(frames), dict(files)
    if "all" in frames:
        frames["train"], files["train"] = frames.pop("all"), files.pop("all")
    if "train" not in frames:
        raise PairsFileError(relative_to_repo(next(iter(files.values())).parent), ["no train.csv: nothing to train on"])
    origins = {split: files[split].name for split in SPLITS if split in frames}
    source, held_out = files["train"], round(HELD_OUT_SHARE * len(frames["train"]))
    at_random = f"drawn at random, stratified by label grade (seed {seed})"
    for split in ("test", "dev"):
        if split not in frames:
            frames["train"], frames[split] = cut(frames["train"], held_out, seed, source)
            origins[split] = f"{HELD_OUT_SHARE:.0%} of {source.name}, {at_random}"
            origins["train"] = f"the remaining pairs of {source.name}"
    return {split: frames[split].reset_index(drop=True) for split in SPLITS}, origins


def seen_phrase_share(splits: dict[str, pd.DataFrame], split: str = "test") -> float:
    """The share of a split's pairs with at least one phrase (case-insensitively) that also occurs in train."""
    train = phrase_keys(splits["train"])
    frame = splits[split]
    seen = frame["sentence_0"].map(phrase_key).isin(train) | frame["sentence_1"].map(phrase_key).isin(train)
    return float(seen.mean())


def phrase_disjoint(splits: dict[str, pd.DataFrame]) -> bool:
    """Whether no phrase occurs in two splits (what :func:`pairsim_utils.data.load_splits` then enforces)."""
    try:
        check_disjoint(splits, {split: f"{split}.csv" for split in splits})
    except PairsFileError:
        return False
    return True


def prepare_data(source: str | Path, name: str | None = None, seed: int = 42,
                 target_root: Path | str = PREPARED_DIR) -> Path:
    """Validate a data source, complete its splits and write them for the suite.

    Args:
        source: See :func:`source_files`.
        name: Folder name under ``target_root``; the source's name when ``None``.
        seed: Random seed for any split that has to be cut.
        target_root: Parent folder of prepared data sets.

    Returns:
        The folder with ``train.csv``, ``dev.csv``, ``test.csv``, ``SHA256SUMS`` and ``split.json``.

    Raises:
        PairsFileError: For any invalid file (naming file, line and column); nothing is written then.
    """
    source_name, files = source_files(source)
    name = name or source_name
    frames = {split: load_pairs(path) for split, path in files.items()}
    splits, origins = make_splits(frames, files, seed)
    columns = [c for c in splits["train"].columns if all(c in frame for frame in splits.values())]
    target_root = repo_path(target_root)
    target_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target_root))
    for split, frame in splits.items():
        frame[columns].to_csv(staging / f"{split}.csv", index=False, float_format="%.6g")
    (staging / CHECKSUM_FILE).write_bytes(
        checksums_bytes({f"{split}.csv": (staging / f"{split}.csv").read_bytes() for split in SPLITS}))
    seen = seen_phrase_share(splits)
    display_name, description = NAMED_DESCRIPTIONS.get(
        str(source).lower(), (name, f"the pairs in {relative_to_repo(repo_path(source))}."))
    record = {
        "name": display_name,
        "source": str(source) if str(source).lower() in NAMED_SOURCES else relative_to_repo(repo_path(source)),
        "description": description,
        "files": {key: relative_to_repo(path) for key, path in files.items()},
        "seed": seed,
        "splits": {split: {"pairs": len(splits[split]), "from": origins[split]} for split in SPLITS},
        "split_method": "; ".join(f"{split}: {origins[split]}" for split in SPLITS),
        "columns": columns,
        "test_pairs_with_seen_phrase": round(seen, 4),
        "phrase_disjoint": phrase_disjoint(splits),
    }
    (staging / SPLIT_RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    target = target_root / name
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target


def describe_data(data_dir: Path | str) -> dict[str, Any]:
    """What a data folder holds and how its splits were made, for notebooks and reports.

    Args:
        data_dir: The shipped concept pairs, or a folder written by :func:`prepare_data`.

    Returns:
        ``name``, ``description``, ``split_method``, ``phrase_disjoint`` and, for prepared data, the
        rest of its ``split.json``.
    """
    record = repo_path(data_dir) / SPLIT_RECORD
    if record.is_file():
        return json.loads(record.read_text(encoding="utf-8"))
    if is_shipped(data_dir):
        return dict(SHIPPED_DESCRIPTION)
    return {"name": repo_path(data_dir).name, "source": relative_to_repo(repo_path(data_dir)),
            "description": f"the pairs in {relative_to_repo(repo_path(data_dir))}", "phrase_disjoint": True,
            "split_method": "train, dev and test files as given"}
