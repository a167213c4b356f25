"""Locating a dataset's files under a data root, and downloading them with torchvision."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import torch

from ..errors import CorruptDataError
from ..paths import project_dir
from ..text import tr
from .imagefolder import read_image_tree, read_image_zip
from .imageset import ImageSet
from .mnist import IDX_FILES, TORCHVISION_FOLDERS, read_idx_split, torchvision_class
from .specs import SPECS

# torchvision's folder for the official CIFAR-10 Python release, and its files.
CIFAR_OFFICIAL_FOLDER = "cifar-10-batches-py"
CIFAR_OFFICIAL_FILES = (
    "batches.meta",
    "data_batch_1",
    "data_batch_2",
    "data_batch_3",
    "data_batch_4",
    "data_batch_5",
    "test_batch",
)

# Folder names under the data root that may hold a CIFAR-10 image-folder tree.
CIFAR_TREE_FOLDERS = ("cifar10", "cifar-10", "CIFAR10", "cifar10-jpeg")

# File name patterns under the data root for a zip of such a tree.
CIFAR_ZIP_PATTERNS = ("cifar10*.zip", "cifar-10*.zip")

Splits = tuple[ImageSet, ImageSet]


@dataclass(frozen=True)
class Source:
    """A located copy of a dataset.

    Attributes:
        path: the file or folder the data is read from, shown as ``Dataset.source``.
        files: files and folders whose sizes and modification times key the cache.
        read: decodes the (train, test) splits.
    """

    path: Path
    files: tuple[Path, ...]
    read: Callable[[], Splits]


@dataclass
class Search:
    """The result of looking for a dataset: the source found, if any, and every path checked."""

    source: Source | None = None
    looked_at: list[str] = field(default_factory=list)


def resolve_data_root(root: str | os.PathLike | None = None) -> Path:
    """Return the data root: ``root``, else $CNNLIB_DATA, else the project's ``data/`` folder.

    The project folder is found from the working directory (see
    `cnnlib.paths.project_dir`), so a notebook running in ``notebooks/`` still
    uses ``<project>/data``, and a relative $CNNLIB_DATA is taken from the project
    folder too. A relative ``root`` is taken from the working directory. The path
    is made absolute so that messages show where it points. It need not exist.
    """
    if root is None:
        from_environment = os.environ.get("CNNLIB_DATA")
        if not from_environment:
            return (project_dir() / "data").absolute()
        # A relative CNNLIB_DATA is meant from the project folder: a notebook kernel
        # runs in notebooks/, so the working directory would point one level too deep.
        path = Path(from_environment).expanduser()
        return (path if path.is_absolute() else project_dir() / path).absolute()
    return Path(root).expanduser().absolute()


def locate(name: str, root: Path) -> Search:
    """Look for ``name`` under ``root`` and return the first copy found (see the locate_* functions)."""
    if name in TORCHVISION_FOLDERS:
        return locate_idx(name, root)
    return locate_cifar10(root)


def locate_idx(name: str, root: Path) -> Search:
    """Find ``<base>/<folder>/raw`` with the four IDX files (folder is MNIST or FashionMNIST).

    The base is ``root``, or its parent when ``root`` is the dataset's own folder,
    or its grandparent when ``root`` is that folder's ``raw`` subfolder.
    """
    folder = TORCHVISION_FOLDERS[name]
    bases = [root]
    if root.name == folder:
        bases.append(root.parent)
    if root.name == "raw" and root.parent.name == folder:
        bases.append(root.parent.parent)

    search = Search()
    file_names = [file for split in IDX_FILES.values() for file in split]
    for base in bases:
        raw = base / folder / "raw"
        search.looked_at.append(str(raw))
        files = tuple(raw / file for file in file_names)
        if all(file.is_file() for file in files):
            search.source = Source(raw, files, _idx_reader(name, base))
            return search
    return search


def _idx_reader(name: str, base: Path) -> Callable[[], Splits]:
    classes = SPECS[name].classes

    def read() -> Splits:
        return (
            read_idx_split(name, base, "train", classes),
            read_idx_split(name, base, "test", classes),
        )

    return read


def locate_cifar10(root: Path) -> Search:
    """Find CIFAR-10 under ``root``. The first match in this order wins:

    1. torchvision's official layout: ``root/cifar-10-batches-py``, or ``root`` itself.
    2. An image-folder tree with ``train/`` and ``test/``: ``root`` itself, then
       ``root/<folder>`` for each folder in CIFAR_TREE_FOLDERS.
    3. A zip of such a tree: ``root`` itself, then ``root/cifar10*.zip``, ``root/cifar-10*.zip``.
    """
    search = Search()

    official = [root / CIFAR_OFFICIAL_FOLDER]
    if root.name == CIFAR_OFFICIAL_FOLDER:
        official.insert(0, root)
    for folder in official:
        search.looked_at.append(str(folder))
        if all((folder / file).is_file() for file in CIFAR_OFFICIAL_FILES):
            files = tuple(folder / file for file in CIFAR_OFFICIAL_FILES)
            search.source = Source(folder, files, _cifar_official_reader(folder.parent))
            return search

    for tree in [root, *(root / folder for folder in CIFAR_TREE_FOLDERS)]:
        search.looked_at.append(str(tree / "{train,test}"))
        if (tree / "train").is_dir() and (tree / "test").is_dir():
            trees = (tree / "train", tree / "test")
            search.source = Source(tree, trees, partial(read_image_tree, tree))
            return search

    archives = []
    if root.suffix.lower() == ".zip":
        search.looked_at.append(str(root))
        archives.append(root)
    for pattern in CIFAR_ZIP_PATTERNS:
        search.looked_at.append(str(root / pattern))
        if root.is_dir():
            archives.extend(sorted(root.glob(pattern)))
    for archive in archives:
        if archive.is_file():
            search.source = Source(archive, (archive,), partial(read_image_zip, archive))
            return search
    return search


def _cifar_official_reader(base: Path) -> Callable[[], Splits]:
    # NOTE: the tests cover only the failed MD5 check of this path, because torchvision
    # accepts only the official files and no copy of them is available offline.
    def read() -> Splits:
        from torchvision.datasets import CIFAR10

        splits = []
        for train in (True, False):
            try:
                loaded = CIFAR10(str(base), train=train, download=False)
            # torchvision 0.29 raises RuntimeError when a file fails its MD5 check.
            except RuntimeError as error:
                folder = base / CIFAR_OFFICIAL_FOLDER
                raise CorruptDataError(tr("data.corrupt_file", path=folder, reason=error)) from error
            images = torch.from_numpy(loaded.data).permute(0, 3, 1, 2).contiguous()
            labels = torch.tensor(loaded.targets, dtype=torch.int64)
            splits.append(ImageSet(images, labels, tuple(loaded.classes)))
        return splits[0], splits[1]

    return read


def expected_files(name: str) -> str:
    """Describe the files a local copy of ``name`` must have, for error messages."""
    if name in TORCHVISION_FOLDERS:
        folder = TORCHVISION_FOLDERS[name]
        names = [file for split in IDX_FILES.values() for file in split]
        return ", ".join(f"{folder}/raw/{file}" for file in names)
    return tr(
        "data.expected_cifar10",
        official=f"{CIFAR_OFFICIAL_FOLDER}/{{{','.join(CIFAR_OFFICIAL_FILES)}}}",
        zips=", ".join(CIFAR_ZIP_PATTERNS),
    )


def download(name: str, root: Path) -> None:
    """Download ``name`` into ``root`` with torchvision.

    Raises:
        OSError, RuntimeError: as torchvision 0.29 raises them when a download
            fails (urllib's URLError is an OSError).
    """
    if name in TORCHVISION_FOLDERS:
        torchvision_class(name)(str(root), train=True, download=True)
    else:
        from torchvision.datasets import CIFAR10

        CIFAR10(str(root), train=True, download=True)
