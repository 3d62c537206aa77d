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
    page = export_html(executed, tmp_path / "html" / "n.html")
    assert page.suffix == ".html" and page.stat().st_size > 0


def test_contents_page_and_hidden_code_export(tmp_path):
    from nbformat.v4 import new_markdown_cell

    from pairsim_utils.run_suite import contents_page

    notebook = new_notebook(cells=[new_markdown_cell("# 6. Findings\\ntext"),
                                   new_code_cell("secret_variable = 41", metadata={"tags": ["remove-cell"]}),
                                   new_code_cell("print('visible ' + str(secret_variable + 1))",
                                                 metadata={"tags": ["hide-input"]})])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "06_findings.ipynb"
    nbformat.write(notebook, path)
    assert main([str(path), "--reports", str(tmp_path / "reports")]) == 0
    findings = (tmp_path / "reports" / "findings.html").read_text(encoding="utf-8")
    assert "visible 42" in findings and "secret_variable" not in findings
    full = (tmp_path / "reports" / "html" / "06_findings.html").read_text(encoding="utf-8")
    assert "secret_variable" in full
    course = (tmp_path / "reports" / "course.html").read_text(encoding="utf-8")
    assert 'href="html/06_findings.html"' in course and "6. Findings" in course
    page = contents_page([tmp_path / "reports" / "html" / "06_findings.html"], tmp_path / "reports" / "again.html")
    assert page.read_text(encoding="utf-8") == course


def test_ensure_analysis_returns_existing_tables_without_running(tmp_path, monkeypatch):
    from pairsim_utils import run_suite

    analysis = tmp_path / "seed" / "analysis"
    analysis.mkdir(parents=True)
    (analysis / "headline.csv").write_text("x\\n")
    monkeypatch.setattr(run_suite, "run_notebook", lambda *a, **k: pytest.fail("should not run notebook 5"))
    assert run_suite.ensure_analysis("seed", runs_dir=tmp_path) == analysis
    calls = []
    monkeypatch.setattr(run_suite, "run_notebook", lambda notebook, out, params: calls.append((notebook.name, params)))
    run_suite.ensure_analysis("other", runs_dir=tmp_path)
    assert calls == [("05_similarity_error_analysis.ipynb", {"run_name": "other"})]
