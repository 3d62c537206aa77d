"""The authored source of the concept pairs: relations and labels, the pair as written, the recipe,
and the rules every authored pair must meet.

The source of truth is ``data/concept_pairs/source/``: one YAML file per domain with the pairs
people wrote (``[Phrase A, Phrase B, relation]`` under ``train``, ``dev`` and ``test``), and
``recipe.yaml`` with the build settings (:class:`Recipe`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from pairsim_utils.data import SPLITS, pair_key, words
from pairsim_utils.data_card import (
    MAX_TOKENS,
)

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
        """The pair, order- and case-insensitively (:func:`pairsim_utils.data.pair_key`)."""
        return pair_key(self.sentence_0, self.sentence_1)

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
        """The recipe read from ``path``."""
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
    """Whether ``phrase`` is 1-3 Title Case words (small words such as "of" may stay lower case)."""
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
                first, second, relation = entry
                pairs.append(AuthoredPair(first, second, relation, document["domain"], split, where))
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


