"""Choosing the pairs of each split: concept-disjoint splits, near-duplicates merged, train sampled
to the recipe's mix, and ``unrelated`` pairs drawn with a fixed seed.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from pairsim_utils.authoring.source import LABELS, AuthoredPair, Recipe, SourceError
from pairsim_utils.concepts import MIN_PREFIX, concept_clashes, concept_words, same_form
from pairsim_utils.data import words


def _home_splits(pairs: list[AuthoredPair]) -> dict[str, str]:
    """Each phrase's split: the one with the most pairs using it; on a tie dev and test win over
    train (train has authored pairs to spare), and dev over test.
    """
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
    kept: list[AuthoredPair] = []
    set_aside: list[tuple[AuthoredPair, str]] = []
    first: dict[frozenset[str], str] = {}
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


def stratified_sample(pairs: list[AuthoredPair], total: int, strata, rng: random.Random,
                       keep=lambda pair: False) -> list[AuthoredPair]:
    """Keep ``total`` pairs: every pair ``keep`` says to, then the rest of each stratum in proportion
    to its size (largest remainders).
    """
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
        traps = stratified_sample(traps, round(recipe.train_rows * recipe.trap_share), lambda p: (p.domain,), rng)
    kept = stratified_sample(interaction, round(recipe.train_rows * recipe.interaction_share),
                              lambda p: (p.domain, p.relation), rng, keep=lambda p: p.shares_word)
    kept += stratified_sample(association, round(recipe.train_rows * recipe.association_share),
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
    result: list[tuple[str, str, str]] = []
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


