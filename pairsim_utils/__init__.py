"""pairsim_utils: the computing side of the pairsim notebook course.

Notebooks narrate; this package computes. Importing it changes no global state: call
:func:`pairsim_utils.reproducibility.setup_notebook` (or :func:`set_seed`) explicitly.
"""

from __future__ import annotations

__version__ = "0.1.0"
