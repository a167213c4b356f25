"""Batch iteration over an ImageSet kept on the training device as uint8."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import torch

from ..text import tr
from .augment import random_crop_and_flip
from .imageset import ImageSet

# Zero padding of the random crop, in pixels (the usual CIFAR-10 setting).
CROP_PADDING = 4


def epoch_seed(seed: int, epoch: int) -> int:
    """Mix ``seed`` and ``epoch`` into one 64-bit seed.

    A plain ``seed + epoch`` would give seed 1 at epoch 0 the order of seed 0 at
    epoch 1, which correlates runs that are meant to be independent.
    """
    entropy = (seed % 2**64, epoch)
    return int(np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint64)[0])


def check_batch_settings(
    images: ImageSet, batch_size: int, mean: Sequence[float], std: Sequence[float]
) -> None:
    """Raise ValueError for a batch size or normalisation constants that do not fit ``images``."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(tr("data.bad_batch_size", value=batch_size))
    channels = images.in_channels
    for argument, values in (("mean", mean), ("std", std)):
        if len(values) != channels:
            raise ValueError(
                tr("data.bad_stats_length", argument=argument, value=tuple(values), channels=channels)
            )
    if any(value <= 0 for value in std):
        raise ValueError(tr("data.bad_std", value=tuple(std)))


def normalisation_affine(
    mean: Sequence[float], std: Sequence[float], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return float32 (scale, shift) of shape (1, C, 1, 1) on ``device``.

    ``(x / 255 - mean) / std == x * scale + shift``, one multiply-add per pixel.
    """
    channels = len(mean)
    mean_tensor = torch.tensor(mean, dtype=torch.float64).view(1, channels, 1, 1)
    std_tensor = torch.tensor(std, dtype=torch.float64).view(1, channels, 1, 1)
    scale = (1.0 / (255.0 * std_tensor)).to(device, torch.float32)
    shift = (-mean_tensor / std_tensor).to(device, torch.float32)
    return scale, shift


def finish_batch(
    x: torch.Tensor,
    scale: torch.Tensor,
    shift: torch.Tensor,
    memory_format: torch.memory_format,
    augment_generator: torch.Generator | None,
) -> torch.Tensor:
    """Turn a uint8 (B, C, H, W) batch into a normalised float32 batch in ``memory_format``.

    A non-None ``augment_generator`` applies the random crop and flip first,
    drawing its random numbers from that generator.
    """
    if augment_generator is not None:
        x = random_crop_and_flip(x, CROP_PADDING, augment_generator)

    # Convert the layout while x is still uint8, a quarter of the float32 bytes.
    x = x.contiguous(memory_format=memory_format)
    return x.float().mul_(scale).add_(shift)


class BatchLoader:
    """Iterates (x, y) batches from an ImageSet held on ``device`` as uint8.

    The images and labels move to the device once, in the constructor. Each batch
    is a slice of the epoch's order (a random permutation when ``shuffle`` is True)
    and is converted to float32 and normalised on the device: ``(x / 255 - mean) / std``.

    Every pass over the loader is a new epoch. Epoch ``k`` draws its permutation and
    augmentation from a ``torch.Generator`` seeded with ``epoch_seed(seed, k)``, so
    two loaders with the same seed yield the same batches epoch by epoch.

    Args:
        images: the split to iterate.
        batch_size: samples per batch. The last batch is smaller unless ``drop_last``.
        mean, std: per-channel normalisation constants in [0, 1] units.
        device: where the images are kept and the batches are produced.
        shuffle: use a new random order every epoch instead of the stored order.
        seed: seed of the order and of the augmentation.
        augment: random crop with 4 pixels of zero padding and random horizontal
            flip (p=0.5), per sample, on the device.
        channels_last: return ``x`` in ``torch.channels_last`` memory format.
        drop_last: skip the last batch when it is smaller than ``batch_size``.
    """

    def __init__(
        self,
        images: ImageSet,
        batch_size: int,
        *,
        mean: Sequence[float],
        std: Sequence[float],
        device: str | torch.device = "cpu",
        shuffle: bool = False,
        seed: int = 0,
        augment: bool = False,
        channels_last: bool = False,
        drop_last: bool = False,
    ) -> None:
        check_batch_settings(images, batch_size, mean, std)
        self.device = torch.device(device)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.augment = augment
        self.channels_last = channels_last
        self.drop_last = drop_last
        self.num_samples = len(images)
        # Number of epochs started so far, which is also the index of the next epoch.
        self.epoch = 0

        self.images = images.images.to(self.device)
        self.labels = images.labels.to(self.device)

        self._scale, self._shift = normalisation_affine(mean, std, self.device)

    def __len__(self) -> int:
        if self.drop_last:
            return self.num_samples // self.batch_size
        return -(-self.num_samples // self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        generator = torch.Generator().manual_seed(epoch_seed(self.seed, self.epoch))
        self.epoch += 1
        order = None
        if self.shuffle:
            order = torch.randperm(self.num_samples, generator=generator).to(self.device)
        return self._batches(order, generator)

    def _batches(
        self, order: torch.Tensor | None, generator: torch.Generator
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        memory_format = torch.channels_last if self.channels_last else torch.contiguous_format
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            stop = min(start + self.batch_size, self.num_samples)
            if order is None:
                x = self.images[start:stop]
                y = self.labels[start:stop]
            else:
                index = order[start:stop]
                x = self.images[index]
                y = self.labels[index]

            x = finish_batch(x, self._scale, self._shift, memory_format, generator if self.augment else None)
            yield x, y
