from __future__ import annotations

import pytest

from pairsim_utils.training_log import epoch_boundaries, evaluation_curve, smoothed, training_curve, window_means


def synthetic_log(steps: int = 100, per_epoch: int = 25, every: int = 10) -> list[dict]:
    log = [{"loss": 1.0 / step, "grad_norm": 2.0, "learning_rate": 1e-4 * (1 - (step - 1) / steps),
            "epoch": step / per_epoch, "step": step} for step in range(every, steps + 1, every)]
    log += [{"eval_loss": 0.5 / epoch, "eval_dev_spearman_cosine": 0.1 * epoch, "eval_dev_pearson_cosine": 0.2,
             "epoch": float(epoch), "step": epoch * per_epoch} for epoch in range(1, steps // per_epoch + 1)]
    log.append({"train_runtime": 1.0, "step": steps, "epoch": steps / per_epoch})
    return log


def test_training_curve_keeps_only_loss_entries():
    curve = training_curve(synthetic_log())
    assert curve["step"].tolist() == list(range(10, 101, 10))
    assert curve.loc[20, "loss"] == pytest.approx(0.05)


def test_evaluation_curve():
    evaluation = evaluation_curve(synthetic_log())
    assert evaluation.index.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert evaluation.loc[2.0, "dev_spearman"] == pytest.approx(0.2) and evaluation.loc[4.0, "step"] == 100


def test_window_means_average_the_entries_inside_each_window():
    curve = training_curve(synthetic_log())
    means = window_means(curve, [50, 100], window=50)
    assert means[50] == pytest.approx(sum(1 / s for s in (10, 20, 30, 40, 50)) / 5)
    assert means[100] == pytest.approx(sum(1 / s for s in (60, 70, 80, 90, 100)) / 5)


def test_window_means_refuse_what_the_log_cannot_answer():
    curve = training_curve(synthetic_log())
    with pytest.raises(ValueError, match="not a multiple of the logging interval 10"):
        window_means(curve, [50], window=25)
    with pytest.raises(ValueError, match="does not cover steps 1-50"):
        window_means(curve.drop(index=30), [50], window=50)
    assert window_means(curve, [50, 100, 150], window=50).index.tolist() == [50, 100]  # 150: past the log


def test_smoothing_and_epoch_boundaries():
    curve = training_curve(synthetic_log())
    ema = smoothed(curve, span=3)
    assert ema.iloc[0] == curve["loss"].iloc[0] and ema.is_monotonic_decreasing
    assert epoch_boundaries(curve) == [25, 50, 75]
