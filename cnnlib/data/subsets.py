"""Seeded stratified subsets of an ImageSet."""

from __future__ import annotations

import torch

from ..text import tr
from .imageset import ImageSet


def stratified_counts(class_counts: torch.Tensor, size: int) -> torch.Tensor:
    """Split ``size`` among classes in proportion to ``class_counts`` (largest-remainder rounding).

    Every class first gets the floor of its exact quota ``size * count / total``. The
    samples still missing go one each to the classes with the largest fractional
    parts, and equal fractions go to the lower class index first. The result sums to
    exactly ``size`` and never exceeds a class's count.
    """
    total = int(class_counts.sum())
    scaled = class_counts.to(torch.int64) * size
    counts = scaled // total
    missing = size - int(counts.sum())
    # Remainders stay integers (scaled % total) so that ties compare exactly.
    remainders = scaled % total
    order = torch.sort(-remainders, stable=True).indices
    counts[order[:missing]] += 1
    return counts


def stratified_subset(images: ImageSet, size: int | None, seed: int) -> ImageSet:
    """Draw ``size`` samples with the class proportions of ``images``.

    Per-class counts come from :func:`stratified_counts`. Within each class the
    samples are a random choice by a ``torch.Generator`` seeded with ``seed``, so the
    same seed returns the same subset. The result keeps the original order (sorted
    by index into ``images``). ``size=None`` or ``size >= len(images)`` returns
    ``images`` itself.

    Raises:
        ValueError: ``size`` is negative or not an integer.
    """
    if size is None:
        return images
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(tr("data.bad_subset_size", value=size))
    if size >= len(images):
        return images

    class_counts = torch.bincount(images.labels, minlength=images.num_classes)
    counts = stratified_counts(class_counts, size)

    generator = torch.Generator().manual_seed(seed)
    chosen = []
    for label in range(images.num_classes):
        members = torch.nonzero(images.labels == label).flatten()
        picks = torch.randperm(len(members), generator=generator)[: int(counts[label])]
        chosen.append(members[picks])
    index = torch.sort(torch.cat(chosen)).values

    return ImageSet(images.images[index], images.labels[index], images.classes)
