"""Scoring pairs with a model and measuring agreement with the labels.

Embeddings are cached on disk per model (keyed by a fingerprint of its weights) and per text, so
re-running an analysis never re-encodes a phrase it already has. Metrics come from scipy,
scikit-learn and sentence-transformers' evaluators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as skm

from pairsim_utils.data import pair_key, word_overlap
from pairsim_utils.intervals import bootstrap_interval, percentile_interval
from pairsim_utils.paths import RUNS_DIR
from pairsim_utils.statistics import label_grade

RELATED_THRESHOLD = 0.5
"""Labels at or above this count as *related* in the binary view (interaction and loose)."""

CACHE_DIR = RUNS_DIR / "cache" / "embeddings"


def similarity_evaluator(frame: pd.DataFrame, name: str, batch_size: int = 32):
    """Wrap a pairs frame in sentence-transformers' ``EmbeddingSimilarityEvaluator`` (cosine).

    Args:
        frame: Pairs with ``sentence_0``, ``sentence_1``, ``label``.
        name: Prefix of the metric names (``{name}_spearman_cosine``…).
        batch_size: Encoding batch size.

    Returns:
        The evaluator.
    """
    from sentence_transformers import SimilarityFunction
    from sentence_transformers.sentence_transformer.evaluation import EmbeddingSimilarityEvaluator

    return EmbeddingSimilarityEvaluator(frame["sentence_0"].tolist(), frame["sentence_1"].tolist(),
                                        frame["label"].tolist(), main_similarity=SimilarityFunction.COSINE,
                                        similarity_fn_names=["cosine"], name=name, batch_size=batch_size,
                                        show_progress_bar=False)


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


def model_fingerprint(model) -> str:
    """Identify a model by its weights, so cached embeddings are never served to another model.

    Returns:
        16 hex digits of a SHA-256 over every parameter's name and bytes.
    """
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


class EmbeddingCache:
    """Phrase embeddings of one model, kept in memory and in ``<cache_dir>/<fingerprint>.npz``.

    Args:
        model: A sentence-transformers model.
        cache_dir: Folder for the cache files (``runs/cache/embeddings`` by default).
        batch_size: Encoding batch size.
    """

    def __init__(self, model, cache_dir: Path | str = CACHE_DIR, batch_size: int = 64) -> None:
        self.model = model
        self.fingerprint = model_fingerprint(model)
        self.path = Path(cache_dir) / f"{self.fingerprint}.npz"
        self.batch_size = batch_size
        self.encoded_count = 0
        self._vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as stored:
                self._vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def __len__(self) -> int:
        return len(self._vectors)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` (unit length), encoding only those not seen before.

        Returns:
            Array of shape ``(len(texts), dim)``.
        """
        missing = sorted(set(texts) - self._vectors.keys())
        if missing:
            vectors = self.model.encode(missing, batch_size=self.batch_size, normalize_embeddings=True,
                                        show_progress_bar=False, convert_to_numpy=True)
            self._vectors.update(zip(missing, vectors, strict=True))
            self.encoded_count += len(missing)
            self._save()
        return np.stack([self._vectors[text] for text in texts])

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._vectors)
        temporary = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(temporary, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts]))
        temporary.replace(self.path)

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Cosine similarity of each pair of a pairs frame.

        Returns:
            One score per row.
        """
        first = self.encode(frame["sentence_0"].tolist())
        second = self.encode(frame["sentence_1"].tolist())
        return np.sum(first * second, axis=1)


def regression_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """Returns:
    ``spearman``, ``pearson`` (scipy) and ``mse`` (scikit-learn) of scores against labels.
    """
    return {"spearman": float(stats.spearmanr(scores, labels).statistic),
            "pearson": float(stats.pearsonr(scores, labels).statistic),
            "mse": float(skm.mean_squared_error(labels, scores))}


def related(labels: np.ndarray | pd.Series) -> np.ndarray:
    """Returns:
    The binary view of graded labels: 1 for related (label ≥ 0.5), 0 for unrelated.
    """
    return (np.asarray(labels) >= RELATED_THRESHOLD).astype(int)


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


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC of related vs unrelated from the rank-sum (Mann-Whitney) identity, ties counted half.

    The same number as ``sklearn.metrics.roc_auc_score`` (tested), at a fraction of its cost: the
    bootstrap calls it thousands of times.

    Returns:
        The probability that a related pair outscores an unrelated one.
    """
    truth = related(labels).astype(bool)
    positives, negatives = truth.sum(), (~truth).sum()
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


