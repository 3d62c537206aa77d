"""The training losses a run can use, built by name from the configuration.

All three read the same pairs (two phrases and a 0-1 label) and differ in what they ask of the cosine
scores: ``CosineSimilarityLoss`` (the card's) pulls each cosine towards its label; ``CoSENTLoss`` and
``AnglELoss`` only ask that a pair with a higher label gets a higher score than one with a lower label,
which is all a Spearman correlation measures.
"""

from __future__ import annotations

import torch

from pairsim_utils.config import TrainingConfig


def loss_function(name: str) -> torch.nn.Module:
    """The ``torch.nn`` criterion a config names in ``loss_fct`` (e.g. ``torch.nn.modules.loss.MSELoss``).

    Raises:
        ValueError: When the name is not a ``torch.nn`` loss.
    """
    module_name, _, class_name = name.rpartition(".")
    if module_name not in ("torch.nn", "torch.nn.modules.loss") or not hasattr(torch.nn, class_name):
        raise ValueError(f"loss_fct must be a torch.nn loss, not {name!r}")
    return getattr(torch.nn, class_name)()


def build_loss(model, config: TrainingConfig) -> torch.nn.Module:
    """The sentence-transformers loss named by ``config.loss``, wrapped around ``model``.

    Returns:
        ``CosineSimilarityLoss`` with ``config.loss_fct``, or ``CoSENTLoss`` / ``AnglELoss`` with the
        library's default scale (20).
    """
    from sentence_transformers.sentence_transformer import losses

    if config.loss == "CosineSimilarityLoss":
        return losses.CosineSimilarityLoss(model, loss_fct=loss_function(config.loss_fct))
    return getattr(losses, config.loss)(model)


def dev_loss_function(config: TrainingConfig) -> torch.nn.Module | None:
    """The criterion the dev evaluator reports as ``eval_loss``: the training loss's, for ``CosineSimilarityLoss``.

    Returns:
        ``None`` for the ranking losses, whose value on a dev set is not comparable across runs.
    """
    return loss_function(config.loss_fct) if config.loss == "CosineSimilarityLoss" else None
