"""A plain convolutional network: conv-ReLU-maxpool stages, then a small MLP."""

from __future__ import annotations

from typing import Sequence

from torch import nn

from .registry import register_model


class SimpleCNN(nn.Module):
    """Conv3x3-ReLU-MaxPool2 stages followed by two linear layers.

    Args:
        in_channels: input image channels.
        num_classes: number of output logits.
        image_size: input (height, width); sets the flattened feature size.
        widths: output channels of each conv stage; each stage halves the resolution.
        hidden: width of the hidden linear layer.
        kernel_size: conv kernel size (odd; "same" padding keeps the resolution).
    """

    def __init__(
        self,
        in_channels: int,
        num_classes: int,
        image_size: tuple[int, int],
        widths: Sequence[int] = (32, 64),
        hidden: int = 128,
        kernel_size: int = 3,
    ):
        super().__init__()
        if kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd so padding keeps the size, got {kernel_size}")
        stages: list[nn.Module] = []
        channels = in_channels
        height, width = image_size
        for out_channels in widths:
            stages += [
                nn.Conv2d(channels, out_channels, kernel_size, padding=kernel_size // 2),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            ]
            channels = out_channels
            height, width = height // 2, width // 2
        if height < 1 or width < 1:
            raise ValueError(
                f"{len(widths)} pooling stages shrink a {image_size} image to nothing; use fewer widths"
            )
        self.features = nn.Sequential(*stages)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * height * width, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


@register_model("SimpleCNN", "model.SimpleCNN")
def simple_cnn(*, in_channels, num_classes, image_size, widths=(32, 64), hidden=128) -> SimpleCNN:
    """Two conv stages (three with ``widths`` of length 3) and a two-layer classifier."""
    return SimpleCNN(in_channels, num_classes, image_size, widths, hidden)