HEADLINE_METRICS: dict[str, Callable[[np.ndarray, np.ndarray, float], float]] = {
    "spearman": lambda y, s, t: float(stats.spearmanr(s, y).statistic) if np.ptp(s) > 0 else np.nan,
    "pearson": lambda y, s, t: float(stats.pearsonr(s, y).statistic) if np.ptp(s) > 0 else np.nan,
    "mse": lambda y, s, t: float(np.mean((np.asarray(y) - s) ** 2)),
    "roc_auc": lambda y, s, t: roc_auc(y, s),
    "f1": lambda y, s, t: f1_at(y, s, t),
}
"""Headline metric -> ``f(labels, scores, threshold)``; the threshold only matters for F1. A constant
prediction has no rank or linear correlation (NaN)."""


def metric_function(metric: str, threshold: float) -> Callable[[np.ndarray, np.ndarray], float]:
    """Returns:
    ``f(labels, scores)`` computing one headline metric (F1 at the given threshold).
    """
    function = HEADLINE_METRICS[metric]
    return lambda labels, scores: function(labels, scores, threshold)


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

        jobs = [(name, functions[name], (labels, scores[name])) for name in names]
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


def length_bucket(frame: pd.DataFrame) -> pd.Series:
    """Returns:
    Words in the pair (both phrases), as ``"2 words"``, ``"3 words"``, ``"4+ words"``.
    """
    total = frame["sentence_0"].str.split().str.len() + frame["sentence_1"].str.split().str.len()
    return total.clip(upper=4).map(lambda n: f"{n}+ words" if n == 4 else f"{n} words")


def overlap_bucket(frame: pd.DataFrame) -> pd.Series:
    """Returns:
    ``"shares a word"`` or ``"no shared word"`` per pair.
    """
    shares = [word_overlap(a, b) > 0 for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)]
    return pd.Series(np.where(shares, "shares a word", "no shared word"), index=frame.index)


