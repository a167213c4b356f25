"""Image-folder datasets (``train/<class>/*``, ``test/<class>/*``) from a folder tree or a zip.

Class names are the sorted folder names of the train split, as in torchvision's
ImageFolder, and every image is converted to RGB. Zip members are decoded straight
from the archive, so nothing is extracted to disk.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..errors import CorruptDataError
from ..text import tr
from .imageset import ImageSet

SPLITS = ("train", "test")

# The file extensions torchvision's ImageFolder accepts. Files with other extensions are skipped.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

# A split as (file name or zip member, class name) pairs in load order.
Entries = list[tuple[str, str]]


def is_image_name(name: str) -> bool:
    """Return True when ``name`` has an image extension and is no macOS resource fork."""
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(IMAGE_EXTENSIONS) and not base.startswith("._")


def decode_rgb(data: bytes) -> np.ndarray:
    """Decode one encoded image to an (H, W, 3) uint8 array."""
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def decode_split(
    entries: Entries,
    classes: tuple[str, ...],
    read_bytes: Callable[[str], bytes],
    corrupt: Callable[[str, object], CorruptDataError],
) -> ImageSet:
    """Decode the images of one split into an ImageSet.

    Args:
        entries: (file name or zip member, class name) pairs in load order.
        classes: class names in label order.
        read_bytes: returns the encoded bytes of an entry.
        corrupt: builds the error for an entry and a reason.
    """
    label_of = {name: index for index, name in enumerate(classes)}
    pixels = None
    for position, (entry, _) in enumerate(entries):
        # Outside the try: read_bytes raises CorruptDataError, itself a ValueError.
        data = read_bytes(entry)
        try:
            image = decode_rgb(data)
        # Pillow raises OSError (UnidentifiedImageError among them) for unreadable or
        # truncated data, and SyntaxError or ValueError from some format plugins.
        except (OSError, SyntaxError, ValueError) as error:
            raise corrupt(entry, error) from error

        if pixels is None:
            pixels = np.empty((len(entries), *image.shape), dtype=np.uint8)
        if image.shape != pixels.shape[1:]:
            reason = tr(
                "data.reason_image_size",
                size=f"{image.shape[1]}x{image.shape[0]}",
                expected=f"{pixels.shape[2]}x{pixels.shape[1]}",
            )
            raise corrupt(entry, reason)
        pixels[position] = image

    images = torch.from_numpy(pixels).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor([label_of[name] for _, name in entries], dtype=torch.int64)
    return ImageSet(images, labels, classes)


def split_classes(splits: dict[str, Entries], where: Path) -> tuple[str, ...]:
    """Return the sorted class names of the train split, checking that both splits have images.

    Raises:
        CorruptDataError: a split has no images, or the test split has a class
            that the train split lacks.
    """
    for split in SPLITS:
        if not splits[split]:
            raise CorruptDataError(tr("data.empty_split", split=split, path=where))
    classes = tuple(sorted({name for _, name in splits["train"]}))
    extra = sorted({name for _, name in splits["test"]} - set(classes))
    if extra:
        raise CorruptDataError(
            tr("data.test_class_not_in_train", path=where, extra=extra, classes=list(classes))
        )
    return classes


def read_image_tree(root: Path) -> tuple[ImageSet, ImageSet]:
    """Decode ``root/train/<class>/*`` and ``root/test/<class>/*``."""
    splits: dict[str, Entries] = {}
    for split in SPLITS:
        entries: Entries = []
        for class_dir in sorted(p for p in (root / split).iterdir() if p.is_dir()):
            files = sorted(p.name for p in class_dir.iterdir() if p.is_file() and is_image_name(p.name))
            entries.extend((str(class_dir / file), class_dir.name) for file in files)
        splits[split] = entries
    classes = split_classes(splits, root)

    def read_bytes(entry: str) -> bytes:
        return Path(entry).read_bytes()

    def corrupt(entry: str, reason: object) -> CorruptDataError:
        return CorruptDataError(tr("data.corrupt_file", path=entry, reason=reason))

    train = decode_split(splits["train"], classes, read_bytes, corrupt)
    test = decode_split(splits["test"], classes, read_bytes, corrupt)
    return train, test


def zip_entries(names: Sequence[str], path: Path) -> dict[str, Entries]:
    """Group zip members ``[<prefix>/]<split>/<class>/<file>`` by split, sorted as in a folder tree.

    Raises:
        CorruptDataError: the members sit under more than one prefix folder.
    """
    prefixes = set()
    splits: dict[str, Entries] = {split: [] for split in SPLITS}
    for name in names:
        parts = name.split("/")
        if len(parts) < 3 or parts[-3] not in SPLITS or "__MACOSX" in parts:
            continue
        if not is_image_name(name):
            continue
        prefixes.add("/".join(parts[:-3]))
        splits[parts[-3]].append((name, parts[-2]))
    if len(prefixes) > 1:
        raise CorruptDataError(tr("data.zip_many_prefixes", path=path, prefixes=sorted(prefixes)))
    for split in SPLITS:
        splits[split].sort(key=lambda entry: (entry[1], entry[0]))
    return splits


def read_image_zip(path: Path) -> tuple[ImageSet, ImageSet]:
    """Decode an image-folder tree stored in a zip file, optionally under one top folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            splits = zip_entries(names, path)
            classes = split_classes(splits, path)

            def read_bytes(member: str) -> bytes:
                try:
                    return archive.read(member)
                # A member with a bad CRC or broken compressed data.
                except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                    raise CorruptDataError(
                        tr("data.corrupt_zip_member", path=path, member=member, reason=error)
                    ) from error

            def corrupt(member: str, reason: object) -> CorruptDataError:
                return CorruptDataError(
                    tr("data.corrupt_zip_member", path=path, member=member, reason=reason)
                )

            train = decode_split(splits["train"], classes, read_bytes, corrupt)
            test = decode_split(splits["test"], classes, read_bytes, corrupt)
    except zipfile.BadZipFile as error:
        raise CorruptDataError(tr("data.corrupt_file", path=path, reason=error)) from error
    return train, test
