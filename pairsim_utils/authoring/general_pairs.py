"""Build ``data/general_pairs/`` (``make general-pairs``): everyday word pairs scored by the frozen base model.

Notebook 7's replay runs (:mod:`pairsim_utils.replay`) mix these pairs into training so that the
fine-tuned model keeps the base model's answers on words outside our data. The build is
deterministic:

1. candidate words are the most frequent English words of ``wordfreq`` that are also lower-case
   dictionary words of Webster's Second (``english-words``' ``web2`` list, which drops names and most
   slang), skipping the most frequent ones (function words) and every word of our concept pairs and
   of the outside benchmarks, so that replay never teaches a word a reported score depends on;
2. half the pairs join a word to one of its ten nearest candidates by the base model's cosine (related
   pairs), half to a random candidate (mostly unrelated), so the labels cover the whole scale;
3. each pair's label is the base model's cosine, clipped at 0 like our labels.

Usage: ``python -m pairsim_utils.authoring.general_pairs`` (write) or ``... --check`` (exit 1 if stale).
"""

from __future__ import annotations

import argparse
import io
import sys

import numpy as np
import pandas as pd

from pairsim_utils.benchmarks import BENCHMARKS, load_benchmark
from pairsim_utils.data import CHECKSUM_FILE, checksums_bytes, words
from pairsim_utils.files import write_bytes_atomic
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, GENERAL_PAIRS_DIR, relative_to_repo
from pairsim_utils.replay import GENERAL_PAIRS_FILE

PAIRS = 3201
"""As many pairs as our training split has, so a replay ratio of 1 is possible."""
CANDIDATES = 6000
SKIPPED_MOST_FREQUENT = 300
NEIGHBOURS = 10
SEED = 42


def excluded_words() -> set[str]:
    """Every lower-case word of our concept pairs (all splits and set-aside pairs) and of every benchmark."""
    frames = [pd.read_csv(path, usecols=["sentence_0", "sentence_1"])
              for path in sorted(CONCEPT_PAIRS_DIR.glob("*.csv"))]
    frames += [load_benchmark(benchmark.name) for benchmark in BENCHMARKS]
    return {word for frame in frames for column in ("sentence_0", "sentence_1")
            for phrase in frame[column] for word in words(phrase)}


def candidate_words(excluded: set[str]) -> list[str]:
    """The :data:`CANDIDATES` most frequent dictionary words left after skipping and excluding, by frequency."""
    import wordfreq
    from english_words import get_english_words_set

    dictionary = {word for word in get_english_words_set(["web2"], alpha=True, lower=False) if word.islower()}
    frequent = [word for word in wordfreq.top_n_list("en", 30000) if word in dictionary and len(word) >= 3]
    kept = [word for word in frequent[SKIPPED_MOST_FREQUENT:] if word not in excluded]
    return kept[:CANDIDATES]


def draw_pairs(candidates: list[str], embeddings: np.ndarray, count: int = PAIRS, seed: int = SEED) -> pd.DataFrame:
    """Alternate neighbour and random pairs of candidates until ``count`` distinct pairs are drawn.

    Args:
        candidates: The words.
        embeddings: Their unit-length base-model embeddings, row by row.
        count: Pairs wanted.
        seed: Seed of the draw.

    Returns:
        ``sentence_0``, ``sentence_1``, ``label`` (cosine clipped at 0, 4 decimals) and ``kind``.
    """
    similarity = embeddings @ embeddings.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1)[:, :NEIGHBOURS]
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str, float, str]] = []
    seen: set[frozenset[int]] = set()
    while len(rows) < count:
        first = int(rng.integers(len(candidates)))
        kind = "neighbour" if len(rows) % 2 == 0 else "random"
        second = int(nearest[first, rng.integers(NEIGHBOURS)] if kind == "neighbour" else rng.integers(len(candidates)))
        key = frozenset((first, second))
        if first == second or key in seen:
            continue
        seen.add(key)
        rows.append((candidates[first], candidates[second], round(max(float(similarity[first, second]), 0.0), 4), kind))
    return pd.DataFrame(rows, columns=["sentence_0", "sentence_1", "label", "kind"])


def build_general_pairs(model) -> pd.DataFrame:
    """The general pairs, scored by ``model`` (the base model)."""
    candidates = candidate_words(excluded_words())
    embeddings = model.encode(candidates, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    return draw_pairs(candidates, embeddings)


def main(argv: list[str] | None = None) -> int:
    """Write ``data/general_pairs/`` or, with ``--check``, compare it with a fresh build."""
    from pairsim_utils.model import load_base_model
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs from a build")
    arguments = parser.parse_args(argv)
    go_offline()
    quiet_progress_bars()
    buffer = io.StringIO()
    build_general_pairs(load_base_model()).to_csv(buffer, index=False, lineterminator="\n")
    content = buffer.getvalue().encode()
    if arguments.check:
        same = GENERAL_PAIRS_FILE.is_file() and GENERAL_PAIRS_FILE.read_bytes() == content
        print(f"{relative_to_repo(GENERAL_PAIRS_FILE)} is {'up to date' if same else 'stale: run make general-pairs'}")
        return 0 if same else 1
    write_bytes_atomic(GENERAL_PAIRS_FILE, content)
    write_bytes_atomic(GENERAL_PAIRS_DIR / CHECKSUM_FILE, checksums_bytes({GENERAL_PAIRS_FILE.name: content}))
    pairs = content.count(b"\n") - 1
    print(f"wrote {relative_to_repo(GENERAL_PAIRS_FILE)} ({pairs:,} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
