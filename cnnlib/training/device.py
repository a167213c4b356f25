"""Device and numeric precision choice."""

from __future__ import annotations

import contextlib
import functools
import platform
import warnings
from dataclasses import dataclass

import torch

from ..errors import UnknownNameError
from ..text import tr


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Return the torch device for ``device``: "auto" picks cuda, then mps, then cpu."""
    if isinstance(device, torch.device):
        return device
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError):
        raise UnknownNameError(tr("error.unknown_device", value=device)) from None
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available(),
    }
    if resolved.type not in available:
        raise UnknownNameError(tr("error.unknown_device", value=device))
    if not available[resolved.type]:
        raise ValueError(tr("error.device_unavailable", value=device))
    return resolved


@functools.lru_cache(maxsize=1)
def cpu_has_native_bf16() -> bool:
    """Return True when the CPU has bfloat16 instructions (AVX512-BF16 or AMX on x86, BF16 on Arm)."""
    machine = platform.machine().lower()
    if platform.system() == "Linux":
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
                flags = cpuinfo.read()
        except OSError:
            return False
        if machine in ("x86_64", "amd64"):
            return "avx512_bf16" in flags or "amx_bf16" in flags
        return " bf16" in flags  # aarch64 lists the feature as "bf16"
    if platform.system() == "Darwin" and machine == "arm64":
        return False  # NOTE: Apple M2+ has BF16, but torch's CPU autocast does not use it fast.
    return False


@dataclass(frozen=True)
class Precision:
    """A resolved numeric precision: its name and the autocast dtype (None for float32)."""

    name: str
    autocast_dtype: torch.dtype | None
    needs_grad_scaler: bool = False

    def autocast(self, device: torch.device):
        """Return the autocast context for this precision on ``device``."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=device.type, dtype=self.autocast_dtype)


FP32 = Precision("fp32", None)
BF16 = Precision("bf16", torch.bfloat16)
FP16 = Precision("fp16", torch.float16, needs_grad_scaler=True)


def resolve_precision(precision: str, device: torch.device) -> Precision:
    """Choose the precision to train in; "auto" takes the fastest one that is safe on ``device``."""
    if precision == "fp32":
        return FP32
    if device.type == "cuda":
        if precision == "auto":
            return BF16 if torch.cuda.is_bf16_supported() else FP16
        return BF16 if precision == "bf16" else FP16
    if device.type == "cpu":
        if precision == "auto":
            if cpu_has_native_bf16():
                return BF16
            warnings.warn(
                tr("warning.precision_fallback", reason=tr("warning.no_native_bf16")), stacklevel=3
            )
            return FP32
        if precision == "bf16":
            if not cpu_has_native_bf16():
                warnings.warn(tr("warning.slow_bf16"), stacklevel=3)
            return BF16
        # fp16 autocast on CPU is slow and poorly supported; float32 is the honest choice.
        warnings.warn(tr("warning.precision_fallback", reason="fp16 @ cpu"), stacklevel=3)
        return FP32
    # mps and other backends: float32 (autocast support there varies by torch version).
    if precision != "auto":
        warnings.warn(tr("warning.precision_fallback", reason=f"{precision} @ {device.type}"), stacklevel=3)
    return FP32


def synchronize(device: torch.device) -> None:
    """Wait for queued kernels on ``device`` so a clock read measures finished work."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()
