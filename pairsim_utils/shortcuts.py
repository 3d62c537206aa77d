"""Shortcut baselines: scores that ignore meaning, to show a test split cannot be solved without it.

A **shortcut** is a cue that predicts the label in a data set without having anything to do with
the question asked, such as which domain file a phrase came from or whether two phrases share a
word. A test split that a shortcut scores well on measures how the data was built, not whether a
model knows what relates to what. Two shortcuts are computed for every split:

- :func:`domain_rule`: 0 when the two phrases come from distant domains (different and not
  neighbours) or are both two-word phrases sharing a word, else 1; it was built by reading v1 of
  the data and is not fitted.
- :func:`surface_ridge`: a scikit-learn ridge regression on surface features (:data:`SURFACE_FEATURES`)
  fitted on train.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge

from pairsim_utils.data import contains_phrase, words

SURFACE_FEATURES = ("words_0", "words_1", "characters_0", "characters_1", "shares_word", "contains")


def phrase_domains(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Where each phrase was written: the domains of the authored pairs that use it.

    Args:
        frame: Pairs with ``relation`` and ``domain``; drawn ``unrelated`` rows are skipped, since
            their ``domain`` names only the first phrase's domain.

    Returns:
        Lower-cased phrase -> domains.
    """
    domains: dict[str, set[str]] = defaultdict(set)
    for row in frame[frame["relation"] != "unrelated"].itertuples(index=False):
        for phrase in (row.sentence_0, row.sentence_1):
            domains[phrase.lower()].add(row.domain)
    return domains


def domain_rule(frame: pd.DataFrame, neighbouring: Iterable[frozenset[str]]) -> pd.Series:
    """The meaning-free rule: 0 for distant domains or two two-word phrases sharing a word, else 1.

    Args:
        frame: Pairs with ``sentence_0``, ``sentence_1``, ``relation`` and ``domain``.
        neighbouring: Pairs of domains that count as neighbours (the build recipe's).

    Returns:
        One score per row.
    """
    neighbours = set(neighbouring)
    domains = phrase_domains(frame)

    def score(first: str, second: str) -> float:
        a, b = domains.get(first.lower(), set()), domains.get(second.lower(), set())
        distant = bool(a and b) and not (a & b) and not any(frozenset((x, y)) in neighbours
                                                            for x in a for y in b)
        two_word_twins = len(first.split()) == len(second.split()) == 2 and bool(words(first) & words(second))
        return 0.0 if distant or two_word_twins else 1.0

    return pd.Series([score(a, b) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)],
                     index=frame.index, name="domain_rule")


def surface_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Features a model could use without knowing any meaning.

    Args:
        frame: Pairs with ``sentence_0`` and ``sentence_1``.

    Returns:
        One row per pair with the columns of :data:`SURFACE_FEATURES`.
    """
    rows = [(len(a.split()), len(b.split()), len(a), len(b), float(bool(words(a) & words(b))),
             float(contains_phrase(a, b))) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)]
    return pd.DataFrame(rows, columns=list(SURFACE_FEATURES), index=frame.index, dtype=float)


def surface_ridge(train: pd.DataFrame) -> Ridge:
    """Fit the surface-feature ridge regression on a training split.

    Args:
        train: Pairs with ``sentence_0``, ``sentence_1`` and ``label``.

    Returns:
        The fitted model; score a split with ``model.predict(surface_features(split))``.
    """
    return Ridge(alpha=1.0).fit(surface_features(train), train["label"])


def shortcut_table(splits: Mapping[str, pd.DataFrame], neighbouring: Iterable[frozenset[str]]) -> pd.DataFrame:
    """Spearman correlation of both shortcuts with the labels, per split.

    Args:
        splits: ``train``, ``dev``, ``test`` pairs with ``relation`` and ``domain``.
        neighbouring: The recipe's neighbouring domains.

    Returns:
        Rows ``domain rule`` and ``surface ridge``; one column per split.
    """
    neighbouring = list(neighbouring)
    ridge = surface_ridge(splits["train"])
    table = {}
    for name, frame in splits.items():
        table[name] = {
            "domain rule": spearmanr(domain_rule(frame, neighbouring), frame["label"]).statistic,
            "surface ridge": spearmanr(ridge.predict(surface_features(frame)), frame["label"]).statistic,
        }
    return pd.DataFrame(table).astype(float).fillna(0.0).map(lambda v: float(np.round(v, 3)))
