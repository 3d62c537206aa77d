"""The pairs loader: every bad input gets an error naming the file, line and column."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pairsim_utils.data import (
    PairsFileError,
    card_statistics,
    check_disjoint,
    load_pairs,
    load_splits,
    read_checksums,
    token_counts,
    word_overlap,
    words,
)

GOOD = ("sentence_0,sentence_1,label,relation,domain\n"
        "Wood,Sandpaper,1.0,tool_for,workshop\nAirport,Suitcase,0.5,loose,transport\n")


def write(tmp_path, text: str | bytes, name: str = "pairs.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads(tmp_path):
    frame = load_pairs(write(tmp_path, GOOD))
    assert frame.columns.tolist() == ["sentence_0", "sentence_1", "label", "relation", "domain"]
    assert frame["label"].tolist() == [1.0, 0.5] and frame["label"].dtype == float


def test_minimal_columns_and_any_order(tmp_path):
    frame = load_pairs(write(tmp_path, "label,sentence_1,sentence_0\n0.25,Steam, Ice \n"))
    assert frame.loc[0, "sentence_0"] == "Ice" and frame.loc[0, "label"] == 0.25


def test_missing_file(tmp_path):
    with pytest.raises(PairsFileError, match=r"absent\.csv: no such file"):
        load_pairs(tmp_path / "absent.csv")


@pytest.mark.parametrize(("text", "fragment"), [
    ("sentence_0,label\nA,1\n", "line 1: missing required column(s) 'sentence_1'"),
    ("sentence_0,sentence_1,label,score\nA,B,1,3\n", "line 1: unexpected column(s) 'score'"),
    ("sentence_0,sentence_1,label,label\nA,B,1,1\n", "line 1: column(s) 'label' appear more than once"),
    ("sentence_0,sentence_1,label\nA,B,1\n  ,C,0.5\n", "line 3, column 'sentence_0': empty phrase"),
    ("sentence_0,sentence_1,label\nA,,1\n", "line 2, column 'sentence_1': empty phrase"),
    ("sentence_0,sentence_1,label\nA,B,high\n", "line 2, column 'label': label 'high' is not a number"),
    ("sentence_0,sentence_1,label\nA,B,nan\n", "line 2, column 'label': label is NaN"),
    ("sentence_0,sentence_1,label\nA,B,\n", "line 2, column 'label': empty label"),
    ("sentence_0,sentence_1,label\nA,B,1.5\n", "line 2, column 'label': label 1.5 is outside 0-1"),
    ("sentence_0,sentence_1,label\nA,B,-0.1\n", "label -0.1 is outside 0-1"),
    ("sentence_0,sentence_1,label\nA,B,1\nC,D,0,extra\n", "line 3: 4 field(s), the header has 3"),
    ("sentence_0,sentence_1,label\nRust,rust,1\n", "line 2, column 'sentence_1': self-pair ('Rust' with itself)"),
    ("sentence_0,sentence_1,label\nA,B,1\nC,D,0\nb,a,0.5\n",
     "line 4, columns 'sentence_0'/'sentence_1': duplicate pair 'b' / 'a' (first on line 2, in either order)"),
    ("", "the file is empty"),
    ("sentence_0,sentence_1,label\n", "no pairs after the header"),
])
def test_bad_content_names_line_and_column(tmp_path, text, fragment):
    path = write(tmp_path, text)
    with pytest.raises(PairsFileError) as error:
        load_pairs(path)
    assert fragment in str(error.value)
    assert "pairs.csv" in str(error.value)


def test_all_problems_are_listed(tmp_path):
    path = write(tmp_path, "sentence_0,sentence_1,label\nA,B,x\nC,C,2\n")
    with pytest.raises(PairsFileError) as error:
        load_pairs(path)
    assert len(error.value.problems) == 3
    assert "3 problem(s)" in str(error.value)


def test_non_utf8_names_line_and_column(tmp_path):
    path = write(tmp_path, b"sentence_0,sentence_1,label\nWood,Sandpaper,1\nCaf\xe9,Espresso,1\n")
    with pytest.raises(PairsFileError, match=r"line 3, column 'sentence_0': byte 0xe9 is not UTF-8"):
        load_pairs(path)
    path = write(tmp_path, b"sentence_0,sentence_1,label\nWood,Caf\xe9 Au Lait,1\n")
    with pytest.raises(PairsFileError, match=r"line 2, column 'sentence_1'"):
        load_pairs(path)


def test_checksum_is_verified(tmp_path):
    path = write(tmp_path, GOOD)
    digest = hashlib.sha256(GOOD.encode()).hexdigest()
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  pairs.csv\n", encoding="utf-8")
    assert read_checksums(tmp_path) == {"pairs.csv": digest}
    assert len(load_pairs(path)) == 2
    path.write_text(GOOD.replace("0.5", "0.0"), encoding="utf-8")
    with pytest.raises(PairsFileError, match=r"pairs.csv: checksum mismatch"):
        load_pairs(path)
    assert len(load_pairs(path, verify=False)) == 2


def test_malformed_checksum_file(tmp_path):
    write(tmp_path, GOOD)
    (tmp_path / "SHA256SUMS").write_text("not a digest\n", encoding="utf-8")
    with pytest.raises(PairsFileError, match="SHA256SUMS: line 1"):
        load_pairs(tmp_path / "pairs.csv")


def test_overlap_between_splits_names_file_line_and_column(tmp_path):
    write(tmp_path, GOOD, "train.csv")
    write(tmp_path, "sentence_0,sentence_1,label\nIce,Steam,1\n", "dev.csv")
    write(tmp_path, "sentence_0,sentence_1,label\nKettle,Limescale,1\nfog,sandpaper,0\n", "test.csv")
    with pytest.raises(PairsFileError) as error:
        load_splits(tmp_path)
    assert "test.csv: line 3, column 'sentence_1': 'sandpaper' also appears in the train split" in str(error.value)
    assert len(load_splits(tmp_path, require_disjoint=False)) == 3
    assert set(load_splits(tmp_path, splits=("train", "dev"))) == {"train", "dev"}


def test_check_disjoint_passes_disjoint_frames():
    frames = {"train": pd.DataFrame({"sentence_0": ["A"], "sentence_1": ["B"]}),
              "dev": pd.DataFrame({"sentence_0": ["C"], "sentence_1": ["D"]})}
    check_disjoint(frames, {"train": "train.csv", "dev": "dev.csv"})


def test_words_and_overlap():
    assert words("Pool Table") == {"pool", "table"}
    assert words("Tank-Top") == {"tank", "top"}
    assert word_overlap("Pool Table", "Gene Pool") == pytest.approx(1 / 3)
    assert word_overlap("Wood", "Sandpaper") == 0.0
    assert word_overlap("Ice", "ice") == 1.0


def test_token_counts_and_card_statistics(base_model):
    tokenizer = base_model.tokenizer
    assert token_counts(["Ice", "Hydraulic Jack", "Terraforming Device"], tokenizer) == [3, 4, 6]
    frame = pd.DataFrame({"sentence_0": ["Ice", "Wood"], "sentence_1": ["Steam", "Hydraulic Jack"],
                          "label": [1.0, 0.0]})
    stats = card_statistics(frame, tokenizer)
    assert stats.loc["sentence_0"].tolist() == [3.0, 3.0, 3.0]
    assert stats.loc["sentence_1"].tolist() == [3.0, 3.5, 4.0]
    assert stats.loc["label"].tolist() == [0.0, 0.5, 1.0]
