"""Residual building blocks, in the layout torchvision's ResNet uses."""

from __future__ import annotations

import torch
from torch import nn


def conv3x3(in_channels: int, out_channels: int, stride: int = 1, bias: bool = False) -> nn.Conv2d:
    """3x3 convolution with padding 1, so stride 1 keeps the spatial size."""
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=bias)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1, bias: bool = False) -> nn.Conv2d:
    """1x1 convolution: mixes channels, or projects a shortcut to a new shape."""
    return nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=bias)


def _norm(channels: int, use_norm: bool) -> nn.Module:
    return nn.BatchNorm2d(channels) if use_norm else nn.Identity()


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with an identity (or 1x1 projection) shortcut.

    Args:
        in_channels: channels entering the block.
        channels: channels leaving the block.
        stride: stride of the first conv; 2 halves the resolution.
        norm: put BatchNorm after each conv (the convs then drop their bias).
        zero_init_residual: start the residual branch at zero (its last BatchNorm
            scale, or without norm its last conv's weight), so each block starts as
            the identity and a deep stack trains from the first step.
    """

    expansion = 1

    def __init__(
        self, in_channels: int, channels: int, stride: int = 1, norm: bool = True, zero_init_residual: bool = True
    ):
        super().__init__()
        self.conv1 = conv3x3(in_channels, channels, stride, bias=not norm)
        self.bn1 = _norm(channels, norm)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(channels, channels, bias=not norm)
        self.bn2 = _norm(channels, norm)
        if zero_init_residual:
            nn.init.zeros_(self.bn2.weight if norm else self.conv2.weight)

        # A projection only where the shape changes; otherwise the shortcut is the identity.
        self.downsample: nn.Module | None = None
        if stride != 1 or in_channels != channels:
            self.downsample = nn.Sequential(
                conv1x1(in_channels, channels, stride, bias=not norm), _norm(channels, norm)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)

        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))

        out = out + identity
        return self.relu(out)
