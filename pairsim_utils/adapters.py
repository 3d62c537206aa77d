"""Low-rank adapters (LoRA, Hu et al. 2021) through the ``peft`` library.

LoRA freezes every weight of the encoder and learns, beside each attention and feed-forward matrix
``W``, a product ``B·A`` of two thin matrices (rank ``r``): the layer computes ``(W + (alpha / r)·B·A)·x``.
``B`` starts at zero, so training starts from the base model exactly, and far fewer numbers change.
After training the product is merged into ``W``, leaving an ordinary model of the original shape.
"""

from __future__ import annotations

import warnings

LORA_TARGETS = ("query", "key", "value", "dense")
"""BERT's attention projections and feed-forward layers: the matrices that get an adapter."""


def add_lora(model, rank: int, dropout: float = 0.1) -> None:
    """Freeze the encoder of a sentence-transformers model and give it LoRA adapters of ``rank``.

    Args:
        model: A ``SentenceTransformer`` whose first module is a Transformer; changed in place.
        rank: The adapters' rank ``r``; their scale ``alpha`` is ``2·r``, a common default.
        dropout: Dropout on the adapters' input.
    """
    from peft import LoraConfig, get_peft_model

    settings = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=dropout, target_modules=list(LORA_TARGETS))
    with warnings.catch_warnings():
        # peft asks transformers a question under its deprecated name; nothing for a user to change.
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        model[0].model = get_peft_model(model[0].model, settings)


def merge_lora(model) -> None:
    """Fold trained adapters into the weights they sit beside (no-op without adapters); changes ``model`` in place."""
    from peft import PeftModel

    if isinstance(model[0].model, PeftModel):
        model[0].model = model[0].model.merge_and_unload()


def trainable_share(model) -> float:
    """The fraction of the model's parameters that training updates."""
    parameters = list(model.parameters())
    return sum(p.numel() for p in parameters if p.requires_grad) / sum(p.numel() for p in parameters)
