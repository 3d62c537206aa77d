"""The generated parts of the concept-pair data card, and the targets a build must meet.

``make data`` writes three blocks of ``data/concept_pairs/README.md`` between HTML comment markers
(``<!-- statistics:start -->`` … ``<!-- statistics:end -->``, likewise ``shortcuts`` and
``agreement``), so that no figure in the card is typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pairsim_utils.agreement import agreement_summary, confusion
from pairsim_utils.data import token_counts, word_overlap
from pairsim_utils.markdown import markdown_table
from pairsim_utils.shortcuts import shortcut_table

# (row name, relations) of the composition rows, in the card's order.
COMPOSITION = (
    ("label 1.0 (interaction)", ("acts_on", "repairs", "causes", "relieves", "produces", "made_from",
                                 "part_of", "tool_for", "becomes")),
    ("label 0.5, loose", ("loose",)),
    ("label 0.5, same kind", ("same_kind",)),
    ("label 0.0, hard negative", ("hard_negative",)),
    ("label 0.0, lookalike", ("lookalike",)),
    ("label 0.0, lexical trap", ("lexical_trap",)),
    ("label 0.0, unrelated (drawn)", ("unrelated",)),
)
MAX_TOKENS = 8


def shares_word(frame: pd.DataFrame) -> pd.Series:
    """Per row, whether the two phrases have a word in common."""
    return pd.Series([word_overlap(a, b) > 0 for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)],
                     index=frame.index)


def related_among_shared_word(frame: pd.DataFrame) -> float:
    """The share of related pairs (label above 0) among the pairs whose phrases share a word."""
    shared = shares_word(frame)
    return float((frame.loc[shared, "label"] > 0).mean()) if shared.any() else float("nan")


def distinct_phrases(frame: pd.DataFrame) -> int:
    """How many different phrases (case-insensitively) a split uses."""
    return pd.concat([frame["sentence_0"], frame["sentence_1"]]).str.lower().nunique()


def statistics_table(frames: Mapping[str, pd.DataFrame], tokenizer, card_statistics: pd.DataFrame) -> str:
    """Render the statistics block (Markdown), next to the seed card's figures.

    Returns:
        The Markdown table, without the markers.
    """
    def token_stats(series: pd.Series) -> str:
        counts = pd.Series(token_counts(series, tokenizer), dtype=float)
        return f"{counts.min():.0f} / {counts.mean():.2f} / {counts.max():.0f}"

    def card_tokens(column: str) -> str:
        row = card_statistics.loc[column]
        return f"{row['min']:.0f} / {row['mean']:.2f} / {row['max']:.0f}"

    label = card_statistics.loc["label"]
    rows = {"pairs": ["3,201", *(f"{len(f):,}" for f in frames.values())]}
    for column in ("sentence_0", "sentence_1"):
        rows[f"{column} tokens, min / mean / max"] = [card_tokens(column),
                                                        *(token_stats(f[column]) for f in frames.values())]
    rows["label min / mean / max"] = [f"{label['min']:.1f} / {label['mean']:.2f} / {label['max']:.1f}",
                                      *(f"{f['label'].min():.1f} / {f['label'].mean():.3f} / {f['label'].max():.1f}"
                                        for f in frames.values())]
    for name, relations in COMPOSITION:
        rows[name] = ["n/a", *(f"{f['relation'].isin(relations).sum():,} ({f['relation'].isin(relations).mean():.1%})"
                               for f in frames.values())]
    rows["pairs sharing a word"] = ["n/a", *(f"{shares_word(f).mean():.1%}" for f in frames.values())]
    rows["… of which related (0.5 or 1.0)"] = ["n/a", *(f"{related_among_shared_word(f):.1%}" for f in frames.values())]
    rows["distinct phrases"] = ["n/a", *(f"{distinct_phrases(f):,}" for f in frames.values())]
    rows["domains"] = ["n/a", *(str(f["domain"].nunique()) for f in frames.values())]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["seed card (train)", *frames])
    return markdown_table(table, "", right_aligned=len(table.columns))


def shortcuts_block(frames: Mapping[str, pd.DataFrame], neighbouring: Iterable[frozenset[str]]) -> str:
    """Render the shortcut baselines (Spearman with the labels) per split.

    Returns:
        A Markdown table, without the markers.
    """
    table = shortcut_table(frames, neighbouring).map("{:.3f}".format)
    return markdown_table(table, "shortcut (Spearman with the label)", right_aligned=len(table.columns))


def agreement_block(ratings: pd.DataFrame) -> str:
    """Render the second rating's agreement: kappa, the confusion table and the rated pairs per split.

    Returns:
        Markdown, without the markers.
    """
    summary = agreement_summary(ratings)
    table = confusion(ratings)
    table = table.rename(columns="{:.1f}".format, index="{:.1f}".format)
    per_split = ratings["split"].value_counts().reindex(["train", "dev", "test"], fill_value=0)
    lines = [f"- pairs rated twice: **{summary['pairs']}** ("
             + ", ".join(f"{split} {count}" for split, count in per_split.items()) + ")",
             f"- rated alike: **{summary['exact']:.1%}**; linearly weighted Cohen's kappa: **{summary['kappa']:.3f}**",
             f"- disagreements: {summary['disagreements']}; labels changed by adjudication: {summary['changed']}",
             "",
             markdown_table(table, "authors ↓ / second rater →", right_aligned=len(table.columns))]
    return "\n".join(lines)


def missed_targets(frames: Mapping[str, pd.DataFrame], tokenizer, neighbouring: Iterable[frozenset[str]],
                   targets: Mapping[str, Any]) -> list[str]:
    """Check the splits against the data set's targets (``targets`` in ``source/recipe.yaml``: sizes,
    the seed card's token and label figures, hard pairs, shared words, shortcuts).

    Returns:
        One line per target missed; empty when all are met or there are no targets.
    """
    problems = []
    for split, minimum in targets.get("min_rows", {}).items():
        if len(frames[split]) < minimum:
            problems.append(f"{split} has {len(frames[split]):,} pairs, fewer than {minimum:,}")
    for column, (low, high) in targets.get("train_token_mean", {}).items():
        tokens = pd.Series(token_counts(frames["train"][column], tokenizer), dtype=float)
        if not low <= tokens.mean() <= high:
            problems.append(f"train {column}: {tokens.mean():.2f} tokens on average, wanted {low}-{high}")
    for split, frame in frames.items():
        if "label_mean" in targets:
            low, high = targets["label_mean"]
            if not low <= frame["label"].mean() <= high:
                problems.append(f"{split}: label mean {frame['label'].mean():.3f}, wanted {low}-{high}")
        if "related_among_shared_word" in targets:
            low, high = targets["related_among_shared_word"]
            share = related_among_shared_word(frame)
            if not low <= share <= high:
                problems.append(f"{split}: {share:.1%} of the pairs sharing a word are related, "
                                f"wanted {low:.0%}-{high:.0%}")
        if split == "train":
            continue
        for kinds, minimum in targets.get("min_share", {}).items():
            share = frame["relation"].isin(kinds.split("+")).mean()
            if share < minimum:
                problems.append(f"{split}: {share:.1%} {kinds} pairs, fewer than {minimum:.0%}")
    if "shortcut_limit" in targets:
        for name, values in shortcut_table(frames, neighbouring).iterrows():
            for split in ("dev", "test"):
                if values[split] > targets["shortcut_limit"]:
                    problems.append(f"{split}: the {name} shortcut reaches Spearman {values[split]:.3f} "
                                    f"(limit {targets['shortcut_limit']})")
    return problems
