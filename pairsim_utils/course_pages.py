"""The course as HTML pages that work offline: every notebook exported with working links, math and figures.

Each page is an nbconvert export (the ``course`` template in ``templates/``, JupyterLab's look with no
script fetched from the network). Before export, :class:`CourseLinks` rewrites each markdown cell:

- links to another notebook (``04_loss_curves.ipynb``) point to its page, the course-map link to the
  contents page, and other relative links (the README, data cards) to the files themselves;
- formulas (``$…$``, ``$$…$$``) become MathML (``latex2mathml``), which browsers draw without MathJax.

:func:`contents_page` writes the course's front page: each notebook's objectives and time, as its own
first cell states them.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

from pairsim_utils.paths import NOTEBOOKS_DIR

TEMPLATES_DIR = Path(__file__).parent / "templates"
COURSE_MAP_LINK = "../README.md#course-map"
"""How the notebooks link to the course map; on the pages it leads to the contents page."""

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![$\w])")


def mathml(source: str) -> str:
    """Markdown with its ``$$…$$`` (display) and ``$…$`` (inline) formulas replaced by MathML."""
    from latex2mathml.converter import convert

    source = _DISPLAY_MATH.sub(lambda match: "\n\n" + convert(match.group(1).strip(), display="block") + "\n\n",
                               source)
    return _INLINE_MATH.sub(lambda match: convert(match.group(1)), source)


def page_link(target: str, page_dir: Path, pages_dir: Path, source_dir: Path = NOTEBOOKS_DIR) -> str:
    """Where a notebook's markdown link should lead from its page.

    Args:
        target: The link as written in the notebook (relative to ``source_dir``).
        page_dir: The folder of the page being written.
        pages_dir: The folder of the notebooks' pages.
        source_dir: The folder of the notebooks, which their links are relative to.

    Returns:
        The link for the page: unchanged when absolute or an anchor.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
        return target
    if target == COURSE_MAP_LINK:
        return Path(os.path.relpath(pages_dir.parent / "course.html", page_dir)).as_posix()
    path, _, anchor = target.partition("#")
    if re.fullmatch(r"\d\d_\w+\.ipynb", path):
        resolved = pages_dir / f"{path.removesuffix('.ipynb')}.html"
    else:
        resolved = source_dir / path
    return Path(os.path.relpath(resolved, page_dir)).as_posix() + (f"#{anchor}" if anchor else "")


class CourseLinks(Preprocessor):
    """nbconvert preprocessor: working links (:func:`page_link`) and MathML (:func:`mathml`) in markdown cells."""

    page_dir = Unicode(help="folder of the page being written").tag(config=True)
    pages_dir = Unicode(help="folder of the notebooks' pages").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        """Rewrite one markdown cell; other cells pass unchanged."""
        if cell.cell_type == "markdown":
            page_dir, pages_dir = Path(self.page_dir), Path(self.pages_dir)
            linked = _LINK.sub(lambda match: f"]({page_link(match.group(1), page_dir, pages_dir)})", cell.source)
            cell.source = mathml(linked)
        return cell, resources


