"""The one helper every plot shares."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Return ``ax``, or the Axes of a new figure of ``figsize`` when it is ``None``."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax
