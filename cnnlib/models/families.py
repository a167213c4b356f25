"""Model families for the architecture study: one knob each (kernel layout, or depth).

`KernelCNN` varies the kernel layout of every conv at a parameter budget that
`solve_widths` meets by choosing the channel widths. `DepthCNN` varies the number
of conv layers, with or without residual links, at a fixed width.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch
from torch import nn

from .registry import register_model

KERNEL_LAYOUTS = ("3x3", "5x5", "7x7", "1x1+3x3")


def _conv_unit(in_channels: int, out_channels: int, kernel: int) -> list[nn.Module]:
    return [
        nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    ]


def _layout_unit(in_channels: int, out_channels: int, layout: str) -> list[nn.Module]:
    """Return the layers of one conv unit in ``layout``.

    "kxk" is one k x k conv. "1x1+3x3" first mixes channels with a 1x1 conv down
    to half the output width, then applies a 3x3 conv, as Inception's reduce
    branches do.
    """
    if layout == "1x1+3x3":
        middle = max(1, out_channels // 2)
        return _conv_unit(in_channels, middle, 1) + _conv_unit(middle, out_channels, 3)
    return _conv_unit(in_channels, out_channels, int(layout.split("x")[0]))


class KernelCNN(nn.Module):
    """Stages of conv-BN-ReLU units with 2x2 max pooling between them, global pooling and a linear head.

    Args:
        in_channels: input image channels.
        num_classes: number of output logits.
        kernel: one of `KERNEL_LAYOUTS`, used by every conv unit.
        widths: output channels of each stage.
        convs_per_stage: conv units per stage.
    """

    def __init__(self, in_channels: int, num_classes: int, kernel: str = "3x3",
                 widths: Sequence[int] = (32, 64, 128), convs_per_stage: int = 1):
        super().__init__()
        if kernel not in KERNEL_LAYOUTS:
            raise ValueError(f"kernel must be one of {KERNEL_LAYOUTS}, got {kernel!r}")
        layers: list[nn.Module] = []
        channels = in_channels
        for index, width in enumerate(widths):
            if index > 0:
                layers.append(nn.MaxPool2d(2))
            for _ in range(convs_per_stage):
                layers += _layout_unit(channels, width, kernel)
                channels = width
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x))
        return self.fc(torch.flatten(x, 1))


@register_model("KernelCNN", "model.KernelCNN")
def kernel_cnn(*, in_channels, num_classes, image_size, kernel="3x3", widths=(32, 64, 128),
               convs_per_stage=1) -> KernelCNN:
    """Three stages of one conv unit each (``convs_per_stage`` sets more) in one kernel layout."""
    del image_size  # global average pooling makes the network size-agnostic
    return KernelCNN(in_channels, num_classes, kernel, widths, convs_per_stage)


class _ResidualConv(nn.Module):
    """ReLU(x + conv(x)): one 3x3 conv with an identity shortcut around it."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(x + self.conv(x))


class DepthCNN(nn.Module):
    """``depth`` 3x3 conv layers of one width, without batch norm, then global pooling and a linear head.

    Two 2x2 max pools sit after layers ceil(depth/3) and ceil(2*depth/3). With
    ``residual`` every layer after the first gets an identity shortcut
    (``ReLU(x + conv(x))``), so plain and residual nets of one depth have the
    same parameters. There is no batch norm on purpose: it would rescale the
    gradients layer by layer and hide the vanishing or exploding that depth
    causes in a plain stack.
    """

    def __init__(self, in_channels: int, num_classes: int, depth: int = 4, residual: bool = False, width: int = 32):
        super().__init__()
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
            raise ValueError(f"depth must be a positive int, got {depth!r}")
        self.depth = depth
        self.residual = residual
        pools_after = {math.ceil(depth / 3), math.ceil(2 * depth / 3)}
        layers: list[nn.Module] = [nn.Conv2d(in_channels, width, 3, padding=1), nn.ReLU(inplace=True)]
        for layer in range(2, depth + 1):
            if layer - 1 in pools_after:
                layers.append(nn.MaxPool2d(2))
            if residual:
                layers.append(_ResidualConv(width))
            else:
                layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU(inplace=True)]
        if depth in pools_after:
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x))
        return self.fc(torch.flatten(x, 1))


@register_model("DepthCNN", "model.DepthCNN")
def depth_cnn(*, in_channels, num_classes, image_size, depth=4, residual=False, width=32) -> DepthCNN:
    """Build a plain (or residual) stack of ``depth`` 3x3 convs without batch norm."""
    del image_size
    return DepthCNN(in_channels, num_classes, depth, residual, width)


def count_parameters_of(build: Callable[[], nn.Module]) -> int:
    """Return the parameter count of ``build()`` without allocating its weights (meta device)."""
    with torch.device("meta"):
        model = build()
    return sum(parameter.numel() for parameter in model.parameters())


def solve_widths(
    build: Callable[[tuple[int, ...]], nn.Module],
    target: int,
    ratios: Sequence[float] = (1, 2, 4),
    tolerance: float = 0.02,
    align: int = 8,
    search_radius: int = 3,
) -> tuple[tuple[int, ...], int]:
    """Choose channel widths so that ``build(widths)`` has about ``target`` parameters.

    Widths keep roughly the proportions ``ratios``. Every stage but the last is
    a multiple of ``align``: CPU conv kernels (oneDNN) run unaligned channel
    counts up to 1.7 times slower, which would confound a timing comparison.
    The last stage, which contains most parameters, takes any width, so it
    fine-tunes the count. A bisection on the common scale finds the closest
    proportional widths, then a coordinate search moves single stages
    (``search_radius`` steps of ``align``, or of 1 for the last stage) while
    the count gets closer.

    Returns (widths, parameter count). Raises ValueError when no widths come
    within ``tolerance`` (relative) of ``target``.
    """
    if isinstance(target, bool) or not isinstance(target, int) or target <= 0:
        raise ValueError(f"target must be a positive int, got {target!r}")
    last = len(ratios) - 1

    def widths_at(scale: float) -> tuple[int, ...]:
        aligned = [max(align, align * round(scale * ratio / align)) for ratio in ratios[:last]]
        return tuple(aligned) + (max(1, round(scale * ratios[last])),)

    def params(widths: tuple[int, ...]) -> int:
        return count_parameters_of(lambda: build(widths))

    low, high = 0.5 / min(ratios), 1.0
    while params(widths_at(high)) < target:
        high *= 2
        if high > 1e5:
            raise ValueError(f"no widths reach {target} parameters")
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if params(widths_at(middle)) < target else (low, middle)

    best = min((widths_at(low), widths_at(high)), key=lambda w: abs(params(w) - target))
    best_count = params(best)
    improved = True
    while improved and best_count != target:
        improved = False
        for stage in reversed(range(len(best))):
            unit = 1 if stage == last else align
            for step in range(-search_radius, search_radius + 1):
                candidate = list(best)
                candidate[stage] = max(unit, candidate[stage] + step * unit)
                candidate = tuple(candidate)
                count = params(candidate)
                if abs(count - target) < abs(best_count - target):
                    best, best_count, improved = candidate, count, True
            if improved:
                break

    if abs(best_count - target) > tolerance * target:
        raise ValueError(
            f"closest widths {best} give {best_count} parameters, {best_count / target - 1:+.1%} from "
            f"the target {target}; allow a larger tolerance or search radius"
        )
    return best, best_count
