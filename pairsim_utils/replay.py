"""General-knowledge replay: general word pairs, scored by the frozen base model, mixed into training.

Fine-tuning on our concept pairs moves every weight towards our labels and away from what the base
model knew about other words. Replay adds pairs of everyday words (``data/general_pairs/``, none from
our data or the outside benchmarks) whose label is the *base model's own* cosine score: on them the
loss asks the model to keep answering as it did. This is distillation from the base model into the
fine-tuned one, at ``replay_ratio`` general pairs per training pair.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pairsim_utils.data import load_pairs
from pairsim_utils.paths import GENERAL_PAIRS_DIR

GENERAL_PAIRS_FILE = GENERAL_PAIRS_DIR / "general_pairs.csv"


def load_general_pairs(path: Path | str = GENERAL_PAIRS_FILE) -> pd.DataFrame:
    """The general word pairs (``sentence_0``, ``sentence_1``, ``label`` = base cosine, ``kind``), validated."""
    return load_pairs(path, extra_columns=("kind",))


def with_replay(train: pd.DataFrame, ratio: float, general: pd.DataFrame) -> pd.DataFrame:
    """The training pairs followed by the first ``round(ratio · len(train))`` general pairs.

    The general pairs are stored in a random order, so their head is a random sample; the Trainer
    shuffles the mixture every epoch.

    Args:
        train: Our training pairs.
        ratio: General pairs per training pair, in [0, 1].
        general: :func:`load_general_pairs`.

    Returns:
        The mixture, with a ``source`` column (``"ours"`` or ``"general"``).

    Raises:
        ValueError: When ``general`` has fewer pairs than the ratio asks for.
    """
    wanted = round(ratio * len(train))
    if wanted > len(general):
        raise ValueError(f"replay_ratio {ratio} asks for {wanted:,} general pairs; the file has {len(general):,}")
    columns = ["sentence_0", "sentence_1", "label"]
    return pd.concat([train[columns].assign(source="ours"), general[columns].head(wanted).assign(source="general")],
                     ignore_index=True)
