"""Where training runs: the device, its precision, and how long a step is expected to take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import torch

SECONDS_PER_STEP = {"cpu": 0.3, "cuda": 0.02, "mps": 0.05}
"""Rough seconds per training step of the seed configuration, only to tell the person waiting what to
expect. CPU: this project's 2-core machines measured 0.17 to 0.34 depending on the day, and 0.27 to 0.33
on most days of November 2026; 0.13 to 0.14 on a fast day with the Makefile's ``GLIBC_TUNABLES``, which
saves about a tenth (benchmarks/README.md). An estimate that errs long is the kinder one.
CUDA and MPS: estimates, not measured here."""


@dataclass(frozen=True)
class DeviceChoice:
    """Where training runs and in which precision.

    Attributes:
        device: ``"cuda"``, ``"mps"`` or ``"cpu"``.
        precision: ``"bf16"``, ``"fp16"`` (mixed precision on CUDA) or ``"fp32"``.
        name: Human-readable description (GPU model or thread count).
    """

    device: str
    precision: str
    name: str


def select_device(preference: str = "auto") -> DeviceChoice:
    """Pick the device: CUDA (bf16 where supported, else fp16) → Apple MPS → CPU.

    Args:
        preference: ``"auto"``, or ``"cuda"``, ``"mps"``, ``"cpu"`` to force one.

    Returns:
        The choice.

    Raises:
        ValueError: For an unknown or unavailable device.
    """
    available = {"cuda": torch.cuda.is_available(),
                 "mps": bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available(),
                 "cpu": True}
    if preference not in ("auto", *available):
        raise ValueError(f"device must be auto, cuda, mps or cpu, not {preference!r}")
    device = next(d for d in available if available[d]) if preference == "auto" else preference
    if not available[device]:
        raise ValueError(f"device {device!r} was asked for but is not available here")
    if device == "cuda":
        # Emulated bf16 (e.g. on a T4) is slower than fp16: only native support counts.
        precision = "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"
        return DeviceChoice("cuda", precision, torch.cuda.get_device_name(0))
    if device == "mps":
        return DeviceChoice("mps", "fp32", "Apple MPS")
    threads = torch.get_num_threads()
    return DeviceChoice("cpu", "fp32", f"CPU, {threads} thread{'' if threads == 1 else 's'}")


class PrecisionFlags(TypedDict):
    """The Trainer's two mixed-precision switches."""

    bf16: bool
    fp16: bool


def precision_flags(choice: DeviceChoice) -> PrecisionFlags:
    """The Trainer's mixed-precision switches for a device choice (autocast; weights stay fp32)."""
    return {"bf16": choice.precision == "bf16", "fp16": choice.precision == "fp16"}