def slice_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns to slice by: ``relation`` and ``domain`` where the file has them, plus the
    label grade, phrase length and lexical overlap, which every pairs file has.

    Returns:
        One column per slicing dimension.
    """
    slices = pd.DataFrame(index=frame.index)
    for column in ("relation", "domain"):
        if column in frame:
            slices[column] = frame[column]
    slices["label grade"] = label_grade(frame["label"]).astype(str)
    slices["length"] = length_bucket(frame)
    slices["overlap"] = overlap_bucket(frame)
    return slices


def slice_metrics(frame: pd.DataFrame, scores: Mapping[str, np.ndarray], min_pairs: int = 10,
                  concept_draws: Sequence[np.ndarray] | None = None) -> pd.DataFrame:
    """Metrics of each model per slice: mean absolute error always, Spearman where labels vary.

    Args:
        frame: Pairs with ``label`` (and optionally ``relation``, ``domain``).
        scores: Model name -> cosine scores; the first is the baseline, the last the model compared.
        min_pairs: Slices with fewer pairs are left out.
        concept_draws: Resamples of the whole frame from
            :func:`pairsim_utils.intervals.concept_resamples`; when given, each slice's ``mae gain``
            gets a 95 % interval (``gain low``, ``gain high``) from the same resamples, restricted to it.

    Returns:
        Rows ``(dimension, slice)``; columns ``pairs``, ``mean label`` and, per model,
        ``mae <model>``, ``mean score <model>``, ``spearman <model>``; plus ``mae gain``
        (baseline MAE minus compared MAE: positive is better) and its interval when asked.
    """
    slices = slice_columns(frame)
    labels = frame["label"].to_numpy()
    names = list(scores)
    error_gain = np.abs(scores[names[0]] - labels) - np.abs(scores[names[-1]] - labels)
    rows = []
    for dimension in slices.columns:
        for value, index in slices.groupby(dimension).groups.items():
            positions = frame.index.get_indexer(index)
            if len(positions) < min_pairs:
                continue
            row = {"dimension": dimension, "slice": value, "pairs": len(positions),
                   "mean label": labels[positions].mean()}
            for name in names:
                s = scores[name][positions]
                row[f"mean score {name}"] = s.mean()
                row[f"mae {name}"] = np.abs(s - labels[positions]).mean()
                varied = np.unique(labels[positions]).size > 1
                row[f"spearman {name}"] = stats.spearmanr(s, labels[positions]).statistic if varied else np.nan
            row["mae gain"] = row[f"mae {names[0]}"] - row[f"mae {names[-1]}"]
            if concept_draws is not None:
                inside = np.zeros(len(frame), dtype=bool)
                inside[positions] = True
                row["gain low"], row["gain high"] = percentile_interval(
                    lambda gain: gain.mean() if gain.size else np.nan,
                    [draw[inside[draw]] for draw in concept_draws], error_gain)
            rows.append(row)
    return pd.DataFrame(rows).set_index(["dimension", "slice"])


def worst_errors(frame: pd.DataFrame, scores: np.ndarray, kind: str, top: int = 15,
                 threshold: float | None = None) -> pd.DataFrame:
    """The most confident mistakes in the binary view.

    Args:
        frame: Pairs with ``label``.
        scores: Cosine scores of the model examined.
        kind: ``"false positive"`` (unrelated pairs scored highest) or ``"false negative"`` (related
            pairs scored lowest).
        top: How many rows.
        threshold: When given, keep only pairs on the wrong side of it.

    Returns:
        The rows with their ``score`` and ``error`` (score minus label), most wrong first.
    """
    table = frame.assign(score=scores, error=scores - frame["label"].to_numpy())
    if kind == "false positive":
        table = table[related(table["label"]) == 0].sort_values("score", ascending=False)
        if threshold is not None:
            table = table[table["score"] >= threshold]
    elif kind == "false negative":
        table = table[related(table["label"]) == 1].sort_values("score")
        if threshold is not None:
            table = table[table["score"] < threshold]
    else:
        raise ValueError(f"kind must be 'false positive' or 'false negative', not {kind!r}")
    return table.head(top)


def fit_calibration(scores: np.ndarray, labels: np.ndarray):
    """Fit a monotone map from cosine to label on dev (scikit-learn's isotonic regression).

    Returns:
        The fitted ``IsotonicRegression``; ``.predict(scores)`` gives calibrated scores in 0-1.
    """
    from sklearn.isotonic import IsotonicRegression

    return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, labels)


def reliability_table(scores: np.ndarray, labels: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Mean predicted score against mean label, in equal-width bins of the prediction.

    Returns:
        One row per non-empty bin: ``bin``, ``pairs``, ``mean prediction``, ``mean label``.
    """
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(np.clip(scores, 0, 1), edges[1:-1]), 0, bins - 1)
    table = pd.DataFrame({"bin": which, "prediction": scores, "label": labels}).groupby("bin").agg(
        pairs=("label", "size"), **{"mean prediction": ("prediction", "mean"), "mean label": ("label", "mean")})
    return table


def retrieval_view(frame: pd.DataFrame, caches: Mapping[str, EmbeddingCache], sources: list[str]) -> pd.DataFrame:
    """Rank each source concept's partners in ``frame`` by every model, like the card's widget.

    Args:
        frame: Pairs; a source's candidates are the phrases paired with it.
        caches: Model name -> its embedding cache.
        sources: Concepts to query.

    Returns:
        Rows ``(source, candidate)`` with the ``label`` and, per model, ``score`` and ``rank``.
    """
    rows = []
    for source in sources:
        mine = frame[(frame["sentence_0"] == source) | (frame["sentence_1"] == source)]
        candidates = np.where(mine["sentence_0"] == source, mine["sentence_1"], mine["sentence_0"]).tolist()
        row = {"source": [source] * len(candidates), "candidate": candidates, "label": mine["label"].to_numpy()}
        for name, cache in caches.items():
            scores = cache.encode(candidates) @ cache.encode([source])[0]
            row[f"score {name}"] = scores
            row[f"rank {name}"] = stats.rankdata(-scores, method="min").astype(int)
        rows.append(pd.DataFrame(row))
    if not rows:  # no concept with enough partners (a small or sparse test split)
        return pd.DataFrame(columns=["source", "candidate", "label"]).set_index(["source", "candidate"])
    return pd.concat(rows).set_index(["source", "candidate"]).sort_values(["source", "label"], ascending=[True, False])


