from __future__ import annotations

import json

import pandas as pd
import pytest

from pairsim_utils.data import PairsFileError, load_splits
from pairsim_utils.paths import BENCHMARKS_DIR, CONCEPT_PAIRS_DIR
from pairsim_utils.prepare import (
    HELD_OUT_SHARE,
    describe_data,
    is_shipped,
    prepare_data,
    seen_phrase_share,
    source_files,
)


def _pairs_file(path, rows=60, extra=None):
    """A small, valid pairs file with continuous labels, taken from MEN's test part."""
    frame = pd.read_csv(BENCHMARKS_DIR / "men_test.csv").head(rows)[["sentence_0", "sentence_1", "label"]]
    if extra:
        frame = frame.assign(**extra)
    frame.to_csv(path, index=False)
    return path


def test_single_file_is_cut_reproducibly_into_three_documented_splits(tmp_path):
    source = _pairs_file(tmp_path / "my pairs.csv")
    first = prepare_data(source, target_root=tmp_path / "prepared")
    assert first.name == "my-pairs"
    splits = load_splits(first)
    held_out = round(HELD_OUT_SHARE * 60)
    assert {name: len(frame) for name, frame in splits.items()} == {"train": 60 - 2 * held_out,
                                                                     "dev": held_out, "test": held_out}
    together = pd.concat(splits.values())
    assert len(together.drop_duplicates(["sentence_0", "sentence_1"])) == 60
    record = json.loads((first / "split.json").read_text())
    assert record["seed"] == 42 and "drawn at random" in record["splits"]["test"]["from"]
    assert record["columns"] == ["sentence_0", "sentence_1", "label"]
    again = prepare_data(source, name="again", target_root=tmp_path / "prepared")
    for split in ("train", "dev", "test"):
        assert (first / f"{split}.csv").read_bytes() == (again / f"{split}.csv").read_bytes()
    other_seed = prepare_data(source, name="other", seed=7, target_root=tmp_path / "prepared")
    assert (other_seed / "test.csv").read_bytes() != (first / "test.csv").read_bytes()


def test_given_splits_are_kept_and_only_dev_is_cut(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    train = pd.read_csv(CONCEPT_PAIRS_DIR / "train.csv").head(40)
    test = pd.read_csv(CONCEPT_PAIRS_DIR / "test.csv").head(20)
    train.to_csv(folder / "train.csv", index=False)
    test.to_csv(folder / "test.csv", index=False)
    prepared = prepare_data(folder, target_root=tmp_path / "prepared")
    splits = load_splits(prepared)
    assert splits["test"][["sentence_0", "sentence_1"]].equals(test[["sentence_0", "sentence_1"]])
    assert len(splits["dev"]) == round(HELD_OUT_SHARE * 40) and len(splits["train"]) == 40 - len(splits["dev"])
    record = describe_data(prepared)
    assert record["splits"]["test"]["from"] == "test.csv"
    assert "relation" in record["columns"] and "domain" in record["columns"]


def test_men_keeps_its_published_test_part_and_records_shared_words(tmp_path):
    prepared = prepare_data("men", target_root=tmp_path)
    record = describe_data(prepared)
    assert record["splits"]["test"] == {"pairs": 1000, "from": "men_test.csv"}
    assert record["splits"]["train"]["pairs"] + record["splits"]["dev"]["pairs"] == 2000
    assert not record["phrase_disjoint"] and record["test_pairs_with_seen_phrase"] > 0.5
    splits = load_splits(prepared)  # not phrase-disjoint, and the record says so: loading must not refuse
    assert seen_phrase_share(splits) == pytest.approx(record["test_pairs_with_seen_phrase"], abs=1e-4)
    with pytest.raises(PairsFileError, match="also appears in the"):
        load_splits(prepared, require_disjoint=True)


def test_bad_file_names_file_line_and_column_and_writes_nothing(tmp_path):
    source = _pairs_file(tmp_path / "bad.csv")
    lines = source.read_text().splitlines()
    lines[5] = "rose,thorn,1.7"
    source.write_text("\n".join(lines) + "\n")
    with pytest.raises(PairsFileError, match=r"bad.csv: line 6, column 'label': label 1.7 is outside 0-1"):
        prepare_data(source, target_root=tmp_path / "prepared")
    assert not (tmp_path / "prepared").exists() or not any((tmp_path / "prepared").iterdir())


def test_unexpected_column_and_missing_source_are_clear(tmp_path):
    source = _pairs_file(tmp_path / "extra.csv", extra={"annotator": "me"})
    with pytest.raises(PairsFileError, match=r"line 1: unexpected column\(s\) 'annotator'"):
        prepare_data(source, target_root=tmp_path / "prepared")
    with pytest.raises(PairsFileError, match="no such file or folder"):
        source_files(tmp_path / "nowhere.csv")
    assert source_files(_pairs_file(tmp_path / "cache.csv"))[0] == "cache-pairs"  # runs/cache/ holds embeddings


def test_too_small_a_file_cannot_be_split(tmp_path):
    source = _pairs_file(tmp_path / "tiny.csv", rows=8)
    with pytest.raises(PairsFileError, match="only 8 pairs"):
        prepare_data(source, target_root=tmp_path / "prepared")


def test_disjointness_counts_every_pair_of_splits():
    from pairsim_utils.prepare import phrase_disjoint

    def pairs(*rows):
        return pd.DataFrame(rows, columns=["sentence_0", "sentence_1"])

    apart = {"train": pairs(("a", "b")), "dev": pairs(("c", "d")), "test": pairs(("e", "f"))}
    assert phrase_disjoint(apart)
    assert not phrase_disjoint({**apart, "test": pairs(("C", "f"))})  # dev and test share "c"


def test_shipped_data_is_recognised_and_described():
    assert is_shipped("data/concept_pairs") and is_shipped(CONCEPT_PAIRS_DIR)
    assert not is_shipped("runs/data/men")
    assert describe_data("data/concept_pairs")["phrase_disjoint"] is True
