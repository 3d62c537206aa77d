"""Where things live in the repository, found relative to this package (never hard-coded)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
CONCEPT_PAIRS_DIR = DATA_DIR / "concept_pairs"
BENCHMARKS_DIR = DATA_DIR / "benchmarks"
GENERAL_PAIRS_DIR = DATA_DIR / "general_pairs"
RESULTS_DIR = DATA_DIR / "results"
RUNS_DIR = REPO_ROOT / "runs"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SEED_CARD = DATA_DIR / "seed_card" / "model_card.md"


def relative_to_repo(path: Path | str) -> str:
    """Show a path relative to the repository root, so outputs never leak a machine's layout.

    Args:
        path: Any path; paths outside the repository are shown by name only.

    Returns:
        A POSIX-style string such as ``runs/seed/config.json``.
    """
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return resolved.name


def repo_path(path: Path | str) -> Path:
    """Resolve a user-given path: absolute paths stay, relative ones are taken from the repository root.

    Notebooks run inside ``notebooks/`` while ``make`` runs at the root; anchoring relative paths
    at the root lets both pass the same parameter (e.g. ``data/concept_pairs``).

    Args:
        path: A path as given in a parameter or on the command line.

    Returns:
        An absolute path.
    """
    path = Path(path)
    return path if path.is_absolute() else REPO_ROOT / path
