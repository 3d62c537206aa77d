"""Weight interpolation (pairsim_utils.interpolation): exact ends, a true midpoint, refusals, the sweep."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import torch

from pairsim_utils.interpolation import ALPHAS, alpha_grid, alpha_sweep, interpolate_state, interpolated_model

PAIRS = pd.DataFrame({"sentence_0": ["Wood", "Ice", "Acid", "Stress"],
                      "sentence_1": ["Sandpaper", "Steam", "Paper Lantern", "Cinder"],
                      "label": [1.0, 1.0, 0.0, 0.0]})


def _shifted(model, amount: float):
    """A copy of ``model`` with every floating-point weight moved by ``amount``: a stand-in for fine-tuning."""
    other = copy.deepcopy(model)
    with torch.no_grad():
        for parameter in other.parameters():
            parameter.add_(amount)
    return other


def test_ends_are_the_two_models_and_the_middle_is_the_mean():
    base = {"w": torch.tensor([0.0, 2.0]), "ids": torch.tensor([0, 1])}
    tuned = {"w": torch.tensor([1.0, 4.0]), "ids": torch.tensor([0, 1])}
    assert torch.equal(interpolate_state(base, tuned, 0.0)["w"], base["w"])
    assert torch.equal(interpolate_state(base, tuned, 1.0)["w"], tuned["w"])
    assert torch.equal(interpolate_state(base, tuned, 0.5)["w"], torch.tensor([0.5, 3.0]))
    assert torch.equal(interpolate_state(base, tuned, 0.5)["ids"], tuned["ids"])


def test_models_that_do_not_match_are_refused():
    with pytest.raises(ValueError, match="differ in name: extra"):
        interpolate_state({"w": torch.zeros(2)}, {"w": torch.zeros(2), "extra": torch.zeros(1)}, 0.5)
    with pytest.raises(ValueError, match=r"w has shape \(2,\) in one model and \(3,\)"):
        interpolate_state({"w": torch.zeros(2)}, {"w": torch.zeros(3)}, 0.5)
    with pytest.raises(ValueError, match="alpha must lie in"):
        interpolate_state({"w": torch.zeros(2)}, {"w": torch.zeros(2)}, 1.5)


def test_interpolated_model_leaves_both_models_alone(base_model):
    tuned = _shifted(base_model, 0.01)
    before = {name: tensor.clone() for name, tensor in tuned.state_dict().items()}
    middle = interpolated_model(base_model, tuned, 0.5)
    name, weight = next((n, t) for n, t in middle.state_dict().items() if t.is_floating_point())
    assert torch.allclose(weight, base_model.state_dict()[name] + 0.005, atol=1e-6)
    assert all(torch.equal(tensor, before[n]) for n, tensor in tuned.state_dict().items())


def test_sweep_starts_at_the_base_model_and_ends_at_the_tuned_one(base_model, tmp_path):
    from scipy.stats import spearmanr

    from pairsim_utils.embeddings import EmbeddingCache

    tuned = _shifted(base_model, 0.002)
    sweep = alpha_sweep(base_model, tuned, {"tiny": PAIRS}, alphas=(0.0, 1.0), cache_dir=tmp_path)
    for alpha, model in ((0.0, base_model), (1.0, tuned)):
        expected = spearmanr(EmbeddingCache(model, tmp_path / "check").score(PAIRS), PAIRS["label"]).statistic
        assert sweep.loc[alpha, "tiny"] == pytest.approx(expected)
    assert len(ALPHAS) == 11 and ALPHAS[0] == 0.0 and ALPHAS[-1] == 1.0


def test_alpha_grid_spans_zero_to_one_and_refuses_a_step_that_does_not_divide_it():
    assert alpha_grid(0.5) == (0.0, 0.5, 1.0)
    assert alpha_grid(0.25) == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert alpha_grid(0.1)[3] == 0.3  # rounded, so that 0.3 can index a table (3 * 0.1 is 0.30000000000000004)
    for step in (0.3, 0.0, -0.5, 1.5):
        with pytest.raises(ValueError, match="alpha_step"):
            alpha_grid(step)
