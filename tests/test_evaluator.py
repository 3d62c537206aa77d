"""The dev evaluator (pairsim_utils.evaluator) against the library's evaluator and the Trainer's own dev loss."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

from pairsim_utils.metrics import similarity_evaluator

# "Wood" appears twice: the evaluator must encode it once.
PAIRS = pd.DataFrame({"sentence_0": ["Wood", "Ice", "Wood", "Stress"],
                      "sentence_1": ["Sandpaper", "Steam", "Paper Lantern", "Cinder"],
                      "label": [1.0, 1.0, 0.0, 0.0]})


def test_correlations_match_the_library_evaluator(base_model):
    from sentence_transformers.sentence_transformer.evaluation import EmbeddingSimilarityEvaluator

    ours = similarity_evaluator(PAIRS, "dev")(base_model)
    library = EmbeddingSimilarityEvaluator(PAIRS["sentence_0"].tolist(), PAIRS["sentence_1"].tolist(),
                                           PAIRS["label"].tolist(), similarity_fn_names=["cosine"], name="dev",
                                           show_progress_bar=False)(base_model)
    for key in ("dev_spearman_cosine", "dev_pearson_cosine"):
        assert ours[key] == pytest.approx(library[key], abs=1e-6)
    assert "loss" not in ours


def test_each_distinct_phrase_is_encoded_once(base_model, monkeypatch):
    encoded: list[str] = []
    original = base_model.encode

    def counting_encode(sentences, **kwargs):
        encoded.extend(sentences)
        return original(sentences, **kwargs)

    monkeypatch.setattr(base_model, "encode", counting_encode)
    similarity_evaluator(PAIRS, "dev", loss_function=torch.nn.MSELoss())(base_model)
    distinct = set(PAIRS["sentence_0"]) | set(PAIRS["sentence_1"])
    assert sorted(encoded) == sorted(distinct)


@pytest.mark.parametrize("loss_function", [torch.nn.MSELoss(), torch.nn.L1Loss()], ids=["mse", "l1"])
def test_loss_equals_the_trainers_second_pass(base_model, tmp_path, loss_function):
    from datasets import Dataset
    from sentence_transformers import SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss

    args = SentenceTransformerTrainingArguments(output_dir=str(tmp_path), per_device_eval_batch_size=3,
                                                report_to="none", disable_tqdm=True, use_cpu=True)
    trainer = SentenceTransformerTrainer(model=base_model, args=args, eval_dataset=Dataset.from_pandas(PAIRS),
                                         loss=CosineSimilarityLoss(base_model, loss_fct=loss_function))
    second_pass = trainer.evaluate()["eval_loss"]
    ours = similarity_evaluator(PAIRS, "dev", loss_function=loss_function)(base_model)["loss"]
    assert ours == pytest.approx(second_pass, abs=1e-6)
