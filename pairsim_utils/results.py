"""The committed results: small tables under ``data/results/<run>/`` that guard the headline numbers.

Notebook 5 writes a run's analysis to ``runs/<run>/analysis/``; :func:`save_results` copies its headline
and outside-benchmark tables here, rounded, with the fingerprint of what the run was trained from.
``make test`` then checks three things: the committed tables belong to the current configuration and
data (:func:`stale_reason`), a fresh run's analysis agrees with them within :data:`TOLERANCE`
(:func:`drift`), and the README's tables are rendered from them (:mod:`pairsim_utils.readme_results`).

Usage: ``python -m pairsim_utils.results [--run seed]`` (``make results``, after ``make run``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import pandas as pd

from pairsim_utils.analysis import ANALYSIS_TABLES
from pairsim_utils.files import write_text_atomic
from pairsim_utils.paths import RESULTS_DIR, RUNS_DIR, relative_to_repo, repo_path

logger = logging.getLogger(__name__)


TABLES = {name: ANALYSIS_TABLES[name] for name in ("headline", "benchmarks", "slices")}
"""The analysis tables that are committed (name -> index columns)."""
DIGITS = 4

TOLERANCE = 0.001
"""Largest absolute difference allowed between a fresh analysis and the committed one, for every value
and interval bound. Measured: the seed configuration trained with 1 and with 2 CPU threads (weights
not bit-identical) gives analyses that differ by at most 6.0e-5 (a concept-interval bound of the
Spearman gain; values by at most 6e-6), see ``data/results/README.md``. A tolerance of about 16 times
that still fails on a drift of a thousandth, far below any difference the findings could claim."""


def load_tables(folder: Path | str) -> dict[str, pd.DataFrame]:
    """Read the result tables of an analysis or a committed results folder.

    Args:
        folder: ``runs/<run>/analysis`` or ``data/results/<run>``.

    Returns:
        Table name -> frame (only the tables the folder has).
    """
    folder = repo_path(folder)
    return {name: pd.read_csv(folder / f"{name}.csv", index_col=index)
            for name, index in TABLES.items() if (folder / f"{name}.csv").is_file()}


def save_results(run: str = "seed", runs_dir: Path | str = RUNS_DIR, results_dir: Path | str = RESULTS_DIR) -> Path:
    """Commit-ready copy of a run's analysis tables, rounded, with what the run was trained from.

    Args:
        run: The run's name under ``runs_dir``.
        runs_dir: Parent folder of runs.
        results_dir: Parent folder of committed results.

    Returns:
        The folder written, ``<results_dir>/<run>``.

    Raises:
        FileNotFoundError: When the run has no analysis yet (run notebook 5 on it first).
    """
    run_dir = repo_path(runs_dir) / run
    analysis = run_dir / "analysis"
    tables = load_tables(analysis)
    if set(tables) != set(TABLES):
        raise FileNotFoundError(f"{relative_to_repo(analysis)}/ lacks {sorted(set(TABLES) - set(tables))}: "
                                f"run notebook 5 on run {run!r} first (`make run`).")
    target = repo_path(results_dir) / run
    target.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_text_atomic(target / f"{name}.csv", table.round(DIGITS).to_csv())
    record = json.loads((run_dir / "fingerprint.json").read_text(encoding="utf-8"))
    write_text_atomic(target / "fingerprint.json", json.dumps(record, indent=2, sort_keys=True) + "\n")
    logger.info("%s/: results written from %s/", relative_to_repo(target), relative_to_repo(analysis))
    return target


def stale_reason(committed: Path | str, current_fingerprint: dict) -> str | None:
    """Whether committed results still describe what the current code would train.

    Args:
        committed: A folder written by :func:`save_results`.
        current_fingerprint: :func:`pairsim_utils.runs.fingerprint` of today's configuration and data.

    Returns:
        ``None`` when they match, else what changed (configuration settings or data files).
    """
    recorded = json.loads((repo_path(committed) / "fingerprint.json").read_text(encoding="utf-8"))
    if recorded["fingerprint"] == current_fingerprint["fingerprint"]:
        return None
    settings = sorted(k for k in current_fingerprint["config"]
                      if recorded["config"].get(k) != current_fingerprint["config"][k])
    files = sorted(k for k in current_fingerprint["data"] if recorded["data"].get(k) != current_fingerprint["data"][k])
    return (f"{relative_to_repo(committed)}/ was computed for other settings {settings} or data {files}: "
            "rerun `make run` and `make results`")


def drift(fresh: dict[str, pd.DataFrame], committed: dict[str, pd.DataFrame],
          tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Every number of the committed tables that a fresh analysis moved by more than ``tolerance``.

    Args:
        fresh: :func:`load_tables` of a fresh run's analysis.
        committed: :func:`load_tables` of the committed results.
        tolerance: Largest absolute difference allowed.

    Returns:
        One row per number beyond tolerance or missing: ``table``, ``row``, ``column``, ``committed``,
        ``fresh``; empty when the fresh analysis agrees.
    """
    rows = []
    for name, expected in committed.items():
        got = fresh.get(name, pd.DataFrame())
        for column in expected.select_dtypes("number").columns:
            for row, value in expected[column].items():
                new = got[column].get(row) if column in got else None
                if new is None or (pd.isna(value) != pd.isna(new)) or abs(float(new) - float(value)) > tolerance:
                    rows.append({"table": name, "row": row, "column": column, "committed": value, "fresh": new})
    return pd.DataFrame(rows, columns=["table", "row", "column", "committed", "fresh"])


def main(argv: list[str] | None = None) -> int:
    """Write ``data/results/<run>/`` from ``runs/<run>/analysis``."""
    parser = argparse.ArgumentParser(description="Copy a run's analysis tables to data/results/ for committing.")
    parser.add_argument("--run", default="seed")
    args = parser.parse_args(argv)
    from pairsim_utils.reproducibility import show_status_lines

    show_status_lines()
    save_results(args.run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
