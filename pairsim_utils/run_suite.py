"""Run the course notebooks in order with papermill and export each to HTML (``make run``).

Usage: ``python -m pairsim_utils.run_suite notebooks/01_*.ipynb notebooks/02_*.ipynb ...``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pairsim_utils.paths import NOTEBOOKS_DIR, REPORTS_DIR, RUNS_DIR, relative_to_repo
from pairsim_utils.reproducibility import go_offline


class NotebookFailedError(RuntimeError):
    """A notebook of the suite raised an error while running."""


def run_notebook(notebook: Path, output_dir: Path, parameters: dict | None = None) -> Path:
    """Execute one notebook from a fresh kernel, in its own folder, into ``output_dir``.

    Args:
        notebook: The notebook to run.
        output_dir: Where the executed copy goes.
        parameters: papermill parameters, injected after the ``parameters`` cell.

    Returns:
        The executed copy.

    Raises:
        NotebookFailedError: Naming the notebook and the failing cell.
    """
    import papermill

    executed = output_dir / notebook.name
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters or {},
                                   cwd=str(notebook.parent), progress_bar=False,
                                   log_output=False)
    except papermill.PapermillExecutionError as error:
        raise NotebookFailedError(
            f"{notebook.name} failed in cell {error.cell_index + 1} ({error.ename}: {error.evalue}). "
            f"The executed copy with the traceback is {relative_to_repo(executed)}."
        ) from None
    return executed


def ensure_analysis(run_name: str, runs_dir: Path = RUNS_DIR) -> Path:
    """Return a run's ``analysis/`` folder, running notebook 5 first if its tables are missing.

    Args:
        run_name: The run, as in ``runs/<run_name>``.
        runs_dir: Parent folder of runs.

    Returns:
        The folder holding ``headline.csv``, ``slices.csv``, ``benchmarks.csv``, ``findings.md``…
    """
    analysis = runs_dir / run_name / "analysis"
    if not (analysis / "headline.csv").is_file():
        print(f"{relative_to_repo(analysis)}/ is missing: running notebook 5 to make it.", flush=True)
        run_notebook(NOTEBOOKS_DIR / "05_similarity_error_analysis.ipynb", REPORTS_DIR / "notebooks",
                     {"run_name": run_name})
    return analysis


def export_html(executed: Path, page: Path, hide_code: bool = False) -> Path:
    """Export an executed notebook to a standalone HTML page (figures embedded).

    Args:
        executed: An executed notebook.
        page: The HTML file to write.
        hide_code: Drop cells tagged ``remove-cell`` and the code of cells tagged ``hide-input``
            (nbconvert's TagRemovePreprocessor), and the In/Out prompts: the stakeholder view.

    Returns:
        The HTML file.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(embed_images=True, exclude_input_prompt=hide_code, exclude_output_prompt=hide_code)
    if hide_code:
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"},
                                                             remove_input_tags={"hide-input"}), enabled=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    return page


def contents_page(pages: list[Path], target: Path) -> Path:
    """Write the course's contents page, linking every notebook's page in order.

    Args:
        pages: HTML pages of the executed notebooks.
        target: The contents page to write (e.g. ``reports/course.html``).

    Returns:
        The contents page.
    """
    import html
    import json

    items = []
    for page in pages:
        executed = page.parent.parent / "notebooks" / f"{page.stem}.ipynb"
        title = page.stem
        if executed.is_file():
            cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
            first = "".join(cells[0]["source"]).splitlines()[0] if cells else ""
            title = first.lstrip("# ").strip() or title
        items.append(f'<li><a href="{page.relative_to(target.parent).as_posix()}">{html.escape(title)}</a></li>')
    target.write_text("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pairsim course</title></head>"
                      "<body><h1>pairsim: the course</h1><p>Every notebook, executed on this machine.</p>"
                      f"<ol>{''.join(items)}</ol></body></html>\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """Run the given notebooks in order; stop at the first failure; write the reports.

    Args:
        argv: Notebook paths (and options); ``sys.argv[1:]`` when ``None``.

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--reports", type=Path, default=REPORTS_DIR)
    args = parser.parse_args(argv)
    go_offline()
    started = time.perf_counter()
    pages = []
    for notebook in args.notebooks:
        began = time.perf_counter()
        print(f"▶ {notebook.name} …", flush=True)
        try:
            executed = run_notebook(notebook, args.reports / "notebooks")
        except NotebookFailedError as error:
            print(f"✗ {error}", file=sys.stderr)
            return 1
        pages.append(export_html(executed, args.reports / "html" / f"{executed.stem}.html"))
        if "findings" in notebook.stem:
            export_html(executed, args.reports / "findings.html", hide_code=True)
        print(f"✓ {notebook.name} in {time.perf_counter() - began:.0f} s", flush=True)
    contents_page(pages, args.reports / "course.html")
    print(f"Done in {time.perf_counter() - started:.0f} s. Reports:")
    print(f"  course (every notebook, with code): {relative_to_repo(args.reports / 'course.html')}")
    if (args.reports / "findings.html").is_file():
        print(f"  findings (for stakeholders, no code): {relative_to_repo(args.reports / 'findings.html')}")
    print(f"  executed notebooks: {relative_to_repo(args.reports / 'notebooks')}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
