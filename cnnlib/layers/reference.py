"""The same layers built from torch operations, differentiated by autograd.

Each class subclasses its custom counterpart and replaces only the computation,
so a state dict moves between the two unchanged. They serve as the reference in
tests, as the "standard" side of the layer benchmark and in StandardLayersCNN.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .modules import GeM, ScaledConv2d, SpatialAttention, SqueezeExcitation, Swish


class AutogradScaledConv2d(ScaledConv2d):
    """`ScaledConv2d` as ``nn.Conv2d`` followed by a per-channel multiply and the bias."""

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        out = F.conv2d(x, self.weight, None, self.stride, self.padding) * self.scale[:, None, None]
        return out if self.bias is None else out + self.bias[:, None, None]


class AutogradSwish(Swish):
    """`Swish` as ``x * torch.sigmoid(beta * x)``."""

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        beta = self.beta if self.num_parameters == 1 else self.beta.reshape(1, -1, *([1] * (x.dim() - 2)))
        return x * torch.sigmoid(beta * x)


class AutogradGeM(GeM):
    """`GeM` as ``clamp -> pow -> adaptive_avg_pool2d -> pow``."""

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        return F.adaptive_avg_pool2d(x.clamp(min=self.eps).pow(self.p), 1).pow(1 / self.p)


class AutogradSqueezeExcitation(SqueezeExcitation):
    """`SqueezeExcitation` from ``adaptive_avg_pool2d``, two ``nn.Linear`` and a sigmoid."""

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        pooled = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        gate = torch.sigmoid(self.fc2(F.relu(self.fc1(pooled))))
        return x * gate[:, :, None, None]


class AutogradSpatialAttention(SpatialAttention):
    """`SpatialAttention` from ``mean``, ``max``, ``cat``, ``nn.Conv2d`` and a sigmoid."""

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        maps = torch.cat([x.mean(dim=1, keepdim=True), x.max(dim=1, keepdim=True).values], dim=1)
        return x * torch.sigmoid(self.conv(maps))
