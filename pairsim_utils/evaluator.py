"""The dev-set evaluator used during training: correlations and the training loss from one encoding.

sentence-transformers' ``EmbeddingSimilarityEvaluator`` encodes both columns of a pairs set and reports
Spearman and Pearson. The Trainer computes the dev *loss* in a second pass over the same pairs when it
is given an ``eval_dataset``. :class:`PairSimilarityEvaluator` computes that loss from the embeddings
the evaluator already has, and encodes each distinct phrase once, so that per-epoch evaluation costs
one pass over the distinct dev phrases instead of three over the pairs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from sentence_transformers.sentence_transformer.evaluation import EmbeddingSimilarityEvaluator

LossFunction = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class PairSimilarityEvaluator(EmbeddingSimilarityEvaluator):
    """``EmbeddingSimilarityEvaluator`` that encodes each phrase once and can report the training loss.

    Args:
        *args: As for ``EmbeddingSimilarityEvaluator`` (sentences1, sentences2, scores).
        loss_function: When given, the loss of ``CosineSimilarityLoss`` with this ``loss_fct`` on the pairs,
            reported under the key ``loss``: the Trainer, which prefixes ``eval_``, logs it as ``eval_loss``
            exactly where its own second pass would have put it.
        **kwargs: As for ``EmbeddingSimilarityEvaluator``.
    """

    def __init__(self, *args, loss_function: LossFunction | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loss_function = loss_function
        self._embedded: dict[str, np.ndarray] = {}

    def __call__(self, model, output_path: str | None = None, epoch: int = -1, steps: int = -1) -> dict[str, float]:
        """Spearman and Pearson of cosine scores (``{name}_spearman_cosine``…), and ``loss`` when asked."""
        self._embedded = {}  # the model changes between calls: embeddings are reused within one call only
        try:
            metrics = super().__call__(model, output_path, epoch, steps)
            if self.loss_function is not None:
                first, second = (torch.from_numpy(self.embed_inputs(model, side))
                                 for side in (self.sentences1, self.sentences2))
                cosine = torch.nn.functional.cosine_similarity(first.float(), second.float())
                metrics["loss"] = float(self.loss_function(cosine, torch.tensor(self.scores, dtype=torch.float32)))
        finally:
            self._embedded = {}
        return metrics

    def embed_inputs(self, model, sentences: str | list[str] | np.ndarray, **kwargs) -> np.ndarray:
        """Embeddings of ``sentences``, encoding only phrases not yet encoded in this call."""
        texts = [sentences] if isinstance(sentences, str) else list(sentences)
        missing = list(dict.fromkeys(text for text in texts if text not in self._embedded))
        if missing:
            self._embedded.update(zip(missing, super().embed_inputs(model, missing, **kwargs), strict=True))
        return np.stack([self._embedded[text] for text in texts])