def export_html(executed: Path, page: Path, hide_code: bool = False, pages_dir: Path | None = None) -> Path:
    """Export an executed notebook to a standalone HTML page: figures embedded, nothing fetched online.

    Args:
        executed: An executed notebook.
        page: The HTML file to write.
        hide_code: Drop cells tagged ``remove-cell`` (and papermill's ``injected-parameters``) and the
            code of cells tagged ``hide-input`` (nbconvert's TagRemovePreprocessor), and the In/Out
            prompts: the stakeholder view.
        pages_dir: The folder of the notebooks' pages, for links between them (default: the page's).

    Returns:
        The HTML file.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            embed_images=True, exclude_input_prompt=hide_code, exclude_output_prompt=hide_code)
    exporter.register_preprocessor(CourseLinks(page_dir=str(page.parent), pages_dir=str(pages_dir or page.parent)),
                                   enabled=True)
    if hide_code:
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell", "injected-parameters"},
                                                             remove_input_tags={"hide-input"}), enabled=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    return page


WORDS_PER_MINUTE = 150
"""Reading speed for the time estimates: a careful first read of technical prose (general prose is read at
200-250 words a minute)."""
MINUTES_PER_CODE_CELL = 0.5
"""Time to read a code cell and its output, for the estimates."""
_EXERCISE_HEADINGS = ("## Exercises", "## Questionnaire", "## Further reading")


def reading_minutes(cells: list[dict]) -> dict[str, float]:
    """Estimate a notebook's reading time from its words and code cells; an estimate, not a timing.

    Args:
        cells: The notebook's cells (``nbformat`` JSON).

    Returns:
        ``lesson``: minutes to read the lesson (prose at :data:`WORDS_PER_MINUTE`, plus
        :data:`MINUTES_PER_CODE_CELL` per code cell); ``exercises``: minutes to read the exercises,
        their answers and the questionnaire, not to do them.
    """
    lesson_words = exercise_words = code_cells = 0
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            code_cells += "remove-cell" not in cell.get("metadata", {}).get("tags", [])
            continue
        starts = [text.find(heading) for heading in _EXERCISE_HEADINGS if heading in text]
        split = min(starts) if starts else len(text)
        lesson_words += len(re.findall(r"\w+", text[:split]))
        exercise_words += len(re.findall(r"\w+", text[split:]))
    return {"lesson": lesson_words / WORDS_PER_MINUTE + code_cells * MINUTES_PER_CODE_CELL,
            "exercises": exercise_words / WORDS_PER_MINUTE}


def rounded_minutes(minutes: float) -> int:
    """An estimate as a notebook states it: to the nearest 5 minutes, at least 5."""
    return max(5, 5 * round(minutes / 5))


def lesson_outline(first_cell: str) -> dict[str, str]:
    """A notebook's title, objectives and time, as its first markdown cell states them.

    Returns:
        ``title``, ``objectives`` (the "You will learn" list, Markdown) and ``time`` (the "Time:" text);
        empty strings for what the cell does not state.
    """
    lines = first_cell.splitlines()
    title = next((line.lstrip("# ").strip() for line in lines if line.startswith("# ")), "")
    objectives: list[str] = []
    if "**You will learn**" in lines:
        for line in lines[lines.index("**You will learn**") + 1:]:
            if not line.strip():
                break
            objectives.append(line)
    time = re.search(r"\*\*Time:\*\*\s*([^\n]+)", first_cell)
    return {"title": title, "objectives": "\n".join(objectives), "time": time.group(1).strip() if time else ""}


CONTENTS_STYLE = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
                  "line-height:1.5;color:#222}h2{margin-bottom:.2rem}.time{color:#555;font-size:.95rem}"
                  "li{margin:.15rem 0}.lesson{border-top:1px solid #ddd;padding:.5rem 0}")


def contents_page(pages: list[Path], target: Path, data_name: str = "") -> Path:
    """Write the course's contents page: each notebook's title, objectives and time, linked to its page.

    Args:
        pages: HTML pages of the executed notebooks, in course order.
        target: The contents page to write (e.g. ``reports/course.html``).
        data_name: The data the notebooks ran on, when it is not the shipped concept pairs.

    Returns:
        The contents page.
    """
    from nbconvert.filters.markdown import markdown2html

    sections = []
    for page in pages:
        executed = page.parent.parent / "notebooks" / f"{page.stem}.ipynb"
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"] if executed.is_file() else []
        outline = lesson_outline("".join(cells[0]["source"]) if cells else "")
        link = page.relative_to(target.parent).as_posix()
        time = f'<p class="time">Time: {html.escape(outline["time"])}</p>' if outline["time"] else ""
        objectives = markdown2html(outline["objectives"]) if outline["objectives"] else ""
        sections.append(f'<section class="lesson"><h2><a href="{link}">{html.escape(outline["title"] or page.stem)}'
                        f'</a></h2>{time}{objectives}</section>')
    on = f" on {html.escape(data_name)}" if data_name else ""
    findings = target.parent / "findings.html"
    report = (f'<p>For readers who do not read code: <a href="{findings.name}">the findings</a>.</p>'
              if findings.is_file() else "")
    target.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>pairsim course{on}'
                      f"</title><style>{CONTENTS_STYLE}</style></head><body><h1>pairsim: the course{on}</h1>"
                      f"<p>Every notebook, executed on this machine, in the order to read them. Each page links "
                      f"to the previous and next one and back here.</p>{report}{''.join(sections)}</body></html>\n",
                      encoding="utf-8")
    return target
