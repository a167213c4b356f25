"""Names, class lists and image shapes of the datasets that cnnlib can load."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownNameError
from ..text import tr

DATASETS: tuple[str, ...] = ("mnist", "fashion_mnist", "cifar10")


@dataclass(frozen=True)
class DatasetSpec:
    """Shape and class names of one dataset as its official release has them."""

    classes: tuple[str, ...]
    channels: int
    image_size: tuple[int, int]


# Class names in label order. FashionMNIST's are torchvision's (0.29) names for the
# official labels. CIFAR-10's are the official names, which are also the sorted
# folder names of an image-folder copy.
SPECS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(tuple("0123456789"), 1, (28, 28)),
    "fashion_mnist": DatasetSpec(
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        1,
        (28, 28),
    ),
    "cifar10": DatasetSpec(
        (
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ),
        3,
        (32, 32),
    ),
}


def canonical_name(name: str) -> str:
    """Return the entry of DATASETS that ``name`` spells, ignoring case and '-' versus '_'.

    Raises:
        UnknownNameError: ``name`` is not a string or matches no entry of DATASETS.
    """
    if isinstance(name, str):
        normalized = name.strip().lower().replace("-", "_")
        if normalized in SPECS:
            return normalized
    raise UnknownNameError(tr("data.unknown_name", name=name, known=", ".join(DATASETS)))
