"""Turning computed tables into text for readers: the Findings summary, the answer, the recommendation and the
limitations (intervals are written by :mod:`pairsim_utils.interval_display`).

Every number in the text comes from a table passed in; nothing here is typed by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pairsim_utils.config import changed_settings
from pairsim_utils.interval_display import interval_cell, interval_columns
from pairsim_utils.prepare import SHIPPED_DESCRIPTION, describe_data


def _is_shipped(data: Mapping[str, Any]) -> bool:
    return data.get("source") == SHIPPED_DESCRIPTION["source"]


def test_split_note(data: Mapping[str, Any]) -> str:
    """How new the test pairs are to the model, in words, from :func:`pairsim_utils.prepare.describe_data`.

    Returns:
        ``"whose concepts never appear in training"``, or the measured share of test pairs with a seen term.
    """
    if data.get("phrase_disjoint", True):
        return "whose concepts never appear in training"
    return (f"where {data['test_pairs_with_seen_phrase']:.1%} of pairs contain a term that also occurs in training "
            "(new pairs, mostly of known terms)")


MIN_SLICE_PAIRS = 30
"""A slice is named in the findings only with at least this many pairs (and an interval excluding zero)."""


def slice_is_notable(table: pd.DataFrame) -> pd.Series:
    """Whether each slice may be named as a finding: enough pairs, and a gain interval that excludes zero.

    Args:
        table: One dimension of :func:`pairsim_utils.analysis.slice_metrics` output, with ``pairs``,
            ``gain low`` and ``gain high``.

    Returns:
        One boolean per row.
    """
    return (table["pairs"] >= MIN_SLICE_PAIRS) & ((table["gain low"] > 0) | (table["gain high"] < 0))


def notable_slices(slices: pd.DataFrame, dimensions: tuple[str, ...] = ("relation", "label grade")) -> pd.DataFrame:
    """The slices a finding may name: enough pairs, and an interval of the error gain that excludes zero.

    Args:
        slices: :func:`pairsim_utils.analysis.slice_metrics` output with ``gain low`` / ``gain high``.
        dimensions: The first of these the table has is used.

    Returns:
        The qualifying rows of that dimension, best gain first; empty without intervals.
    """
    if "dimension" not in slices.index.names or "gain low" not in slices:
        return slices.iloc[0:0]
    present = [d for d in dimensions if d in slices.index.get_level_values("dimension")]
    if not present:
        return slices.iloc[0:0]
    table = slices.loc[present[0]]
    return table[slice_is_notable(table)].sort_values("mae gain", ascending=False).rename_axis(present[0])


def _slice_phrase(name: str, row: pd.Series) -> str:
    return (f"*{name}* ({row['mae gain']:+.2f} [{row['gain low']:+.2f}, {row['gain high']:+.2f}], "
            f"{int(row['pairs'])} pairs)")


def _change_words(row: pd.Series, lower_is_better: bool = False) -> str:
    low, high = interval_columns(row)
    better = row[high] < 0 if lower_is_better else row[low] > 0
    worse = row[low] > 0 if lower_is_better else row[high] < 0
    return "improved" if better else "got worse" if worse else "no clear change: its interval includes zero"


def findings_markdown(headline: pd.DataFrame, slices: pd.DataFrame, traps: pd.DataFrame,
                      benchmarks: pd.DataFrame, base: str, tuned: str,
                      data: Mapping[str, Any] = SHIPPED_DESCRIPTION) -> str:
    """Plain-words findings for a stakeholder, with every number read from the tables.

    Each sentence follows the values: a change is called a gain or a loss only when its interval
    excludes zero, and a slice is named only under the rule of :func:`notable_slices`.

    Args:
        headline: :func:`pairsim_utils.metrics.headline_table` on test; models other than
            ``base`` and ``tuned`` are reported as baselines.
        slices: :func:`pairsim_utils.analysis.slice_metrics` on test (with intervals).
        traps: Mean cosine and share above the dev threshold for lexical traps, per model
            (index: model; columns ``mean cosine``, ``share above threshold``).
        benchmarks: :func:`pairsim_utils.analysis.benchmark_table` output.
        base: Name of the base model's column.
        tuned: Name of the fine-tuned model's column.
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).

    Returns:
        Markdown.
    """
    def cell(metric: str, model: str) -> str:
        return interval_cell(headline.loc[(metric, model)])

    low, high = interval_columns(headline)
    gain = headline.loc[("spearman", "difference")]
    kind = "concepts" if low.startswith("concept") else "pairs"
    new = "new concepts" if data.get("phrase_disjoint", True) else "held-out pairs"
    headline_claim = (f"Fine-tuning helped on {new}" if gain[low] > 0 else f"Fine-tuning made things worse on {new}"
                      if gain[high] < 0 else "Fine-tuning did not clearly help")
    verdict = ("a real gain: its whole 95 % interval is above zero" if gain[low] > 0 else
               "a real loss: its whole 95 % interval is below zero" if gain[high] < 0 else
               "not distinguishable from noise: its 95 % interval includes zero")
    lines = [
        f"- **{headline_claim}.** On the test split, {test_split_note(data)}, Spearman correlation with the "
        f"gold labels went from {cell('spearman', base)} (base) to {cell('spearman', tuned)} (fine-tuned); "
        f"the difference, {interval_cell(gain)}, is {verdict} (intervals resample {kind}).",
        f"- **Telling related from unrelated pairs** (label ≥ 0.5): ROC AUC {cell('roc_auc', base)} → "
        f"{cell('roc_auc', tuned)} ({_change_words(headline.loc[('roc_auc', 'difference')])}); F1 at a threshold "
        f"chosen on dev {cell('f1', base)} → {cell('f1', tuned)} "
        f"({_change_words(headline.loc[('f1', 'difference')])}).",
    ]
    mse = headline.loc[("mse", "difference")]
    scale = ("Scores moved closer to the label's scale" if mse[high] < 0 else
             "Scores moved away from the label's scale" if mse[low] > 0 else "Closeness to the label's scale did not "
             "change clearly")
    lines.append(f"- **{scale}**: mean squared error {cell('mse', base)} → {cell('mse', tuned)}.")
    baselines = [m for m in headline.index.get_level_values("model").unique() if m not in (base, tuned, "difference")]
    if baselines:
        parts = [f"{m}: Spearman {cell('spearman', m)}, MSE {cell('mse', m)}" for m in baselines]
        values = headline["value"].unstack("model")
        ranks_best = values.loc["spearman", tuned] > values.loc["spearman", baselines].max()
        closest = values.loc["mse", tuned] < values.loc["mse", baselines].min()
        verdict = ("ranks better and scores closer to the labels than all of them" if ranks_best and closest else
                   "ranks better than all of them, but one of them has a lower MSE" if ranks_best else
                   "does not rank better than all of them")
        lines.append(f"- **Against baselines that ignore meaning** ({'; '.join(parts)}), the fine-tuned model "
                     f"{verdict}.")
    notable = notable_slices(slices)
    if not notable.empty:
        helped, hurt = notable[notable["gain low"] > 0], notable[notable["gain high"] < 0]
        dimension = notable.index.name
        parts = []
        if not helped.empty:
            parts.append("**helped most**: " + ", ".join(_slice_phrase(n, r) for n, r in helped.head(2).iterrows()))
        if not hurt.empty:
            parts.append("**got worse**: " + ", ".join(_slice_phrase(n, r) for n, r in hurt[::-1].head(2).iterrows()))
        lines.append(f"- **By {dimension}** (gain in mean absolute error, 95 % interval; only slices of at least "
                     f"{MIN_SLICE_PAIRS} pairs whose interval excludes zero): {'; '.join(parts)}.")
    if not traps.empty:
        lines.append(f"- **Lexical traps** (pairs sharing a word but not a meaning): mean cosine "
                     f"{traps.loc[base, 'mean cosine']:.2f} → {traps.loc[tuned, 'mean cosine']:.2f}; share scored "
                     f"as related at the dev threshold {traps.loc[base, 'share above threshold']:.0%} → "
                     f"{traps.loc[tuned, 'share above threshold']:.0%}.")
    if not benchmarks.empty:
        by_kind = benchmarks.groupby("measures")["change"].mean()
        parts = [f"{kind} sets {by_kind[kind]:+.3f}" for kind in ("relatedness", "similarity") if kind in by_kind]
        lines.append(f"- **Outside, human-rated benchmarks** (mean change of Spearman): {'; '.join(parts)}. "
                     f"Largest change: {benchmarks['change'].abs().idxmax()} "
                     f"({benchmarks.loc[benchmarks['change'].abs().idxmax(), 'change']:+.3f}); smallest: "
                     f"{benchmarks['change'].abs().idxmin()} "
                     f"({benchmarks.loc[benchmarks['change'].abs().idxmin(), 'change']:+.3f}).")
    return "\n".join(lines)


def answer_markdown(headline: pd.DataFrame, benchmarks: pd.DataFrame, base: str = "base",
                    tuned: str = "fine-tuned") -> str:
    """The findings in one sentence, for the top of the report; every clause follows the values.

    Args:
        headline: :func:`pairsim_utils.metrics.headline_table` on test.
        benchmarks: :func:`pairsim_utils.analysis.benchmark_table` output (may be empty).
        base: Name of the base model's column.
        tuned: Name of the fine-tuned model's column.

    Returns:
        Markdown: one bold sentence.
    """
    low, high = interval_columns(headline)
    gain = headline.loc[("spearman", "difference")]
    before, after = headline.loc[("spearman", base), "value"], headline.loc[("spearman", tuned), "value"]
    verb = ("raised" if gain[low] > 0 else "lowered" if gain[high] < 0 else "did not clearly change")
    sentence = f"Fine-tuning {verb} agreement with our labels on held-out pairs (Spearman {before:.2f} → {after:.2f})"
    if not benchmarks.empty:
        fell, total = int((benchmarks["change"] < 0).sum()), len(benchmarks)
        which = f"all {total}" if fell == total else f"{fell} of {total}"
        sentence += (f", and lowered agreement with human ratings on {which} outside benchmarks" if fell
                     else f", without lowering agreement with human ratings on any of {total} outside benchmarks")
    return f"**In one sentence:** {sentence}."


def configuration_words(config) -> str:
    """``"the configuration of the published seed model card"``, or which settings differ from it."""
    changed = changed_settings(config)
    if not changed:
        return "the configuration of the published seed model card"
    differences = ", ".join(f"{name} {ours} (card: {card})" for name, (ours, card) in changed.items())
    return f"the seed model card's configuration except {differences}"


def run_summary_markdown(run) -> str:
    """What was trained, on what, how long it took: for readers who do not read code.

    Args:
        run: A :class:`pairsim_utils.runs.Run`.

    Returns:
        Markdown.
    """
    config, environment = run.config, run.environment
    data = describe_data(environment.get("data_dir", SHIPPED_DESCRIPTION["source"]))
    pairs = environment.get("data_pairs", {})
    counts = (f"{pairs['train']:,} training pairs, with {pairs['dev']:,} development and {pairs['test']:,} test pairs "
              f"{test_split_note(data)}" if pairs else "the data's training split")
    if _is_shipped(data):
        task = ("to score how strongly two concepts relate: 1.0 when one acts on the other, 0.5 when they only meet "
                f"in the same situation or are two of a kind, 0.0 otherwise. It learned from {counts}")
    else:
        task = (f"to score how strongly two terms relate, on **{data['name']}**: {data['description']} It learned "
                f"from {counts}. How the splits were made: {data['split_method']}")
    return (f"We fine-tuned **{config.base_model.split('/')[-1]}**, a small sentence-embedding model "
            f"({config.base_model}), {task}, using "
            f"{config.loss} for {config.num_epochs} passes over the data ({environment['steps']:,} steps of "
            f"{config.train_batch_size} pairs, learning rate {config.learning_rate:g}), {configuration_words(config)}. "
            f"Training took {environment['wall_seconds'] / 60:.1f} minutes on "
            f"{environment['device_name']}.")


def recommendation_markdown(headline: pd.DataFrame, benchmarks: pd.DataFrame,
                            data: Mapping[str, Any] = SHIPPED_DESCRIPTION, slices: pd.DataFrame | None = None) -> str:
    """A recommendation that follows from the measured numbers.

    Args:
        headline: :func:`pairsim_utils.metrics.headline_table` output (test split).
        benchmarks: :func:`pairsim_utils.analysis.benchmark_table` output.
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).
        slices: :func:`pairsim_utils.analysis.slice_metrics` output; when given, the relation (or
            label grade) whose error rose most, if any did clearly (:func:`notable_slices`), is named.

    Returns:
        Markdown.
    """
    shipped = _is_shipped(data)
    low, high = interval_columns(headline)
    gain = headline.loc[("spearman", "difference")]
    lines = []
    if gain[low] > 0:
        task = "score how strongly concepts interact" if shipped else f"score pairs like those of {data['name']}"
        lines.append(f"- **Use the fine-tuned model to {task}.** It ranks held-out "
                     f"pairs clearly better than the base model (Spearman {gain['value']:+.2f}, 95 % "
                     f"interval {gain[low]:+.2f} to {gain[high]:+.2f}).")
    else:
        lines.append(f"- **Do not switch yet**: the measured Spearman change ({gain['value']:+.2f}, 95 % interval "
                     f"{gain[low]:+.2f} to {gain[high]:+.2f}) is not clearly above zero.")
    change = benchmarks["change"].mean() if not benchmarks.empty else 0.0
    if change < -0.02:
        lines.append(f"- **Keep the base model for general similarity or relatedness.** Fine-tuning lowered "
                     f"agreement with human ratings on the outside benchmarks by {-change:.2f} Spearman on "
                     "average; if one model must do both, notebook 7 measures recipes that keep more of it"
                     + (" (below)." if shipped else " (on the shipped data)."))
    if not data.get("phrase_disjoint", True):
        lines.append(f"- **Test on new terms before trusting it on them**: {data['test_pairs_with_seen_phrase']:.1%} "
                     "of the test pairs contain a term seen in training, so these figures describe new pairs of "
                     "known terms.")
    weakest = "especially kinds of pair unlike those it was trained on"
    notable = pd.DataFrame() if slices is None else notable_slices(slices)
    hurt = notable[notable["gain high"] < 0] if not notable.empty else notable
    if not hurt.empty:
        name, row = hurt.index[-1], hurt.iloc[-1]
        weakest = f"especially {hurt.index.name} {_slice_phrase(name, row)}, where its error rose"
    lines.append(f"- **Before relying on it, have people rate a sample** of the pairs it scores, {weakest}.")
    return "\n".join(lines)


def limitations_markdown(data: Mapping[str, Any], run) -> str:
    """The limits of a run on data other than the shipped concept pairs, from what was measured.

    Args:
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).
        run: A :class:`pairsim_utils.runs.Run`.

    Returns:
        Markdown.
    """
    pairs = run.environment.get("data_pairs", {})
    lines = [f"- The test split has {pairs.get('test', 0):,} pairs; results per slice rest on fewer."]
    if not data.get("phrase_disjoint", True):
        lines.append(f"- {data['test_pairs_with_seen_phrase']:.1%} of the test pairs contain a term that also occurs "
                     "in training: the figures describe new pairs of mostly known terms, not terms the model never "
                     "saw.")
    changed = changed_settings(run.config)
    kept = ("- The seed card's hyperparameters were kept as they are, not tuned for this data." if not changed else
            f"- Settings changed from the seed card: {', '.join(changed)}; none was tuned on this data's dev split "
            "by this suite.")
    lines += [kept,
              "- One training run with one seed; the confidence intervals cover the choice of test pairs, not the "
              "randomness of training."]
    return "\n".join(lines)
