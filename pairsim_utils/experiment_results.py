"""Reading the experiments table (:mod:`pairsim_utils.experiments`): seed spread, the choice on dev, the goal.

A *point* of the grid is one variant at one stage: after epoch ``k`` of training, or interpolated with
the base model at weight ``alpha``. Every figure here is a mean over the seeds trained, with the
range (lowest to highest seed) beside it; choices read only the dev columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pairsim_utils.benchmarks import benchmark_for
from pairsim_utils.experiments import CHOOSE_ON, OUTSIDE, SCORED

POINT = ["variant", "stage", "point"]
METRICS = [*SCORED, "outside_mean"]
MAX_BENCHMARK_DROP = 0.02
"""The goal's limit: no outside benchmark may fall more than this below the base model."""
KEPT_GAIN = 0.9
"""The goal's share of the card recipe's test gain that a recipe must keep."""


def seed_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, lowest and highest value over seeds of every metric, per point.

    Returns:
        Index ``variant, stage, point``; columns ``(metric, statistic)`` with statistics ``mean``,
        ``min``, ``max``, and ``seeds`` (how many were trained).
    """
    grouped = table.groupby(POINT, sort=False)
    summary = grouped[METRICS].agg(["mean", "min", "max"])
    summary[("seeds", "")] = grouped["seed"].nunique()
    return summary


def base_scores(table: pd.DataFrame) -> pd.Series:
    """The base model's score on every scored set: the ``alpha = 0`` rows, which every run shares."""
    base = table[(table["stage"] == "alpha") & (table["point"] == 0.0)]
    return base[[metric for metric in METRICS if metric in base]].mean()


def card_scores(table: pd.DataFrame) -> pd.Series:
    """The card recipe after its last epoch, mean over seeds: the gain every other recipe is measured against."""
    card = _epoch_rows(table, "card")
    return card[card["point"] == card["point"].max()][METRICS].mean()


@dataclass(frozen=True)
class Choice:
    """The recipe chosen on dev, and what it does on the sets it was not chosen on.

    Attributes:
        variant: The training recipe.
        stage: ``"epoch"`` or ``"alpha"``.
        point: The epoch, or the interpolation weight.
        seeds: How many seeds the figures average.
        scores: Mean over seeds of every metric at that point.
    """

    variant: str
    stage: str
    point: float
    seeds: int
    scores: pd.Series


def choose(table: pd.DataFrame, min_seeds: int = 1) -> Choice:
    """The point with the highest mean dev Spearman among those whose mean MEN-dev Spearman is at least the
    base model's: keep what the base model knew (on the general dev set), then gain the most on ours.

    Args:
        table: The experiments table.
        min_seeds: Consider only points trained with at least this many seeds.

    Returns:
        The choice; only :data:`~pairsim_utils.experiments.CHOOSE_ON` columns are read to make it.
    """
    dev, general = CHOOSE_ON
    means = table.groupby(POINT, sort=False).agg(**{dev: (dev, "mean"), "seeds": ("seed", "nunique")})
    allowed = means["seeds"] >= min_seeds
    if general in table:  # on other data MEN may be the data itself, and then there is no general dev set
        means[general] = table.groupby(POINT, sort=False)[general].mean()
        allowed &= means[general] >= base_scores(table)[general]
    variant, stage, point = means.loc[allowed, dev].idxmax()
    rows = table[(table["variant"] == variant) & (table["stage"] == stage) & (table["point"] == point)]
    return Choice(str(variant), str(stage), float(point), int(rows["seed"].nunique()),
                  rows[[metric for metric in METRICS if metric in rows]].mean())


def target_test(table: pd.DataFrame) -> float:
    """The test Spearman that keeps :data:`KEPT_GAIN` of the card recipe's gain over the base model."""
    base, card = base_scores(table)["test"], card_scores(table)["test"]
    return float(base + KEPT_GAIN * (card - base))


def goal_report(table: pd.DataFrame, choice: Choice) -> pd.DataFrame:
    """The goal's three tests for a choice, each with its measured value and its limit.

    Returns:
        Rows ``kept share of the test gain``, ``mean outside Spearman minus the base's`` and ``largest
        benchmark drop``; columns ``measured``, ``limit`` and ``met``.
    """
    base, card = base_scores(table), card_scores(table)
    kept = (choice.scores["test"] - base["test"]) / (card["test"] - base["test"])
    outside_change = choice.scores["outside_mean"] - base["outside_mean"]
    largest_drop = max(0.0, float((base[list(OUTSIDE)] - choice.scores[list(OUTSIDE)]).max()))
    rows = [("kept share of the card recipe's test gain", kept, KEPT_GAIN, kept >= KEPT_GAIN),
            ("mean outside Spearman minus the base model's", outside_change, 0.0, outside_change >= 0),
            ("largest drop of one benchmark below the base model", largest_drop, MAX_BENCHMARK_DROP,
             largest_drop <= MAX_BENCHMARK_DROP)]
    return pd.DataFrame(rows, columns=["test", "measured", "limit", "met"]).set_index("test")


