"""The outside word-relatedness benchmarks in ``data/benchmarks/`` (see its SOURCES.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pairsim_utils.data import load_pairs
from pairsim_utils.paths import BENCHMARKS_DIR


@dataclass(frozen=True)
class Benchmark:
    """One human-rated benchmark file.

    Attributes:
        name: Short display name.
        file: CSV file name in ``data/benchmarks/``.
        measures: ``"relatedness"`` (any association counts) or ``"similarity"`` (likeness only).
        scale: The original rating scale.
        description: One line for readers.
    """

    name: str
    file: str
    measures: str
    scale: str
    description: str


BENCHMARKS = (
    Benchmark("MEN", "men.csv", "relatedness", "0-50",
              "3,000 pairs rated for relatedness by crowd workers (dev 2,000 / test 1,000)"),
    Benchmark("WS-353", "wordsim353.csv", "relatedness", "0-10",
              "WordSim-353: 353 pairs, similarity and relatedness mixed"),
    Benchmark("WS-353 relatedness", "wordsim353_relatedness.csv", "relatedness", "0-10",
              "the related-but-not-similar half of WordSim-353 (Agirre et al.)"),
    Benchmark("WS-353 similarity", "wordsim353_similarity.csv", "similarity", "0-10",
              "the similar-or-unrelated half of WordSim-353 (Agirre et al.)"),
    Benchmark("SimLex-999", "simlex999.csv", "similarity", "0-10",
              "999 pairs rated for similarity only: related-but-unlike pairs score low"),
    Benchmark("MTurk-771", "mturk771.csv", "relatedness", "1-5",
              "771 pairs rated for relatedness by Mechanical Turk workers"),
    Benchmark("SemEval-17", "semeval17_en.csv", "similarity", "0-4",
              "SemEval-2017 task 2 English: 500 pairs, some multiword terms and names"),
)


def benchmark_for(stem: str) -> Benchmark:
    """The benchmark a file stem belongs to; MEN's parts (``men_dev``, ``men_test``) belong to MEN.

    Raises:
        KeyError: Naming the file stems there are.
    """
    by_stem = {Path(b.file).stem: b for b in BENCHMARKS}
    whole = stem.removesuffix("_dev").removesuffix("_test")
    if whole not in by_stem:
        raise KeyError(f"no benchmark file {stem!r}; the benchmarks are {', '.join(by_stem)}")
    return by_stem[whole]


def load_benchmark(name: str, directory: Path | str = BENCHMARKS_DIR) -> pd.DataFrame:
    """Load one benchmark by display name or file stem (``"MEN"``, ``"men"``, ``"men_test"``…).

    Args:
        name: A name from :data:`BENCHMARKS` or a CSV stem in the folder.
        directory: The benchmarks folder.

    Returns:
        Validated pairs with ``label`` in 0-1 and the ``original_score``.
    """
    by_name = {b.name.lower(): b.file for b in BENCHMARKS}
    file = by_name.get(name.lower(), f"{name}.csv")
    return load_pairs(Path(directory) / file)


def benchmark_overview(directory: Path | str = BENCHMARKS_DIR) -> pd.DataFrame:
    """One row per benchmark: what it measures, its scale, pairs, distinct words, multiword share and the mean label."""
    rows = []
    for benchmark in BENCHMARKS:
        frame = load_benchmark(benchmark.name, directory)
        phrases = pd.concat([frame["sentence_0"], frame["sentence_1"]])
        rows.append({"benchmark": benchmark.name, "measures": benchmark.measures,
                     "original scale": benchmark.scale, "pairs": len(frame),
                     "distinct terms": phrases.str.lower().nunique(),
                     "multiword share": round(float(phrases.str.contains(" ").mean()), 3),
                     "mean label": round(float(frame["label"].mean()), 3),
                     "description": benchmark.description})
    return pd.DataFrame(rows).set_index("benchmark")
