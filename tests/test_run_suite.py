from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pairsim_utils.course_pages import export_html
from pairsim_utils.run_suite import NotebookFailedError, main, run_notebook


def _write(path, *sources):
    notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_runs_exports_and_reports(tmp_path, capsys):
    notebook = _write(tmp_path / "01_ok.ipynb", "answer = 6 * 7\nprint(answer)")
    assert main([str(notebook), "--reports", str(tmp_path / "reports")]) == 0
    executed = nbformat.read(tmp_path / "reports" / "notebooks" / "01_ok.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "42\n"
    html = (tmp_path / "reports" / "html" / "01_ok.html").read_text(encoding="utf-8")
    assert "answer" in html
    assert "01_ok.ipynb in" in capsys.readouterr().out


@pytest.mark.slow
def test_failure_names_notebook_and_cell(tmp_path, capsys):
    notebook = _write(tmp_path / "02_bad.ipynb", "x = 1", "raise ValueError('broken data')")
    expected = r"02_bad.ipynb failed in cell 2 \(ValueError: broken data\)"
    with pytest.raises(NotebookFailedError, match=expected):
        run_notebook(notebook, tmp_path / "out")
    assert main([str(notebook), "--reports", str(tmp_path / "r")]) == 1
    assert "02_bad.ipynb failed in cell 2" in capsys.readouterr().err


@pytest.mark.slow
def test_exported_pages_embed_their_figures(tmp_path):
    notebook = _write(tmp_path / "n.ipynb", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")
    executed = run_notebook(notebook, tmp_path / "out")
    page = export_html(executed, tmp_path / "html" / "n.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in page  # the figure travels inside the page
    assert not re.search(r'<img[^>]+src="(?!data:)', page)  # no image is fetched from elsewhere


@pytest.mark.slow
def test_contents_page_and_hidden_code_export(tmp_path):
    from nbformat.v4 import new_markdown_cell

    from pairsim_utils.course_pages import contents_page

    notebook = new_notebook(cells=[new_markdown_cell("# 6. Findings\\ntext"),
                                   new_code_cell("secret_variable = 41", metadata={"tags": ["remove-cell"]}),
                                   new_code_cell("print('visible ' + str(secret_variable + 1))",
                                                 metadata={"tags": ["hide-input"]})])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["pairsim"] = {"report": "findings"}
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


def test_only_the_notebook_that_declares_a_report_page_gets_one(tmp_path):
    from pairsim_utils.paths import NOTEBOOKS_DIR
    from pairsim_utils.run_suite import report_page

    declared = {path.name: report_page(path) for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))}
    assert {name: page for name, page in declared.items() if page} == {"06_findings.ipynb": "findings"}
    renamed = _write(tmp_path / "findings_draft.ipynb", "print(1)")  # a name alone makes no report page
    assert report_page(renamed) is None


def test_ensure_analysis_returns_existing_tables_without_running(tmp_path, monkeypatch):
    from pairsim_utils import run_suite
    from pairsim_utils.analysis import ANALYSIS_TABLES

    analysis = tmp_path / "seed" / "analysis"
    analysis.mkdir(parents=True)
    for name in ANALYSIS_TABLES:
        (analysis / f"{name}.csv").write_text("x\\n")
    monkeypatch.setattr(run_suite, "run_notebook", lambda *a, **k: pytest.fail("should not run notebook 5"))
    assert run_suite.ensure_analysis("seed", runs_dir=tmp_path) == analysis
    (analysis / "slices.csv").unlink()  # one table missing: notebook 5 runs again
    calls = []
    monkeypatch.setattr(run_suite, "run_notebook", lambda notebook, *a, **k: calls.append(notebook.name))
    run_suite.ensure_analysis("seed", runs_dir=tmp_path)
    assert calls == ["05_similarity_error_analysis.ipynb"]
    calls = []
    monkeypatch.setattr(run_suite, "run_notebook",
                        lambda notebook, out, params, data_dir: calls.append((notebook.name, params, data_dir)))
    run_suite.ensure_analysis("other", runs_dir=tmp_path)
    shipped = "data/concept_pairs"
    assert calls == [("05_similarity_error_analysis.ipynb", {"run_name": "other", "data_dir": shipped}, shipped)]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "environment.json").write_text('{"data_dir": "runs/data/mine"}')
    run_suite.ensure_analysis("mine", runs_dir=tmp_path)
    assert calls[-1][1:] == ({"run_name": "mine", "data_dir": "runs/data/mine"}, "runs/data/mine")


