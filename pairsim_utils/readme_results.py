"""Write the README's result tables from the committed results (``make readme``).

:mod:`pairsim_utils.results` keeps each run's tables in ``data/results/<run>/``; this module renders
its headline, outside-benchmark and per-grade tables as Markdown between
``<!-- results:<run>-<table>:start -->`` and ``<!-- results:<run>-<table>:end -->`` markers in
``README.md``, and notebook 7's experiments table (``data/results/experiments.csv``) between
``results:experiments-<table>`` markers, so that no result there is typed by hand, and ``--check`` (a
test) fails when they differ.

Usage: ``python -m pairsim_utils.readme_results [--check]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from pairsim_utils.experiment_results import base_scores, final_points, measured_recipe_markdown, seed_spread_markdown
from pairsim_utils.experiments import TABLE_FILE, load_table
from pairsim_utils.interval_display import headline_display
from pairsim_utils.markdown import markdown_table, replace_block
from pairsim_utils.paths import REPO_ROOT
from pairsim_utils.results import RESULTS_DIR, load_tables

BLOCK = "results:{run}-{table}"


def result_blocks(results_dir: Path) -> dict[str, str]:
    """Render a run's committed tables.

    Args:
        results_dir: ``data/results/<run>``, written by :func:`pairsim_utils.results.save_results`.

    Returns:
        Block name (without ``results:<run>-``) -> Markdown.
    """
    tables = load_tables(results_dir)
    benchmarks, slices = tables["benchmarks"], tables["slices"]
    base, tuned = benchmarks.columns[-3], benchmarks.columns[-2]  # ..., base, fine-tuned, change
    shown = pd.DataFrame({"measures": benchmarks["measures"], "pairs scored": benchmarks["pairs"].map("{:,}".format),
                          "base": benchmarks[base].map("{:.3f}".format),
                          "fine-tuned": benchmarks[tuned].map("{:.3f}".format),
                          "change": benchmarks["change"].map("{:+.3f}".format)}, index=benchmarks.index)
    grades = slices.loc["label grade"]
    by_grade = pd.DataFrame({"pairs": grades["pairs"].map("{:,}".format),
                             "error gain [95 % interval]": [f"{g:+.3f} [{lo:+.3f}, {hi:+.3f}]" for g, lo, hi in
                                                           zip(grades["mae gain"], grades["gain low"],
                                                               grades["gain high"], strict=True)]},
                            index=grades.index)
    return {"headline": markdown_table(headline_display(tables["headline"]), "metric"),
            "benchmarks": markdown_table(shown, "benchmark", right_aligned=4),
            "grades": markdown_table(by_grade, "gold label", right_aligned=2)}


def experiment_blocks(table_file: Path) -> dict[str, str]:
    """Render notebook 7's committed experiments table.

    Returns:
        ``{"grid": …, "choice": …, "seed-spread": …}``: each recipe as trained (mean and seed range of
        test and outside Spearman, the base model first), the recipe chosen on dev in words, and what
        another seed does to the card recipe's gain.
    """
    table = load_table(table_file)
    final, base = final_points(table), base_scores(table)

    def spread(metric: str) -> list[str]:
        return [f"{row[f'{metric} mean']:.3f} [{row[f'{metric} min']:.3f}, {row[f'{metric} max']:.3f}]"
                if row["seeds"] > 1 else f"{row[f'{metric} mean']:.3f}" for _, row in final.iterrows()]

    shown = pd.DataFrame({"seeds": final["seeds"].astype(str), "test Spearman [seed range]": spread("test"),
                          "outside mean [seed range]": spread("outside_mean")}, index=final.index)
    base_row = pd.DataFrame({"seeds": ["(no training)"], "test Spearman [seed range]": [f"{base['test']:.3f}"],
                             "outside mean [seed range]": [f"{base['outside_mean']:.3f}"]}, index=["base model"])
    return {"grid": markdown_table(pd.concat([base_row, shown]), "recipe (as trained)", right_aligned=3),
            "choice": measured_recipe_markdown(table), "seed-spread": seed_spread_markdown(table)}


def render_readme(readme: str, results_dir: Path = RESULTS_DIR) -> str:
    """The README with every ``results:<run>-<table>`` block it has replaced from ``<results_dir>/<run>/``,
    and the ``results:experiments-<table>`` blocks from ``<results_dir>/experiments.csv``.
    """
    blocks = {BLOCK.format(run=run_dir.name, table=table): body
              for run_dir in sorted(path for path in results_dir.iterdir() if path.is_dir())
              for table, body in result_blocks(run_dir).items()}
    if (results_dir / TABLE_FILE.name).is_file():
        blocks |= {BLOCK.format(run="experiments", table=table): body
                   for table, body in experiment_blocks(results_dir / TABLE_FILE.name).items()}
    for name, body in blocks.items():
        if f"<!-- {name}:start -->" in readme:
            readme = replace_block(readme, name, body)
    return readme


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the README's result tables."""
    parser = argparse.ArgumentParser(description="Write the README's result tables from data/results/.")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md differs")
    args = parser.parse_args(argv)
    readme_path = REPO_ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    updated = render_readme(readme)
    if args.check:
        if updated != readme:
            print("README.md's results differ from data/results/; run `make readme`", file=sys.stderr)
            return 1
        return 0
    readme_path.write_text(updated, encoding="utf-8")
    print("README.md: result tables written from data/results/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
