"""MNIST and FashionMNIST splits read by torchvision from uncompressed IDX files."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import torch

from ..errors import CorruptDataError
from ..text import tr
from .imageset import ImageSet

# torchvision reads <root>/<folder>/raw/<file>, where the folder is the class name.
TORCHVISION_FOLDERS = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST"}

# (images file, labels file) per split, uncompressed as torchvision leaves them.
IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# Type code of unsigned bytes, the third byte of the IDX magic number. The fourth
# byte is the number of dimensions.
IDX_UINT8 = 0x08


def torchvision_class(name: str) -> type:
    """Return the torchvision dataset class that reads ``name``."""
    from torchvision import datasets

    return {"mnist": datasets.MNIST, "fashion_mnist": datasets.FashionMNIST}[name]


def idx_shape(path: Path, ndim: int) -> tuple[int, ...]:
    """Return the shape in the header of a uint8 IDX file, checked against the file size.

    Raises:
        CorruptDataError: the header is short or not uint8 with ``ndim`` dimensions,
            or the file size differs from the one the header implies.
    """
    header_size = 4 + 4 * ndim
    with open(path, "rb") as stream:
        header = stream.read(header_size)
    if len(header) < header_size:
        reason = tr("data.reason_short_header", size=len(header), expected=header_size)
        raise CorruptDataError(tr("data.corrupt_file", path=path, reason=reason))

    zeros, dtype_code, dims = struct.unpack(">HBB", header[:4])
    if zeros != 0 or dtype_code != IDX_UINT8 or dims != ndim:
        reason = tr("data.reason_bad_magic", magic=header[:4].hex(), expected=f"000008{ndim:02x}")
        raise CorruptDataError(tr("data.corrupt_file", path=path, reason=reason))

    shape = struct.unpack(f">{ndim}I", header[4:])
    expected_size = header_size + math.prod(shape)
    actual_size = path.stat().st_size
    if actual_size != expected_size:
        reason = tr(
            "data.reason_wrong_size", size=actual_size, expected=expected_size, shape=shape
        )
        raise CorruptDataError(tr("data.corrupt_file", path=path, reason=reason))
    return shape


def read_idx_split(name: str, root: Path, split: str, classes: tuple[str, ...]) -> ImageSet:
    """Read one split of MNIST or FashionMNIST from ``<root>/<folder>/raw`` with torchvision.

    The IDX headers are checked first, because torchvision's reader fails on a
    truncated file with an error that names no file.
    """
    raw = root / TORCHVISION_FOLDERS[name] / "raw"
    images_name, labels_name = IDX_FILES[split]
    image_count = idx_shape(raw / images_name, 3)[0]
    label_count = idx_shape(raw / labels_name, 1)[0]
    if image_count != label_count:
        raise CorruptDataError(
            tr(
                "data.idx_count_mismatch",
                images=raw / images_name,
                image_count=image_count,
                labels=raw / labels_name,
                label_count=label_count,
            )
        )

    dataset_class = torchvision_class(name)
    try:
        loaded = dataset_class(str(root), train=split == "train", download=False)
    # torchvision 0.29 raises RuntimeError for missing files and RuntimeError,
    # ValueError or TypeError for content it cannot parse.
    except (RuntimeError, ValueError, TypeError) as error:
        raise CorruptDataError(tr("data.corrupt_file", path=raw, reason=error)) from error

    labels = loaded.targets.to(torch.int64)
    if len(labels) and int(labels.max()) >= len(classes):
        reason = tr("data.reason_label_range", value=int(labels.max()), num_classes=len(classes))
        raise CorruptDataError(tr("data.corrupt_file", path=raw / labels_name, reason=reason))

    images = loaded.data.unsqueeze(1).contiguous()
    return ImageSet(images, labels, classes)
