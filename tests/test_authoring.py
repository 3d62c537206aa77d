"""The concept-pair build (pairsim_utils.authoring): rules, conflicts, sampling, drawn negatives, determinism."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from pairsim_utils.authoring.build import build, build_frames, main, stale_outputs, write_outputs
from pairsim_utils.authoring.selection import resolve_conflicts, select_train
from pairsim_utils.authoring.source import AuthoredPair, Recipe, SourceError, is_title_phrase
from pairsim_utils.concepts import concept_clashes
from pairsim_utils.data import check_disjoint, load_splits, words
from pairsim_utils.data_card import missed_targets
from pairsim_utils.paths import CONCEPT_PAIRS_DIR

NAMES = ["Anvil", "Bellows", "Chisel", "Dowel", "Easel", "Funnel", "Gimlet", "Hammer", "Ingot", "Jigsaw",
         "Kettle", "Ladle", "Mortar", "Nozzle", "Oven", "Pestle", "Quill", "Rake", "Sieve", "Tongs"]


def domain_file(domain: str, prefix: str) -> dict:
    """A small but real-looking domain: chains of interactions, loose pairs and traps per split."""
    def chain(tag: str, count: int, relation: str) -> list[list[str]]:
        return [[f"{prefix}{tag}{NAMES[i]}", f"{prefix}{tag}{NAMES[i + 1]}", relation] for i in range(count)]
    return {"domain": domain,
            "train": chain("Tr", 12, "causes") + chain("Tl", 8, "loose")
            + [[f"{prefix} Trap Field", f"Field {prefix} Mouse", "lexical_trap"]],
            "dev": chain("Dv", 6, "tool_for") + chain("Dl", 3, "loose"),
            "test": chain("Ts", 6, "made_from") + chain("Tsl", 3, "loose")}


RECIPE = {"seed": 7, "train_rows": 40, "train_mix": {"interaction": 0.4, "association": 0.2},
          "eval_label_mean": 0.48, "max_unrelated_uses": 3,
          "neighbouring_domains": [["alpha", "gamma"]], "not_unrelated": []}


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    for domain, prefix in (("alpha", "Red"), ("beta", "Blue"), ("gamma", "Green")):
        (folder / f"{domain}.yaml").write_text(yaml.safe_dump(domain_file(domain, prefix)), encoding="utf-8")
    (folder / "recipe.yaml").write_text(yaml.safe_dump(RECIPE), encoding="utf-8")
    return folder


def pair(a, b, relation="causes", split="train", domain="alpha", where="x"):
    return AuthoredPair(a, b, relation, domain=domain, split=split, where=where)


def test_title_phrases():
    assert is_title_phrase("Wood") and is_title_phrase("Cup of Tea") and is_title_phrase("Self-Esteem")
    assert is_title_phrase("Good Night's Sleep")
    for bad in ("wood", "Deep space", "Four Words Are Many", " Ice", "Ice!", "of Tea"):
        assert not is_title_phrase(bad), bad


def test_build_sizes_labels_and_disjointness(source, base_model):
    frames = build_frames(source, base_model.tokenizer)
    set_aside = frames.pop("set_aside")
    assert len(frames["train"]) == RECIPE["train_rows"]
    train = frames["train"]
    assert (train["relation"] == "causes").sum() == 16 and (train["relation"] == "loose").sum() == 8
    assert (train["relation"] == "lexical_trap").sum() == 3
    assert set(set_aside["reason"].str.startswith("not sampled")) == {True}
    assert len(set_aside) == 3 * 20 - 24
    for frame in frames.values():
        assert frame["label"].isin([0.0, 0.5, 1.0]).all()
        assert (frame.loc[frame["relation"] == "loose", "label"] == 0.5).all()
    for split in ("dev", "test"):
        assert frames[split]["label"].mean() == pytest.approx(0.48, abs=0.03)
    check_disjoint(frames, {s: f"{s}.csv" for s in frames})


def test_drawn_unrelated_pairs_follow_the_rules(source, base_model):
    frames = build_frames(source, base_model.tokenizer)
    domain_of = {}
    for path in source.glob("[!r]*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for split in ("train", "dev", "test"):
            for a, b, _ in document[split]:
                domain_of[a.lower()] = domain_of[b.lower()] = document["domain"]
    for split in ("train", "dev", "test"):
        unrelated = frames[split][frames[split]["relation"] == "unrelated"]
        assert len(unrelated) > 0
        for row in unrelated.itertuples():
            domains = {domain_of[row.sentence_0.lower()], domain_of[row.sentence_1.lower()]}
            assert len(domains) == 2 and domains != {"alpha", "gamma"}
            assert not words(row.sentence_0) & words(row.sentence_1) - {"red", "blue", "green"}
            assert row.domain == domain_of[row.sentence_0.lower()]
            first, second = base_model.tokenizer([row.sentence_0, row.sentence_1])["input_ids"]
            assert len(first) <= len(second)  # fewer tokens first


def test_build_is_deterministic(source, base_model):
    first = build_frames(source, base_model.tokenizer)
    second = build_frames(source, base_model.tokenizer)
    for name in first:
        assert first[name].equals(second[name])


def test_conflicts_are_set_aside_with_reasons():
    pairs = [pair("Ice", "Steam", split="train"), pair("Ice", "Frost", split="dev", where="d0"),
             pair("Fog", "Mist", split="dev"), pair("Fog", "Haze", split="test"),
             pair("Fog", "Smog", split="test"), pair("Steam", "Ice", where="again")]
    kept, set_aside = resolve_conflicts(pairs)
    assert [(p.sentence_0, p.sentence_1) for p in kept] == [("Ice", "Steam"), ("Fog", "Haze"), ("Fog", "Smog")]
    reasons = {p.where if p.where != "x" else p.sentence_1: r for p, r in set_aside}
    assert reasons["d0"] == "'Ice' belongs to the train split"
    assert reasons["Mist"] == "'Fog' belongs to the test split"
    assert reasons["again"] == "repeats x"


def test_concepts_are_disjoint_after_normalisation():
    pairs = [pair("Rock", "Chisel", split="train", where="r0"), pair("Rock", "Hammer", split="train", where="r1"),
             pair("Rocks", "Landslide", split="test", where="t0"),
             pair("Glacier Ice", "Meltwater", split="dev", where="d0"), pair("Glacier Ice", "Crevasse", split="dev"),
             pair("Glacier", "Valley", split="train", where="g0")]
    kept, set_aside = resolve_conflicts(pairs)
    reasons = {p.where: r for p, r in set_aside}
    # a train pair costs 1, a dev or test pair 4: the train side of each clash goes
    assert reasons["g0"] == "'glacier' (train) names the same concept as 'glacier ice' (dev)"
    assert reasons["r0"] == reasons["r1"] == "'rock' (train) names the same concept as 'rocks' (test)"
    kept_phrases = {(p.split, phrase.lower()) for p in kept for phrase in (p.sentence_0, p.sentence_1)}
    assert ("dev", "glacier ice") in kept_phrases and ("train", "glacier") not in kept_phrases


def test_near_duplicates_inside_a_split_are_merged():
    pairs = [pair("Heat", "Air Conditioner", where="a"), pair("Air Conditioning", "Heat", where="b"),
             pair("Cloud", "Water Droplet", where="c"), pair("Cloud", "Water Droplets", where="d"),
             pair("Cloud", "Rain", where="e"), pair("Lightning", "Lightning Rod", where="f"),
             pair("Lightning", "Lightning Round", relation="lexical_trap", where="g")]
    kept, set_aside = resolve_conflicts(pairs)
    assert [p.where for p in kept] == ["a", "c", "e", "f", "g"]
    assert {p.where: r for p, r in set_aside} == {
        "b": "near-duplicate of Heat / Air Conditioner (a)", "d": "near-duplicate of Cloud / Water Droplet (c)"}


def test_train_keeps_negatives_and_related_pairs_that_share_a_word():
    recipe = Recipe(seed=1, train_rows=10, interaction_share=0.2, association_share=0.2, trap_share=None,
                    eval_label_mean=0.48,
                    max_unrelated_uses=3, neighbouring_domains=frozenset(), not_unrelated=frozenset(), targets={})
    pairs = [pair(f"Alpha{NAMES[i]}", f"Beta{NAMES[i]}", "causes") for i in range(6)]
    pairs += [pair("Tire", "Tire Iron", "tool_for")]
    pairs += [pair(f"Gamma{NAMES[i]}", f"Delta{NAMES[i]}", "same_kind") for i in range(6)]
    pairs += [pair("Oak", "Oat", "lookalike"), pair("Anvil", "Grout", "hard_negative")]
    kept = select_train(pairs, recipe)
    assert [p.sentence_0 for p in kept].count("Tire") == 1
    assert sum(p.relation == "causes" for p in kept) == 1  # 2 interaction rows, one taken by Tire / Tire Iron
    assert sum(p.relation == "same_kind" for p in kept) == 2
    assert {"lookalike", "hard_negative"} <= {p.relation for p in kept}


@pytest.mark.parametrize(("entry", "fragment"), [
    (["wood", "Sandpaper", "tool_for"], "'wood' is not a Title Case phrase"),
    (["Wood", "Sandpaper", "fixes"], "unknown relation 'fixes'"),
    (["Wood", "wood", "tool_for"], "self-pair 'Wood'"),
    (["Window Blinds", "Blind Date", "lexical_trap"], "shares no word"),
    (["Carton", "Carton Box", "lookalike"], "shares a whole word"),
    (["Wood", "Supercalifragilistic Pneumonoultramicroscopic", "causes"], "is over 8 tokens"),
    (["RedTrAnvil", "RedTrBellows", "loose"], "has label 0.5 here and 1.0"),
    (["REDTRANVIL", "Kiln", "causes"], "phrase spelled 2 ways"),
])
def test_rule_breaks_are_reported_with_their_place(source, base_model, entry, fragment):
    path = source / "alpha.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["train"].append(entry)
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(SourceError) as error:
        build_frames(source, base_model.tokenizer)
    assert fragment in str(error.value)
    if "spelled" not in fragment:
        assert "alpha.yaml:train[" in str(error.value)


def test_malformed_entry(source, base_model):
    path = source / "beta.yaml"
    path.write_text(yaml.safe_dump({"domain": "beta", "train": [["Only", "Two"]]}), encoding="utf-8")
    with pytest.raises(SourceError, match=r"beta.yaml:train\[0\]: expected \[Phrase A, Phrase B, relation\]"):
        build_frames(source, base_model.tokenizer)


def test_not_enough_concepts_for_negatives(source, base_model):
    recipe = yaml.safe_load((source / "recipe.yaml").read_text(encoding="utf-8"))
    recipe["train_rows"] = 400
    (source / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    with pytest.raises(SourceError, match="could only draw"):
        build_frames(source, base_model.tokenizer)


def test_recipe_not_unrelated_is_respected(source, base_model):
    frames = build_frames(source, base_model.tokenizer)
    drawn = frames["dev"][frames["dev"]["relation"] == "unrelated"].iloc[0]
    recipe = yaml.safe_load((source / "recipe.yaml").read_text(encoding="utf-8"))
    recipe["not_unrelated"] = [[drawn["sentence_0"], drawn["sentence_1"]]]
    (source / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    assert Recipe.load(source / "recipe.yaml").not_unrelated
    again = build_frames(source, base_model.tokenizer)["dev"]
    pairs = {frozenset((a, b)) for a, b in zip(again["sentence_0"], again["sentence_1"], strict=True)}
    assert frozenset((drawn["sentence_0"], drawn["sentence_1"])) not in pairs


def test_write_check_and_load_round_trip(source, tmp_path, capsys):
    data_dir = source.parent
    (data_dir / "README.md").write_text("# card\n<!-- statistics:start -->\nold\n<!-- statistics:end -->\nend\n",
                                        encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir)]) == 0
    assert main(["--data-dir", str(data_dir), "--check"]) == 0
    splits = load_splits(data_dir)  # verifies SHA256SUMS
    assert len(splits["train"]) == RECIPE["train_rows"]
    readme = (data_dir / "README.md").read_text(encoding="utf-8")
    assert "| pairs | 3,201 | 40 |" in readme and readme.endswith("end\n") and "old" not in readme
    assert not list(data_dir.glob(".*"))  # no temporary files left behind


def test_nothing_is_written_when_the_source_is_broken(source, capsys):
    data_dir = source.parent
    (source / "alpha.yaml").write_text(yaml.safe_dump({"domain": "alpha", "train": [["a", "B", "causes"]]}),
                                       encoding="utf-8")
    assert main(["--data-dir", str(data_dir)]) == 1
    assert "'a' is not a Title Case phrase" in capsys.readouterr().err
    assert not list(data_dir.glob("*.csv")) and not (data_dir / "SHA256SUMS").exists()


def test_write_outputs_replaces_every_file(tmp_path):
    write_outputs({"a.csv": b"1", "b.csv": b"2"}, tmp_path)
    assert stale_outputs({"a.csv": b"1", "b.csv": b"3"}, tmp_path) == ["b.csv"]


@pytest.mark.slow
def test_committed_data_equals_a_fresh_build():
    outputs = build(CONCEPT_PAIRS_DIR)
    assert stale_outputs(outputs, CONCEPT_PAIRS_DIR) == [], "run `make data` and commit the result"
    assert set(outputs) == {"train.csv", "dev.csv", "test.csv", "set_aside.csv", "SHA256SUMS", "README.md"}


def test_committed_splits_share_no_concept_and_hold_no_near_duplicates():
    splits = load_splits()
    home = {}
    for split, frame in splits.items():
        for phrase in pd.concat([frame["sentence_0"], frame["sentence_1"]]).str.lower():
            home[phrase] = split
    assert concept_clashes(home) == []
    for split, frame in splits.items():
        pairs = [pair(a, b, split=split, where=f"{split}:{i}")
                 for i, (a, b) in enumerate(zip(frame["sentence_0"], frame["sentence_1"], strict=True))]
        _, set_aside = resolve_conflicts(pairs)
        assert set_aside == [], f"{split}: {set_aside[:3]}"


def test_committed_splits_meet_their_targets(base_model):
    recipe = Recipe.load(CONCEPT_PAIRS_DIR / "source" / "recipe.yaml")
    splits = load_splits()
    assert len(splits["train"]) == recipe.train_rows
    assert missed_targets(splits, base_model.tokenizer, recipe.neighbouring_domains, recipe.targets) == []


def test_rating_sheet_holds_phrases_only(source, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    assert main(["--data-dir", str(source.parent), "--rating-sheet", str(sheet)]) == 0
    rated = pd.read_csv(sheet)
    key = pd.read_csv(sheet.with_suffix(".key.csv"))
    assert list(rated.columns) == ["item", "sentence_0", "sentence_1"]  # no label, relation or split for the rater
    assert rated["item"].tolist() == list(range(1, len(rated) + 1))
    assert set(key["split"]) == {"train", "dev", "test"}
