"""Read the figures of the seed model card (``data/seed_card/model_card.md``).

The card is the project's reference: notebooks compare against the numbers parsed here, so
none of them is typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pairsim_utils.paths import SEED_CARD


@dataclass(frozen=True)
class SeedCard:
    """What the notebooks use from the seed card.

    Attributes:
        hyperparameters: ``All Hyperparameters`` as ``{name: value text}``.
        architecture: The printed ``Full Model Architecture`` block.
        training_logs: Table of epoch, step and training loss.
        data_statistics: Token and label statistics of the card's training data.
        widget: Source phrase -> candidate phrases, from the card's YAML header.
        loss_parameters: The loss' JSON parameters block, as text.
    """

    hyperparameters: dict[str, str]
    architecture: str
    training_logs: pd.DataFrame
    data_statistics: pd.DataFrame
    widget: dict[str, list[str]]
    loss_parameters: str

    @property
    def widget_phrases(self) -> list[str]:
        """Every phrase of the widget, sources first, without repeats."""
        phrases = list(self.widget)
        for candidates in self.widget.values():
            phrases += [phrase for phrase in candidates if phrase not in phrases]
        return phrases


def load_seed_card(path: Path | str = SEED_CARD) -> SeedCard:
    """Parse the seed card.

    Args:
        path: The card's Markdown file.

    Returns:
        The parsed figures.
    """
    text = Path(path).read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---")[1])
    widget = {item["source_sentence"]: list(item["sentences"]) for item in header["widget"]}
    hyperparameters = dict(re.findall(r"^- `(\w+)`: ?(.*)$", _section(text, "#### All Hyperparameters"),
                                      flags=re.MULTILINE))
    architecture = re.search(r"### Full Model Architecture\s+```\n(.*?)```", text, re.DOTALL)
    loss_parameters = re.search(r"with these parameters:\s+```json\n(.*?)```", text, re.DOTALL)
    return SeedCard(
        hyperparameters=hyperparameters,
        architecture=architecture.group(1).rstrip() if architecture else "",
        training_logs=_training_logs(_section(text, "### Training Logs")),
        data_statistics=_data_statistics(text),
        widget=widget,
        loss_parameters=loss_parameters.group(1).strip() if loss_parameters else "",
    )


def _section(text: str, heading: str) -> str:
    start = text.index(heading) + len(heading)
    level = heading.split(" ")[0]
    following = re.search(rf"^#{{1,{len(level)}}} ", text[start:], flags=re.MULTILINE)
    return text[start:start + following.start()] if following else text[start:]


def _markdown_rows(block: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in block.splitlines() if line.strip().startswith("|")]
    return [row for row in rows if not all(set(cell) <= set(":-") for cell in row)]


def _training_logs(block: str) -> pd.DataFrame:
    header, *rows = _markdown_rows(block)
    logs = pd.DataFrame(rows, columns=[name.lower().replace(" ", "_") for name in header])
    return logs.astype({"epoch": float, "step": int, "training_loss": float})


def _data_statistics(text: str) -> pd.DataFrame:
    """The card's ``details`` row: min / mean / max of tokens per column and of the label."""
    details = next(row for row in _markdown_rows(_section(text, "#### Unnamed Dataset"))
                   if row[0] == "details")
    records = {}
    for column, cell in zip(("sentence_0", "sentence_1", "label"), details[1:], strict=True):
        values = dict(re.findall(r"<li>(min|mean|max): ([\d.]+)", cell))
        records[column] = {stat: float(values[stat]) for stat in ("min", "mean", "max")}
    return pd.DataFrame(records).T.rename_axis("column")


def markdown_headings(text: str) -> list[str]:
    """The headings of a Markdown document (outside code blocks and HTML comments), indented by level.

    Args:
        text: Markdown, e.g. a model card.

    Returns:
        One string per heading, two spaces of indent per level below ``##``.
    """
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    headings = re.findall(r"^(#{1,6}) (.+)$", text, flags=re.MULTILINE)
    return ["  " * max(len(marks) - 2, 0) + title.strip() for marks, title in headings]
