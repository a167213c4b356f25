"""Bottleneck and wide residual blocks, interchangeable with `BasicBlock` inside `ResCNN`.

Every block is called as ``block(in_channels, channels, stride, norm=...)`` and
leaves ``channels * expansion`` channels, where ``expansion`` is read from the
block instance (a class attribute, or set per instance by the wide block).
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers.checks import check_positive_int, check_probability
from .blocks import _norm, conv1x1, conv3x3


def _projection(in_channels: int, out_channels: int, stride: int, norm: bool) -> nn.Module | None:
    """Build a 1x1 projection shortcut where the shape changes, or return None where the identity fits."""
    if stride == 1 and in_channels == out_channels:
        return None
    return nn.Sequential(conv1x1(in_channels, out_channels, stride, bias=not norm), _norm(out_channels, norm))


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3, 1x1 expand, with an identity (or 1x1 projection) shortcut.

    The stride sits on the 3x3 conv, as in torchvision's ResNet v1.5.

    Args:
        in_channels: channels entering the block.
        channels: channels of the inner 3x3 conv; the block leaves ``channels * 4``.
        stride: stride of the 3x3 conv; 2 halves the resolution.
        norm: put BatchNorm after each conv (the convs then drop their bias).
        zero_init_residual: start the last BatchNorm scale (without norm, the last
            conv's weight) at zero, so the block starts as the identity.
    """

    expansion = 4

    def __init__(self, in_channels: int, channels: int, stride: int = 1, norm: bool = True,
                 zero_init_residual: bool = True):
        super().__init__()
        out_channels = channels * self.expansion
        self.conv1 = conv1x1(in_channels, channels, bias=not norm)
        self.bn1 = _norm(channels, norm)
        self.conv2 = conv3x3(channels, channels, stride, bias=not norm)
        self.bn2 = _norm(channels, norm)
        self.conv3 = conv1x1(channels, out_channels, bias=not norm)
        self.bn3 = _norm(out_channels, norm)
        self.relu = nn.ReLU(inplace=True)
        if zero_init_residual:
            nn.init.zeros_(self.bn3.weight if norm else self.conv3.weight)
        self.downsample = _projection(in_channels, out_channels, stride, norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)

        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))

        out = out + identity
        return self.relu(out)


class WideBlock(nn.Module):
    """Two 3x3 convs ``widen_factor`` times wider than ``channels``, with dropout between them.

    NOTE: the layer order is BasicBlock's (conv, BatchNorm, ReLU), not the
    pre-activation order of Zagoruyko and Komodakis' WRN, so that against
    BasicBlock only the width and the dropout change.

    Args:
        in_channels: channels entering the block.
        channels: base channels; the block leaves ``channels * widen_factor``.
        stride: stride of the first conv; 2 halves the resolution.
        norm: put BatchNorm after each conv (the convs then drop their bias).
        widen_factor: the width multiplier k.
        dropout: dropout probability between the two convs.
        zero_init_residual: start the last BatchNorm scale (without norm, the last
            conv's weight) at zero, so the block starts as the identity.
    """

    def __init__(self, in_channels: int, channels: int, stride: int = 1, norm: bool = True,
                 widen_factor: int = 2, dropout: float = 0.3, zero_init_residual: bool = True):
        super().__init__()
        layer = type(self).__name__
        self.expansion = check_positive_int(layer, "widen_factor", widen_factor)
        check_probability(layer, "dropout", dropout)
        out_channels = channels * widen_factor
        self.conv1 = conv3x3(in_channels, out_channels, stride, bias=not norm)
        self.bn1 = _norm(out_channels, norm)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.conv2 = conv3x3(out_channels, out_channels, bias=not norm)
        self.bn2 = _norm(out_channels, norm)
        if zero_init_residual:
            nn.init.zeros_(self.bn2.weight if norm else self.conv2.weight)
        self.downsample = _projection(in_channels, out_channels, stride, norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)

        out = self.dropout(self.relu(self.bn1(self.conv1(x))))
        out = self.bn2(self.conv2(out))

        out = out + identity
        return self.relu(out)
