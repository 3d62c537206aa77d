"""The committed results: fresh against committed, staleness, and the README rendered from them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pairsim_utils.config import SEED_CONFIG
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, REPO_ROOT
from pairsim_utils.readme_results import render_readme
from pairsim_utils.results import RESULTS_DIR, TABLES, TOLERANCE, drift, load_tables, save_results, stale_reason
from pairsim_utils.runs import fingerprint


def test_drift_flags_moves_past_the_tolerance_and_missing_rows():
    committed = {"headline": pd.DataFrame({"value": [0.5, 0.2]}, index=["a", "b"])}
    within = {"headline": pd.DataFrame({"value": [0.5 + TOLERANCE / 2, 0.2]}, index=["a", "b"])}
    assert drift(within, committed).empty
    moved = drift({"headline": pd.DataFrame({"value": [0.5 + 2 * TOLERANCE, 0.2]}, index=["a", "b"])}, committed)
    assert moved[["row", "column"]].values.tolist() == [["a", "value"]]
    missing = drift({"headline": pd.DataFrame({"value": [0.5]}, index=["a"])}, committed)
    assert missing["row"].tolist() == ["b"]
    undefined = drift({"headline": pd.DataFrame({"value": [float("nan"), 0.2]}, index=["a", "b"])}, committed)
    assert undefined["row"].tolist() == ["a"]


def test_save_results_copies_rounded_tables_and_the_fingerprint(tmp_path):
    run = tmp_path / "runs" / "demo"
    (run / "analysis").mkdir(parents=True)
    for name, index in TABLES.items():
        frame = pd.DataFrame({**{column: ["x", "y"] for column in index}, "value": [0.123456789, 1.0]})
        frame.to_csv(run / "analysis" / f"{name}.csv", index=False)
    (run / "fingerprint.json").write_text(json.dumps({"fingerprint": "abc"}), encoding="utf-8")
    target = save_results("demo", runs_dir=tmp_path / "runs", results_dir=tmp_path / "results")
    assert load_tables(target)["headline"]["value"].tolist() == [0.1235, 1.0]
    assert json.loads((target / "fingerprint.json").read_text())["fingerprint"] == "abc"
    (run / "analysis" / "slices.csv").unlink()
    with pytest.raises(FileNotFoundError, match="slices"):
        save_results("demo", runs_dir=tmp_path / "runs", results_dir=tmp_path / "results")


def test_committed_seed_results_belong_to_the_current_configuration_and_data():
    current = fingerprint(SEED_CONFIG, CONCEPT_PAIRS_DIR)
    assert stale_reason(RESULTS_DIR / "seed", current) is None
    other = fingerprint(SEED_CONFIG.replace(num_epochs=2), CONCEPT_PAIRS_DIR)
    assert "num_epochs" in stale_reason(RESULTS_DIR / "seed", other)


def test_committed_men_results_belong_to_the_current_configuration_and_data(tmp_path):
    from pairsim_utils.prepare import prepare_data

    prepared = prepare_data("men", target_root=tmp_path)
    assert stale_reason(RESULTS_DIR / "men", fingerprint(SEED_CONFIG, prepared)) is None


def test_readme_result_tables_are_rendered_from_the_committed_results():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme) == readme, "README.md's result tables differ from data/results/: run `make readme`"
    for run in ("seed", "men"):
        assert f"<!-- results:{run}-headline:start -->" in readme


def test_readme_rendering_follows_a_changed_result(tmp_path):
    import shutil

    shutil.copytree(RESULTS_DIR / "seed", tmp_path / "seed")
    headline = pd.read_csv(tmp_path / "seed" / "headline.csv")
    row = (headline["metric"] == "spearman") & (headline["model"] == "fine-tuned")
    headline.loc[row, "value"] = 0.987
    headline.to_csv(tmp_path / "seed" / "headline.csv", index=False)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "0.987 [" in render_readme(readme, tmp_path) and "0.987 [" not in readme


def test_readme_prose_about_men_holds_for_the_committed_results():
    """The README describes the MEN run in words; these are the facts those words rest on."""
    men, seed = load_tables(RESULTS_DIR / "men"), load_tables(RESULTS_DIR / "seed")
    base = ("spearman", "base")
    assert men["headline"].loc[base, "value"] > seed["headline"].loc[base, "value"] + 0.3  # "far better"
    assert men["headline"].loc[("spearman", "difference"), "concept low"] > 0  # "clearly above zero"
    grades = men["slices"].loc["label grade"]
    related = grades.index.str.startswith(("0.5", "0.75"))
    assert (grades.loc[related, "gain low"] > 0).all()  # "the error falls for pairs rated 0.5 and above"
    assert ((grades.loc[~related, "gain low"] < 0) & (grades.loc[~related, "gain high"] > 0)).all()
    change = men["benchmarks"]["change"]
    assert (change > 0).sum() > len(change) / 2 and abs(change["SimLex-999"]) < 0.02  # "most", "about where"
    assert (seed["benchmarks"]["change"] < 0).all()  # "at a cost on every benchmark"
