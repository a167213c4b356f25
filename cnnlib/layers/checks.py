"""Argument and input checks shared by the custom layers; messages come from `cnnlib.text`."""

from __future__ import annotations

import math
import numbers

import torch

from ..text import tr


def check_input(layer: str, x: object, layout: str = "(N, C, H, W)", channels: int | None = None,
                channels_name: str = "channels") -> None:
    """Raise when ``x`` is not a floating-point tensor of ``layout`` with ``channels`` channels.

    ``layout`` lists the expected axes. Its axis count is the required rank, or
    the minimum rank when the layout ends in "...".
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(tr("layers.error.not_tensor", layer=layer, type=type(x).__name__))
    if not x.is_floating_point():
        raise TypeError(tr("layers.error.not_float", layer=layer, dtype=x.dtype))
    axes = [axis.strip() for axis in layout.strip("()").split(",")]
    open_ended = axes[-1] == "..."
    ndim = len(axes) - open_ended
    if x.dim() < ndim or (x.dim() > ndim and not open_ended):
        raise ValueError(tr("layers.error.rank", layer=layer, expected=layout, shape=tuple(x.shape), ndim=x.dim()))
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            tr("layers.error.channels", layer=layer, got=x.shape[1], expected=channels, name=channels_name)
        )


def check_positive_number(layer: str, name: str, value: object) -> float:
    """Return ``value`` as a float, or raise when it is not a finite number above zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(tr("layers.error.number", layer=layer, name=name, value=value, type=type(value).__name__))
    if not math.isfinite(value) or value <= 0:
        raise ValueError(tr("layers.error.positive", layer=layer, name=name, value=value))
    return float(value)


def check_positive_int(layer: str, name: str, value: object) -> int:
    """Return ``value``, or raise when it is not an int above zero (bool is rejected)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(
            tr("layers.error.positive_int", layer=layer, name=name, value=value, type=type(value).__name__)
        )
    return int(value)


def check_non_negative_int(layer: str, name: str, value: object) -> int:
    """Return ``value``, or raise when it is not an int of at least zero (bool is rejected)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(
            tr("layers.error.non_negative_int", layer=layer, name=name, value=value, type=type(value).__name__)
        )
    return int(value)


def check_odd_kernel(layer: str, name: str, value: object) -> int:
    """Return ``value``, or raise when it is not a positive odd int."""
    value = check_positive_int(layer, name, value)
    if value % 2 == 0:
        raise ValueError(tr("layers.error.odd_kernel", layer=layer, name=name, value=value, suggestion=value + 1))
    return value


def check_probability(layer: str, name: str, value: object) -> float:
    """Return ``value`` as a float, or raise when it is not a number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(tr("layers.error.probability", layer=layer, name=name, value=value))
    return float(value)
