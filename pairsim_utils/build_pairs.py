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

Usage: ``python -m pairsim_utils.build_pairs`` (write), ``... --check`` (compare, exit 1 if stale),
``... --lint FILE.yaml`` (what an author should fix) or ``... --rating-sheet CSV`` (a second-rating sample).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pairsim_utils.agreement import load_ratings
from pairsim_utils.concepts import MIN_PREFIX, concept_clashes, concept_words, same_form
from pairsim_utils.data import SPLITS, check_disjoint, load_pairs, pair_key, words
from pairsim_utils.data_card import (
    MAX_TOKENS,
    agreement_block,
    missed_targets,
    replace_block,
    shortcuts_block,
    statistics_table,
)
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, relative_to_repo

INTERACTION_RELATIONS = ("acts_on", "repairs", "causes", "relieves", "produces", "made_from",
                         "part_of", "tool_for", "becomes")
ASSOCIATION_RELATIONS = ("loose", "same_kind")
# Authored 0.0 pairs; ``unrelated`` pairs are drawn by the build, never written.
NEGATIVE_RELATIONS = ("hard_negative", "lookalike", "lexical_trap")
LABELS = {**dict.fromkeys(INTERACTION_RELATIONS, 1.0), **dict.fromkeys(ASSOCIATION_RELATIONS, 0.5),
          **dict.fromkeys(NEGATIVE_RELATIONS, 0.0), "unrelated": 0.0}
COLUMNS = ("sentence_0", "sentence_1", "label", "relation", "domain")
SMALL_WORDS = {"of", "and", "the", "in", "on", "for", "a", "to", "with"}
RATINGS_FILE = "second_rating.csv"