def final_points(table: pd.DataFrame) -> pd.DataFrame:
    """Each variant as trained (last epoch): mean and range over seeds of test and outside Spearman.

    Returns:
        One row per variant: ``seeds``, then ``mean``, ``min``, ``max`` of ``test`` and ``outside_mean``.
    """
    epochs = table[table["stage"] == "epoch"]
    last = epochs[epochs["point"] == epochs.groupby("variant")["point"].transform("max")]
    summary = last.groupby("variant", sort=False)[["test", "outside_mean"]].agg(["mean", "min", "max"])
    summary.columns = [f"{metric} {statistic}" for metric, statistic in summary.columns]
    summary.insert(0, "seeds", last.groupby("variant", sort=False)["seed"].nunique())
    return summary


def seed_spread(table: pd.DataFrame, variant: str = "card") -> pd.DataFrame:
    """One recipe as trained (its last epoch), seed by seed, beside the base model.

    Args:
        table: The experiments table.
        variant: The recipe; by default the card's, the configuration notebooks 3 to 6 analyse.

    Returns:
        One row per metric; a column per seed (``seed 42``…), ``range`` (highest minus lowest seed)
        and ``base`` (the base model).
    """
    epochs = _epoch_rows(table, variant)
    last = epochs[epochs["point"] == epochs["point"].max()]
    spread = last.set_index("seed")[METRICS].T.rename(columns=lambda seed: f"seed {seed}").rename_axis(columns=None)
    return spread.assign(range=spread.max(axis=1) - spread.min(axis=1), base=base_scores(table))


def epochs_by_seed(table: pd.DataFrame, metric: str, variant: str = "card") -> pd.DataFrame:
    """One metric of one recipe after each epoch: index ``epoch``, a column per seed."""
    by_seed = _epoch_rows(table, variant).pivot(index="point", columns="seed", values=metric)
    return by_seed.set_axis(by_seed.index.astype(int).rename("epoch"))


def seed_spread_markdown(table: pd.DataFrame, variant: str = "card") -> str:
    """What another training seed does to the test gain and to the outside benchmarks, in words.

    Returns:
        Markdown: the seeds' range of test Spearman against their gains over the base model, and how
        many seed and benchmark pairs fall below the base model.
    """
    spread = seed_spread(table, variant)
    seeds = [column for column in spread.columns if column.startswith("seed ")]
    test = spread.loc["test", seeds]
    gain = test - spread.loc["test", "base"]
    numbers = _in_words([column.removeprefix("seed ") for column in seeds])
    verdict = ("the seed moves it far less than fine-tuning does" if spread.loc["test", "range"] < gain.min() / 2
               else "the seed moves it about as much as fine-tuning does: one run could not show a gain")
    text = (f"**Another random seed.** A training run's random seed sets the order in which it sees the pairs "
            f"and its other chance choices. The same recipe trained with seeds {numbers} reached test "
            f"Spearman {test.min():.3f} to {test.max():.3f} (a range of {spread.loc['test', 'range']:.3f}), "
            f"a gain over the base model of {gain.min():.3f} to {gain.max():.3f}: {verdict}.")
    outside = [name for name in OUTSIDE if name in spread.index]
    change = spread.loc[outside, seeds].sub(spread.loc[outside, "base"], axis=0)
    if (change < 0).all(axis=None):
        text += (f" With every seed, every one of the {len(outside)} outside benchmarks of notebook 7 scored below "
                 f"the base model (by {-change.max(axis=None):.3f} to {-change.min(axis=None):.3f}).")
    else:
        text += (f" Of the {change.size} seed and benchmark pairs of notebook 7, {(change < 0).sum(axis=None)} "
                 "scored below the base model.")
    return text


def describe_point(choice: Choice) -> str:
    """A point in words: ``replay-0.5 after epoch 3`` or ``lora interpolated at alpha = 0.7``."""
    if choice.stage == "epoch":
        return f"`{choice.variant}` after epoch {choice.point:g}"
    return f"`{choice.variant}` interpolated with the base model at alpha = {choice.point:g}"