def _tagged(source, *tags, markdown=False):
    from nbformat.v4 import new_markdown_cell

    cell = new_markdown_cell(source) if markdown else new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


@pytest.mark.parametrize(("tags", "shipped", "columns", "kept"), [
    ([], False, set(), True),
    (["shipped-data"], True, set(), True),
    (["shipped-data"], False, {"relation", "domain"}, False),
    (["other-data"], True, set(), False),
    (["other-data"], False, set(), True),
    (["needs-relation"], False, {"relation"}, True),
    (["needs-relation"], True, {"domain"}, False),
    (["needs-domain", "nbval-ignore-output"], False, {"relation"}, False),
])
def test_keeps_cell_by_tags(tags, shipped, columns, kept):
    from pairsim_utils.run_suite import keeps_cell

    assert keeps_cell(tags, shipped, columns) is kept


def test_select_cells_drops_what_does_not_apply_and_says_so(tmp_path):
    from pairsim_utils.prepare import prepare_data
    from pairsim_utils.run_suite import select_cells

    notebook = new_notebook(cells=[_tagged("# Title", markdown=True), new_code_cell("x = 1"),
                                   _tagged("about our pairs", "shipped-data", markdown=True),
                                   _tagged("relations()", "needs-relation"), _tagged("other()", "other-data")])
    shipped = select_cells(nbformat.from_dict(notebook), "data/concept_pairs")
    assert [c.source for c in shipped.cells] == ["# Title", "x = 1", "about our pairs", "relations()"]
    source = tmp_path / "rated.csv"
    source.write_text("sentence_0,sentence_1,label\n" + "".join(f"w{i},v{i},{i / 30:.3f}\n" for i in range(30)))
    prepared = prepare_data(source, target_root=tmp_path / "prepared")
    mine = select_cells(nbformat.from_dict(notebook), prepared)
    assert [c.source for c in mine.cells][2:] == ["x = 1", "other()"]
    banner = mine.cells[1].source
    assert "This copy ran on rated" in banner and "2 cells were left out" in banner and "`relation`" in banner
    assert "drawn at random" in banner
    x_cell = notebook.cells[1]
    variants = [{"before": x_cell.id, "cell": new_markdown_cell("## Summary for any data")},
                {"before": "no-such-cell", "cell": new_markdown_cell("appended")}]
    assert len(select_cells(nbformat.from_dict(notebook), "data/concept_pairs", variants=variants).cells) == 4
    mine = select_cells(nbformat.from_dict(notebook), prepared, variants=variants)
    assert [c.source for c in mine.cells][2:] == ["## Summary for any data", "x = 1", "other()", "appended"]


def test_committed_notebooks_show_one_lesson():
    """Cells written for other data live in notebooks/variants/, each before a cell every data set keeps."""
    from pairsim_utils.paths import NOTEBOOKS_DIR
    from pairsim_utils.run_suite import other_data_cells

    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assert not [c for c in notebook.cells if "other-data" in c.metadata.get("tags", [])], path.name
        headings = [line for c in notebook.cells if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("## ")]
        assert len(headings) == len(set(headings)), (path.name, sorted(h for h in headings if headings.count(h) > 1))
        always_kept = {c.id for c in notebook.cells if not any(
            tag == "shipped-data" or tag.startswith("needs-") for tag in c.metadata.get("tags", []))}
        assert all(variant["before"] in always_kept for variant in other_data_cells(path)), path.name


