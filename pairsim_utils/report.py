"""Turning computed tables into text for readers: interval formatting and the Findings summary.

Every number in the text comes from a table passed in; nothing here is typed by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pairsim_utils.prepare import SHIPPED_DESCRIPTION, describe_data

METRIC_NAMES = {"spearman": "Spearman", "pearson": "Pearson", "mse": "MSE", "roc_auc": "ROC AUC",
                "f1": "F1 at the dev threshold"}


def with_interval(value: float, low: float, high: float, digits: int = 3) -> str:
    """Returns:
    ``"0.612 [0.560, 0.660]"``.
    """
    return f"{value:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def headline_display(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """The headline table as readers want it: one row per metric, one column per model.

    Args:
        table: :func:`pairsim_utils.evaluation.headline_table` output.
        digits: Decimals shown.

    Returns:
        Cells such as ``"0.612 [0.560, 0.660]"`` (95 % bootstrap interval).
    """
    cells = table.apply(lambda row: with_interval(row["value"], row["low"], row["high"], digits), axis=1)
    display = cells.unstack("model")
    display = display[[c for c in table.index.get_level_values("model").unique()]]
    display.index = [METRIC_NAMES.get(m, m) for m in display.index]
    return display.loc[[METRIC_NAMES[m] for m in table.index.get_level_values("metric").unique()]]


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


def findings_markdown(headline: pd.DataFrame, slices: pd.DataFrame, traps: pd.DataFrame,
                      benchmarks: pd.DataFrame, base: str, tuned: str,
                      data: Mapping[str, Any] = SHIPPED_DESCRIPTION) -> str:
    """Plain-words findings for a stakeholder, with every number read from the tables.

    Args:
        headline: :func:`pairsim_utils.evaluation.headline_table` on test.
        slices: :func:`pairsim_utils.evaluation.slice_metrics` on test.
        traps: Mean cosine and share above the dev threshold for lexical traps, per model
            (index: model; columns ``mean cosine``, ``share above threshold``).
        benchmarks: :func:`pairsim_utils.evaluation.benchmark_table` output.
        base: Name of the base model's column.
        tuned: Name of the fine-tuned model's column.
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).

    Returns:
        Markdown.
    """
    def cell(metric: str, model: str) -> str:
        row = headline.loc[(metric, model)]
        return with_interval(row["value"], row["low"], row["high"])

    gain = headline.loc[("spearman", "difference")]
    new = "new concepts" if data.get("phrase_disjoint", True) else "held-out pairs"
    headline_claim = f"Fine-tuning helped on {new}" if gain["low"] > 0 else "Fine-tuning did not clearly help"
    verdict = ("a real gain: its whole 95 % interval is above zero" if gain["low"] > 0 else
               "a real loss: its whole 95 % interval is below zero" if gain["high"] < 0 else
               "not distinguishable from noise: its 95 % interval includes zero")
    lines = [
        f"- **{headline_claim}.** On the test split, {test_split_note(data)}, Spearman correlation with the "
        f"gold labels went from {cell('spearman', base)} (base) to {cell('spearman', tuned)} (fine-tuned); "
        f"the difference, {with_interval(*gain)}, is {verdict}.",
        f"- **Telling related from unrelated pairs** (label ≥ 0.5): ROC AUC {cell('roc_auc', base)} → "
        f"{cell('roc_auc', tuned)}; F1 at a threshold chosen on dev {cell('f1', base)} → {cell('f1', tuned)}.",
        f"- **Scores now mean something on the label's scale**: mean squared error {cell('mse', base)} → "
        f"{cell('mse', tuned)}.",
    ]
    if "relation" in slices.index.get_level_values("dimension"):
        relation = slices.loc["relation"].sort_values("mae gain", ascending=False)
        best, worst = relation.index[:2].tolist(), relation.index[-2:].tolist()
        lines.append(f"- **Where it helped most**: pairs of relation {best[0]} and {best[1]} "
                     f"(mean absolute error down by {relation['mae gain'].iloc[0]:.2f} and "
                     f"{relation['mae gain'].iloc[1]:.2f}); **least**: {worst[0]} and {worst[1]} "
                     f"({relation['mae gain'].iloc[-2]:+.2f} and {relation['mae gain'].iloc[-1]:+.2f}).")
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


def run_summary_markdown(run) -> str:
    """What was trained, on what, how long it took: for readers who do not read code.

    Args:
        run: A :class:`pairsim_utils.training.Run`.

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
                f"in the same situation, 0.0 otherwise. It learned from {counts}")
    else:
        task = (f"to score how strongly two terms relate, on **{data['name']}**: {data['description']} It learned "
                f"from {counts}. How the splits were made: {data['split_method']}")
    return (f"We fine-tuned **{config.base_model.split('/')[-1]}**, a small sentence-embedding model "
            f"({config.base_model}), {task}, using "
            f"{config.loss} for {config.num_epochs} passes over the data ({environment['steps']:,} steps of "
            f"{config.train_batch_size} pairs, learning rate {config.learning_rate:g}), the configuration of the "
            f"published seed model card. Training took {environment['wall_seconds'] / 60:.1f} minutes on "
            f"{environment['device_name']}.")


