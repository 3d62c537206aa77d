"""Run the course notebooks in order with papermill and export each to HTML (``make run``).

Usage::

    python -m pairsim_utils.run_suite notebooks/*.ipynb                  # the shipped concept pairs
    python -m pairsim_utils.run_suite notebooks/*.ipynb --data men       # any data source (see prepare)
    python -m pairsim_utils.run_suite notebooks/*.ipynb --data my.csv -p epochs 2

On other data than the shipped concept pairs, cells are chosen by their tags (:data:`CELL_TAGS`):
prose and checks that describe only the concept pairs are left out, and so are the sections that need
a ``relation`` or ``domain`` column the data lacks.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pairsim_utils.analysis import ANALYSIS_TABLES
from pairsim_utils.course_pages import contents_page, export_html
from pairsim_utils.data import split_paths
from pairsim_utils.paths import CONCEPT_PAIRS_DIR, NOTEBOOKS_DIR, REPORTS_DIR, RUNS_DIR, relative_to_repo, repo_path
from pairsim_utils.prepare import RESERVED_NAMES, describe_data, is_shipped, prepare_data
from pairsim_utils.reproducibility import go_offline
from pairsim_utils.runs import check_run_name

CELL_TAGS = {
    "shipped-data": "kept only on the shipped concept pairs: prose and checks about that data",
    "other-data": "kept only on other data (such cells live in notebooks/variants/, see other_data_cells)",
    "needs-relation": "kept only when the data has a relation column",
    "needs-domain": "kept only when the data has a domain column",
}


ANALYSIS_NOTEBOOK = NOTEBOOKS_DIR / "05_similarity_error_analysis.ipynb"
"""The notebook that writes a run's ``analysis/`` tables (:func:`pairsim_utils.analysis.save_analysis`)."""

KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
"""The kernel's own start-up notices (e.g. that its local TCP link is unencrypted) would clutter the
progress lines; its errors still show, and cell errors are reported by papermill."""


class NotebookFailedError(RuntimeError):
    """A notebook of the suite raised an error while running."""


def keeps_cell(tags: list[str], shipped: bool, columns: set[str]) -> bool:
    """Whether a cell with these tags runs on a data set (see :data:`CELL_TAGS`)."""
    return not (("shipped-data" in tags and not shipped) or ("other-data" in tags and shipped)
                or any(tag.startswith("needs-") and tag[len("needs-"):] not in columns for tag in tags))


def other_data_cells(notebook: Path) -> list[dict[str, Any]]:
    """The cells a notebook shows only on other data than the shipped pairs (summaries and limits
    written for any data). They are kept out of the committed notebook, so a learner reads one lesson,
    in ``notebooks/variants/<notebook>.json``: a list of ``{"before": <cell id>, "cell": <cell>}``.

    Returns:
        The list; empty when the notebook has none.
    """
    path = notebook.parent / "variants" / f"{notebook.stem}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def select_cells(notebook, data_dir: Path | str, banner: bool = True,
                 variants: Sequence[dict[str, Any]] = ()):
    """Keep the cells of a notebook that apply to a data set, and say on the copy what it ran on.

    Args:
        notebook: An ``nbformat`` notebook (changed in place).
        data_dir: The data folder the notebook will run on.
        banner: On other data, insert a note after the title naming the data and what was left out.
        variants: :func:`other_data_cells` of the notebook; on other data each is inserted before the
            cell it names (at the end when that cell was left out).

    Returns:
        The notebook.
    """
    import nbformat
    from nbformat.v4 import new_markdown_cell

    shipped = is_shipped(data_dir)
    columns = set(pd.read_csv(split_paths(repo_path(data_dir))["train"], nrows=0).columns)
    kept = [cell for cell in notebook.cells if keeps_cell(cell.metadata.get("tags", []), shipped, columns)]
    left_out = len(notebook.cells) - len(kept)
    if not shipped:
        for variant in variants:
            ids = [cell.get("id") for cell in kept]
            position = ids.index(variant["before"]) if variant["before"] in ids else len(kept)
            kept.insert(position, nbformat.from_dict(variant["cell"]))
    notebook.cells = kept
    if banner and not shipped:
        data = describe_data(data_dir)
        missing = [c for c in ("relation", "domain") if c not in columns]
        note = (f"> **This copy ran on {data['name']}**: {data['description']} Splits: {data['split_method']}. "
                f"The numbers, tables and figures below are for this data. {left_out} cells were left out: "
                "prose and checks written about the shipped concept pairs"
                + (f", and the sections that need a {' or '.join(f'`{c}`' for c in missing)} column" if missing else "")
                + ".")
        notebook.cells.insert(1, new_markdown_cell(note))
    return notebook


def run_notebook(notebook: Path, output_dir: Path, parameters: dict | None = None,
                 data_dir: Path | str = CONCEPT_PAIRS_DIR, banner: bool = True) -> Path:
    """Execute one notebook from a fresh kernel, in its own folder, into ``output_dir``.

    Args:
        notebook: The notebook to run.
        output_dir: Where the executed copy goes.
        parameters: papermill parameters, injected after the ``parameters`` cell; those the notebook
            does not declare are not passed.
        data_dir: The data it runs on, which decides the cells it keeps (:func:`select_cells`).
        banner: Let :func:`select_cells` add its note on other data.

    Returns:
        The executed copy.

    Raises:
        NotebookFailedError: Naming the notebook and the failing cell.
    """
    import nbformat
    import papermill

    executed = output_dir / notebook.name
    output_dir.mkdir(parents=True, exist_ok=True)
    declared = papermill.inspect_notebook(str(notebook))
    source = select_cells(nbformat.read(notebook, as_version=4), data_dir, banner, other_data_cells(notebook))
    try:
        papermill.execute_notebook(source, str(executed),
                                   parameters={k: v for k, v in (parameters or {}).items() if k in declared},
                                   cwd=str(notebook.parent), progress_bar=False, log_output=False,
                                   extra_arguments=KERNEL_ARGUMENTS)
    except papermill.PapermillExecutionError as error:
        raise NotebookFailedError(
            f"{notebook.name} failed in cell {error.cell_index + 1} ({error.ename}: {error.evalue}). "
            f"The executed copy with the traceback is {relative_to_repo(executed)}."
        ) from None
    return executed


