"""The course's HTML pages (pairsim_utils.course_pages): links that work, math without a CDN, a contents page."""

from __future__ import annotations

import json
import re

import pytest

from pairsim_utils.course_pages import contents_page, export_html, lesson_outline, mathml, page_link
from pairsim_utils.paths import NOTEBOOKS_DIR, REPO_ROOT

COURSE = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_links_lead_to_pages_the_contents_and_the_repository(tmp_path):
    pages = tmp_path / "reports" / "html"
    assert page_link("04_loss_curves.ipynb", pages, pages) == "04_loss_curves.html"
    assert page_link("05_similarity_error_analysis.ipynb#5.1", pages, pages) == \
        "05_similarity_error_analysis.html#5.1"
    assert page_link("../README.md#course-map", pages, pages) == "../course.html"
    # the stakeholder page sits one folder up, beside the contents page
    findings_link = page_link("05_similarity_error_analysis.ipynb", pages.parent, pages)
    assert findings_link == "html/05_similarity_error_analysis.html"
    assert page_link("../README.md#course-map", pages.parent, pages) == "course.html"
    data_card = page_link("../data/concept_pairs/README.md", pages, pages, source_dir=tmp_path / "notebooks")
    assert (pages / data_card).resolve() == (tmp_path / "data" / "concept_pairs" / "README.md").resolve()
    for fixed in ("https://sbert.net/", "#glossary", "mailto:someone@example.org"):
        assert page_link(fixed, pages, pages) == fixed


def test_formulas_become_mathml_and_prices_stay_text():
    rendered = mathml("The loss:\n\n$$\\frac{1}{B}\\sum_i (c_i - y_i)^2$$\n\nwith $B$ pairs.")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in rendered
    assert "<mfrac>" in rendered and "$" not in rendered
    assert rendered.count("<math") == 2
    assert mathml("It costs $5 and $6.") == "It costs $5 and $6."


def test_outline_reads_objectives_and_time_from_the_first_cell():
    first = "".join(json.loads(COURSE[0].read_text(encoding="utf-8"))["cells"][0]["source"])
    outline = lesson_outline(first)
    assert outline["title"] == "1. The concept-pair data"
    assert outline["objectives"].startswith("- what the labels") and len(outline["objectives"].splitlines()) >= 5
    assert "minutes to read" in outline["time"]
    assert lesson_outline("# Only a title") == {"title": "Only a title", "objectives": "", "time": ""}


@pytest.mark.slow
def test_course_pages_link_to_each_other_and_fetch_nothing(tmp_path):
    pages_dir = tmp_path / "reports" / "html"
    (tmp_path / "reports" / "notebooks").mkdir(parents=True)
    pages = []
    for notebook in COURSE:  # the committed notebooks, with their stored outputs
        (tmp_path / "reports" / "notebooks" / notebook.name).write_bytes(notebook.read_bytes())
        pages.append(export_html(notebook, pages_dir / f"{notebook.stem}.html"))
    course = contents_page(pages, tmp_path / "reports" / "course.html")
    for page in [*pages, course]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", text), f"{page.name} fetches online"
        for target in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', text):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
    middle = pages[2].read_text(encoding="utf-8")
    assert 'href="02_model_architecture.html"' in middle and 'href="04_loss_curves.html"' in middle
    assert 'href="../course.html"' in middle and "<math" in middle and "$$" not in middle
    contents = course.read_text(encoding="utf-8")
    assert contents.count('<section class="lesson">') == len(COURSE) and "Time:" in contents
    assert (REPO_ROOT / "README.md").exists()


def test_stated_reading_times_are_the_estimates():
    from pairsim_utils.course_pages import reading_minutes, rounded_minutes

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    lessons = [notebook for notebook in COURSE
               if not json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("pairsim", {}).get("report")]
    assert len(lessons) == len(COURSE) - 1  # every notebook but the findings page
    for notebook in lessons:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        estimate = {part: rounded_minutes(minutes) for part, minutes in reading_minutes(cells).items()}
        first = "".join(cells[0]["source"])
        stated = re.search(r"about (\d+) minutes to read, and about (\d+) more for", first)
        assert stated, f"{notebook.name} states no reading time in the expected form"
        assert (int(stated[1]), int(stated[2])) == (estimate["lesson"], estimate["exercises"]), (
            f"{notebook.name}: its text now reads as about {estimate['lesson']} minutes, plus {estimate['exercises']} "
            "for the exercises (pairsim_utils.course_pages.reading_minutes): update its Time line and the course map")
        row = next(line for line in readme.splitlines() if line.startswith(f"| [`{notebook.name}`]"))
        assert f"| {estimate['lesson']} min (+{estimate['exercises']} exercises) |" in row, (
            f"README course map, {notebook.name}: write {estimate['lesson']} min (+{estimate['exercises']} exercises)")
