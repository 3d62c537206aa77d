"""Weight interpolation between the base and a fine-tuned model (WiSE-FT, Wortsman et al. 2022).

``(1 - alpha) * base + alpha * fine-tuned``, weight by weight: alpha = 0 is the base model, 1 the fine-tuned one,
and the values between trade the fine-tuned gain on our data against what the base model knew about
everything else. No training is needed: the sweep is computed from two saved models. Which alpha to keep
is chosen on dev sets only, by :func:`pairsim_utils.experiment_results.choose`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import torch
from scipy import stats

from pairsim_utils.embeddings import EmbeddingCache


def alpha_grid(step: float) -> tuple[float, ...]:
    """Interpolation weights from 0 to 1 at a regular spacing, both ends included.

    Args:
        step: The spacing; it must divide 1 into whole steps (0.1, 0.25, 0.5…).

    Returns:
        The weights, rounded to 6 decimals so that they can index a table.

    Raises:
        ValueError: When ``step`` is not in (0, 1] or does not divide 1.
    """
    steps = round(1 / step) if 0 < step <= 1 else 0
    if steps == 0 or abs(steps * step - 1) > 1e-9:
        raise ValueError(f"alpha_step must divide 1 into whole steps (e.g. 0.1, 0.25, 0.5), not {step}")
    return tuple(round(index / steps, 6) for index in range(steps + 1))


ALPHAS: tuple[float, ...] = alpha_grid(0.1)
"""The interpolation weights of a sweep: 0, 0.1, …, 1."""


def interpolate_state(base: Mapping[str, torch.Tensor], tuned: Mapping[str, torch.Tensor],
                      alpha: float) -> dict[str, torch.Tensor]:
    """``(1 - alpha) * base + alpha * tuned`` for every floating-point tensor of two state dicts.

    Integer buffers (e.g. position ids) are the same in both models and are taken from ``tuned``.

    Args:
        base: The base model's ``state_dict()``.
        tuned: The fine-tuned model's ``state_dict()``, with the same keys and shapes.
        alpha: Weight of the fine-tuned model, in [0, 1].

    Returns:
        The interpolated state dict.

    Raises:
        ValueError: When alpha is outside [0, 1] or the two models do not have the same tensors.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], not {alpha}")
    if base.keys() != tuned.keys():
        different = sorted(set(base) ^ set(tuned))
        raise ValueError(f"the models' weights differ in name: {', '.join(different[:5])}")
    mixed = {}
    for name, tuned_tensor in tuned.items():
        base_tensor = base[name]
        if base_tensor.shape != tuned_tensor.shape:
            raise ValueError(f"{name} has shape {tuple(base_tensor.shape)} in one model and "
                             f"{tuple(tuned_tensor.shape)} in the other")
        mixed[name] = (torch.lerp(base_tensor.to(tuned_tensor.dtype), tuned_tensor, alpha)
                       if tuned_tensor.is_floating_point() else tuned_tensor.clone())
    return mixed


def interpolated_model(base, tuned, alpha: float):
    """A copy of ``tuned`` whose weights are interpolated towards ``base`` (:func:`interpolate_state`).

    Returns:
        A new ``SentenceTransformer``; ``base`` and ``tuned`` are left unchanged.
    """
    model = copy.deepcopy(tuned)
    model.load_state_dict(interpolate_state(base.state_dict(), tuned.state_dict(), alpha))
    return model


def alpha_sweep(base, tuned, pairs: Mapping[str, pd.DataFrame], alphas: Sequence[float] = ALPHAS,
                cache_dir: Path | str | None = None) -> pd.DataFrame:
    """Spearman correlation of cosine scores with the labels, for each interpolation weight and pairs set.

    Args:
        base: The base model.
        tuned: The fine-tuned model.
        pairs: Name -> pairs (``sentence_0``, ``sentence_1``, ``label``): our splits, outside benchmarks.
        alphas: The interpolation weights.
        cache_dir: Embedding cache (default :func:`~pairsim_utils.embeddings.default_cache_dir`); each
            interpolated model is cached under its own weights' fingerprint.

    Returns:
        One row per alpha (index ``alpha``), one column per pairs set.
    """
    rows = {}
    for alpha in alphas:
        cache = EmbeddingCache(interpolated_model(base, tuned, alpha), cache_dir)
        rows[alpha] = {name: float(stats.spearmanr(cache.score(frame), frame["label"]).statistic)
                       for name, frame in pairs.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("alpha")
