from __future__ import annotations

import pandas as pd
import pytest

from pairsim_utils.benchmarks import BENCHMARKS, benchmark_for, benchmark_overview, load_benchmark
from pairsim_utils.data import PairsFileError, read_checksums
from pairsim_utils.paths import BENCHMARKS_DIR


def test_every_benchmark_loads_validated_and_checksummed():
    checksums = read_checksums(BENCHMARKS_DIR)
    for benchmark in BENCHMARKS:
        assert benchmark.file in checksums
        frame = load_benchmark(benchmark.name)
        assert frame.columns.tolist() == ["sentence_0", "sentence_1", "label", "original_score"]
        assert frame["label"].between(0, 1).all() and frame["label"].nunique() > 10


def test_men_split_is_the_whole():
    men, dev, test = (load_benchmark(name) for name in ("MEN", "men_dev", "men_test"))
    assert (len(dev), len(test)) == (2000, 1000)
    assert men.equals(pd.concat([dev, test], ignore_index=True))
    assert set(zip(dev["sentence_0"], dev["sentence_1"], strict=True)).isdisjoint(
        zip(test["sentence_0"], test["sentence_1"], strict=True))


def test_labels_are_rescaled_original_scores():
    scales = {"men.csv": (0, 50), "wordsim353.csv": (0, 10), "simlex999.csv": (0, 10),
              "mturk771.csv": (1, 5), "semeval17_en.csv": (0, 4)}
    for file, (low, high) in scales.items():
        frame = load_benchmark(file.removesuffix(".csv"))
        rescaled = (frame["original_score"].astype(float) - low) / (high - low)
        assert (rescaled - frame["label"]).abs().max() < 1e-6, file


def test_overview_lists_every_benchmark():
    overview = benchmark_overview()
    assert overview.index.tolist() == [b.name for b in BENCHMARKS]
    assert set(overview["measures"]) == {"relatedness", "similarity"}
    assert overview.loc["MEN", "pairs"] == 3000


def test_unknown_benchmark_is_a_clear_error():
    with pytest.raises(PairsFileError, match=r"no-such-set\.csv: no such file"):
        load_benchmark("no-such-set")


def test_benchmark_for_finds_a_file_stem_and_men_parts():
    assert benchmark_for("simlex999").measures == "similarity"
    assert benchmark_for("men_test") is benchmark_for("men_dev") is benchmark_for("men")
    with pytest.raises(KeyError, match="no benchmark file 'simlex'"):
        benchmark_for("simlex")


def test_descriptions_fit_a_table_cell():
    # Notebooks set pandas' display.max_colwidth to 80 (reproducibility.setup_notebook); longer cells end in "...".
    assert max(len(b.description) for b in BENCHMARKS) <= 80
