"""Notebook 7's experiments grid: the committed table is current, rows are read right, every variant trains."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from pairsim_utils import experiments
from pairsim_utils.experiments import (
    OUTSIDE,
    SCORED,
    TABLE_FILE,
    VARIANTS,
    Variant,
    load_table,
    recipe_fingerprint,
    run_experiment,
    run_rows,
    stale_runs,
    variant,
)
from pairsim_utils.paths import CONCEPT_PAIRS_DIR


def test_committed_results_come_from_todays_code_config_and_data():
    table = load_table(TABLE_FILE)
    assert not table.empty
    stale = stale_runs(table)
    assert not stale, (f"{', '.join(stale)} were trained from other code, settings or data than today's: "
                       "run `make experiments` and commit data/results/experiments.csv")


def test_a_changed_setting_or_data_file_changes_the_fingerprint(tmp_path):
    card = variant("card")
    assert recipe_fingerprint(card.config(42)) == recipe_fingerprint(card.config(42))
    assert recipe_fingerprint(card.config(42)) != recipe_fingerprint(card.config(43))
    assert recipe_fingerprint(card.config(42)) != recipe_fingerprint(variant("cosent").config(42))
    data = tmp_path / "data"
    shutil.copytree(CONCEPT_PAIRS_DIR, data)
    (data / "SHA256SUMS").unlink()
    (data / "train.csv").write_text((data / "train.csv").read_text() + "Oak,Acorn,1.0,part_of,nature\n")
    assert recipe_fingerprint(card.config(42), data) != recipe_fingerprint(card.config(42))


def test_unknown_variants_are_named():
    with pytest.raises(KeyError, match="the grid has card"):
        variant("nonsense")


def _fake_run(run_dir, epochs=2):
    run_dir.mkdir(parents=True)
    history = [{"loss": 0.1, "epoch": 0.5}]
    history += [{"epoch": float(epoch), **{f"eval_{name}_spearman_cosine": epoch / 10 + i / 100
                                           for i, name in enumerate(SCORED)}} for epoch in range(1, epochs + 1)]
    (run_dir / "log_history.json").write_text(json.dumps(history))
    (run_dir / "environment.json").write_text(json.dumps({"wall_seconds": 12.5}))
    sweep = pd.DataFrame({"alpha": [0.0, 1.0], **{name: [0.3, 0.6] for name in SCORED}})
    sweep.to_csv(run_dir / "sweep.csv", index=False)


def test_rows_are_one_per_epoch_and_one_per_alpha(tmp_path):
    _fake_run(tmp_path / "run")
    rows = run_rows(tmp_path / "run", "card", 42, "abc")
    assert list(rows["stage"]) == ["epoch", "epoch", "alpha", "alpha"]
    assert list(rows["point"]) == [1.0, 2.0, 0.0, 1.0]
    first = rows.iloc[0]
    assert first["dev"] == 0.1 and first["test"] == pytest.approx(0.12)
    assert first["outside_mean"] == pytest.approx(round(sum(0.1 + SCORED.index(n) / 100 for n in OUTSIDE) / 5, 4))
    assert set(rows["fingerprint"]) == {"abc"} and set(rows["train_seconds"]) == {12.5}


@pytest.mark.slow
@pytest.mark.parametrize("spec", VARIANTS, ids=[spec.name for spec in VARIANTS])
def test_every_variant_trains_and_sweeps_on_a_small_subset(spec, tmp_path, base_model):
    # 20 training pairs for 2 epochs, 10 of each scored set, 2 alphas: a smoke test of the code path, never a result.
    short = Variant(spec.name, spec.description, {**spec.changes, "num_epochs": 2})
    run_dir = run_experiment(short, 42, runs_dir=tmp_path, base=base_model, alphas=(0.0, 1.0), train_rows=20,
                             eval_rows=10)
    rows = run_rows(run_dir, spec.name, 42, "smoke")
    assert list(rows.loc[rows["stage"] == "epoch", "point"]) == [1.0, 2.0]
    assert list(rows.loc[rows["stage"] == "alpha", "point"]) == [0.0, 1.0]
    assert rows[list(SCORED)].notna().all().all()
    environment = json.loads((run_dir / "environment.json").read_text())
    extra = round(spec.config(42).replay_ratio * 20)
    assert environment["steps"] == -(-(20 + extra) // 10) * 2


def test_the_grid_names_its_seeds_and_every_variant_once():
    assert experiments.SEEDS[0] == 42 and len(set(experiments.SEEDS)) == 3
    assert len({spec.name for spec in VARIANTS}) == len(VARIANTS)
