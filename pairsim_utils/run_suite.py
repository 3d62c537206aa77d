"""Run the course notebooks in order with papermill and export each to HTML (``make run``).

Usage: ``python -m pairsim_utils.run_suite notebooks/01_*.ipynb notebooks/02_*.ipynb ...``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pairsim_utils.paths import REPORTS_DIR, relative_to_repo
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


def export_html(executed: Path, output_dir: Path) -> Path:
    """Export an executed notebook to a standalone HTML page (figures embedded).

    Args:
        executed: An executed notebook.
        output_dir: Where the page goes.

    Returns:
        The HTML file.
    """
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(embed_images=True).from_notebook_node(
        nbformat.read(executed, as_version=4))
    page = output_dir / f"{executed.stem}.html"
    output_dir.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    return page


def main(argv: list[str] | None = None) -> int:
    """Run the given notebooks in order; stop at the first failure.

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
    for notebook in args.notebooks:
        began = time.perf_counter()
        print(f"▶ {notebook.name} …", flush=True)
        try:
            executed = run_notebook(notebook, args.reports / "notebooks")
        except NotebookFailedError as error:
            print(f"✗ {error}", file=sys.stderr)
            return 1
        page = export_html(executed, args.reports / "html")
        print(f"✓ {notebook.name} in {time.perf_counter() - began:.0f} s → {relative_to_repo(page)}",
              flush=True)
    print(f"Done in {time.perf_counter() - started:.0f} s. Executed notebooks: "
          f"{relative_to_repo(args.reports / 'notebooks')}/, HTML pages: "
          f"{relative_to_repo(args.reports / 'html')}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
