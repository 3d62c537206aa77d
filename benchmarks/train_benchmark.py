"""Benchmark: the project's training path against a plain sentence-transformers script.

All variants train the seed configuration (1,605 steps) on the same data, each in a fresh subprocess,
so that its peak memory is its own, in the order A B C, C B A… so that drift of the machine affects
all alike:

- ``pairsim``: the project's path, in the environment this script was started in (under ``make
  benchmark``, the Makefile's, with its ``GLIBC_TUNABLES``);
- ``plain``: the plain script in the same environment, so that ``pairsim / plain`` is the cost of
  the project's code alone;
- ``plain-default-malloc``: the plain script as a user would run it, without ``GLIBC_TUNABLES``.

Also times one AdamW step, fused against unfused, and a bare training loop with glibc's default
malloc against the Makefile's tunables (milliseconds and page faults per step, and whether the
weights are the same).

Usage::

    make benchmark                                       # 2 rounds of the three variants (~25 to 50 min on 2 CPU cores)
    make benchmark ARGS="--rounds 1"
    make benchmark ARGS=--optimizer-only                 # the AdamW step and the allocator probe only

This prints figures; it asserts nothing. Record results in benchmarks/README.md with the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def plain_script(run_dir: Path, data_dir: Path, model_source: str) -> dict:
    """What a user would write with sentence-transformers alone, with the seed card's settings."""
    import pandas as pd
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss

    train = Dataset.from_pandas(pd.read_csv(data_dir / "train.csv")[["sentence_0", "sentence_1", "label"]])
    model = SentenceTransformer(model_source, local_files_only=True)
    args = SentenceTransformerTrainingArguments(
        output_dir=str(run_dir), num_train_epochs=5, per_device_train_batch_size=10,
        per_device_eval_batch_size=10, learning_rate=5e-5, seed=42, report_to="none", disable_tqdm=True)
    trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=train,
                                         loss=CosineSimilarityLoss(model))
    started = time.perf_counter()
    trainer.train()
    model.save(str(run_dir / "final"))
    return {"train_seconds": time.perf_counter() - started, "steps": trainer.state.global_step}


def project_path(run_dir: Path, data_dir: Path) -> dict:
    """The project's path: ``ensure_trained`` with the seed configuration."""
    from pairsim_utils.config import SEED_CONFIG
    from pairsim_utils.runs import ensure_trained, load_run

    started = time.perf_counter()
    ensure_trained(SEED_CONFIG, run_dir.name, data_dir, runs_dir=run_dir.parent, force=True)
    run = load_run(run_dir)
    return {"train_seconds": run.environment["wall_seconds"], "steps": run.environment["steps"],
            "extra_seconds": time.perf_counter() - started - run.environment["wall_seconds"]}


def run_variant(variant: str, data_dir: Path, model_source: str) -> dict:
    """Run one variant in this process and return its figures (called in a subprocess)."""
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    go_offline()
    quiet_progress_bars()
    with tempfile.TemporaryDirectory() as scratch:
        run_dir = Path(scratch) / "bench"
        started = time.perf_counter()
        figures = (project_path(run_dir, data_dir) if variant == "pairsim"
                   else plain_script(run_dir, data_dir, model_source))
        figures["total_seconds"] = time.perf_counter() - started
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["variant"] = variant
    return figures


def optimizer_step_times(repeats: int = 30) -> dict[str, float]:
    """Median milliseconds of one AdamW step on all-MiniLM-L6-v2's parameters, by implementation."""
    import torch

    from pairsim_utils.model import load_base_model

    model = load_base_model(device="cpu")
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad = torch.randn_like(p) * 1e-3
    results = {}
    for name, options in (("fused", {"fused": True}), ("foreach", {"foreach": True}),
                          ("unfused (for-loop)", {"foreach": False})):
        optimizer = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.0, **options)
        times = []
        for _ in range(repeats + 3):
            started = time.perf_counter()
            optimizer.step()
            times.append(time.perf_counter() - started)
        results[name] = 1000 * statistics.median(times[3:])
    return results


