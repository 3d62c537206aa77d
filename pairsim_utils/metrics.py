"""Agreement between scores and graded labels: correlations, errors, the binary view, and the headline.

Metrics come from scipy, scikit-learn and sentence-transformers' evaluators; ROC AUC and F1 are
computed from their textbook identities because the bootstrap calls them thousands of times (tests
check them against scikit-learn).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as skm

from pairsim_utils.intervals import bootstrap_interval, percentile_interval

RELATED_THRESHOLD = 0.5
"""Labels at or above this count as *related* in the binary view (interaction and loose)."""


def related(labels: np.ndarray | pd.Series) -> np.ndarray:
    """The binary view of graded labels: 1 for related (label ≥ 0.5), 0 for unrelated."""
    return (np.asarray(labels) >= RELATED_THRESHOLD).astype(int)


def regression_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """``spearman``, ``pearson`` (scipy) and ``mse`` (scikit-learn) of scores against labels."""
    return {"spearman": float(stats.spearmanr(scores, labels).statistic),
            "pearson": float(stats.pearsonr(scores, labels).statistic),
            "mse": float(skm.mean_squared_error(labels, scores))}


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC of related vs unrelated from the rank-sum (Mann-Whitney) identity, ties counted half.

    The same number as ``sklearn.metrics.roc_auc_score`` (tested), at a fraction of its cost: the
    bootstrap calls it thousands of times.

    Returns:
        The probability that a related pair outscores an unrelated one; NaN when one of the two classes is absent.
    """
    truth = related(labels).astype(bool)
    positives, negatives = truth.sum(), (~truth).sum()
    if not positives or not negatives:
        return np.nan
    ranks = stats.rankdata(scores)
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """F1 of predicting related when ``score >= threshold``; equals ``sklearn.metrics.f1_score`` (tested).

    Returns:
        ``2·TP / (2·TP + FP + FN)``, 0 when there is nothing to find or predict.
    """
    truth, predicted = related(labels).astype(bool), np.asarray(scores) >= threshold
    true_positives = np.sum(truth & predicted)
    denominator = 2 * true_positives + np.sum(~truth & predicted) + np.sum(truth & ~predicted)
    return float(2 * true_positives / denominator) if denominator else 0.0


def _both_vary(labels: np.ndarray, scores: np.ndarray) -> bool:
    """Whether labels and scores both have spread: a correlation with a constant is undefined."""
    return bool(np.ptp(labels) > 0 and np.ptp(scores) > 0)


HEADLINE_METRICS: dict[str, Callable[[np.ndarray, np.ndarray, float], float]] = {
    "spearman": lambda y, s, t: float(stats.spearmanr(s, y).statistic) if _both_vary(y, s) else np.nan,
    "pearson": lambda y, s, t: float(stats.pearsonr(s, y).statistic) if _both_vary(y, s) else np.nan,
    "mse": lambda y, s, t: float(np.mean((np.asarray(y) - s) ** 2)),
    "roc_auc": lambda y, s, t: roc_auc(y, s),
    "f1": lambda y, s, t: f1_at(y, s, t),
}
"""Headline metric -> ``f(labels, scores, threshold)``; the threshold only matters for F1. Constant scores or
labels have no rank or linear correlation (NaN), as a slice with one class has no ROC AUC."""


def metric_function(metric: str, threshold: float) -> Callable[[np.ndarray, np.ndarray], float]:
    """``f(labels, scores)`` computing one headline metric (F1 at the given threshold)."""
    function = HEADLINE_METRICS[metric]
    return lambda labels, scores: function(labels, scores, threshold)