def measured_recipe_markdown(table: pd.DataFrame) -> str:
    """The measured recommendation, for notebook 7 and the findings: the choice on dev and the goal's tests.

    Returns:
        Markdown: the chosen point, its test and outside figures against the base and the card recipe
        (means over seeds), and which of the goal's tests it meets.
    """
    choice = choose(table)
    base, card, goal = base_scores(table), card_scores(table), goal_report(table, choice)
    kept, change, drop = goal["measured"]
    met = goal["met"].all()
    card_seeds = table.loc[table["variant"] == "card", "seed"].nunique()
    lines = [
        f"**Chosen on the dev sets only:** {describe_point(choice)} (mean of {seeds_in_words(choice.seeds)}).",
        f"On our test split its Spearman is {choice.scores['test']:.3f}, against {base['test']:.3f} for the base "
        f"model and {card['test']:.3f} for the card's recipe after its last epoch "
        f"(mean of {seeds_in_words(card_seeds)}): "
        f"it keeps {kept * 100:.0f} % of the card recipe's gain. "
        f"Its mean Spearman over the {len(OUTSIDE)} outside benchmarks ({outside_names()}) is "
        f"{choice.scores['outside_mean']:.3f}, against "
        f"{base['outside_mean']:.3f} for the base model and {card['outside_mean']:.3f} for the card's recipe "
        f"({change:+.3f} from the base); its largest single-benchmark drop below the base is {drop:.3f}.",
        ("It meets all three of the goal's tests (at least 90 % of the gain kept, the outside mean at least the "
         "base's, no benchmark more than 0.02 below it)." if met else
         "It does not meet every test of the goal (at least 90 % of the gain kept, the outside mean at least the "
         f"base's, no benchmark more than 0.02 below it): it misses {_missed(goal)}."),
    ]
    return "\n\n".join(lines)


def outside_names() -> str:
    """The outside benchmarks of :data:`~pairsim_utils.experiments.OUTSIDE` by name, for prose."""
    return _in_words([benchmark_for(stem).name + ("'s test part" if stem.endswith("_test") else "")
                      for stem in OUTSIDE])


def seeds_in_words(count: int) -> str:
    """``1 seed``, ``3 seeds``."""
    return f"{count} seed" if count == 1 else f"{count} seeds"


def _epoch_rows(table: pd.DataFrame, variant: str) -> pd.DataFrame:
    return table[(table["variant"] == variant) & (table["stage"] == "epoch")]


def _missed(goal: pd.DataFrame) -> str:
    names = {goal.index[0]: "the kept share", goal.index[1]: "the outside mean", goal.index[2]: "the largest drop"}
    return _in_words([names[test] for test in goal.index[~goal["met"].to_numpy()]])


def _in_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def choices_by_variant(table: pd.DataFrame) -> pd.DataFrame:
    """The dev rule of :func:`choose` applied within each variant, with the goal's tests for its point.

    Returns:
        One row per variant: the chosen ``stage`` and ``point``, ``seeds``, its mean ``test`` and
        ``outside_mean``, the goal's three measured values and whether all are met (``goal met``).
    """
    rows = {}
    for name in dict.fromkeys(table["variant"]):
        choice = choose(table[table["variant"] == name])
        goal = goal_report(table, choice)
        rows[name] = {"stage": choice.stage, "point": choice.point, "seeds": choice.seeds,
                      "test": choice.scores["test"], "outside_mean": choice.scores["outside_mean"],
                      "kept gain": goal["measured"].iloc[0], "largest drop": goal["measured"].iloc[2],
                      "goal met": bool(goal["met"].all())}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("variant")


def sweep_rows(sweep: pd.DataFrame, variant: str, seed: int) -> pd.DataFrame:
    """An :func:`~pairsim_utils.interpolation.alpha_sweep` as rows of the experiments table, so that the
    same rule (:func:`choose`) picks an alpha for a single run.

    Returns:
        Columns ``variant``, ``seed``, ``stage`` (``alpha``), ``point``, the sweep's sets, and
        ``outside_mean`` over the outside benchmarks the sweep has.
    """
    rows = sweep.reset_index().rename(columns={"alpha": "point"})
    outside = [name for name in OUTSIDE if name in rows]
    if outside:
        rows["outside_mean"] = rows[outside].mean(axis=1)
    return rows.assign(variant=variant, seed=seed, stage="alpha")
