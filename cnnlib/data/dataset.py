"""A dataset's train and test splits with the normalisation constants of its train split."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .imageset import ImageSet
from .subsets import stratified_subset


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test splits of one named dataset.

    Attributes:
        name: an entry of ``DATASETS``.
        train: the training split.
        test: the test split.
        mean: per-channel mean of the full train split in [0, 1] units.
        std: per-channel population std of the full train split in [0, 1] units.
        source: the path the data was read from, or "synthetic".
        synthetic: True when the images are generated, not real.
    """

    name: str
    train: ImageSet
    test: ImageSet
    mean: tuple[float, ...]
    std: tuple[float, ...]
    source: str
    synthetic: bool = False

    @property
    def classes(self) -> tuple[str, ...]:
        """Class names in label order."""
        return self.train.classes

    @property
    def num_classes(self) -> int:
        """Number of classes."""
        return self.train.num_classes

    @property
    def in_channels(self) -> int:
        """Number of image channels."""
        return self.train.in_channels

    @property
    def image_size(self) -> tuple[int, int]:
        """Image height and width."""
        return self.train.image_size

    def subset(self, train_size: int | None, test_size: int | None, seed: int) -> Dataset:
        """Return stratified subsets of both splits (see ``stratified_subset``).

        ``mean`` and ``std`` stay those of the full train split, so models trained on
        subsets of different sizes see identically normalised inputs.
        """
        return replace(
            self,
            train=stratified_subset(self.train, train_size, seed),
            test=stratified_subset(self.test, test_size, seed),
        )