def best_f1_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The cosine threshold that maximises F1 for related vs unrelated (choose it on dev).

    Returns:
        ``(threshold, f1)``: predict related when ``score >= threshold``.
    """
    precision, recall, thresholds = skm.precision_recall_curve(related(labels), scores)
    f1 = 2 * precision * recall / np.clip(precision + recall, 1e-12, None)
    best = int(np.argmax(f1[:-1]))  # the last point has no threshold
    return float(thresholds[best]), float(f1[best])


def threshold_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Classification metrics at a fixed threshold (chosen elsewhere, e.g. on dev).

    Returns:
        ``f1``, ``precision``, ``recall``, ``accuracy`` and the confusion counts ``tn, fp, fn, tp``.
    """
    truth, predicted = related(labels), (np.asarray(scores) >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(truth, predicted, labels=[0, 1]).ravel()
    return {"f1": float(skm.f1_score(truth, predicted, zero_division=0)),
            "precision": float(skm.precision_score(truth, predicted, zero_division=0)),
            "recall": float(skm.recall_score(truth, predicted, zero_division=0)),
            "accuracy": float(skm.accuracy_score(truth, predicted)),
            "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)}


def headline_table(labels: np.ndarray, scores: Mapping[str, np.ndarray], thresholds: Mapping[str, float],
                   resamples: int = 1000, seed: int = 0, reference: str | None = None,
                   concept_draws: Sequence[np.ndarray] | None = None) -> pd.DataFrame:
    """Headline metrics of several models on one split, with bootstrap intervals and a paired difference.

    Args:
        labels: Gold labels.
        scores: Model name -> scores (same rows as ``labels``), e.g. baselines, base, fine-tuned; the
            last model is the one compared.
        thresholds: Model name -> its dev-chosen F1 threshold.
        resamples: Bootstrap resamples for the pair-level intervals.
        seed: Bootstrap seed.
        reference: The model the last one is compared with (the first when ``None``).
        concept_draws: Resamples from :func:`pairsim_utils.intervals.concept_resamples`; when given,
            the table adds intervals that resample concepts (``concept low``, ``concept high``).

    Returns:
        Rows ``(metric, model)`` plus ``(metric, "difference")`` of the last model minus the reference,
        with columns ``value``, ``low``, ``high`` (95 % percentile intervals over resampled pairs) and,
        with ``concept_draws``, the same over resampled concepts. Correlations of a constant are NaN.
    """
    names = list(scores)
    first, last = reference or names[0], names[-1]
    rows = []
    for metric in ("spearman", "pearson", "mse", "roc_auc", "f1"):
        functions = {name: metric_function(metric, thresholds[name]) for name in scores}

        def difference(y: np.ndarray, a: np.ndarray, b: np.ndarray, functions: dict = functions) -> float:
            return functions[last](y, b) - functions[first](y, a)

        jobs: list[tuple[str, Callable[..., float], tuple[np.ndarray, ...]]] = [
            (name, functions[name], (labels, scores[name])) for name in names]
        jobs.append(("difference", difference, (labels, scores[first], scores[last])))
        for name, function, samples in jobs:
            value = function(*samples)
            if np.isnan(value):
                rows.append((metric, name, value, np.nan, np.nan, np.nan, np.nan))
                continue
            low, high = bootstrap_interval(function, *samples, resamples=resamples, seed=seed)
            concept = (percentile_interval(function, concept_draws, *samples) if concept_draws is not None
                       else (np.nan, np.nan))
            rows.append((metric, name, value, low, high, *concept))
    columns = ["metric", "model", "value", "low", "high", "concept low", "concept high"]
    table = pd.DataFrame(rows, columns=columns).set_index(["metric", "model"])
    return table if concept_draws is not None else table.drop(columns=["concept low", "concept high"])


def similarity_evaluator(frame: pd.DataFrame, name: str, batch_size: int = 32, loss_function=None):
    """Wrap a pairs frame in :class:`~pairsim_utils.evaluator.PairSimilarityEvaluator` (cosine).

    Args:
        frame: Pairs with ``sentence_0``, ``sentence_1``, ``label``.
        name: Prefix of the metric names (``{name}_spearman_cosine``…).
        batch_size: Encoding batch size.
        loss_function: The training loss's ``loss_fct``, to report the loss on these pairs too.

    Returns:
        The evaluator.
    """
    from sentence_transformers import SimilarityFunction

    from pairsim_utils.evaluator import PairSimilarityEvaluator

    return PairSimilarityEvaluator(frame["sentence_0"].tolist(), frame["sentence_1"].tolist(),
                                   frame["label"].tolist(), main_similarity=SimilarityFunction.COSINE,
                                   similarity_fn_names=["cosine"], name=name, batch_size=batch_size,
                                   show_progress_bar=False, loss_function=loss_function)


def correlation_table(model, splits: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Spearman and Pearson correlation between cosine scores and labels, per split.

    Args:
        model: A sentence-transformers model.
        splits: Split name -> pairs.

    Returns:
        One row per split with ``pairs``, ``spearman`` and ``pearson``.
    """
    rows = {}
    for name, frame in splits.items():
        metrics = similarity_evaluator(frame, name)(model)
        rows[name] = {"pairs": len(frame), "spearman": metrics[f"{name}_spearman_cosine"],
                      "pearson": metrics[f"{name}_pearson_cosine"]}
    return pd.DataFrame(rows).T.astype({"pairs": int}).rename_axis("split")