class SourceError(ValueError):
    """The authored source breaks a rule; every problem is listed with its file and entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the concept-pair source:\n"
                         + "\n".join(f"  {p}" for p in problems[:40])
                         + (f"\n  … and {len(problems) - 40} more" if len(problems) > 40 else ""))


@dataclass(frozen=True)
class AuthoredPair:
    """One pair as written in a domain file."""

    sentence_0: str
    sentence_1: str
    relation: str
    domain: str
    split: str
    where: str

    @property
    def key(self) -> frozenset[str]:
        """The pair, order- and case-insensitively."""
        return frozenset((self.sentence_0.lower(), self.sentence_1.lower()))

    @property
    def grade(self) -> str:
        """``interaction`` (1.0), ``association`` (0.5) or ``negative`` (an authored 0.0)."""
        return {1.0: "interaction", 0.5: "association"}.get(LABELS[self.relation], "negative")

    @property
    def shares_word(self) -> bool:
        """Whether the two phrases have a word in common."""
        return bool(words(self.sentence_0) & words(self.sentence_1))


@dataclass(frozen=True)
class Recipe:
    """Build settings from ``source/recipe.yaml``."""

    seed: int
    train_rows: int
    interaction_share: float
    association_share: float
    trap_share: float | None
    eval_label_mean: float
    max_unrelated_uses: int
    neighbouring_domains: frozenset[frozenset[str]]
    not_unrelated: frozenset[frozenset[str]]
    targets: dict

    @classmethod
    def load(cls, path: Path) -> Recipe:
        """Returns:
        The recipe read from ``path``.
        """
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            seed=int(raw["seed"]), train_rows=int(raw["train_rows"]),
            interaction_share=float(raw["train_mix"]["interaction"]),
            association_share=float(raw["train_mix"]["association"]),
            trap_share=float(raw["train_mix"]["lexical_trap"]) if "lexical_trap" in raw["train_mix"] else None,
            eval_label_mean=float(raw["eval_label_mean"]),
            max_unrelated_uses=int(raw["max_unrelated_uses"]),
            neighbouring_domains=frozenset(frozenset(p) for p in raw["neighbouring_domains"]),
            not_unrelated=frozenset(frozenset(x.lower() for x in p) for p in raw.get("not_unrelated") or []),
            targets=dict(raw.get("targets") or {}),
        )


def is_title_phrase(phrase: str) -> bool:
    """Returns:
    Whether ``phrase`` is 1-3 Title Case words (small words such as "of" may stay lower case).
    """
    parts = phrase.split(" ")
    if not 1 <= len(parts) <= 3 or phrase != phrase.strip():
        return False
    return all((i > 0 and part in SMALL_WORDS) or re.fullmatch(r"[A-Z0-9][A-Za-z0-9'\-]*", part)
               for i, part in enumerate(parts))


def read_source(source_dir: Path) -> list[AuthoredPair]:
    """Read every domain file in the source folder (all but ``recipe.yaml``), in name order.

    Returns:
        The authored pairs, not yet validated.
    """
    pairs = []
    for path in sorted(source_dir.glob("*.yaml")):
        if path.name == "recipe.yaml":
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for split in SPLITS:
            for index, entry in enumerate(document.get(split) or []):
                where = f"{path.name}:{split}[{index}]"
                if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(e, str) for e in entry)):
                    raise SourceError([f"{where}: expected [Phrase A, Phrase B, relation], got {entry!r}"])
                pairs.append(AuthoredPair(*entry, domain=document["domain"], split=split, where=where))
    return pairs


def validate_source(pairs: list[AuthoredPair], tokenizer) -> None:
    """Check the rules of the data card that only an author can fix.

    Raises:
        SourceError: Listing every broken rule with the file and entry.
    """
    problems: list[str] = []
    spellings: dict[str, set[str]] = defaultdict(set)
    label_of: dict[frozenset[str], tuple[float, str]] = {}
    phrases = sorted({p for pair in pairs for p in (pair.sentence_0, pair.sentence_1)})
    too_long = {p for p, ids in zip(phrases, tokenizer(phrases)["input_ids"], strict=True)
                if len(ids) > MAX_TOKENS}
    for pair in pairs:
        for phrase in (pair.sentence_0, pair.sentence_1):
            if not is_title_phrase(phrase):
                problems.append(f"{pair.where}: {phrase!r} is not a Title Case phrase of 1-3 words")
            if phrase in too_long:
                problems.append(f"{pair.where}: {phrase!r} is over {MAX_TOKENS} tokens")
            spellings[phrase.lower()].add(phrase)
        if pair.relation not in LABELS or pair.relation == "unrelated":
            problems.append(f"{pair.where}: unknown relation {pair.relation!r}")
            continue
        if pair.sentence_0.lower() == pair.sentence_1.lower():
            problems.append(f"{pair.where}: self-pair {pair.sentence_0!r}")
        label, where = label_of.setdefault(pair.key, (LABELS[pair.relation], pair.where))
        if label != LABELS[pair.relation]:
            problems.append(f"{pair.where}: the pair {pair.sentence_0!r} / {pair.sentence_1!r} has "
                            f"label {LABELS[pair.relation]} here and {label} at {where}")
        if pair.relation == "lexical_trap" and not pair.shares_word:
            problems.append(f"{pair.where}: lexical trap {pair.sentence_0!r} / {pair.sentence_1!r} "
                            "shares no word")
        if pair.relation == "lookalike" and pair.shares_word:
            problems.append(f"{pair.where}: lookalike {pair.sentence_0!r} / {pair.sentence_1!r} "
                            "shares a whole word: call it a lexical_trap")
    problems += [f"phrase spelled {len(s)} ways: {', '.join(sorted(s))}"
                 for s in spellings.values() if len(s) > 1]
    if problems:
        raise SourceError(problems)


def _home_splits(pairs: list[AuthoredPair]) -> dict[str, str]:
    """Each phrase's split: the one with the most pairs using it; on a tie dev and test win over
    train (train has authored pairs to spare), and dev over test."""
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        for phrase in (pair.sentence_0, pair.sentence_1):
            uses[phrase.lower()][pair.split] += 1
    return {phrase: max(counts, key=lambda split: (counts[split], split != "train", split == "dev"))
            for phrase, counts in uses.items()}


def concept_conflicts(pairs: list[AuthoredPair]) -> dict[str, str]:
    """Choose which phrases to leave out so that no concept crosses train, dev and test.

    Phrases of different splits that name one concept (:func:`pairsim_utils.concepts.same_concept`:
    *Rock* / *Rocks*, *Glacier* / *Glacier Ice*) clash. Of each clashing pair of phrases, the one
    whose pairs are cheaper to lose goes: a train pair costs 1, a dev or test pair 4 (train has
    pairs to spare); ties go against train, then alphabetically.

    Returns:
        Lower-cased phrase left out -> the reason, naming the phrase it clashes with.
    """
    home = _home_splits(pairs)
    cost: Counter[str] = Counter()
    for pair in pairs:
        for phrase in (pair.sentence_0.lower(), pair.sentence_1.lower()):
            if home[phrase] == pair.split:
                cost[phrase] += 1 if pair.split == "train" else 4
    dropped: dict[str, str] = {}
    for first, second in concept_clashes(home):
        if first in dropped or second in dropped:
            continue
        loser, winner = sorted((first, second), key=lambda p: (cost[p], home[p] != "train", p))
        dropped[loser] = f"{loser!r} ({home[loser]}) names the same concept as {winner!r} ({home[winner]})"
    return dropped


def _near_duplicate(pair: AuthoredPair, other: AuthoredPair) -> bool:
    a, b, c, d = pair.sentence_0, pair.sentence_1, other.sentence_0, other.sentence_1
    return (same_form(a, c) and same_form(b, d)) or (same_form(a, d) and same_form(b, c))


def resolve_conflicts(pairs: list[AuthoredPair]) -> tuple[list[AuthoredPair], list[tuple[AuthoredPair, str]]]:
    """Make the splits concept-disjoint and every pair unique, setting aside what breaks that.

    A phrase belongs to one split (see :func:`_home_splits`); pairs using it in another split are
    set aside, and so are pairs using a phrase left out by :func:`concept_conflicts`. Inside a
    split, a pair whose two phrases are an earlier pair's in another form (*Heat / Air Conditioner*
    and *Heat / Air Conditioning*, :func:`pairsim_utils.concepts.same_form`) is a near-duplicate and
    is set aside too.

    Returns:
        ``(kept, set_aside)``, where ``set_aside`` holds ``(pair, reason)``.
    """
    home = _home_splits(pairs)
    dropped = concept_conflicts(pairs)
    kept, set_aside, first = [], [], {}
    by_word: dict[tuple[str, str], list[AuthoredPair]] = defaultdict(list)
    for pair in pairs:
        phrases = (pair.sentence_0, pair.sentence_1)
        away = [p for p in phrases if home[p.lower()] != pair.split]
        gone = [dropped[p.lower()] for p in phrases if p.lower() in dropped]
        index_keys = {(pair.split, w[:MIN_PREFIX]) for w in concept_words(pair.sentence_0)}
        twin = next((other for key in index_keys for other in by_word[key] if _near_duplicate(pair, other)), None)
        if pair.key in first:
            set_aside.append((pair, f"repeats {first[pair.key]}"))
        elif away:
            set_aside.append((pair, f"{away[0]!r} belongs to the {home[away[0].lower()]} split"))
        elif gone:
            set_aside.append((pair, gone[0]))
        elif twin is not None:
            set_aside.append((pair, f"near-duplicate of {twin.sentence_0} / {twin.sentence_1} ({twin.where})"))
        else:
            first[pair.key] = pair.where
            kept.append(pair)
            for phrase in phrases:
                for word in concept_words(phrase):
                    by_word[(pair.split, word[:MIN_PREFIX])].append(pair)
    return kept, set_aside


def _stratified_sample(pairs: list[AuthoredPair], total: int, strata, rng: random.Random,
                       keep=lambda pair: False) -> list[AuthoredPair]:
    """Keep ``total`` pairs: every pair ``keep`` says to, then the rest of each stratum in proportion
    to its size (largest remainders)."""
    must = [p for p in pairs if keep(p)]
    pairs = [p for p in pairs if not keep(p)]
    total -= len(must)
    groups: dict[tuple, list[AuthoredPair]] = defaultdict(list)
    for pair in pairs:
        groups[strata(pair)].append(pair)
    if total >= len(pairs):
        return must + list(pairs)
    quotas = {key: len(group) * total / len(pairs) for key, group in sorted(groups.items())}
    counts = {key: int(q) for key, q in quotas.items()}
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - counts[key]), key))
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    kept = list(must)
    for key in sorted(groups):
        group = list(groups[key])
        rng.shuffle(group)
        kept += group[: counts[key]]
    return kept


def select_train(pairs: list[AuthoredPair], recipe: Recipe) -> list[AuthoredPair]:
    """Keep every hard negative and lookalike, every related pair that shares a word, a stratified
    share of the other interaction (1.0) and association (0.5) pairs, and of the lexical traps when
    the recipe sets ``lexical_trap`` in ``train_mix`` (else every trap), for train.

    Related pairs that share a word are kept so that sharing a word does not give the label away
    (traps share words too).

    Returns:
        The authored pairs that go into ``train.csv``.
    """
    rng = random.Random(recipe.seed)
    train = [p for p in pairs if p.split == "train"]
    interaction = [p for p in train if p.grade == "interaction"]
    association = [p for p in train if p.grade == "association"]
    traps = [p for p in train if p.relation == "lexical_trap"]
    negatives = [p for p in train if p.grade == "negative" and p.relation != "lexical_trap"]
    if recipe.trap_share is not None:
        traps = _stratified_sample(traps, round(recipe.train_rows * recipe.trap_share), lambda p: (p.domain,), rng)
    kept = _stratified_sample(interaction, round(recipe.train_rows * recipe.interaction_share),
                              lambda p: (p.domain, p.relation), rng, keep=lambda p: p.shares_word)
    kept += _stratified_sample(association, round(recipe.train_rows * recipe.association_share),
                               lambda p: (p.domain, p.relation), rng, keep=lambda p: p.shares_word)
    return kept + negatives + traps


def unrelated_count(kept: list[AuthoredPair], split: str, recipe: Recipe) -> int:
    """How many unrelated pairs a split needs: train fills up to its size; dev and test reach
    the recipe's label mean.
    """
    if split == "train":
        return recipe.train_rows - len(kept)
    weight = sum(LABELS[p.relation] for p in kept)
    return max(round(weight / recipe.eval_label_mean) - len(kept), 0)


def draw_unrelated(kept: list[AuthoredPair], all_pairs: list[AuthoredPair], count: int, seed: int,
                   recipe: Recipe, tokenizer) -> list[tuple[str, str, str]]:
    """Draw unrelated pairs among the concepts of one split.

    Two concepts qualify when their domains are different and not neighbours, they share no word,
    no authored pair (any split, kept or not) joins them or gives them a common neighbour, and
    reviewers did not list them in ``not_unrelated``. The phrase with fewer tokens goes first.

    Returns:
        ``(sentence_0, sentence_1, domain of sentence_0)`` per pair.
    """
    domains: dict[str, set[str]] = defaultdict(set)
    weight: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for pair in kept:
        for phrase in (pair.sentence_0, pair.sentence_1):
            domains[phrase.lower()].add(pair.domain)
            weight[phrase.lower()] += 1
            spelling[phrase.lower()] = phrase
    neighbours: dict[str, set[str]] = defaultdict(set)
    for pair in all_pairs:
        a, b = pair.sentence_0.lower(), pair.sentence_1.lower()
        neighbours[a].add(b)
        neighbours[b].add(a)
    concepts = sorted(domains)
    lengths = dict(zip(concepts, (len(ids) for ids in tokenizer([spelling[c] for c in concepts])["input_ids"]),
                       strict=True))
    rng = random.Random(seed)
    uses: Counter[str] = Counter()
    drawn: set[frozenset[str]] = set()
    result = []
    attempts = 0
    while len(result) < count:
        attempts += 1
        if attempts > 200 * count + 10_000:
            raise SourceError([f"could only draw {len(result)} of {count} unrelated pairs; "
                               "add concepts or relax the recipe"])
        a, b = rng.choices(concepts, weights=[weight[c] for c in concepts], k=2)
        if a == b:
            continue
        key = frozenset((a, b))
        if (key in drawn or key in recipe.not_unrelated or b in neighbours[a]
                or neighbours[a] & neighbours[b] or words(a) & words(b)
                or max(uses[a], uses[b]) >= recipe.max_unrelated_uses
                or domains[a] & domains[b]
                or any(frozenset((x, y)) in recipe.neighbouring_domains
                       for x in domains[a] for y in domains[b])):
            continue
        drawn.add(key)
        uses.update((a, b))
        first, second = (a, b) if lengths[a] <= lengths[b] else (b, a)
        result.append((spelling[first], spelling[second], sorted(domains[first])[0]))
    return result


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
    """Returns:
    The split as UTF-8 CSV with ``\\n`` line endings and labels written as 0.0 / 0.5 / 1.0.
    """
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
    outputs["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                    for name, data in outputs.items()).encode()
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
    """Returns:
    The names of committed files that differ from a fresh build.
    """
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
                 _stratified_sample(in_split, size, lambda p: (p.relation,), rng)]
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
