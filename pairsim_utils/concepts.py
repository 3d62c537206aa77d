"""When two phrases name the same concept: the identity behind concept-disjoint splits.

Exact strings are not enough: *Flood* in train and *Flooding* in test, or *Glacier* and *Glacier
Ice*, let a model meet a test concept during fine-tuning. A phrase is reduced to its **concept
words**: lower case, small words such as "of" dropped, each word stemmed with NLTK's Snowball
stemmer (plurals, -ness, -ing and -ed forms fall together). Two phrases name the same concept when
one phrase's words appear in order inside the other's (*Lung Cancer* contains *Cancer*). Two stems
count as one word when they are equal or when the shorter, of at least :data:`MIN_PREFIX` letters,
begins the longer and the rest is an inflection such as *-ion* (*condit* / *condition*, which
the stemmer leaves apart; not *basket* / *basketbal*).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

SMALL_WORDS = frozenset({"of", "and", "the", "in", "on", "for", "a", "an", "to", "with"})
MIN_PREFIX = 5
# What the stemmer may leave on one form of a word and not the other (conditioner / conditioning).
INFLECTION_ENDINGS = ("s", "es", "ed", "er", "or", "ing", "ion", "ness", "y")


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=65_536)
def concept_words(phrase: str) -> tuple[str, ...]:
    """Reduce a phrase to the stems of its content words.

    Args:
        phrase: A phrase such as ``"Taste Buds"``.

    Returns:
        Its stems in order, e.g. ``("tast", "bud")``.
    """
    stem = _stemmer().stem
    return tuple(stem(word) for word in re.split(r"[\s\-]+", phrase.lower())
                 if word and word not in SMALL_WORDS)


def _same_stem(first: str, second: str) -> bool:
    shorter, longer = sorted((first, second), key=len)
    return shorter == longer or (len(shorter) >= MIN_PREFIX and longer.startswith(shorter)
                                 and longer[len(shorter):] in INFLECTION_ENDINGS)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    width = len(shorter)
    return any(all(_same_stem(x, y) for x, y in zip(longer[start:start + width], shorter, strict=True))
               for start in range(len(longer) - width + 1))


def same_form(first: str, second: str) -> bool:
    """Whether two phrases are one phrase in another form: the same words up to case, small words
    and inflection (*Water Droplet* / *Water Droplets*, *Air Conditioner* / *Air Conditioning*).

    Args:
        first: A phrase.
        second: Another phrase.

    Returns:
        ``True`` when the concept words match one for one.
    """
    a, b = concept_words(first), concept_words(second)
    return len(a) == len(b) and (first.strip().lower() == second.strip().lower()
                                 or (bool(a) and _contains(a, b)))


def same_concept(first: str, second: str) -> bool:
    """Whether two phrases name the same concept (see the module's description).

    Args:
        first: A phrase.
        second: Another phrase.

    Returns:
        ``True`` for *Rock* / *Rocks*, *Damp* / *Dampness*, *Cancer* / *Lung Cancer*.
    """
    a, b = concept_words(first), concept_words(second)
    if not a or not b:
        return first.strip().lower() == second.strip().lower()
    shorter, longer = sorted((a, b), key=len)
    return _contains(longer, shorter)


def concept_clashes(phrase_split: dict[str, str]) -> list[tuple[str, str]]:
    """Find phrases of different splits that name the same concept.

    Args:
        phrase_split: Lower-cased phrase -> the split it belongs to.

    Returns:
        ``(phrase, other phrase)`` for every clash, each pair once, in sorted order.
    """
    by_word: dict[str, set[str]] = defaultdict(set)
    for phrase in phrase_split:
        for word in concept_words(phrase):
            by_word[word[:MIN_PREFIX]].add(phrase)
    clashes = set()
    for group in by_word.values():
        ordered = sorted(group)
        for index, first in enumerate(ordered):
            for second in ordered[index + 1:]:
                if phrase_split[first] != phrase_split[second] and same_concept(first, second):
                    clashes.add((first, second))
    return sorted(clashes)
