"""Scoring pairs with a model and measuring agreement with the labels."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


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