def recommendation_markdown(headline: pd.DataFrame, benchmarks: pd.DataFrame,
                            data: Mapping[str, Any] = SHIPPED_DESCRIPTION, slices: pd.DataFrame | None = None) -> str:
    """A recommendation that follows from the measured numbers.

    Args:
        headline: :func:`pairsim_utils.evaluation.headline_table` output (test split).
        benchmarks: :func:`pairsim_utils.evaluation.benchmark_table` output.
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).
        slices: :func:`pairsim_utils.evaluation.slice_metrics` output; when given, the relation (or
            label grade) whose error fell least is named as the one to check first.

    Returns:
        Markdown.
    """
    shipped = _is_shipped(data)
    gain = headline.loc[("spearman", "difference")]
    lines = []
    if gain["low"] > 0:
        task = "score how strongly concepts interact" if shipped else f"score pairs like those of {data['name']}"
        lines.append(f"- **Use the fine-tuned model to {task}.** It ranks held-out "
                     f"pairs clearly better than the base model (Spearman +{gain['value']:.2f}, 95 % "
                     f"interval +{gain['low']:.2f} to +{gain['high']:.2f}).")
    else:
        lines.append(f"- **Do not switch yet**: the measured Spearman change ({gain['value']:+.2f}, 95 % interval "
                     f"{gain['low']:+.2f} to {gain['high']:+.2f}) is not clearly above zero.")
    change = benchmarks["change"].mean() if not benchmarks.empty else 0.0
    if change < -0.02:
        lines.append(f"- **Keep the base model for general similarity or relatedness.** Fine-tuning lowered "
                     f"agreement with human ratings on the outside benchmarks by {-change:.2f} Spearman on "
                     "average; if one model must do both, retrain with general pairs mixed in, or for fewer epochs.")
    if not data.get("phrase_disjoint", True):
        lines.append(f"- **Test on new terms before trusting it on them**: {data['test_pairs_with_seen_phrase']:.1%} "
                     "of the test pairs contain a term seen in training, so these figures describe new pairs of "
                     "known terms.")
    weakest = "especially the slices where its error fell least (see the analysis notebook)"
    dimensions = [] if slices is None else [d for d in ("relation", "label grade")
                                            if d in slices.index.get_level_values("dimension")]
    if dimensions:
        gains = slices.loc[dimensions[0], "mae gain"]
        worst = gains.idxmin()
        verb = "rose" if gains[worst] < 0 else "fell least"
        weakest = (f"especially {dimensions[0]} *{worst}*, where its error {verb} "
                   f"({gains[worst]:+.2f} mean absolute error gain)")
    lines.append(f"- **Before relying on it, have people rate a sample** of the pairs it scores, {weakest}.")
    return "\n".join(lines)


def limitations_markdown(data: Mapping[str, Any], run) -> str:
    """The limits of a run on data other than the shipped concept pairs, from what was measured.

    Args:
        data: The data's description (:func:`pairsim_utils.prepare.describe_data`).
        run: A :class:`pairsim_utils.training.Run`.

    Returns:
        Markdown.
    """
    pairs = run.environment.get("data_pairs", {})
    lines = [f"- The test split has {pairs.get('test', 0):,} pairs; results per slice rest on fewer."]
    if not data.get("phrase_disjoint", True):
        lines.append(f"- {data['test_pairs_with_seen_phrase']:.1%} of the test pairs contain a term that also occurs "
                     "in training: the figures describe new pairs of mostly known terms, not terms the model never "
                     "saw.")
    lines += ["- The seed card's hyperparameters were kept as they are, not tuned for this data.",
              "- One training run with one seed; the confidence intervals cover the choice of test pairs, not the "
              "randomness of training."]
    return "\n".join(lines)
