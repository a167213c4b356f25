"""One small CNN built twice: from the custom autograd Functions, and from torch operations."""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from ..layers import LAYER_PAIRS
from ..text import tr
from .registry import register_model

# Position in each `LAYER_PAIRS` entry of the class that a network is built from.
IMPLEMENTATIONS = {"custom": 0, "autograd": 1}


class AttentionCNN(nn.Module):
    """ScaledConv2d-Swish stages, squeeze-and-excitation and spatial attention, GeM pooling, a linear head.

    Every stage after the first halves the resolution with a stride-2 conv.

    Args:
        in_channels: input image channels.
        num_classes: number of output logits.
        widths: output channels of each conv stage.
        reduction: squeeze-and-excitation reduction (hidden units = last width // reduction).
        attention_kernel: odd kernel side of the spatial attention conv.
        gem_p: initial GeM exponent.
        layers: "custom" for the hand-written Functions, "autograd" for the same
            layers from torch operations; both have the same parameters.
    """

    def __init__(
        self,
        in_channels: int,
        num_classes: int,
        widths: Sequence[int] = (32, 64, 128),
        reduction: int = 8,
        attention_kernel: int = 7,
        gem_p: float = 3.0,
        layers: str = "custom",
    ):
        super().__init__()
        if layers not in IMPLEMENTATIONS:
            raise ValueError(tr("layers.error.unknown_impl", value=layers, known=", ".join(IMPLEMENTATIONS)))
        index = IMPLEMENTATIONS[layers]
        conv, swish, squeeze_excitation, spatial_attention, gem = (
            LAYER_PAIRS[name][index]
            for name in ("ScaledConv2d", "Swish", "SqueezeExcitation", "SpatialAttention", "GeM")
        )

        stages: list[nn.Module] = []
        channels = in_channels
        for position, width in enumerate(widths):
            stride = 1 if position == 0 else 2
            stages += [conv(channels, width, 3, stride=stride, padding=1), swish(width)]
            channels = width
        self.features = nn.Sequential(*stages)

        self.channel_attention = squeeze_excitation(channels, reduction)
        self.spatial_attention = spatial_attention(attention_kernel)
        self.pool = gem(gem_p)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)

        x = self.spatial_attention(self.channel_attention(x))

        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)


@register_model("StandardLayersCNN", "model.StandardLayersCNN")
def standard_layers_cnn(*, in_channels, num_classes, image_size, widths=(32, 64, 128), reduction=8) -> AttentionCNN:
    """AttentionCNN from torch operations; autograd differentiates it."""
    del image_size  # GeM pools any map size to one value per channel
    return AttentionCNN(in_channels, num_classes, widths, reduction, layers="autograd")


@register_model("CustomLayersCNN", "model.CustomLayersCNN")
def custom_layers_cnn(*, in_channels, num_classes, image_size, widths=(32, 64, 128), reduction=8) -> AttentionCNN:
    """AttentionCNN from the custom Functions with hand-written backward passes."""
    del image_size
    return AttentionCNN(in_channels, num_classes, widths, reduction, layers="custom")
