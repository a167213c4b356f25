"""Fully connected baselines: the image is flattened and every pixel is an input."""

from __future__ import annotations

from typing import Sequence

from torch import nn

from .registry import register_model


class FCNet(nn.Module):
    """A multilayer perceptron: Linear-ReLU(-Dropout) blocks and a linear classifier.

    Args:
        in_features: length of the flattened input (C * H * W).
        num_classes: number of output logits.
        hidden: width of each hidden layer, input side first.
        dropout: dropout probability after each hidden activation (0 disables it).
    """

    def __init__(self, in_features: int, num_classes: int, hidden: Sequence[int], dropout: float = 0.0):
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten()]
        width = in_features
        for out_width in hidden:
            layers += [nn.Linear(width, out_width), nn.ReLU(inplace=True)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = out_width
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x))


def _flat_size(in_channels: int, image_size: tuple[int, int]) -> int:
    height, width = image_size
    return in_channels * height * width


@register_model("FC_3layer", "model.FC_3layer")
def fc_3layer(*, in_channels, num_classes, image_size, hidden=(512, 256), dropout=0.0) -> FCNet:
    """Three linear layers (two hidden), the MNIST fully connected baseline."""
    return FCNet(_flat_size(in_channels, image_size), num_classes, hidden, dropout)


@register_model("FC_deep", "model.FC_deep")
def fc_deep(
    *, in_channels, num_classes, image_size, hidden=(1024, 512, 256, 128), dropout=0.0
) -> FCNet:
    """Five linear layers (four hidden), the CIFAR-10 fully connected baseline."""
    return FCNet(_flat_size(in_channels, image_size), num_classes, hidden, dropout)
