"""Explicit set-up for notebooks, scripts and tests: seeds, offline mode, quiet progress bars.

Nothing here runs on import; each notebook calls :func:`setup_notebook` in its first cell.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
"""Environment that keeps the Hugging Face libraries from reaching for the network."""


def set_seed(seed: int) -> None:
    """Seed Python's, NumPy's and torch's random generators (via ``transformers.set_seed``).

    Args:
        seed: The seed, e.g. ``TrainingConfig().seed``.
    """
    from transformers import set_seed as transformers_set_seed

    transformers_set_seed(seed)


def go_offline() -> None:
    """Make the Hugging Face libraries work from local files only, for this process."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def quiet_progress_bars() -> None:
    """Turn off the download, weight-loading and dataset progress bars, and info logging.

    Progress-bar debris would otherwise land in stored notebook outputs and logs.
    """
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    import datasets
    import huggingface_hub
    import transformers

    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()
    huggingface_hub.utils.disable_progress_bars()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)


STATUS_HANDLER = "pairsim-status"


def show_status_lines() -> None:
    """Print the suite's status lines (``pairsim_utils`` loggers at INFO: which run is reused or
    trained, and how long it took) to standard output, once, without touching other libraries' logs.

    Callers who want silence skip this, or set ``logging.getLogger("pairsim_utils")`` to WARNING.
    """
    logger = logging.getLogger("pairsim_utils")
    if not any(handler.get_name() == STATUS_HANDLER for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.set_name(STATUS_HANDLER)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def setup_notebook(seed: int | None = None, quiet: bool = True) -> None:
    """Everything a notebook's first cell needs: offline mode, status lines, seeds, quiet bars, plot style.

    Args:
        seed: Seed for :func:`set_seed`; ``None`` leaves the generators alone.
        quiet: Turn progress bars and library info logs off (tests and stored outputs need it).
    """
    go_offline()
    show_status_lines()
    if quiet:
        quiet_progress_bars()
        # Jupyter's own deprecation chatter is noise for learners, not a lesson.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="jupyter_client")
    if seed is not None:
        set_seed(seed)
    import pandas as pd
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid")
    pd.set_option("display.precision", 4)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
