"""Write the README's result tables from a finished run's analysis tables (``make readme``).

Notebook 5 saves its tables in ``runs/<run>/analysis/``; this module renders the headline and the
outside-benchmark table as Markdown between ``<!-- results:NAME:start -->`` and
``<!-- results:NAME:end -->`` markers in ``README.md``, so that no result there is typed by hand.

Usage: ``python -m pairsim_utils.readme_results [--run seed] [--check]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from pairsim_utils.data_card import replace_block
from pairsim_utils.paths import REPO_ROOT, RUNS_DIR
from pairsim_utils.report import headline_display

BLOCK = "results:{run}-{table}"


def markdown_table(frame: pd.DataFrame, index_name: str, right_aligned: int = 0) -> str:
    """Render a small frame as a Markdown table.

    Args:
        frame: Rows to show; the index becomes the first column.
        index_name: The first column's header.
        right_aligned: How many of the last columns hold numbers (aligned right).

    Returns:
        The table, one line per row.
    """
    columns = [index_name, *map(str, frame.columns)]
    align = ["---"] * (len(columns) - right_aligned) + ["--:"] * right_aligned
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(map(str, [index, *row])) + " |" for index, row in frame.iterrows()]
    return "\n".join(lines)


def result_blocks(run_dir: Path) -> dict[str, str]:
    """Render a run's headline and benchmark tables.

    Args:
        run_dir: A run directory whose ``analysis/`` notebook 5 wrote.

    Returns:
        Block name (without ``results:<run>-``) -> Markdown.
    """
    analysis = run_dir / "analysis"
    headline = pd.read_csv(analysis / "headline.csv", index_col=["metric", "model"])
    benchmarks = pd.read_csv(analysis / "benchmarks.csv", index_col=0)
    display = headline_display(headline)
    base, tuned = benchmarks.columns[-3], benchmarks.columns[-2]  # ..., base, fine-tuned, change
    shown = pd.DataFrame({"measures": benchmarks["measures"], "pairs scored": benchmarks["pairs"].map("{:,}".format),
                          "base": benchmarks[base].map("{:.3f}".format),
                          "fine-tuned": benchmarks[tuned].map("{:.3f}".format),
                          "change": benchmarks["change"].map("{:+.3f}".format)}, index=benchmarks.index)
    return {"headline": markdown_table(display, "metric"),
            "benchmarks": markdown_table(shown, "benchmark", right_aligned=4)}


def render_readme(readme: str, run: str, run_dir: Path) -> str:
    """Returns:
    The README with every ``results:<run>-*`` block replaced from the run's analysis.
    """
    for table, body in result_blocks(run_dir).items():
        readme = replace_block(readme, BLOCK.format(run=run, table=table), body)
    return readme


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the README's result tables."""
    parser = argparse.ArgumentParser(description="Write the README's result tables from a run's analysis.")
    parser.add_argument("--run", default="seed")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md differs")
    args = parser.parse_args(argv)
    readme_path = REPO_ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    updated = render_readme(readme, args.run, RUNS_DIR / args.run)
    if args.check:
        if updated != readme:
            print(f"README.md's results differ from runs/{args.run}/analysis; run `make readme`", file=sys.stderr)
            return 1
        return 0
    readme_path.write_text(updated, encoding="utf-8")
    print(f"README.md: result tables written from runs/{args.run}/analysis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
