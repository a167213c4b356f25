"""Small residual CNNs for 28x28 and 32x32 images."""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .blocks import BasicBlock, conv3x3
from .registry import register_model


class ResCNN(nn.Module):
    """A stem conv, stages of residual blocks, global average pooling and a linear head.

    Stage ``i`` has ``blocks_per_stage`` blocks with ``widths[i]`` channels; every
    stage after the first starts with stride 2.

    Args:
        in_channels: input image channels.
        num_classes: number of output logits.
        widths: channels of each stage.
        blocks_per_stage: residual blocks in each stage.
        norm: BatchNorm after every conv.
        dropout: dropout probability before the linear head (0 disables it).
        block: residual block class, called as ``block(in_channels, channels, stride, norm=norm)``.
    """

    def __init__(
        self,
        in_channels: int,
        num_classes: int,
        widths: Sequence[int] = (16, 32, 64),
        blocks_per_stage: int = 1,
        norm: bool = False,
        dropout: float = 0.0,
        block: type[nn.Module] = BasicBlock,
    ):
        super().__init__()
        if blocks_per_stage < 1:
            raise ValueError(f"blocks_per_stage must be at least 1, got {blocks_per_stage}")
        self.stem = nn.Sequential(
            conv3x3(in_channels, widths[0], bias=not norm),
            nn.BatchNorm2d(widths[0]) if norm else nn.Identity(),
            nn.ReLU(inplace=True),
        )

        stages = []
        channels = widths[0]
        for index, width in enumerate(widths):
            stride = 1 if index == 0 else 2
            blocks = [block(channels, width, stride, norm=norm)]
            blocks += [block(width, width, 1, norm=norm) for _ in range(blocks_per_stage - 1)]
            stages.append(nn.Sequential(*blocks))
            channels = width
        self.stages = nn.Sequential(*stages)

        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.stages(x)

        x = torch.flatten(self.pool(x), 1)
        return self.fc(self.dropout(x))


@register_model("ResCNN", "model.ResCNN")
def res_cnn(
    *, in_channels, num_classes, image_size, widths=(16, 32, 64), blocks_per_stage=1, norm=True
) -> ResCNN:
    """Residual blocks with BatchNorm, as in torchvision's ResNet; no dropout, no augmentation."""
    del image_size  # global average pooling makes the network size-agnostic
    return ResCNN(in_channels, num_classes, widths, blocks_per_stage, norm=norm)


@register_model("RegResCNN", "model.RegResCNN", weight_decay=5e-4, augment=True)
def reg_res_cnn(
    *, in_channels, num_classes, image_size, widths=(16, 32, 64), blocks_per_stage=1, dropout=0.2
) -> ResCNN:
    """ResCNN plus dropout before the head, trained with weight decay and augmentation.

    BatchNorm is in both, so ResCNN vs RegResCNN isolates what dropout, weight
    decay and augmentation change.
    """
    del image_size
    return ResCNN(in_channels, num_classes, widths, blocks_per_stage, norm=True, dropout=dropout)
