"""Forward and backward time and memory of each custom layer against its autograd reference.

Both layers of a pair hold the same weights and get the same input and output
gradient. Times are medians over ``repeats`` after ``warmup`` untimed runs,
with device synchronisation around each timed call. The two layers alternate
within every repeat, so a slow spell of a shared machine hits both. Memory is
the bytes that autograd keeps for backward (counted through
``torch.autograd.graph.saved_tensors_hooks``, so it is exact and the same on
every run) and, on CUDA, the peak allocated during forward and backward.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence

import pandas as pd
import torch
from torch import nn

from .layers import LAYER_PAIRS
from .text import tr
from .training.device import resolve_device, synchronize

COLUMNS = (
    "layer", "input_shape", "device",
    "custom_forward_ms", "standard_forward_ms", "custom_backward_ms", "standard_backward_ms",
    "custom_saved_bytes", "standard_saved_bytes", "custom_peak_bytes", "standard_peak_bytes",
)

# Constructor call of each pair for inputs with ``channels`` channels.
_BUILDERS: dict[str, Callable[[type[nn.Module], int], nn.Module]] = {
    "ScaledConv2d": lambda cls, channels: cls(channels, channels, 3, padding=1),
    "Swish": lambda cls, channels: cls(channels),
    "SqueezeExcitation": lambda cls, channels: cls(channels, reduction=8),
    "SpatialAttention": lambda cls, channels: cls(7),
    "GeM": lambda cls, channels: cls(3.0),
}


def column_labels() -> dict[str, str]:
    """Return the displayed header of every column, in the current language."""
    return {column: tr(f"layer_bench.column.{column}") for column in COLUMNS}


def saved_tensor_bytes(module: nn.Module, x: torch.Tensor) -> int:
    """Return the bytes of the storages that autograd keeps for the backward of ``module(x)``.

    Each storage counts once, however many saved tensors view it; parameters
    and the input count too, because backward keeps them alive.
    """
    storages: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        module(x)
    return sum(storages.values())


def _peak_bytes(module: nn.Module, x: torch.Tensor, grad: torch.Tensor) -> float:
    """Peak CUDA memory allocated above the starting level during forward and backward; NaN elsewhere."""
    if x.device.type != "cuda":
        return math.nan
    # NOTE: no test covers this path, because the test suite runs on CPU only.
    module.zero_grad(set_to_none=True)
    synchronize(x.device)
    torch.cuda.reset_peak_memory_stats(x.device)
    start = torch.cuda.memory_allocated(x.device)
    module(x).backward(grad)
    synchronize(x.device)
    return float(torch.cuda.max_memory_allocated(x.device) - start)


def _timed_step(module: nn.Module, x: torch.Tensor, grad: torch.Tensor) -> tuple[float, float]:
    """Seconds of one forward and of one backward of ``module`` on a fresh leaf copy of ``x``."""
    module.zero_grad(set_to_none=True)
    leaf = x.detach().requires_grad_()
    synchronize(x.device)
    start = time.perf_counter()
    out = module(leaf)
    synchronize(x.device)
    middle = time.perf_counter()
    out.backward(grad)
    synchronize(x.device)
    return middle - start, time.perf_counter() - middle


def benchmark_layers(
    layers: Sequence[str] | None = None,
    batch_size: int = 64,
    channels: int = 64,
    image_size: int = 16,
    repeats: int = 20,
    warmup: int = 3,
    device: str | torch.device = "cpu",
    channels_last: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Return one row per layer pair with forward and backward ms, saved bytes and CUDA peak bytes.

    Args:
        layers: names from `cnnlib.layers.LAYER_PAIRS`; None means all of them.
        batch_size, channels, image_size: the input is (batch_size, channels, image_size, image_size).
        repeats: timed forward and backward passes per layer; the median counts.
        warmup: untimed passes before timing.
        device: "cpu", "cuda", "auto" or a torch device.
        channels_last: give the layers channels_last inputs.
        seed: seeds the weights, the input and the output gradient.
    """
    names = list(LAYER_PAIRS) if layers is None else list(layers)
    for name in names:
        if name not in LAYER_PAIRS:
            raise ValueError(tr("layers.error.unknown_layer", value=name, known=", ".join(LAYER_PAIRS)))
    device = resolve_device(device)
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    shape = (batch_size, channels, image_size, image_size)

    rows = []
    for name in names:
        custom_class, standard_class = LAYER_PAIRS[name]
        torch.manual_seed(seed)
        custom = _BUILDERS[name](custom_class, channels).to(device)
        standard = _BUILDERS[name](standard_class, channels).to(device)
        standard.load_state_dict(custom.state_dict())
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(shape, generator=generator).to(device, memory_format=memory_format)
        with torch.no_grad():
            out_shape = custom(x).shape
        grad = torch.randn(out_shape, generator=generator).to(device)

        times: dict[str, list[tuple[float, float]]] = {"custom": [], "standard": []}
        for repeat in range(warmup + repeats):
            for side, module in (("custom", custom), ("standard", standard)):
                step = _timed_step(module, x, grad)
                if repeat >= warmup:
                    times[side].append(step)

        row = {"layer": name, "input_shape": "x".join(map(str, shape)), "device": str(device)}
        for side, module in (("custom", custom), ("standard", standard)):
            row[f"{side}_forward_ms"] = 1000 * statistics.median(forward for forward, _ in times[side])
            row[f"{side}_backward_ms"] = 1000 * statistics.median(backward for _, backward in times[side])
            row[f"{side}_saved_bytes"] = saved_tensor_bytes(module, x.detach().requires_grad_())
            row[f"{side}_peak_bytes"] = _peak_bytes(module, x.detach().requires_grad_(), grad)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
