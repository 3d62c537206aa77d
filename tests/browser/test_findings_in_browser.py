"""The stakeholder report, rendered in a real browser (headless Chromium).

Runs after nbval in `make test`, so the analysis tables of `runs/seed/` exist; it exports a fresh
`findings.html` from notebook 06 into `reports/browser-test/` and saves a screenshot there.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess

import matplotlib.image
import pytest

from pairsim_utils.paths import NOTEBOOKS_DIR, REPORTS_DIR
from pairsim_utils.run_suite import main as run_suite

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed and `make test` could not install it (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def findings():
    out = REPORTS_DIR / "browser-test"
    assert run_suite([str(NOTEBOOKS_DIR / "06_findings.ipynb"), "--reports", str(out)]) == 0
    return out / "findings.html"


def render(chromium: str, page, profile, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                           "--v=0", *extra, page.as_uri()], capture_output=True, text=True, timeout=180)


def test_findings_page_renders_with_its_content(chromium, findings, tmp_path):
    result = render(chromium, findings, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "Uncaught" not in result.stderr, "a script on the page failed"
    assert "<table" in dom and "Spearman" in dom and "fine-tuned" in dom, "headline table missing"
    assert "Findings: fine-tuning a small embedding model" in dom
    body = re.sub(r"<(style|script)\b.*?</\1>", "", dom, flags=re.S)
    assert not re.search(r'class="[^"]*jp-InputArea-editor', body), "a code cell is visible"
    assert "import " not in body and "setup_notebook" not in body, "code text is visible"


def test_every_figure_decodes(findings):
    html = findings.read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) >= 4
    for data in images:
        pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(data)), format="png")
        assert pixels.shape[0] > 100 and pixels.shape[1] > 100


def test_screenshot_is_saved(chromium, findings, tmp_path):
    screenshot = findings.parent / "findings.png"
    result = render(chromium, findings, tmp_path / "profile", "--window-size=1000,1800",
                    f"--screenshot={screenshot}")
    assert result.returncode == 0, result.stderr[-2000:]
    pixels = matplotlib.image.imread(screenshot)
    assert pixels.shape[:2] == (1800, 1000) and pixels.std() > 0.05  # not a blank page


OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND"]  # any request for another host fails, and is logged


@pytest.fixture(scope="module")
def course_pages(tmp_path_factory):
    """The committed notebooks as course pages (their stored outputs; no kernel needed)."""
    from pairsim_utils.course_pages import contents_page, export_html

    reports = tmp_path_factory.mktemp("course")
    pages = [export_html(notebook, reports / "html" / f"{notebook.stem}.html")
             for notebook in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
    return contents_page(pages, reports / "course.html"), pages


def test_course_pages_render_offline_with_math_and_links(chromium, course_pages, tmp_path):
    course, pages = course_pages
    for page in (course, pages[2]):  # the contents page, and notebook 3 with the loss formula
        result = render(chromium, page, tmp_path / "profile", *OFFLINE, "--dump-dom")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Failed to load resource" not in result.stderr, f"{page.name} asked the network for something"
        assert "Uncaught" not in result.stderr, f"a script on {page.name} failed"
    dom = result.stdout
    assert "<math" in dom and "$$" not in dom, "the loss formula is not MathML"
    assert 'href="02_model_architecture.html"' in dom and 'href="04_loss_curves.html"' in dom
    assert 'href="../course.html"' in dom
