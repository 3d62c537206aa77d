"""Benchmark: the project's training path against a plain sentence-transformers script.

Both train the seed configuration (1,605 steps) on the same data. Each run is a fresh subprocess,
so its peak memory is its own; the two variants alternate (A B A B …) so that drift of the machine
affects both alike. Also times one AdamW step, fused against unfused, on the real model.

Usage::

    python benchmarks/train_benchmark.py                 # 2 rounds of both variants (~30 min on 2 CPU cores)
    python benchmarks/train_benchmark.py --rounds 1
    python benchmarks/train_benchmark.py --optimizer-only

This prints figures; it asserts nothing. Record results in benchmarks/README.md with the machine.
"""

from __future__ import annotations

import argparse
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


def main() -> int:
    """Alternate the two variants, then print wall times, s/step, peak memory and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data" / "concept_pairs")
    parser.add_argument("--optimizer-only", action="store_true")
    parser.add_argument("--variant", choices=["pairsim", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    from pairsim_utils.model import base_model_path
    from pairsim_utils.reproducibility import go_offline, quiet_progress_bars

    go_offline()
    quiet_progress_bars()
    if args.variant:
        print("RESULT " + json.dumps(run_variant(args.variant, args.data_dir, str(base_model_path()))))
        return 0
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
          f"CUDA: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")
    print("AdamW step (ms, median):", {k: round(v, 1) for k, v in optimizer_step_times().items()})
    if args.optimizer_only:
        return 0
    results: dict[str, list[dict]] = {"pairsim": [], "plain": []}
    for round_index in range(args.rounds):
        order = ("pairsim", "plain") if round_index % 2 == 0 else ("plain", "pairsim")
        for variant in order:
            output = subprocess.run([sys.executable, __file__, "--variant", variant, "--data-dir", str(args.data_dir)],
                                    capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout
            figures = json.loads(output.split("RESULT ", 1)[1])
            results[variant].append(figures)
            print(f"round {round_index + 1} {variant:>8}: train {figures['train_seconds']:.1f} s, "
                  f"total {figures['total_seconds']:.1f} s, {figures['train_seconds'] / figures['steps']:.3f} s/step, "
                  f"peak RSS {figures['peak_rss_mb']:.0f} MB", flush=True)
    summary = {variant: {key: statistics.median(r[key] for r in runs)
                         for key in ("train_seconds", "total_seconds", "peak_rss_mb")}
               for variant, runs in results.items()}
    for variant, figures in summary.items():
        print(f"median {variant:>8}: train {figures['train_seconds']:.1f} s, total {figures['total_seconds']:.1f} s, "
              f"{figures['train_seconds'] / 1605:.3f} s/step, peak RSS {figures['peak_rss_mb']:.0f} MB")
    print(f"ratio pairsim / plain — training loop: "
          f"{summary['pairsim']['train_seconds'] / summary['plain']['train_seconds']:.3f}, "
          f"end to end: {summary['pairsim']['total_seconds'] / summary['plain']['total_seconds']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
