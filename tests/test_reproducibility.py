from __future__ import annotations

import os
import random
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

from pairsim_utils.reproducibility import OFFLINE_ENVIRONMENT, go_offline, set_seed, setup_notebook


def test_set_seed_repeats_every_generator():
    set_seed(7)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(7)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


@pytest.mark.slow
def test_importing_the_package_changes_no_global_state():
    code = ("import os, logging, pkgutil, importlib, pairsim_utils; before = dict(os.environ); "
            "handlers = {name: list(logging.getLogger(name).handlers) for name in ('', 'pairsim_utils')}; "
            "modules = pkgutil.walk_packages(pairsim_utils.__path__, 'pairsim_utils.'); "
            "[importlib.import_module(m.name) for m in modules]; "
            "assert dict(os.environ) == before, set(os.environ) ^ set(before); "
            "assert {name: list(logging.getLogger(name).handlers) for name in handlers} == handlers")
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_go_offline_sets_but_does_not_override(monkeypatch):
    for name in OFFLINE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "true")
    go_offline()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TOKENIZERS_PARALLELISM"] == "true"


def test_setup_notebook_quiets_progress_bars(monkeypatch):
    import transformers

    monkeypatch.delenv("HF_HUB_DISABLE_PROGRESS_BARS", raising=False)
    with warnings.catch_warnings():  # huggingface_hub warns when an env var overrides the call
        warnings.simplefilter("ignore")
        transformers.utils.logging.enable_progress_bar()
    setup_notebook(seed=1)
    assert not transformers.utils.logging.is_progress_bar_enabled()
    assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1"
