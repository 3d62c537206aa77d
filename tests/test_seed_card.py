from __future__ import annotations

from pairsim_utils.seed_card import load_seed_card


def test_training_logs_are_the_cards_three_points():
    logs = load_seed_card().training_logs
    assert logs["step"].tolist() == [500, 1000, 1500]
    assert logs["training_loss"].tolist() == [0.2557, 0.205, 0.179]
    assert logs["epoch"].iloc[0] == 1.5576


def test_data_statistics_table():
    stats = load_seed_card().data_statistics
    assert stats.loc["sentence_0"].tolist() == [3.0, 3.37, 8.0]
    assert stats.loc["sentence_1"].tolist() == [3.0, 3.82, 8.0]
    assert stats.loc["label"].tolist() == [0.0, 0.48, 1.0]


def test_widget_and_architecture():
    card = load_seed_card()
    assert card.widget["Drought"] == ["Cordless Drill", "Plastic", "Scarcity"]
    assert card.widget_phrases[:5] == ["Hydraulic Jack", "Acid", "Drought", "Stress", "Barren Planet"]
    assert len(card.widget_phrases) == len(set(card.widget_phrases)) == 20
    assert card.architecture.startswith("SentenceTransformer(") and "Normalize()" in card.architecture
    assert card.hyperparameters["multi_dataset_batch_sampler"] == "round_robin"
    assert card.hyperparameters["mp_parameters"] == ""


def test_markdown_headings_skip_code_and_comments():
    from pairsim_utils.seed_card import markdown_headings

    text = "# Title\n## Part\n```\n# not a heading\n```\n<!--\n### hidden\n-->\n### Sub\n"
    assert markdown_headings(text) == ["Title", "Part", "  Sub"]
    from pairsim_utils.paths import SEED_CARD

    headings = markdown_headings(SEED_CARD.read_text(encoding="utf-8"))
    assert "Training Details" in headings and "  Training Logs" in headings