def bare_loop(data_dir: Path, steps: int = 80, warmup: int = 10) -> dict:
    """A bare seed training loop (batch 10, fused AdamW, clipping): ms and minor page faults per step.

    Returns:
        Medians over the steps after ``warmup``, and a hash of the final weights.
    """
    import pandas as pd
    import torch
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss

    from pairsim_utils.model import load_base_model

    torch.manual_seed(42)
    model = load_base_model(device="cpu")
    loss = CosineSimilarityLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, fused=True)
    train = pd.read_csv(data_dir / "train.csv")
    model.train()
    times, faults = [], []
    for step in range(steps):
        rows = train.iloc[step * 10:(step + 1) * 10]
        faults_before, started = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.perf_counter()
        features = [model.tokenize(list(rows[column])) for column in ("sentence_0", "sentence_1")]
        loss(features, torch.tensor(rows["label"].to_numpy(), dtype=torch.float32)).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        model.zero_grad()
        times.append(time.perf_counter() - started)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before)
    weights = hashlib.sha256(b"".join(p.detach().numpy().tobytes() for p in model.parameters())).hexdigest()
    return {"ms_per_step": 1000 * statistics.median(times[warmup:]),
            "faults_per_step": statistics.median(faults[warmup:]), "weights": weights[:16]}


VARIANTS = {"pairsim": ("pairsim", True), "plain": ("plain", True), "plain-default-malloc": ("plain", False)}
"""Benchmark variant -> (training path, whether it keeps this process's ``GLIBC_TUNABLES``)."""


def in_subprocess(flag: str, value: str, data_dir: Path, keep_tunables: bool) -> dict:
    """Run this script with ``flag value`` in a fresh interpreter and return the figures it prints."""
    environment = {k: v for k, v in os.environ.items() if keep_tunables or k != "GLIBC_TUNABLES"}
    output = subprocess.run([sys.executable, __file__, flag, value, "--data-dir", str(data_dir)], env=environment,
                            capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout
    return json.loads(output.split("RESULT ", 1)[1])


def allocator_probe(data_dir: Path, rounds: int = 2) -> None:
    """Print the bare loop's figures with glibc's default malloc and with this process's tunables."""
    if "GLIBC_TUNABLES" not in os.environ:
        print("allocator probe skipped: GLIBC_TUNABLES is not set (run under make benchmark)")
        return
    for round_index in range(rounds):
        for keep in (False, True) if round_index % 2 == 0 else (True, False):
            figures = in_subprocess("--bare-loop", "80", data_dir, keep)
            label = "Makefile tunables" if keep else "default malloc"
            print(f"bare loop, {label:>17}: {figures['ms_per_step']:.1f} ms/step, "
                  f"{figures['faults_per_step']:,.0f} page faults/step, weights {figures['weights']}", flush=True)


def main() -> int:
    """Alternate the variants, then print wall times, s/step, peak memory and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data" / "concept_pairs")
    parser.add_argument("--optimizer-only", action="store_true")
    parser.add_argument("--variant", choices=["pairsim", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--bare-loop", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from pairsim_utils.model import base_model_path
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    go_offline()
    quiet_progress_bars()
    if args.variant:
        print("RESULT " + json.dumps(run_variant(args.variant, args.data_dir, str(base_model_path()))))
        return 0
    if args.bare_loop:
        print("RESULT " + json.dumps(bare_loop(args.data_dir, args.bare_loop)))
        return 0
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
          f"CUDA: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}; "
          f"GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', '(not set)')}")
    print("AdamW step (ms, median):", {k: round(v, 1) for k, v in optimizer_step_times().items()})
    allocator_probe(args.data_dir)
    if args.optimizer_only:
        return 0
    variants = list(VARIANTS) if "GLIBC_TUNABLES" in os.environ else ["pairsim", "plain"]
    results: dict[str, list[dict]] = {variant: [] for variant in variants}
    for round_index in range(args.rounds):
        for variant in variants if round_index % 2 == 0 else variants[::-1]:
            path, keep = VARIANTS[variant]
            figures = in_subprocess("--variant", path, args.data_dir, keep)
            results[variant].append(figures)
            print(f"round {round_index + 1} {variant:>20}: train {figures['train_seconds']:.1f} s, "
                  f"total {figures['total_seconds']:.1f} s, {figures['train_seconds'] / figures['steps']:.3f} s/step, "
                  f"peak RSS {figures['peak_rss_mb']:.0f} MB", flush=True)
    summary = {variant: {key: statistics.mean(r[key] for r in runs)
                         for key in ("train_seconds", "total_seconds", "peak_rss_mb")}
               for variant, runs in results.items()}
    for variant, figures in summary.items():
        print(f"mean {variant:>20}: train {figures['train_seconds']:.1f} s, total {figures['total_seconds']:.1f} s, "
              f"{figures['train_seconds'] / 1605:.3f} s/step, peak RSS {figures['peak_rss_mb']:.0f} MB")
    for baseline in variants[1:]:
        print(f"ratio pairsim / {baseline}: training loop "
              f"{summary['pairsim']['train_seconds'] / summary[baseline]['train_seconds']:.3f}, end to end "
              f"{summary['pairsim']['total_seconds'] / summary[baseline]['total_seconds']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