def embedding_map(vectors: Mapping[str, np.ndarray], seed: int = 0) -> dict[str, np.ndarray]:
    """Project each model's phrase embeddings to 2-D with PCA (scikit-learn), one fit per model.

    Returns:
        Model name -> ``(n, 2)`` coordinates.
    """
    from sklearn.decomposition import PCA

    return {name: PCA(n_components=2, random_state=seed).fit_transform(v) for name, v in vectors.items()}


def domain_separation(vectors: np.ndarray, domains: pd.Series) -> float:
    """How well embeddings group by domain: the silhouette score with cosine distance (scikit-learn).

    Returns:
        A number in [-1, 1]; higher means phrases sit closer to their own domain.
    """
    return float(skm.silhouette_score(vectors, domains.to_numpy(), metric="cosine"))


def trap_table(frame: pd.DataFrame, scores: Mapping[str, np.ndarray], thresholds: Mapping[str, float]) -> pd.DataFrame:
    """How lexical traps (pairs that share a word but not a meaning) score, per model.

    Args:
        frame: Pairs; traps are rows whose ``relation`` is ``lexical_trap``.
        scores: Model name -> cosine scores.
        thresholds: Model name -> its decision threshold (chosen on dev).

    Returns:
        One row per model: ``mean cosine`` and ``share above threshold`` of the traps, and the
        ``mean cosine, related pairs sharing a word``; empty when the file marks no traps.
    """
    if "relation" not in frame or not (frame["relation"] == "lexical_trap").any():
        return pd.DataFrame()
    trap = (frame["relation"] == "lexical_trap").to_numpy()
    shares_word = (overlap_bucket(frame) == "shares a word").to_numpy()
    return pd.DataFrame({name: {"mean cosine": s[trap].mean(),
                                "share above threshold": (s[trap] >= thresholds[name]).mean(),
                                "mean cosine, related pairs sharing a word":
                                    s[shares_word & ~trap].mean() if (shares_word & ~trap).any() else np.nan}
                         for name, s in scores.items()}).T


def pair_keys(frame: pd.DataFrame) -> pd.Series:
    """Returns:
    One key per pair that ignores order and case, to find the same pair in two files.
    """
    return pd.Series([pair_key(a, b) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)],
                     index=frame.index)


def benchmark_table(caches: Mapping[str, EmbeddingCache], benchmarks: Mapping[str, pd.DataFrame],
                    measures: Mapping[str, str], seen: Sequence[pd.DataFrame] = (),
                    min_pairs: int = 30) -> pd.DataFrame:
    """Spearman of each model on each outside benchmark, leaving out the pairs of the data set itself.

    Args:
        caches: Model name -> its embedding cache; the first is the baseline, the last compared.
        benchmarks: Benchmark name -> pairs.
        measures: Benchmark name -> ``"relatedness"`` or ``"similarity"``.
        seen: The data set's own splits: a benchmark pair found there, in either order, is left out,
            so a benchmark the model was trained or tested on is not counted as "outside".
        min_pairs: Benchmarks with fewer pairs left are dropped.

    Returns:
        One row per benchmark: ``measures``, ``pairs`` (scored), ``left out`` (in the data set),
        a Spearman column per model, and ``change``.
    """
    names = list(caches)
    known = set().union(*(pair_keys(frame) for frame in seen)) if seen else set()
    rows = []
    for benchmark, frame in benchmarks.items():
        unseen = frame[~pair_keys(frame).isin(known)]
        if len(unseen) < min_pairs:
            continue
        row = {"benchmark": benchmark, "measures": measures[benchmark], "pairs": len(unseen),
               "left out": len(frame) - len(unseen)}
        for name, cache in caches.items():
            row[name] = regression_metrics(unseen["label"].to_numpy(), cache.score(unseen))["spearman"]
        row["change"] = row[names[-1]] - row[names[0]]
        rows.append(row)
    columns = ["benchmark", "measures", "pairs", "left out", *names, "change"]
    return pd.DataFrame(rows, columns=columns).set_index("benchmark")
