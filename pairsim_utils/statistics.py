"""Descriptive statistics of pairs data, for the data notebook and the data card."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pairsim_utils.concepts import concept_clashes
from pairsim_utils.data import card_statistics, contains_phrase, phrase_keys, token_counts, word_overlap, words

GRADE_NAMES = {1.0: "1.0 interaction", 0.5: "0.5 association", 0.0: "0.0 unrelated"}
RATING_BINS = ("0 to 0.25", "0.25 to 0.5", "0.5 to 0.75", "0.75 to 1")


def label_grade(labels: pd.Series) -> pd.Series:
    """Group labels into grades: our graded labels (0, 0.5, 1) as they are; continuous human
    ratings (e.g. MEN's) into four equal-width bins, so per-grade tables and plots work for both.

    Args:
        labels: Labels in 0-1.

    Returns:
        Floats 0.0 / 0.5 / 1.0, or an ordered categorical of the bins in :data:`RATING_BINS`.
    """
    values = labels.astype(float)
    if set(values.unique()) <= set(GRADE_NAMES):
        return values
    return pd.cut(values, bins=np.linspace(0, 1, len(RATING_BINS) + 1), include_lowest=True, labels=list(RATING_BINS))


def grade_names(labels: pd.Series) -> pd.Series:
    """Each label's grade as readers see it: ``"1.0 interaction"``… for our grades, the bin otherwise."""
    grades = label_grade(labels)
    return grades.map(GRADE_NAMES) if grades.dtype == float else grades


def card_comparison(train: pd.DataFrame, card: pd.DataFrame, tokenizer) -> pd.DataFrame:
    """Put the seed card's data table next to ours.

    Args:
        train: Our training pairs.
        card: The card's table (``SeedCard.data_statistics``).
        tokenizer: The base model's tokenizer.

    Returns:
        Rows ``sentence_0`` (tokens), ``sentence_1`` (tokens), ``label``; column pairs
        ``(statistic, "seed card")`` and ``(statistic, "ours")``.
    """
    ours = card_statistics(train, tokenizer)
    both = pd.concat({"seed card": card, "ours": ours}, axis=1).swaplevel(axis=1)
    return both[[(stat, source) for stat in ("min", "mean", "max") for source in ("seed card", "ours")]]


def label_distribution(splits: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Pairs per label grade (rows) and split (columns), with a ``share`` column per split."""
    counts = pd.DataFrame({name: label_grade(frame["label"]).value_counts() for name, frame in splits.items()})
    counts = counts.sort_index(ascending=False).fillna(0).astype(int)
    counts.index = [GRADE_NAMES.get(v, v) for v in counts.index]
    counts.index.name = "label"
    shares = (counts / counts.sum()).round(3).add_suffix(" share")
    return pd.concat([counts, shares], axis=1)


def relation_table(splits: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Pairs per relation (rows) and split (columns), with each relation's label."""
    counts = pd.DataFrame({name: frame["relation"].value_counts() for name, frame in splits.items()})
    counts = counts.fillna(0).astype(int)
    labels = pd.concat(splits.values()).groupby("relation")["label"].first()
    counts.insert(0, "label", labels)
    return counts.sort_values(["label", next(iter(splits))], ascending=False).rename_axis("relation")


def domain_grade_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs per domain (rows) and label grade (columns), with a total."""
    table = pd.crosstab(frame["domain"], grade_names(frame["label"]))
    table = table[[g for g in (*GRADE_NAMES.values(), *reversed(RATING_BINS)) if g in table.columns]]
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False)


def phrase_lengths(splits: Mapping[str, pd.DataFrame], tokenizer) -> pd.DataFrame:
    """Lengths of every phrase occurrence, in words and in tokens (with [CLS] and [SEP]).

    Returns:
        Long table with ``split``, ``column``, ``phrase``, ``words``, ``tokens``.
    """
    parts = []
    for name, frame in splits.items():
        for column in ("sentence_0", "sentence_1"):
            phrases = frame[column]
            parts.append(pd.DataFrame({"split": name, "column": column, "phrase": phrases.values,
                                       "words": phrases.str.split().str.len().values,
                                       "tokens": token_counts(phrases, tokenizer)}))
    return pd.concat(parts, ignore_index=True)


def overlap_by_relation(frame: pd.DataFrame) -> pd.DataFrame:
    """How often the two phrases of a pair share a word, per relation.

    Returns:
        Per relation: ``label``, ``pairs``, ``share_with_common_word``, ``mean_overlap`` (Jaccard).
    """
    overlap = [word_overlap(a, b) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)]
    data = frame.assign(overlap=overlap, shares_word=[o > 0 for o in overlap])
    table = data.groupby("relation").agg(label=("label", "first"), pairs=("label", "size"),
                                         share_with_common_word=("shares_word", "mean"),
                                         mean_overlap=("overlap", "mean"))
    return table.sort_values(["label", "share_with_common_word"], ascending=False).round(3)


def overlap_by_label(frame: pd.DataFrame) -> pd.DataFrame:
    """Per label grade, the share of pairs whose phrases share a word."""
    shares = [word_overlap(a, b) > 0 for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)]
    grades = label_grade(frame["label"])
    table = frame.assign(shares_word=shares).groupby(grades, observed=True)["shares_word"].agg(["size", "mean"])
    table.index = [GRADE_NAMES.get(v, v) for v in table.index]
    return table.rename(columns={"size": "pairs", "mean": "share_with_common_word"}).round(3)


def most_connected(frame: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The concepts that take part in the most pairs (their degree in the pair graph).

    Returns:
        ``top`` rows: ``concept``, ``pairs``, and how many of them fall in each label grade.
    """
    rows = []
    for column in ("sentence_0", "sentence_1"):
        rows.append(frame[[column, "label"]].rename(columns={column: "concept"}))
    long = pd.concat(rows)
    table = pd.crosstab(long["concept"], grade_names(long["label"]))
    table.insert(0, "pairs", table.sum(axis=1))
    return table.sort_values(["pairs", "concept"], ascending=[False, True]).head(top)


def shared_phrases(splits: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Count phrases (case-insensitively) that two splits have in common.

    Returns:
        A square table split x split; off the diagonal it must be 0 for concept-disjoint splits,
        on the diagonal it is each split's number of distinct phrases.
    """
    vocab = {name: phrase_keys(frame) for name, frame in splits.items()}
    return pd.DataFrame({a: {b: len(vocab[a] & vocab[b]) for b in vocab} for a in vocab})


def sharing_shape(first: str, second: str) -> str:
    """Name the shape of a pair whose phrases share a word.

    Returns:
        ``"one contains the other"`` (*Tire / Tire Iron*), ``"two words + two words"`` (*Pool Table /
        Gene Pool*), ``"other shape"`` (*Fan Belt / Ceiling Fan Motor*), or ``"no shared word"``.
    """
    if not words(first) & words(second):  # the same words as word_overlap: hyphens split words too
        return "no shared word"
    a, b = first.lower().split(), second.lower().split()
    if contains_phrase(first, second):
        return "one contains the other"
    return "two words + two words" if len(a) == len(b) == 2 else "other shape"


def shared_word_shapes(frame: pd.DataFrame) -> pd.DataFrame:
    """Count the pairs that share a word by shape and label grade: if one shape went with one grade,
    the shape alone would predict the label.

    Returns:
        Rows: shapes; columns: grade names, then ``related share`` (label above 0).
    """
    shapes = pd.Series([sharing_shape(a, b) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)],
                       index=frame.index)
    sharing = shapes != "no shared word"
    table = pd.crosstab(shapes[sharing].rename("shape"), grade_names(frame.loc[sharing, "label"]))
    table["related share"] = (frame.loc[sharing, "label"] > 0).groupby(shapes[sharing]).mean().round(3)
    return table


def shared_concepts(splits: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Count phrases of one split that name a concept of another after normalisation (stemming and
    containment, :func:`pairsim_utils.concepts.same_concept`).

    Returns:
        A square table split x split of clashing phrase pairs; 0 everywhere for concept-disjoint splits.
    """
    vocab = {name: set(pd.concat([f["sentence_0"], f["sentence_1"]]).str.lower()) for name, f in splits.items()}
    table = pd.DataFrame(0, index=list(vocab), columns=list(vocab))
    for a in vocab:
        for b in vocab:
            if a < b:
                home = {**{p: b for p in vocab[b]}, **{p: a for p in vocab[a] - vocab[b]}}
                table.loc[a, b] = table.loc[b, a] = len(concept_clashes(home)) + len(vocab[a] & vocab[b])
    return table
