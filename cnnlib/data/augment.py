"""Batch augmentation on the images' device: random crop with zero padding and horizontal flip."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def crop_and_flip(
    images: torch.Tensor,
    padding: int,
    offsets_y: torch.Tensor,
    offsets_x: torch.Tensor,
    flips: torch.Tensor,
) -> torch.Tensor:
    """Crop each zero-padded image at its own offset, then mirror the crops marked in ``flips``.

    One gather does the whole batch: sample ``b`` gets the window that starts at row
    ``offsets_y[b]`` and column ``offsets_x[b]`` of the image padded by ``padding``
    zeros on every side, with its columns reversed where ``flips[b]`` is True.

    Args:
        images: (B, C, H, W) tensor of any dtype.
        padding: zeros added on each side, in pixels.
        offsets_y, offsets_x: int64 (B,) offsets in ``[0, 2 * padding]`` on the images' device.
        flips: bool (B,) on the images' device.

    Returns:
        A (B, C, H, W) tensor in channels_last memory format, which the gather produces.
    """
    batch, _, height, width = images.shape
    device = images.device
    padded = F.pad(images, (padding, padding, padding, padding))

    rows = offsets_y[:, None] + torch.arange(height, device=device)
    columns = offsets_x[:, None] + torch.arange(width, device=device)
    columns = torch.where(flips[:, None], columns.flip(1), columns)

    # Advanced indices separated by the channel slice move to the front: (B, H, W, C).
    samples = torch.arange(batch, device=device)[:, None, None]
    gathered = padded[samples, :, rows[:, :, None], columns[:, None, :]]
    return gathered.permute(0, 3, 1, 2)


def random_crop_and_flip(
    images: torch.Tensor, padding: int, generator: torch.Generator, *, flip: bool = True
) -> torch.Tensor:
    """Apply ``crop_and_flip`` with random offsets and, when ``flip`` is True, flips with p=0.5.

    The random numbers come from ``generator`` on the CPU and are then moved to the
    images' device, so a seed gives the same augmentation on every device.
    """
    batch = images.shape[0]
    offsets = torch.randint(0, 2 * padding + 1, (2, batch), generator=generator)
    if flip:
        flips = torch.rand(batch, generator=generator) < 0.5
    else:
        flips = torch.zeros(batch, dtype=torch.bool)
    offsets = offsets.to(images.device)
    return crop_and_flip(images, padding, offsets[0], offsets[1], flips.to(images.device))