@pytest.mark.slow
def test_only_declared_parameters_are_passed(tmp_path):
    from nbformat.v4 import new_notebook as notebook_of

    notebook = notebook_of(cells=[_tagged("run_name = 'seed'", "parameters"), new_code_cell("print(run_name)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "p.ipynb"
    nbformat.write(notebook, path)
    executed = nbformat.read(run_notebook(path, tmp_path / "out", {"run_name": "mine", "epochs": 2}), as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "run_name = \"mine\"" in injected.source and "epochs" not in injected.source
    assert executed.cells[-1].outputs[0]["text"] == "mine\n"


def test_bad_data_fails_before_any_notebook_runs(tmp_path, capsys):
    source = tmp_path / "broken.csv"
    source.write_text("sentence_0,sentence_1,label\nrose,thorn,\n")
    notebook = _write(tmp_path / "01_never.ipynb", "raise RuntimeError('must not run')")
    assert main([str(notebook), "--data", str(source), "--reports", str(tmp_path / "r")]) == 1
    error = capsys.readouterr().err
    assert "broken.csv: line 2, column 'label': empty label" in error and "must not run" not in error
    assert main([str(notebook), "--data", str(source), "--run-name", "cache"]) == 1
    assert "run name 'cache' is not allowed" in capsys.readouterr().err
    assert main([str(notebook), "--data", str(source), "--run-name", "seed"]) == 1
    assert "--run-name seed is taken" in capsys.readouterr().err


@pytest.fixture
def small_run_name(tmp_path, monkeypatch):
    """A run of the real notebooks on a small file. Its embeddings are cached in a folder of its own (the
    notebooks' kernels inherit the variable), so it neither reads nor prunes ``runs/cache``; its run and
    prepared data are removed afterwards, so the test leaves ``runs/`` as it found it.
    """
    import shutil

    from pairsim_utils.embeddings import CACHE_DIR_VARIABLE
    from pairsim_utils.paths import RUNS_DIR

    name = "unit-test-small-file"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "embeddings"))
    yield name
    for path in (RUNS_DIR / name, RUNS_DIR / "data" / name):
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_the_suite_reruns_on_a_small_pairs_file_without_metadata(tmp_path, small_run_name, capsys):
    """The parameter path end to end: validate, split, train (1 epoch: a unit test, not a result),
    analyse and report on a file with continuous labels and no relation/domain columns.
    """
    from pairsim_utils.paths import BENCHMARKS_DIR, NOTEBOOKS_DIR, RUNS_DIR

    source = tmp_path / "rated.csv"
    import pandas as pd

    pd.read_csv(BENCHMARKS_DIR / "men_test.csv").head(200)[["sentence_0", "sentence_1", "label"]].to_csv(
        source, index=False)
    notebooks = [str(path) for path in sorted(NOTEBOOKS_DIR.glob("0[134567]_*.ipynb"))]
    reports = tmp_path / "reports"
    status = main([*notebooks, "--data", str(source), "--run-name", small_run_name, "--reports", str(reports),
                   "-p", "epochs", "1", "-p", "resamples", "50", "-p", "alpha_step", "0.5"])
    assert status == 0, capsys.readouterr().err
    run = json.loads((RUNS_DIR / small_run_name / "environment.json").read_text())
    assert run["data_dir"] == f"runs/data/{small_run_name}" and run["data_pairs"]["test"] == 30
    assert json.loads((RUNS_DIR / small_run_name / "config.json").read_text())["num_epochs"] == 1
    analysis = RUNS_DIR / small_run_name / "analysis"
    slices = pd.read_csv(analysis / "slices.csv")
    assert "relation" not in set(slices["dimension"]) and "label grade" in set(slices["dimension"])
    findings = (reports / "findings.html").read_text(encoding="utf-8")
    assert "rated" in findings and "drawn at random" in findings and "Traceback" not in findings
    assert "run_name" not in findings  # papermill's injected parameters are code, hidden from stakeholders
    executed = nbformat.read(reports / "notebooks" / "05_similarity_error_analysis.ipynb", as_version=4)
    assert "This copy ran on" in executed.cells[1].source
    assert not any("lexical_trap" in c.source for c in executed.cells if c.cell_type == "code")
    assert (reports / "course.html").is_file()
    # Notebook 7 sweeps this run's interpolation; the grid's table, trained on the shipped data, is left out.
    sources = [c.source for c in nbformat.read(reports / "notebooks" / "07_keeping_the_gain.ipynb", as_version=4).cells]
    assert any("alpha_sweep(" in source for source in sources)
    assert "alpha_step = 0.5" in "\n".join(sources)  # the coarse sweep asked for reached notebook 7
    assert not any("load_table()" in source for source in sources)
    assert "what was measured" not in findings
    assert any((tmp_path / "embeddings").glob("*.npz"))  # the kernels cached into the test's own folder
