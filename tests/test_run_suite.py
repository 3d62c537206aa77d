from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from pairsim_utils.run_suite import NotebookFailedError, export_html, main, run_notebook


def _write(path, *sources):
    notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def test_runs_exports_and_reports(tmp_path, capsys):
    notebook = _write(tmp_path / "01_ok.ipynb", "answer = 6 * 7\nprint(answer)")
    assert main([str(notebook), "--reports", str(tmp_path / "reports")]) == 0
    executed = nbformat.read(tmp_path / "reports" / "notebooks" / "01_ok.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "42\n"
    html = (tmp_path / "reports" / "html" / "01_ok.html").read_text(encoding="utf-8")
    assert "answer" in html
    assert "01_ok.ipynb in" in capsys.readouterr().out


def test_failure_names_notebook_and_cell(tmp_path, capsys):
    notebook = _write(tmp_path / "02_bad.ipynb", "x = 1", "raise ValueError('broken data')")
    expected = r"02_bad.ipynb failed in cell 2 \(ValueError: broken data\)"
    with pytest.raises(NotebookFailedError, match=expected):
        run_notebook(notebook, tmp_path / "out")
    assert main([str(notebook), "--reports", str(tmp_path / "r")]) == 1
    assert "02_bad.ipynb failed in cell 2" in capsys.readouterr().err


def test_export_html_embeds(tmp_path):
    notebook = _write(tmp_path / "n.ipynb", "1 + 1")
    executed = run_notebook(notebook, tmp_path / "out")
    page = export_html(executed, tmp_path / "html")
    assert page.suffix == ".html" and page.stat().st_size > 0
