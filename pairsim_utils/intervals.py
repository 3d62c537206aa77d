"""Bootstrap confidence intervals that respect how pairs data clusters.

Resampling *pairs* treats every test pair as an independent draw. Ours are not: a concept such as
*Forge* appears in several test pairs, and what a model gets right about it it gets right in all of
them. Such pairs data is *dyadic* (each row joins two units), so its clusters overlap and the
concept graph of a test split is mostly one connected piece; resampling its connected components
would resample almost nothing. The *pigeonhole* (node) bootstrap instead resamples the concepts:
each concept is drawn a random number of times, and a pair enters the resample as often as the
product of its two concepts' draws (Davezies, D'Haultfœuille & Guyonvarch, 2021, *Empirical process
results for exchangeable arrays*, Annals of Statistics 49(2)). Its intervals are wider than the
pair-level ones whenever pairs sharing a concept err together.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from pairsim_utils.concepts import concept_words


def bootstrap_interval(statistic: Callable[..., float], *samples: np.ndarray, resamples: int = 1000,
                       confidence: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval over resampled rows (``scipy.stats.bootstrap``, paired).

    Args:
        statistic: Function of the samples (resampled together, row by row) returning a number.
        *samples: Equal-length arrays, e.g. labels and scores.
        resamples: Number of bootstrap resamples.
        confidence: Confidence level.
        seed: Random seed, for reproducible intervals.

    Returns:
        ``(low, high)``; NaN when the statistic is undefined on some resample (a tiny slice drawn all of one
        class, say), which scipy would also report with a warning about BCa intervals that we do not use.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        result = stats.bootstrap(samples, statistic, paired=True, vectorized=False, n_resamples=resamples,
                                 confidence_level=confidence, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def concept_ids(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Number each pair's two concepts, so that two forms of one concept (*Dent*, *dents*) share a number.

    Args:
        frame: Pairs with ``sentence_0`` and ``sentence_1``.

    Returns:
        Two integer arrays: the concept of each row's first and of its second phrase.
    """
    keys = [" ".join(concept_words(phrase)) or phrase.lower()
            for phrase in pd.concat([frame["sentence_0"], frame["sentence_1"]])]
    codes, _ = pd.factorize(pd.Series(keys))
    return codes[:len(frame)], codes[len(frame):]


def _concept_count(first: np.ndarray, second: np.ndarray) -> int:
    return int(max(first.max(), second.max())) + 1


def concept_resamples(frame: pd.DataFrame, resamples: int = 1000, seed: int = 0) -> list[np.ndarray]:
    """Row indices of pigeonhole-bootstrap resamples: concepts are drawn, pairs follow.

    Args:
        frame: Pairs with ``sentence_0`` and ``sentence_1``.
        resamples: How many resamples.
        seed: Random seed.

    Returns:
        One array of row positions per resample; a row appears ``w(first) * w(second)`` times, where
        ``w`` counts how often its concept was drawn (concepts are drawn with replacement, as many
        draws as there are concepts).
    """
    first, second = concept_ids(frame)
    concepts = _concept_count(first, second)
    rng = np.random.default_rng(seed)
    rows = np.arange(len(frame))
    indices = []
    for _ in range(resamples):
        draws = rng.multinomial(concepts, np.full(concepts, 1 / concepts))
        indices.append(np.repeat(rows, draws[first] * draws[second]))
    return indices


def percentile_interval(statistic: Callable[..., float], indices: Sequence[np.ndarray], *samples: np.ndarray,
                        confidence: float = 0.95) -> tuple[float, float]:
    """Percentile interval of a statistic over given resamples (e.g. :func:`concept_resamples`).

    Args:
        statistic: Function of the samples returning a number.
        indices: Row positions of each resample.
        *samples: Equal-length arrays, resampled together.
        confidence: Confidence level.

    Returns:
        ``(low, high)``; resamples where the statistic is undefined (NaN) are skipped, and both are
        NaN when it is undefined in all of them.
    """
    values = np.array([statistic(*(sample[index] for sample in samples)) for index in indices], dtype=float)
    if np.isnan(values).all():  # e.g. a slice that no resample drew
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2 * 100
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)


def concept_graph_summary(frame: pd.DataFrame) -> dict[str, float]:
    """How a split's pairs hang together through shared concepts (``scipy.sparse.csgraph``).

    Args:
        frame: Pairs with ``sentence_0`` and ``sentence_1``.

    Returns:
        ``concepts`` (distinct, after normalising forms), ``pieces`` (connected components of the graph
        whose edges are the pairs) and ``largest piece share`` (of the concepts).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    first, second = concept_ids(frame)
    concepts = _concept_count(first, second)
    graph = coo_matrix((np.ones(len(frame)), (first, second)), shape=(concepts, concepts))
    pieces, which = connected_components(graph, directed=False)
    return {"concepts": concepts, "pieces": int(pieces), "largest piece share": np.bincount(which).max() / concepts}
