"""Build the concept-pair splits from their authored source, deterministically (``make data``).

The source of truth is ``data/concept_pairs/source/``: one YAML file per domain with the pairs
people wrote (``[Phrase A, Phrase B, relation]`` under ``train``, ``dev`` and ``test``), and
``recipe.yaml`` with the build settings. The build

1. validates every authored pair (Title Case phrases of 1-3 words, at most 8 tokens, a known
   relation, no self-pair, no pair twice, one spelling per phrase, traps that share a word and
   lookalikes that do not);
2. makes the splits concept-disjoint after normalisation (:mod:`pairsim_utils.concepts`: stems and
   containment) and merges near-duplicates inside a split, setting aside what it drops;
3. keeps, in train, the seed card's size (3,201 rows) and label mean (0.48): every hard negative,
   lookalike and related pair sharing a word, and stratified shares of the other pairs and traps;
4. adds ``unrelated`` (0.0) pairs drawn, with a fixed seed, from concepts of the same split in
   non-neighbouring domains that share no word and no neighbour in the authored graph;
5. checks the recipe's targets (sizes, token means, hard-pair shares, shortcut baselines) and the
   second rating's adjudicated labels, and refuses to write when one is missed;
6. writes ``train.csv``, ``dev.csv``, ``test.csv``, ``set_aside.csv``, ``SHA256SUMS`` and the
   generated blocks of the data card, all at once, only after the loader's own validation passed.

Usage: ``python -m pairsim_utils.authoring.build`` (write), ``... --check`` (compare, exit 1 if stale),
``... --lint FILE.yaml`` (what an author should fix) or ``... --rating-sheet CSV`` (a second-rating sample).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
from pathlib import Path

import pandas as pd

from pairsim_utils.agreement import load_ratings
from pairsim_utils.authoring.selection import (
    draw_unrelated,
    resolve_conflicts,
    select_train,
    stratified_sample,
    unrelated_count,
)
from pairsim_utils.authoring.source import (
    COLUMNS,
    LABELS,
    RATINGS_FILE,
    AuthoredPair,
    Recipe,
    SourceError,
    read_source,
    validate_source,
)
from pairsim_utils.data import SPLITS, check_disjoint, checksums_bytes, load_pairs, pair_key
from pairsim_utils.data_card import (
    agreement_block,
    missed_targets,
    shortcuts_block,
    statistics_table,
)
from pairsim_utils.markdown import replace_block
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, relative_to_repo


def build_frames(source_dir: Path, tokenizer) -> dict[str, pd.DataFrame]:
    """Build the three splits, and the table of authored pairs set aside, in memory.

    Returns:
        Split name -> rows with the columns of :data:`COLUMNS`, in a seeded shuffled order, and
        ``"set_aside"`` -> the authored pairs left out, with the split they were written for,
        where they were written and why they were left out.
    """
    recipe = Recipe.load(source_dir / "recipe.yaml")
    authored = read_source(source_dir)
    validate_source(authored, tokenizer)
    pairs, set_aside = resolve_conflicts(authored)
    train_kept = select_train(pairs, recipe)
    chosen = set(map(id, train_kept))
    set_aside += [(p, f"not sampled: train keeps {recipe.train_rows:,} rows at the recipe's label mix")
                  for p in pairs if p.split == "train" and id(p) not in chosen]
    frames = {}
    for offset, split in enumerate(SPLITS):
        kept = train_kept if split == "train" else [p for p in pairs if p.split == split]
        rows = [(p.sentence_0, p.sentence_1, LABELS[p.relation], p.relation, p.domain) for p in kept]
        extra = draw_unrelated(kept, pairs, unrelated_count(kept, split, recipe), recipe.seed + offset,
                               recipe, tokenizer)
        rows += [(a, b, 0.0, "unrelated", domain) for a, b, domain in extra]
        random.Random(recipe.seed + offset).shuffle(rows)
        frames[split] = pd.DataFrame(rows, columns=list(COLUMNS))
    frames["set_aside"] = pd.DataFrame(
        [(p.sentence_0, p.sentence_1, LABELS[p.relation], p.relation, p.domain, p.split, p.where, reason)
         for p, reason in set_aside],
        columns=[*COLUMNS, "written_for", "source", "reason"])
    return frames


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The split as UTF-8 CSV with Unix line endings and labels written as 0.0 / 0.5 / 1.0."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.1f")
    return buffer.getvalue().encode("utf-8")


def check_ratings(ratings: pd.DataFrame, pairs: list[AuthoredPair]) -> list[str]:
    """Check that every doubly rated pair still in the source carries its adjudicated label.

    Returns:
        One line per pair whose source label differs from ``final_label``.
    """
    label_of = {p.key: (LABELS[p.relation], p.where) for p in pairs}
    problems = []
    for row in ratings.itertuples(index=False):
        found = label_of.get(pair_key(row.sentence_0, row.sentence_1))
        if found is not None and found[0] != row.final_label:
            problems.append(f"{found[1]}: {row.sentence_0} / {row.sentence_1} is labelled {found[0]} "
                            f"but second_rating.csv adjudicated {row.final_label}")
    return problems


def render_outputs(frames: dict[str, pd.DataFrame], tokenizer, card_statistics: pd.DataFrame,
                   data_card: str, recipe: Recipe, ratings: pd.DataFrame | None) -> dict[str, bytes]:
    """Everything the build writes, as file name -> bytes (nothing is written here)."""
    outputs = {f"{name}.csv": to_csv_bytes(frame) for name, frame in frames.items()}
    outputs["SHA256SUMS"] = checksums_bytes(outputs)
    if data_card:
        splits = {s: frames[s] for s in SPLITS}
        card = replace_block(data_card, "statistics", statistics_table(splits, tokenizer, card_statistics))
        card = replace_block(card, "shortcuts", shortcuts_block(splits, recipe.neighbouring_domains))
        if ratings is not None:
            card = replace_block(card, "agreement", agreement_block(ratings))
        outputs["README.md"] = card.encode()
    return outputs


def build(data_dir: Path = CONCEPT_PAIRS_DIR) -> dict[str, bytes]:
    """Build every output of the data folder in memory and validate it with the loader.

    Returns:
        File name -> bytes.
    """
    from transformers import AutoTokenizer

    from pairsim_utils.model import base_model_path
    from pairsim_utils.seed_card import load_seed_card

    tokenizer = AutoTokenizer.from_pretrained(str(base_model_path()))
    source = data_dir / "source"
    recipe = Recipe.load(source / "recipe.yaml")
    frames = build_frames(source, tokenizer)
    splits = {split: frames[split] for split in SPLITS}
    problems = missed_targets(splits, tokenizer, recipe.neighbouring_domains, recipe.targets)
    ratings = load_ratings(source / RATINGS_FILE) if (source / RATINGS_FILE).is_file() else None
    if ratings is not None:
        problems += check_ratings(ratings, read_source(source))
    if problems:
        raise SourceError(problems)
    readme = data_dir / "README.md"
    outputs = render_outputs(frames, tokenizer, load_seed_card().data_statistics,
                             readme.read_text(encoding="utf-8") if readme.is_file() else "", recipe, ratings)
    with tempfile.TemporaryDirectory() as scratch:
        paths = {}
        for split in SPLITS:
            paths[split] = Path(scratch) / f"{split}.csv"
            paths[split].write_bytes(outputs[f"{split}.csv"])
        check_disjoint({split: load_pairs(path, verify=False) for split, path in paths.items()}, paths)
    return outputs


def write_outputs(outputs: dict[str, bytes], data_dir: Path) -> None:
    """Write all outputs, each through a temporary file and an atomic rename."""
    staged = []
    for name, data in outputs.items():
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=f".{name}.", delete=False) as handle:
            handle.write(data)
        staged.append((Path(handle.name), data_dir / name))
    for temporary, final in staged:
        temporary.replace(final)


def stale_outputs(outputs: dict[str, bytes], data_dir: Path) -> list[str]:
    """The names of committed files that differ from a fresh build."""
    return [name for name, data in outputs.items()
            if not (data_dir / name).is_file() or (data_dir / name).read_bytes() != data]


def lint(source_dir: Path, files: list[str], tokenizer) -> list[str]:
    """What an author of ``files`` should fix: broken rules, and pairs the build would set aside
    because a phrase names a concept of another split or repeats a pair (stratified sampling aside).

    Returns:
        One line per problem, with the file and entry.
    """
    authored = read_source(source_dir)
    mine = [p for p in authored if not files or p.where.split(":")[0] in files]
    try:
        validate_source(authored, tokenizer)
        problems = []
    except SourceError as error:
        problems = [p for p in error.problems if not files or any(f in p for f in files)]
    _, set_aside = resolve_conflicts(authored)
    mine_ids = set(map(id, mine))
    problems += [f"{pair.where}: {pair.sentence_0} / {pair.sentence_1} would be set aside: {reason}"
                 for pair, reason in set_aside if id(pair) in mine_ids]
    return problems


def rating_sample(source_dir: Path, per_split: dict[str, int], seed: int) -> pd.DataFrame:
    """Draw the pairs for an independent second rating: authored pairs the build keeps, stratified by
    split and relation, in a shuffled order, with nothing but the two phrases.

    Args:
        source_dir: The source folder.
        per_split: How many pairs to draw from each split.
        seed: The random seed.

    Returns:
        Columns ``item``, ``sentence_0``, ``sentence_1`` (the rater's sheet) plus ``split``, which
        is kept from the rater.
    """
    kept, _ = resolve_conflicts(read_source(source_dir))
    rng = random.Random(seed)
    rows = []
    for split, size in per_split.items():
        in_split = [p for p in kept if p.split == split]
        rows += [(p.sentence_0, p.sentence_1, split) for p in
                 stratified_sample(in_split, size, lambda p: (p.relation,), rng)]
    rng.shuffle(rows)
    frame = pd.DataFrame(rows, columns=["sentence_0", "sentence_1", "split"])
    frame.insert(0, "item", range(1, len(frame) + 1))
    return frame


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` verify, or with ``--lint`` review) the concept-pair splits."""
    parser = argparse.ArgumentParser(description="Build the concept-pair splits from data/concept_pairs/source.")
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    parser.add_argument("--lint", nargs="*", metavar="FILE",
                        help="only list what the authors of these source files (default: all) should fix")
    parser.add_argument("--rating-sheet", type=Path, metavar="CSV",
                        help="write a second-rating sheet (train 200, dev 100, test 150 authored pairs, "
                             "phrases only) to CSV and its key, with the splits, beside it")
    parser.add_argument("--data-dir", type=Path, default=CONCEPT_PAIRS_DIR)
    args = parser.parse_args(argv)
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    go_offline()
    quiet_progress_bars()
    if args.rating_sheet is not None:
        sample = rating_sample(args.data_dir / "source", {"train": 200, "dev": 100, "test": 150}, seed=42)
        sample[["item", "sentence_0", "sentence_1"]].to_csv(args.rating_sheet, index=False)
        sample.to_csv(args.rating_sheet.with_suffix(".key.csv"), index=False)
        print(f"wrote {len(sample)} pairs to {args.rating_sheet}")
        return 0
    if args.lint is not None:
        from transformers import AutoTokenizer

        from pairsim_utils.model import base_model_path

        tokenizer = AutoTokenizer.from_pretrained(str(base_model_path()))
        problems = lint(args.data_dir / "source", [Path(f).name for f in args.lint], tokenizer)
        print("\n".join(problems) or "no problems")
        return 1 if problems else 0
    try:
        outputs = build(args.data_dir)
    except SourceError as error:
        print(error, file=sys.stderr)
        return 1
    if args.check:
        stale = stale_outputs(outputs, args.data_dir)
        if stale:
            print(f"out of date: {', '.join(stale)}; run `make data`", file=sys.stderr)
            return 1
        print("the committed files equal a fresh build")
        return 0
    write_outputs(outputs, args.data_dir)
    print(f"wrote {', '.join(outputs)} in {relative_to_repo(args.data_dir)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