def report_page(notebook: Path) -> str | None:
    """The page for readers of no code that a notebook declares, as ``{"pairsim": {"report": "findings"}}``
    in its metadata (notebook 6 does): :func:`main` exports it again, code hidden, as ``<report>.html``.

    Returns:
        The page's name, or ``None`` for a lesson.
    """
    import nbformat

    return nbformat.read(notebook, as_version=4).metadata.get("pairsim", {}).get("report")


def ensure_analysis(run_name: str, runs_dir: Path = RUNS_DIR) -> Path:
    """Return a run's ``analysis/`` folder, running notebook 5 first if its tables are missing.

    Args:
        run_name: The run, as in ``runs/<run_name>``.
        runs_dir: Parent folder of runs.

    Returns:
        The folder holding :data:`pairsim_utils.analysis.ANALYSIS_TABLES`, ``test_scores.csv`` and ``findings.md``.
    """
    analysis = runs_dir / run_name / "analysis"
    if not all((analysis / f"{name}.csv").is_file() for name in ANALYSIS_TABLES):
        print(f"{relative_to_repo(analysis)}/ is missing: running notebook 5 to make it.", flush=True)
        environment = runs_dir / run_name / "environment.json"
        data_dir = json.loads(environment.read_text(encoding="utf-8"))["data_dir"] if environment.is_file() \
            else relative_to_repo(CONCEPT_PAIRS_DIR)
        run_notebook(ANALYSIS_NOTEBOOK, REPORTS_DIR / "notebooks",
                     {"run_name": run_name, "data_dir": data_dir}, data_dir)
    return analysis


def parameter_value(text: str) -> Any:
    """A ``-p`` value as a Python literal when it is one (``3``, ``None``, ``True``), else the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: list[str] | None = None) -> int:
    """Run the given notebooks in order; stop at the first failure; write the reports.

    Args:
        argv: Notebook paths (and options); ``sys.argv[1:]`` when ``None``.

    Returns:
        The process exit status.
    """
    from pairsim_utils.data import PairsFileError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--data", help="a pairs CSV, a folder of split CSVs, or a named data set (men); "
                                       "default: the shipped concept pairs")
    parser.add_argument("--run-name", help="run and report name; default: seed, or the data's name")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a notebook parameter, e.g. -p epochs 2 (passed to the notebooks that declare it)")
    parser.add_argument("--reports", type=Path, help="where the reports go; default reports/, or reports/<name>/")
    args = parser.parse_args(argv)
    go_offline()
    started = time.perf_counter()
    data_dir, run_name, reports = CONCEPT_PAIRS_DIR, args.run_name or "seed", args.reports or REPORTS_DIR
    try:
        check_run_name(run_name)
    except ValueError as error:
        print(f"✗ {error}", file=sys.stderr)
        return 1
    if args.data and not is_shipped(args.data) and args.data != "concept_pairs":
        if args.run_name in RESERVED_NAMES:
            print(f"✗ --run-name {args.run_name} is taken (runs/{args.run_name}/ is used by the suite); "
                  "choose another name.", file=sys.stderr)
            return 1
        try:
            data_dir = prepare_data(args.data, name=args.run_name)
        except PairsFileError as error:
            print(f"✗ The data cannot be used. {error}", file=sys.stderr)
            return 1
        run_name = args.run_name or data_dir.name
        reports = args.reports or REPORTS_DIR / run_name
        data = describe_data(data_dir)
        print(f"Data: {data['name']}, prepared in {relative_to_repo(data_dir)}/ ({data['split_method']}).", flush=True)
    parameters = {"data_dir": relative_to_repo(data_dir), "run_name": run_name,
                  **{name: parameter_value(value) for name, value in args.parameter}}
    pages = []
    for notebook in args.notebooks:
        began = time.perf_counter()
        print(f"▶ {notebook.name} …", flush=True)
        report = report_page(notebook)
        try:
            executed = run_notebook(notebook, reports / "notebooks", parameters, data_dir, banner=report is None)
        except NotebookFailedError as error:
            print(f"✗ {error}", file=sys.stderr)
            return 1
        pages.append(export_html(executed, reports / "html" / f"{executed.stem}.html"))
        if report:
            export_html(executed, reports / f"{report}.html", hide_code=True, pages_dir=reports / "html")
        print(f"✓ {notebook.name} in {time.perf_counter() - began:.0f} s", flush=True)
    contents_page(pages, reports / "course.html", "" if is_shipped(data_dir) else describe_data(data_dir)["name"])
    print(f"Done in {time.perf_counter() - started:.0f} s. Reports:")
    print(f"  course (every notebook, with code): {relative_to_repo(reports / 'course.html')}")
    if (reports / "findings.html").is_file():
        print(f"  findings (for stakeholders, no code): {relative_to_repo(reports / 'findings.html')}")
    print(f"  executed notebooks: {relative_to_repo(reports / 'notebooks')}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
