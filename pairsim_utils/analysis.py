"""Where a model goes right and wrong: slices, worst errors, traps, calibration, retrieval, maps and
outside benchmarks; and the tables notebook 5 saves for the findings report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as skm

from pairsim_utils.data import pair_keys, word_overlap
from pairsim_utils.embeddings import EmbeddingCache
from pairsim_utils.intervals import percentile_interval
from pairsim_utils.metrics import regression_metrics, related
from pairsim_utils.statistics import label_grade

ANALYSIS_TABLES: dict[str, list[str | None]] = {
    "headline": ["metric", "model"], "slices": ["dimension", "slice"], "benchmarks": ["benchmark"], "traps": [None]}
"""The tables notebook 5 writes to ``runs/<run>/analysis/<name>.csv`` (name -> index columns), which the
findings report and the committed results read."""


def save_analysis(analysis_dir: Path, tables: Mapping[str, pd.DataFrame], test_scores: pd.DataFrame,
                  findings: str) -> list[str]:
    """Write notebook 5's tables for the findings report.

    Args:
        analysis_dir: ``runs/<run>/analysis``; created if missing.
        tables: Every name of :data:`ANALYSIS_TABLES` -> its table.
        test_scores: The test pairs with one score column per model.
        findings: The generated findings (Markdown).

    Returns:
        The names of the files written.
    """
    analysis_dir.mkdir(parents=True, exist_ok=True)
    for name in ANALYSIS_TABLES:
        tables[name].to_csv(analysis_dir / f"{name}.csv")
    test_scores.to_csv(analysis_dir / "test_scores.csv", index=False)
    (analysis_dir / "findings.md").write_text(findings + "\n", encoding="utf-8")
    return sorted(path.name for path in analysis_dir.iterdir())


def load_analysis(analysis_dir: Path) -> dict[str, pd.DataFrame]:
    """Read what :func:`save_analysis` wrote.

    Returns:
        Every name of :data:`ANALYSIS_TABLES` -> its table, plus ``test_scores``.
    """
    tables = {name: pd.read_csv(analysis_dir / f"{name}.csv",
                                index_col=list(range(len(index))) if index != [None] else 0)
              for name, index in ANALYSIS_TABLES.items()}
    return tables | {"test_scores": pd.read_csv(analysis_dir / "test_scores.csv")}


def length_bucket(frame: pd.DataFrame) -> pd.Series:
    """Words in the pair (both phrases), as ``"2 words"``, ``"3 words"``, ``"4+ words"``."""
    total = frame["sentence_0"].str.split().str.len() + frame["sentence_1"].str.split().str.len()
    return total.clip(upper=4).map(lambda n: f"{n}+ words" if n == 4 else f"{n} words")


def overlap_bucket(frame: pd.DataFrame) -> pd.Series:
    """``"shares a word"`` or ``"no shared word"`` per pair."""
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
        row: dict[str, Any] = {"benchmark": benchmark, "measures": measures[benchmark], "pairs": len(unseen),
               "left out": len(frame) - len(unseen)}
        for name, cache in caches.items():
            row[name] = regression_metrics(unseen["label"].to_numpy(), cache.score(unseen))["spearman"]
        row["change"] = row[names[-1]] - row[names[0]]
        rows.append(row)
    columns = ["benchmark", "measures", "pairs", "left out", *names, "change"]
    return pd.DataFrame(rows, columns=columns).set_index("benchmark")


def before_after_examples(scored: pd.DataFrame, base: str = "base", tuned: str = "fine-tuned") -> pd.DataFrame:
    """Three test pairs that show what fine-tuning did, for readers who do not read tables of metrics.

    Args:
        scored: Test pairs with ``label`` and one score column per model (``analysis/test_scores.csv``).
        base: The base model's column.
        tuned: The fine-tuned model's column.

    Returns:
        Rows ``a win`` (the related pair whose error fell most), ``a trap`` (the unrelated pair sharing
        a word whose score fell most; left out when no such pair got better), ``a miss`` (the related
        pair the fine-tuned model still scores lowest), with the phrases, label and both scores.
    """
    error_fall = (scored[base] - scored["label"]).abs() - (scored[tuned] - scored["label"]).abs()
    is_related = related(scored["label"]).astype(bool)
    shares = (overlap_bucket(scored) == "shares a word") & ~is_related
    picks = {"a win": error_fall[is_related].idxmax(), "a miss": scored.loc[is_related, tuned].idxmin()}
    if shares.any() and error_fall[shares].max() > 0:
        picks = {"a win": picks["a win"], "a trap": error_fall[shares].idxmax(), "a miss": picks["a miss"]}
    rows = scored.loc[list(picks.values()), ["sentence_0", "sentence_1", "label", base, tuned]]
    return rows.set_axis(list(picks), axis=0).round(2)
