"""Batches through torch's DataLoader: images stay in host memory, one batch at a time goes to the device."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch
from torch.utils.data import DataLoader, Sampler

from .batches import check_batch_settings, epoch_seed, finish_batch, normalisation_affine
from .imageset import ImageSet


class ImageSetSamples(torch.utils.data.Dataset):
    """Map-style view of an ImageSet: item ``i`` is (uint8 (C, H, W) image, int64 label)."""

    def __init__(self, images: ImageSet) -> None:
        self.images = images.images
        self.labels = images.labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.images[index], self.labels[index]


class _EpochOrderSampler(Sampler[int]):
    """Yields the indices of the order that the owning loader sets before each epoch."""

    def __init__(self, num_samples: int) -> None:
        self.num_samples = num_samples
        self.order: list[int] | None = None

    def __len__(self) -> int:
        return self.num_samples

    def __iter__(self) -> Iterator[int]:
        if self.order is None:
            return iter(range(self.num_samples))
        return iter(self.order)


class StreamingBatchLoader:
    """Iterates the same (x, y) batches as `BatchLoader` without copying the split to the device.

    A ``torch.utils.data.DataLoader`` collates uint8 samples into batches on the
    host, optionally in worker processes. Each batch then moves to ``device``,
    where it is augmented, converted and normalised exactly as `BatchLoader`
    does it. The epoch order and the augmentation come from the same seeded
    generator as there, so for equal arguments both loaders yield equal batches.
    Use it when the device cannot hold the whole uint8 split.

    Args:
        images: the split to iterate.
        batch_size: samples per batch. The last batch is smaller unless ``drop_last``.
        mean, std: per-channel normalisation constants in [0, 1] units.
        device: where the batches are produced.
        shuffle: use a new random order every epoch instead of the stored order.
        seed: seed of the order and of the augmentation.
        augment: random crop with 4 pixels of zero padding and random horizontal flip.
        channels_last: return ``x`` in ``torch.channels_last`` memory format.
        drop_last: skip the last batch when it is smaller than ``batch_size``.
        num_workers: DataLoader worker processes that collate batches (0: the calling process).
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
        num_workers: int = 0,
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

        self._scale, self._shift = normalisation_affine(mean, std, self.device)
        # The sampler runs in this process even when workers collate, so setting
        # its order before each epoch is enough to control every worker's batches.
        self._sampler = _EpochOrderSampler(self.num_samples)
        self._loader = DataLoader(
            ImageSetSamples(images),
            batch_size=batch_size,
            sampler=self._sampler,
            drop_last=drop_last,
            num_workers=num_workers,
            pin_memory=self.device.type == "cuda",
            persistent_workers=num_workers > 0,
        )

    def __len__(self) -> int:
        return len(self._loader)

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        # The same draws in the same order as BatchLoader: the permutation first,
        # then each batch's augmentation.
        generator = torch.Generator().manual_seed(epoch_seed(self.seed, self.epoch))
        self.epoch += 1
        self._sampler.order = None
        if self.shuffle:
            self._sampler.order = torch.randperm(self.num_samples, generator=generator).tolist()
        return self._batches(generator)

    def _batches(self, generator: torch.Generator) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        memory_format = torch.channels_last if self.channels_last else torch.contiguous_format
        # NOTE: no test runs this CUDA branch (pinned memory, non-blocking copies).
        non_blocking = self.device.type == "cuda"
        for x, y in self._loader:
            x = x.to(self.device, non_blocking=non_blocking)
            y = y.to(self.device, non_blocking=non_blocking)
            x = finish_batch(x, self._scale, self._shift, memory_format, generator if self.augment else None)
            yield x, y
