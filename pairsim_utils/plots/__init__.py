"""Plot helpers. Each takes an optional ``ax`` and returns the Axes it drew on (so tests can check labels).

:mod:`~pairsim_utils.plots.data` draws the data and the model's parts, :mod:`~pairsim_utils.plots.training`
a run's log, :mod:`~pairsim_utils.plots.analysis` the error analysis, :mod:`~pairsim_utils.plots.experiments`
notebook 7's trade-offs; all are importable from here.
"""

from pairsim_utils.plots.analysis import (
    benchmark_bars,
    embedding_scatter,
    reliability_plot,
    residual_histogram,
    score_scatter,
    scores_by_grade,
    slice_gain_panels,
    slice_gains,
)
from pairsim_utils.plots.data import (
    count_heatmap,
    label_shares,
    length_histogram,
    overlap_shares,
    parameter_bars,
    relation_counts,
    similarity_heatmap,
)
from pairsim_utils.plots.experiments import alpha_curves, epoch_curves, tradeoff_plot
from pairsim_utils.plots.training import (
    epoch_metrics,
    gradient_norm_curve,
    learning_rate_curve,
    loss_curve,
)

__all__ = [
    "alpha_curves",
    "benchmark_bars",
    "count_heatmap",
    "embedding_scatter",
    "epoch_curves",
    "epoch_metrics",
    "gradient_norm_curve",
    "label_shares",
    "learning_rate_curve",
    "length_histogram",
    "loss_curve",
    "overlap_shares",
    "parameter_bars",
    "relation_counts",
    "reliability_plot",
    "residual_histogram",
    "score_scatter",
    "scores_by_grade",
    "similarity_heatmap",
    "slice_gain_panels",
    "slice_gains",
    "tradeoff_plot",
]
