"""The Makefile's ``GLIBC_TUNABLES``: glibc accepts every setting, and training gives the same weights with it.

It only changes how glibc's malloc keeps and maps memory (benchmarks/README.md, "Memory allocator"), so it
must leave every result unchanged; these tests fail if a setting is misspelt (glibc then ignores it
silently) or if some library's arithmetic came to depend on where its buffers lie.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pairsim_utils.paths import REPO_ROOT

LOADER = Path("/lib64/ld-linux-x86-64.so.2")


def makefile_tunables() -> str:
    """The value ``make`` exports (the one this process inherited when make started it)."""
    if "GLIBC_TUNABLES" in os.environ:
        return os.environ["GLIBC_TUNABLES"]
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    command = ["make", "-s", "--no-print-directory", "--eval", "print-tunables: ; @echo $$GLIBC_TUNABLES",
               "print-tunables"]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()


needs_glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is for glibc only")


@needs_glibc
@pytest.mark.skipif(not LOADER.exists(), reason="no x86-64 glibc loader to list its tunables")
def test_glibc_accepts_every_setting_of_the_makefile():
    tunables = makefile_tunables()
    settings = {name: int(value) for name, value in (item.split("=") for item in tunables.split(":"))}
    listed = subprocess.run([str(LOADER), "--list-tunables"], env={**os.environ, "GLIBC_TUNABLES": tunables},
                            capture_output=True, text=True, check=True).stdout
    lines = (line.partition(": ") for line in listed.splitlines())
    active = {name: int(value.split()[0], 0) for name, _, value in lines if name.startswith("glibc.malloc.")}
    assert {name: active.get(name) for name in settings} == settings


@needs_glibc
@pytest.mark.slow
def test_training_gives_the_same_weights_with_and_without_the_setting(tmp_path):
    without = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"} | {"OMP_NUM_THREADS": "1",
                                                                              "HF_HUB_OFFLINE": "1"}
    weights = {}
    for label, environment in (("default", without), ("makefile", without | {"GLIBC_TUNABLES": makefile_tunables()})):
        command = [sys.executable, "-m", "pairsim_utils.training", "--runs-dir", str(tmp_path), "--run-name", label,
                   "--device", "cpu", "--epochs", "1", "--train-rows", "40", "--eval-rows", "10"]
        result = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        weights[label] = (tmp_path / label / "model" / "model.safetensors").read_bytes()
    assert weights["default"] == weights["makefile"]
