"""Small residual CNNs for 28x28 and 32x32 images."""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .blocks import BasicBlock, conv3x3
from .registry import register_model
from .resblocks import Bottleneck, WideBlock


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
        block: residual block class, called as
            ``block(in_channels, channels, stride, norm=norm, **block_kwargs)``; a
            block leaves ``channels * block.expansion`` channels (1 when it has no
            ``expansion`` attribute).
        block_kwargs: further keyword arguments for every block (the wide block's
            ``widen_factor`` and ``dropout``).
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
        block_kwargs: dict | None = None,
    ):
        super().__init__()
        if blocks_per_stage < 1:
            raise ValueError(f"blocks_per_stage must be at least 1, got {blocks_per_stage}")
        self.stem = nn.Sequential(
            conv3x3(in_channels, widths[0], bias=not norm),
            nn.BatchNorm2d(widths[0]) if norm else nn.Identity(),
            nn.ReLU(inplace=True),
        )

        block_kwargs = block_kwargs or {}
        stages = []
        channels = widths[0]
        for index, width in enumerate(widths):
            stride = 1 if index == 0 else 2
            first = block(channels, width, stride, norm=norm, **block_kwargs)
            # The wide block sets its expansion per instance, so it is read from the built block.
            out_channels = width * getattr(first, "expansion", 1)
            blocks = [first]
            blocks += [block(out_channels, width, 1, norm=norm, **block_kwargs) for _ in range(blocks_per_stage - 1)]
            stages.append(nn.Sequential(*blocks))
            channels = out_channels
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


# The three block types in networks of equal depth: the same stages, stage widths
# and number of blocks per stage, so the block is the only difference.
@register_model("ResNet-basic", "model.ResNet-basic")
def resnet_basic(*, in_channels, num_classes, image_size, widths=(16, 32, 64), blocks_per_stage=2) -> ResCNN:
    """Basic blocks (two 3x3 convs), BatchNorm, no dropout."""
    del image_size
    return ResCNN(in_channels, num_classes, widths, blocks_per_stage, norm=True, block=BasicBlock)


@register_model("ResNet-bottleneck", "model.ResNet-bottleneck")
def resnet_bottleneck(*, in_channels, num_classes, image_size, widths=(16, 32, 64), blocks_per_stage=2) -> ResCNN:
    """Bottleneck blocks (1x1-3x3-1x1); each stage leaves 4 times its width."""
    del image_size
    return ResCNN(in_channels, num_classes, widths, blocks_per_stage, norm=True, block=Bottleneck)


@register_model("ResNet-wide", "model.ResNet-wide")
def resnet_wide(
    *, in_channels, num_classes, image_size, widths=(16, 32, 64), blocks_per_stage=2, widen_factor=2, dropout=0.3
) -> ResCNN:
    """Wide blocks: each stage ``widen_factor`` times wider, with dropout between the two 3x3 convs."""
    del image_size
    return ResCNN(in_channels, num_classes, widths, blocks_per_stage, norm=True, block=WideBlock,
                  block_kwargs={"widen_factor": widen_factor, "dropout": dropout})
