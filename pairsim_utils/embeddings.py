"""Phrase embeddings of a model, cached on disk so an analysis never encodes a phrase twice.

The cache is keyed by a fingerprint of the model's weights, so embeddings are never served to
another model, and by the phrase.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from pairsim_utils.files import write_bytes_atomic
from pairsim_utils.paths import RUNS_DIR

CACHE_DIR_VARIABLE = "PAIRSIM_EMBEDDING_CACHE"
"""Environment variable naming another cache folder, e.g. for a test that must not share ``runs/``."""


def default_cache_dir(runs_dir: Path | str = RUNS_DIR) -> Path:
    """The folder for cached embeddings, read when a cache is made (not on import).

    Args:
        runs_dir: The parent folder of the runs whose embeddings are cached.

    Returns:
        ``$PAIRSIM_EMBEDDING_CACHE`` when it is set, else ``<runs_dir>/cache/embeddings``.
    """
    override = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(override) if override else Path(runs_dir) / "cache" / "embeddings"


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
        cache_dir: Folder for the cache files; by default :func:`default_cache_dir`.
        batch_size: Encoding batch size.
    """

    def __init__(self, model, cache_dir: Path | str | None = None, batch_size: int = 64) -> None:
        self.model = model
        self.fingerprint = model_fingerprint(model)
        self.path = Path(cache_dir or default_cache_dir()) / f"{self.fingerprint}.npz"
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
        buffer = io.BytesIO()
        np.savez(buffer, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts]))
        write_bytes_atomic(self.path, buffer.getvalue())

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Cosine similarity of each pair of a pairs frame.

        Returns:
            One score per row.
        """
        first = self.encode(frame["sentence_0"].tolist())
        second = self.encode(frame["sentence_1"].tolist())
        return np.sum(first * second, axis=1)
