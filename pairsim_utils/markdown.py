"""Generated Markdown: tables rendered from frames, and blocks replaced between markers in a document."""

from __future__ import annotations

import pandas as pd


def markdown_table(frame: pd.DataFrame, index_name: str, right_aligned: int = 0) -> str:
    """Render a small frame as a Markdown table.

    Args:
        frame: Rows to show, already formatted as they should read; the index becomes the first column.
        index_name: The first column's header.
        right_aligned: How many of the last columns hold numbers (aligned right).

    Returns:
        The table, one line per row.
    """
    columns = [index_name, *map(str, frame.columns)]
    align = ["---"] * (len(columns) - right_aligned) + ["--:"] * right_aligned
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(map(str, [index, *row])) + " |" for index, row in frame.iterrows()]
    return "\n".join(lines)


def replace_block(text: str, name: str, body: str) -> str:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->``.

    Returns:
        The text, unchanged when it lacks the markers.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        return text
    head, rest = text.split(start, 1)
    return f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}"
