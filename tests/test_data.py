"""Tests for cnnlib.data on small files generated in tmp_path.

Tests marked ``realdata`` read the real MNIST and CIFAR-10 copies under the
folder in $CNNLIB_DATA and are skipped when it is unset or lacks the files.
"""

from __future__ import annotations

import contextlib
import os
import struct
import warnings
import zipfile
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image

import cnnlib.data.imagefolder
from cnnlib import text
from cnnlib.data import (
    DATASETS,
    BatchLoader,
    Dataset,
    ImageSet,
    load_dataset,
    load_or_synthesize,
    resolve_data_root,
    stratified_subset,
    synthetic_dataset,
)
from cnnlib.data.augment import crop_and_flip, random_crop_and_flip
from cnnlib.data.subsets import stratified_counts
from cnnlib.errors import CorruptDataError, DatasetNotFoundError, UnknownNameError

# Read before the autouse fixture clears it for the offline tests.
REAL_DATA = os.environ.get("CNNLIB_DATA")

MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Keep every test's cache in tmp_path and ignore the caller's CNNLIB_DATA."""
    monkeypatch.setenv("CNNLIB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNLIB_DATA", raising=False)


@contextlib.contextmanager
def warnings_as_errors():
    """Turn every warning inside the block into an exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------- file builders


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as an IDX file: magic 0x000008<ndim>, big-endian sizes, raw bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def mnist_arrays(count: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (count, 5, 4) images whose pixel (y, x) of image i is offset + 20 * i + 4 * y + x, and labels i % 10."""
    index = np.arange(count)[:, None, None]
    rows = np.arange(5)[None, :, None]
    columns = np.arange(4)[None, None, :]
    images = (offset + 20 * index + 4 * rows + columns).astype(np.uint8)
    labels = (np.arange(count) % 10).astype(np.uint8)
    return images, labels


def make_idx_root(root: Path, folder: str = "MNIST", train_count: int = 6, test_count: int = 4) -> Path:
    """Write a torchvision-layout IDX copy under root/<folder>/raw and return root."""
    raw = root / folder / "raw"
    train_images, train_labels = mnist_arrays(train_count, offset=0)
    test_images, test_labels = mnist_arrays(test_count, offset=100)
    write_idx(raw / "train-images-idx3-ubyte", train_images)
    write_idx(raw / "train-labels-idx1-ubyte", train_labels)
    write_idx(raw / "t10k-images-idx3-ubyte", test_images)
    write_idx(raw / "t10k-labels-idx1-ubyte", test_labels)
    return root


def tree_pixels(class_index: int, image_index: int) -> np.ndarray:
    """Return the 8x8 RGB image number image_index of class class_index in the generated trees."""
    rows = np.arange(8)[:, None]
    columns = np.arange(8)[None, :]
    red = np.broadcast_to(10 * image_index + rows, (8, 8))
    green = np.broadcast_to(100 + 10 * class_index + columns, (8, 8))
    blue = np.full((8, 8), 250 - image_index)
    return np.stack([red, green, blue], axis=-1).astype(np.uint8)


# Class folders are written in this order, and loading must sort them to ("ant", "cat").
TREE_CLASSES = ("cat", "ant")
TREE_COUNTS = {"train": 3, "test": 1}


def make_image_tree(root: Path, image_format: str = "PNG") -> Path:
    """Write train/<class>/NNNN.<ext> and test/<class>/NNNN.<ext> under root and return root.

    Class "ant" (label 0 after sorting) uses pixels of class index 0, "cat" of index 1.
    """
    extension = "png" if image_format == "PNG" else "jpg"
    for split, count in TREE_COUNTS.items():
        for name in TREE_CLASSES:
            class_index = sorted(TREE_CLASSES).index(name)
            folder = root / split / name
            folder.mkdir(parents=True, exist_ok=True)
            for image_index in range(count):
                pixels = tree_pixels(class_index, image_index)
                Image.fromarray(pixels).save(folder / f"{image_index:04d}.{extension}", image_format)
            # ImageFolder skips files without an image extension, and so must the loader.
            (folder / "notes.txt").write_text("not an image")
    return root


def zip_tree(tree: Path, archive: Path, prefix: str = "") -> Path:
    """Store every file under tree in a zip, with member names relative to tree under prefix."""
    with zipfile.ZipFile(archive, "w") as output:
        for file in sorted(tree.rglob("*")):
            if file.is_file():
                output.write(file, prefix + file.relative_to(tree).as_posix())
    return archive


def check_tree_dataset(dataset: Dataset) -> None:
    """Assert the shapes, labels and PNG pixels of a dataset built by make_image_tree."""
    assert dataset.name == "cifar10"
    assert dataset.classes == ("ant", "cat")
    assert dataset.train.images.shape == (6, 3, 8, 8)
    assert dataset.test.images.shape == (2, 3, 8, 8)
    assert dataset.train.images.dtype == torch.uint8
    assert dataset.train.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert dataset.test.labels.tolist() == [0, 1]
    # Train sample 4 is image 1 of "cat" (class index 1). PNG is lossless, so pixels are exact.
    expected = torch.from_numpy(tree_pixels(1, 1)).permute(2, 0, 1)
    assert torch.equal(dataset.train.images[4], expected)
    assert int(dataset.train.images[4, 0, 7, 0]) == 17
    assert int(dataset.train.images[4, 1, 0, 5]) == 115
    assert int(dataset.train.images[4, 2, 3, 3]) == 249


# ---------------------------------------------------------------- names and roots


def test_unknown_name_lists_known_names(tmp_path):
    with pytest.raises(UnknownNameError) as caught:
        load_dataset("imagenet", tmp_path)
    message = str(caught.value)
    assert "imagenet" in message
    for name in DATASETS:
        assert name in message
    assert isinstance(caught.value, ValueError)


def test_unknown_name_for_synthetic():
    with pytest.raises(UnknownNameError):
        synthetic_dataset("svhn", 10, 10)


def test_resolve_data_root_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv("CNNLIB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_data_root() == tmp_path / "data"

    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "from_env"))
    assert resolve_data_root() == tmp_path / "from_env"
    assert resolve_data_root(tmp_path / "from_arg") == tmp_path / "from_arg"
    assert resolve_data_root("relative") == tmp_path / "relative"


def test_default_data_root_is_project_data_from_notebooks(tmp_path, monkeypatch):
    monkeypatch.delenv("CNNLIB_DATA", raising=False)
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.chdir(project / "notebooks")
    assert resolve_data_root() == project / "data"


def test_relative_cnnlib_data_is_from_project(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.chdir(project / "notebooks")
    monkeypatch.setenv("CNNLIB_DATA", "../shared/data")
    assert resolve_data_root() == (project / "../shared/data").absolute()
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "elsewhere"))
    assert resolve_data_root() == tmp_path / "elsewhere"
    assert resolve_data_root("local") == project / "notebooks" / "local"


# ---------------------------------------------------------------- MNIST layout


def test_mnist_idx_loads(tmp_path):
    root = make_idx_root(tmp_path / "data")
    dataset = load_dataset("mnist", root)

    assert dataset.name == "mnist"
    assert dataset.synthetic is False
    assert dataset.source == str(root / "MNIST" / "raw")
    assert dataset.classes == tuple("0123456789")
    assert dataset.train.images.shape == (6, 1, 5, 4)
    assert dataset.test.images.shape == (4, 1, 5, 4)
    assert dataset.train.images.dtype == torch.uint8
    assert dataset.train.labels.dtype == torch.int64
    assert dataset.train.labels.tolist() == [0, 1, 2, 3, 4, 5]
    assert dataset.test.labels.tolist() == [0, 1, 2, 3]
    assert dataset.image_size == (5, 4)
    assert dataset.in_channels == 1
    # Pixel (y=3, x=2) of train image 2 is 20 * 2 + 4 * 3 + 2, and of test image 1 it is 100 + 20 + 14.
    assert int(dataset.train.images[2, 0, 3, 2]) == 54
    assert int(dataset.test.images[1, 0, 3, 2]) == 134


def test_mnist_mean_std_from_train_split(tmp_path):
    dataset = load_dataset("mnist", make_idx_root(tmp_path / "data"))
    # Train pixels are 20 * i + 4 * y + x for i < 6, y < 5, x < 4: the mean is
    # 20 * 2.5 + 4 * 2 + 1.5 = 59.5, and the variance is 400 * 35/12 + 16 * 2 + 1.25 = 1200.5833...
    assert dataset.mean[0] == pytest.approx(59.5 / 255, abs=1e-12)
    assert dataset.std[0] == pytest.approx((400 * 35 / 12 + 16 * 2 + 1.25) ** 0.5 / 255, abs=1e-12)


@pytest.mark.parametrize("subfolder", ["MNIST", "MNIST/raw"])
def test_mnist_own_folder_as_root(tmp_path, subfolder):
    root = make_idx_root(tmp_path / "data")
    dataset = load_dataset("mnist", root / subfolder)
    assert dataset.train.images.shape == (6, 1, 5, 4)
    assert dataset.source == str(root / "MNIST" / "raw")


def test_fashion_mnist_folder_and_classes(tmp_path):
    root = make_idx_root(tmp_path / "data", folder="FashionMNIST")
    dataset = load_dataset("fashion_mnist", root)
    assert dataset.classes[0] == "T-shirt/top"
    assert dataset.classes[9] == "Ankle boot"
    assert dataset.num_classes == 10
    assert dataset.train.images.shape == (6, 1, 5, 4)


def test_mnist_truncated_idx_names_file(tmp_path):
    root = make_idx_root(tmp_path / "data")
    images_file = root / "MNIST" / "raw" / "train-images-idx3-ubyte"
    images_file.write_bytes(images_file.read_bytes()[:-7])

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("mnist", root)
    message = str(caught.value)
    assert str(images_file) in message
    # The header promises 16 + 6 * 5 * 4 = 136 bytes, and 129 remain.
    assert "129" in message
    assert "136" in message


def test_mnist_bad_magic_names_file(tmp_path):
    root = make_idx_root(tmp_path / "data")
    labels_file = root / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    labels_file.write_bytes(b"\x1f\x8b\x08\x00" + labels_file.read_bytes()[4:])

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("mnist", root)
    assert str(labels_file) in str(caught.value)
    assert "1f8b0800" in str(caught.value)


def test_mnist_count_mismatch_names_both_files(tmp_path):
    root = make_idx_root(tmp_path / "data")
    raw = root / "MNIST" / "raw"
    write_idx(raw / "train-labels-idx1-ubyte", np.zeros(5, dtype=np.uint8))

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("mnist", root)
    assert str(raw / "train-images-idx3-ubyte") in str(caught.value)
    assert str(raw / "train-labels-idx1-ubyte") in str(caught.value)


# ---------------------------------------------------------------- image folders and zips


def test_image_tree_loads(tmp_path):
    root = tmp_path / "data"
    make_image_tree(root / "cifar10")
    dataset = load_dataset("cifar10", root)
    check_tree_dataset(dataset)
    assert dataset.source == str(root / "cifar10")


def test_image_tree_as_root(tmp_path):
    tree = make_image_tree(tmp_path / "my-copy")
    check_tree_dataset(load_dataset("cifar10", tree))


def test_image_zip_loads(tmp_path):
    tree = make_image_tree(tmp_path / "tree")
    root = tmp_path / "data"
    root.mkdir()
    archive = zip_tree(tree, root / "cifar10-jpeg.zip")

    dataset = load_dataset("cifar10", root)
    check_tree_dataset(dataset)
    assert dataset.source == str(archive)


def test_image_zip_as_root_with_top_folder(tmp_path):
    tree = make_image_tree(tmp_path / "tree")
    archive = zip_tree(tree, tmp_path / "images.zip", prefix="cifar10/")
    check_tree_dataset(load_dataset("cifar10", archive))


def test_image_zip_jpeg_close_to_source(tmp_path):
    tree = make_image_tree(tmp_path / "tree", image_format="JPEG")
    archive = zip_tree(tree, tmp_path / "cifar10.zip")
    dataset = load_dataset("cifar10", archive)

    assert dataset.train.images.shape == (6, 3, 8, 8)
    expected = torch.from_numpy(tree_pixels(1, 1)).permute(2, 0, 1).int()
    error = (dataset.train.images[4].int() - expected).abs().float().mean()
    # JPEG is lossy, but smooth 8x8 ramps come back within a few levels on average.
    assert error < 8


def test_image_zip_corrupt_jpeg_names_member(tmp_path):
    tree = make_image_tree(tmp_path / "tree", image_format="JPEG")
    bad_image = tree / "train" / "cat" / "0001.jpg"
    bad_image.write_bytes(bad_image.read_bytes()[:200])
    archive = zip_tree(tree, tmp_path / "cifar10.zip")

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("cifar10", archive)
    assert "train/cat/0001.jpg" in str(caught.value)
    assert str(archive) in str(caught.value)


def test_image_tree_corrupt_png_names_file(tmp_path):
    tree = make_image_tree(tmp_path / "tree")
    bad_image = tree / "test" / "ant" / "0000.png"
    bad_image.write_bytes(b"\x89PNG not really")

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("cifar10", tree)
    assert str(bad_image) in str(caught.value)


def test_image_tree_size_mismatch_names_file(tmp_path):
    tree = make_image_tree(tmp_path / "tree")
    odd_image = tree / "train" / "cat" / "0002.png"
    Image.fromarray(np.zeros((6, 9, 3), dtype=np.uint8)).save(odd_image)

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("cifar10", tree)
    assert str(odd_image) in str(caught.value)
    assert "9x6" in str(caught.value)
    assert "8x8" in str(caught.value)


def test_official_cifar_layout_checked_by_torchvision(tmp_path):
    # Files with the official names but not the official content fail torchvision's MD5 check.
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for file in ("batches.meta", "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                 "data_batch_5", "test_batch"):
        (folder / file).write_bytes(b"not a pickle")

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("cifar10", tmp_path)
    assert str(folder) in str(caught.value)


def test_bad_zip_names_archive(tmp_path):
    archive = tmp_path / "cifar10-jpeg.zip"
    archive.write_bytes(b"PK\x03\x04 this is not a zip file")

    with pytest.raises(CorruptDataError) as caught:
        load_dataset("cifar10", tmp_path)
    assert str(archive) in str(caught.value)


# ---------------------------------------------------------------- missing data and download


def test_missing_mnist_raises_without_download(tmp_path, monkeypatch):
    def no_download(self):
        raise AssertionError("download attempted")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", no_download)
    root = tmp_path / "empty"
    root.mkdir()

    with pytest.raises(DatasetNotFoundError) as caught:
        load_dataset("mnist", root)
    message = str(caught.value)
    assert "mnist" in message
    assert str(root / "MNIST" / "raw") in message
    for file in MNIST_FILES:
        assert f"MNIST/raw/{file}" in message
    assert "CNNLIB_DATA" in message
    assert "download=True" in message
    assert caught.value.__cause__ is None


def test_missing_cifar10_lists_all_paths(tmp_path):
    with pytest.raises(DatasetNotFoundError) as caught:
        load_dataset("cifar10", tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "cifar-10-batches-py") in message
    assert str(tmp_path / "cifar10") in message
    assert str(tmp_path / "cifar10-jpeg") in message
    assert str(tmp_path / "cifar10*.zip") in message
    assert "data_batch_1" in message


def test_not_found_message_in_english(tmp_path):
    text.set_language("en")
    try:
        with pytest.raises(DatasetNotFoundError) as caught:
            load_dataset("fashion_mnist", tmp_path)
    finally:
        text.set_language("ru")
    assert "Dataset fashion_mnist not found" in str(caught.value)
    assert "FashionMNIST/raw/train-images-idx3-ubyte" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "dataset_class"),
    [("mnist", torchvision.datasets.MNIST), ("cifar10", torchvision.datasets.CIFAR10)],
)
def test_failed_download_chains_error(tmp_path, monkeypatch, name, dataset_class):
    def offline_download(self):
        raise URLError("network is unreachable")

    monkeypatch.setattr(dataset_class, "download", offline_download)

    with pytest.raises(DatasetNotFoundError) as caught:
        load_dataset(name, tmp_path, download=True)
    assert isinstance(caught.value.__cause__, URLError)
    assert "network is unreachable" in str(caught.value)
    assert name in str(caught.value)


# ---------------------------------------------------------------- cache


def test_cache_reused_on_second_load(tmp_path, monkeypatch):
    tree = make_image_tree(tmp_path / "tree")
    archive = zip_tree(tree, tmp_path / "cifar10.zip")
    cache_dir = tmp_path / "my-cache"

    first = load_dataset("cifar10", archive, cache_dir=cache_dir)
    cache_files = list(cache_dir.glob("*.pt"))
    assert len(cache_files) == 1

    def no_decoding(data):
        raise AssertionError("decoded although the cache is valid")

    monkeypatch.setattr(cnnlib.data.imagefolder, "decode_rgb", no_decoding)
    second = load_dataset("cifar10", archive, cache_dir=cache_dir)
    assert torch.equal(second.train.images, first.train.images)
    assert torch.equal(second.test.labels, first.test.labels)
    assert second.classes == first.classes
    assert second.mean == first.mean


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    root = make_idx_root(tmp_path / "data")
    monkeypatch.setenv("CNNLIB_CACHE", str(tmp_path / "env-cache"))
    load_dataset("mnist", root)
    assert len(list((tmp_path / "env-cache").glob("mnist-*.pt"))) == 1


def test_cache_rebuilt_when_source_changes(tmp_path, monkeypatch):
    root = make_idx_root(tmp_path / "data")
    cache_dir = tmp_path / "cache"
    load_dataset("mnist", root, cache_dir=cache_dir)
    old_entry = next(cache_dir.glob("*.pt"))

    # Replace the train labels with all sevens: the size stays the same, the mtime changes.
    labels_file = root / "MNIST" / "raw" / "train-labels-idx1-ubyte"
    write_idx(labels_file, np.full(6, 7, dtype=np.uint8))
    status = labels_file.stat()
    os.utime(labels_file, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))

    reloaded = load_dataset("mnist", root, cache_dir=cache_dir)
    assert reloaded.train.labels.tolist() == [7] * 6
    entries = list(cache_dir.glob("*.pt"))
    assert len(entries) == 1
    assert entries[0] != old_entry


def test_corrupt_cache_warns_and_rebuilds(tmp_path):
    root = make_idx_root(tmp_path / "data")
    cache_dir = tmp_path / "cache"
    first = load_dataset("mnist", root, cache_dir=cache_dir)
    entry = next(cache_dir.glob("*.pt"))
    entry.write_bytes(entry.read_bytes()[:100])

    with pytest.warns(UserWarning, match="mnist-"):
        rebuilt = load_dataset("mnist", root, cache_dir=cache_dir)
    assert torch.equal(rebuilt.train.images, first.train.images)
    assert entry.stat().st_size > 100

    # The rewritten entry loads without a warning.
    with warnings_as_errors():
        load_dataset("mnist", root, cache_dir=cache_dir)


# ---------------------------------------------------------------- subsets


def indexed_set(labels: list[int], num_classes: int = 3) -> ImageSet:
    """Return an ImageSet whose image i stores i in its two pixels (i // 256, i % 256)."""
    count = len(labels)
    index = torch.arange(count)
    images = torch.stack([index // 256, index % 256], dim=1).view(count, 1, 1, 2).to(torch.uint8)
    return ImageSet(images.contiguous(), torch.tensor(labels, dtype=torch.int64), tuple("abcdefghij"[:num_classes]))


def original_indices(images: ImageSet) -> list[int]:
    pixels = images.images.view(-1, 2).long()
    return (pixels[:, 0] * 256 + pixels[:, 1]).tolist()


@pytest.mark.parametrize(
    ("class_counts", "size", "expected"),
    [
        # Quotas 4.2, 1.2, 0.6: floors 4, 1, 0 and the one missing sample goes to the 0.6.
        ((7, 2, 1), 6, [4, 1, 1]),
        # Quotas 2.0, 1.2, 0.8: floors 2, 1, 0 and the missing sample goes to the 0.8.
        ((5, 3, 2), 4, [2, 1, 1]),
        # Quotas 3.0, 1.5, 0.5: equal fractions, so the lower class index wins.
        ((6, 3, 1), 5, [3, 2, 0]),
        # Quotas 1.5, 1.5, 0: floors 1, 1, 0 and the tie for the missing sample goes to class 0.
        ((3, 3, 0), 3, [2, 1, 0]),
    ],
)
def test_stratified_counts_largest_remainder(class_counts, size, expected):
    counts = stratified_counts(torch.tensor(class_counts), size)
    assert counts.tolist() == expected
    assert int(counts.sum()) == size


def test_stratified_subset_class_counts(tmp_path):
    labels = [0] * 7 + [1] * 2 + [2] * 1
    labels = labels[::2] + labels[1::2]  # interleave so classes are not contiguous
    images = indexed_set(labels)

    subset = stratified_subset(images, 6, seed=0)
    assert len(subset) == 6
    assert torch.bincount(subset.labels, minlength=3).tolist() == [4, 1, 1]
    chosen = original_indices(subset)
    assert chosen == sorted(chosen)
    for position, index in enumerate(chosen):
        assert subset.labels[position] == labels[index]


def test_stratified_subset_seeded():
    labels = [index % 3 for index in range(300)]
    images = indexed_set(labels)

    first = original_indices(stratified_subset(images, 30, seed=1))
    again = original_indices(stratified_subset(images, 30, seed=1))
    other = original_indices(stratified_subset(images, 30, seed=2))
    assert first == again
    assert first != other
    assert len(set(first)) == 30


def test_stratified_subset_whole_set_unchanged():
    images = indexed_set([0, 1, 2, 0])
    assert stratified_subset(images, None, seed=0) is images
    assert stratified_subset(images, 4, seed=0) is images
    assert stratified_subset(images, 10, seed=0) is images
    assert len(stratified_subset(images, 0, seed=0)) == 0


def test_stratified_subset_rejects_negative_size():
    with pytest.raises(ValueError, match="-1"):
        stratified_subset(indexed_set([0, 1]), -1, seed=0)


def test_dataset_subset_keeps_normalisation(tmp_path):
    dataset = synthetic_dataset("mnist", 200, 100, seed=0)
    subset = dataset.subset(50, 20, seed=3)
    assert len(subset.train) == 50
    assert len(subset.test) == 20
    assert subset.mean == dataset.mean
    assert subset.std == dataset.std
    assert subset.name == "mnist"
    assert subset.synthetic is True
    assert torch.bincount(subset.train.labels, minlength=10).tolist() == [5] * 10


# ---------------------------------------------------------------- synthetic data


@pytest.mark.parametrize(
    ("name", "shape", "first_class", "last_class"),
    [
        ("mnist", (1, 28, 28), "0", "9"),
        ("fashion_mnist", (1, 28, 28), "T-shirt/top", "Ankle boot"),
        ("cifar10", (3, 32, 32), "airplane", "truck"),
    ],
)
def test_synthetic_shapes_and_classes(name, shape, first_class, last_class):
    dataset = synthetic_dataset(name, 40, 20, seed=0)
    assert dataset.train.images.shape == (40, *shape)
    assert dataset.test.images.shape == (20, *shape)
    assert dataset.train.images.dtype == torch.uint8
    assert dataset.train.labels.dtype == torch.int64
    assert dataset.classes[0] == first_class
    assert dataset.classes[-1] == last_class
    assert dataset.synthetic is True
    assert dataset.source == "synthetic"
    assert torch.bincount(dataset.train.labels, minlength=10).tolist() == [4] * 10


def test_synthetic_mean_std_match_direct_computation():
    dataset = synthetic_dataset("cifar10", 100, 10, seed=5)
    pixels = dataset.train.images.double() / 255
    for channel in range(3):
        assert dataset.mean[channel] == pytest.approx(float(pixels[:, channel].mean()), abs=1e-12)
        assert dataset.std[channel] == pytest.approx(float(pixels[:, channel].std(unbiased=False)), abs=1e-12)


def test_synthetic_seeded():
    first = synthetic_dataset("mnist", 30, 10, seed=4)
    again = synthetic_dataset("mnist", 30, 10, seed=4)
    other = synthetic_dataset("mnist", 30, 10, seed=5)
    assert torch.equal(first.train.images, again.train.images)
    assert torch.equal(first.test.labels, again.test.labels)
    assert not torch.equal(first.train.images, other.train.images)


def test_synthetic_samples_vary_within_class():
    dataset = synthetic_dataset("mnist", 100, 10, seed=0)
    zeros = dataset.train.images[dataset.train.labels == 0].float()
    assert float((zeros[0] - zeros[1]).abs().mean()) > 10


def test_synthetic_nearest_class_mean_separates():
    dataset = synthetic_dataset("cifar10", 1000, 500, seed=0)
    train = dataset.train.images.float().flatten(1)
    test = dataset.test.images.float().flatten(1)
    centroids = torch.stack([train[dataset.train.labels == k].mean(0) for k in range(10)])
    predictions = torch.cdist(test, centroids).argmin(1)
    accuracy = float((predictions == dataset.test.labels).float().mean())
    assert accuracy > 0.9


def test_synthetic_learned_by_small_cnn_in_one_epoch():
    torch.manual_seed(0)
    dataset = synthetic_dataset("mnist", 2000, 500, seed=0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(4),
        torch.nn.Flatten(),
        torch.nn.Linear(8 * 7 * 7, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loader = BatchLoader(dataset.train, 64, mean=dataset.mean, std=dataset.std, shuffle=True)
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    test_loader = BatchLoader(dataset.test, 500, mean=dataset.mean, std=dataset.std)
    with torch.no_grad():
        x, y = next(iter(test_loader))
        accuracy = float((model(x).argmax(1) == y).float().mean())
    # Chance is 0.1.
    assert accuracy > 0.5


def test_synthetic_rejects_bad_sizes():
    with pytest.raises(ValueError, match="train_size"):
        synthetic_dataset("mnist", 0, 10)
    with pytest.raises(ValueError, match="test_size"):
        synthetic_dataset("mnist", 10, -1)


def test_load_or_synthesize_falls_back_with_warning(tmp_path):
    with pytest.warns(UserWarning, match="mnist") as caught:
        dataset = load_or_synthesize("mnist", tmp_path, allow_synthetic=True, synthetic_sizes=(30, 20), seed=1)
    assert dataset.synthetic is True
    assert len(dataset.train) == 30
    assert len(dataset.test) == 20
    message = str(caught[0].message)
    assert "\n" not in message
    assert str(tmp_path) in message


def test_load_or_synthesize_without_permission_raises(tmp_path):
    with pytest.raises(DatasetNotFoundError):
        load_or_synthesize("mnist", tmp_path, allow_synthetic=False)


def test_load_or_synthesize_prefers_real_data(tmp_path):
    root = make_idx_root(tmp_path / "data")
    with warnings_as_errors():
        dataset = load_or_synthesize("mnist", root, allow_synthetic=True)
    assert dataset.synthetic is False
    assert len(dataset.train) == 6


# ---------------------------------------------------------------- augmentation


def test_crop_and_flip_hand_computed():
    image = torch.arange(1, 10, dtype=torch.uint8).view(1, 1, 3, 3).repeat(3, 1, 1, 1)
    offsets_y = torch.tensor([0, 2, 1])
    offsets_x = torch.tensor([0, 2, 1])
    flips = torch.tensor([False, False, True])

    result = crop_and_flip(image, 1, offsets_y, offsets_x, flips)
    assert result.shape == (3, 1, 3, 3)
    # Window at the top-left corner of the padded image: zeros above and left.
    assert result[0, 0].tolist() == [[0, 0, 0], [0, 1, 2], [0, 4, 5]]
    # Window at the bottom-right corner: zeros below and right.
    assert result[1, 0].tolist() == [[5, 6, 0], [8, 9, 0], [0, 0, 0]]
    # Centred window, mirrored.
    assert result[2, 0].tolist() == [[3, 2, 1], [6, 5, 4], [9, 8, 7]]


def test_random_flip_rate_without_padding():
    image = torch.arange(6, dtype=torch.uint8).view(1, 1, 2, 3).repeat(400, 1, 1, 1)
    generator = torch.Generator().manual_seed(0)
    result = random_crop_and_flip(image, 0, generator)
    flipped = (result == image.flip(3)).flatten(1).all(1)
    unchanged = (result == image).flatten(1).all(1)
    assert bool((flipped | unchanged).all())
    # Binomial(400, 0.5) lies in 150..250 with probability above 0.9999.
    assert 150 < int(flipped.sum()) < 250


# ---------------------------------------------------------------- batches


def ten_samples(channels: int = 1) -> ImageSet:
    images = torch.arange(10, dtype=torch.uint8).view(10, 1, 1, 1).repeat(1, channels, 4, 4)
    return ImageSet(images.contiguous(), torch.arange(10), tuple("0123456789"))


def test_batch_loader_batch_sizes_and_coverage():
    loader = BatchLoader(ten_samples(), 4, mean=(0.0,), std=(1.0,), shuffle=True, seed=0)
    batches = list(loader)
    assert len(loader) == 3
    assert loader.num_samples == 10
    assert [len(y) for _, y in batches] == [4, 4, 2]
    labels = torch.cat([y for _, y in batches])
    assert sorted(labels.tolist()) == list(range(10))
    assert labels.tolist() != list(range(10))
    # Every image still matches its label after the shuffle.
    x = torch.cat([x for x, _ in batches])
    assert torch.equal((x[:, 0, 0, 0] * 255).round().long(), labels)


def test_batch_loader_drop_last():
    loader = BatchLoader(ten_samples(), 4, mean=(0.0,), std=(1.0,), drop_last=True)
    assert len(loader) == 2
    assert [len(y) for _, y in loader] == [4, 4]


def test_batch_loader_keeps_order_without_shuffle():
    loader = BatchLoader(ten_samples(), 3, mean=(0.0,), std=(1.0,))
    labels = torch.cat([y for _, y in loader])
    assert labels.tolist() == list(range(10))


def test_batch_loader_output_types():
    x, y = next(iter(BatchLoader(ten_samples(), 4, mean=(0.0,), std=(1.0,))))
    assert x.dtype == torch.float32
    assert y.dtype == torch.int64
    assert x.shape == (4, 1, 4, 4)
    assert x.device.type == "cpu"


def test_batch_loader_normalisation_hand_computed():
    images = torch.tensor([51, 102, 204], dtype=torch.uint8).view(1, 3, 1, 1).repeat(2, 1, 2, 2)
    image_set = ImageSet(images.contiguous(), torch.tensor([0, 1]), ("a", "b"))
    loader = BatchLoader(image_set, 2, mean=(0.1, 0.2, 0.3), std=(0.5, 0.25, 0.1))
    x, _ = next(iter(loader))
    # (51/255 - 0.1) / 0.5 = 0.2, (102/255 - 0.2) / 0.25 = 0.8, (204/255 - 0.3) / 0.1 = 5.0
    assert float(x[1, 0, 1, 0]) == pytest.approx(0.2, abs=1e-6)
    assert float(x[1, 1, 1, 0]) == pytest.approx(0.8, abs=1e-6)
    assert float(x[1, 2, 1, 0]) == pytest.approx(5.0, abs=1e-5)


def test_batch_loader_same_seed_same_batches():
    def run(seed):
        loader = BatchLoader(ten_samples(), 4, mean=(0.0,), std=(1.0,), shuffle=True, seed=seed)
        return [[y.tolist() for _, y in loader] for _ in range(2)]

    first = run(3)
    assert first == run(3)
    assert first[0] != first[1]
    assert first != run(4)


def test_batch_loader_epoch_seeds_not_shifted():
    # Seed 1's first epoch must not repeat seed 0's second epoch.
    def epochs(seed):
        loader = BatchLoader(ten_samples(), 10, mean=(0.0,), std=(1.0,), shuffle=True, seed=seed)
        return [next(iter(loader))[1].tolist() for _ in range(2)]

    assert epochs(1)[0] != epochs(0)[1]


@pytest.mark.parametrize("augment", [False, True])
def test_batch_loader_channels_last(augment):
    image_set = ten_samples(channels=3)
    channels_last = BatchLoader(
        image_set, 4, mean=(0.0,) * 3, std=(1.0,) * 3, augment=augment, channels_last=True
    )
    default = BatchLoader(image_set, 4, mean=(0.0,) * 3, std=(1.0,) * 3, augment=augment)
    x, _ = next(iter(channels_last))
    assert x.is_contiguous(memory_format=torch.channels_last)
    assert not x.is_contiguous()
    x, _ = next(iter(default))
    assert x.is_contiguous()


def test_batch_loader_augment_constant_image():
    images = torch.full((64, 3, 8, 8), 200, dtype=torch.uint8)
    image_set = ImageSet(images, torch.zeros(64, dtype=torch.int64), ("only",))
    loader = BatchLoader(image_set, 64, mean=(0.0,) * 3, std=(1.0,) * 3, augment=True, seed=0)
    x, _ = next(iter(loader))
    assert x.shape == (64, 3, 8, 8)

    bright = (x - 200 / 255).abs() < 1e-6
    dark = x == 0
    assert bool((bright | dark).all())
    # A crop of a constant image is constant inside one rectangle and zero padding outside it.
    for sample in bright[:, 0]:
        rows = sample.any(1)
        columns = sample.any(0)
        assert torch.equal(sample, rows[:, None] & columns[None, :])
    # The crop offsets are random, so some samples include padding.
    assert int(dark.flatten(1).any(1).sum()) > 32


def test_batch_loader_augment_changes_images():
    dataset = synthetic_dataset("cifar10", 64, 1, seed=0)
    plain = BatchLoader(dataset.train, 64, mean=dataset.mean, std=dataset.std)
    augmented = BatchLoader(dataset.train, 64, mean=dataset.mean, std=dataset.std, augment=True)
    x_plain, y_plain = next(iter(plain))
    x_augmented, y_augmented = next(iter(augmented))
    assert torch.equal(y_plain, y_augmented)
    assert x_augmented.shape == x_plain.shape
    changed = (x_plain != x_augmented).flatten(1).any(1)
    # Only the centred crop without a flip leaves an image as it was: 1 in 162 per sample.
    assert int(changed.sum()) > 56


def test_batch_loader_rejects_bad_arguments():
    image_set = ten_samples()
    with pytest.raises(ValueError, match="batch_size"):
        BatchLoader(image_set, 0, mean=(0.0,), std=(1.0,))
    with pytest.raises(ValueError, match="mean"):
        BatchLoader(image_set, 2, mean=(0.0, 0.0, 0.0), std=(1.0,))
    with pytest.raises(ValueError, match="std"):
        BatchLoader(image_set, 2, mean=(0.0,), std=(0.0,))


# ---------------------------------------------------------------- image sets


def test_image_set_rejects_bad_tensors():
    images = torch.zeros(2, 1, 4, 4, dtype=torch.uint8)
    labels = torch.tensor([0, 1])
    with pytest.raises(ValueError, match="uint8"):
        ImageSet(images.float(), labels, ("a", "b"))
    with pytest.raises(ValueError, match="int64"):
        ImageSet(images, labels.int(), ("a", "b"))
    with pytest.raises(ValueError):
        ImageSet(images, torch.tensor([0, 2]), ("a", "b"))
    with pytest.raises(ValueError):
        ImageSet(images, torch.tensor([0]), ("a", "b"))


def test_image_set_properties():
    image_set = ImageSet(torch.zeros(5, 3, 6, 7, dtype=torch.uint8), torch.zeros(5, dtype=torch.int64), ("a", "b"))
    assert len(image_set) == 5
    assert image_set.num_classes == 2
    assert image_set.in_channels == 3
    assert image_set.image_size == (6, 7)


# ---------------------------------------------------------------- real data


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory):
    """One cache folder for all real-data tests, so CIFAR-10 is decoded once per session."""
    return tmp_path_factory.mktemp("real-cache")


def real_path(*parts: str) -> Path:
    """Return $CNNLIB_DATA/<parts>, skipping the test when the variable is unset or the path missing."""
    if not REAL_DATA:
        pytest.skip("CNNLIB_DATA is not set")
    path = Path(REAL_DATA, *parts)
    if not path.exists():
        pytest.skip(f"{path} does not exist")
    return path


@pytest.mark.realdata
def test_real_mnist(real_cache):
    real_path("MNIST", "raw", "train-images-idx3-ubyte")
    dataset = load_dataset("mnist", REAL_DATA, cache_dir=real_cache)
    assert dataset.train.images.shape == (60000, 1, 28, 28)
    assert dataset.test.images.shape == (10000, 1, 28, 28)
    assert int(dataset.train.labels.min()) == 0
    assert int(dataset.train.labels.max()) == 9
    assert torch.bincount(dataset.test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert dataset.mean[0] == pytest.approx(0.1307, abs=1e-4)
    assert dataset.std[0] == pytest.approx(0.3081, abs=1e-4)


@pytest.mark.realdata
def test_real_cifar10_zip(real_cache):
    archive = real_path("cifar10-jpeg.zip")
    dataset = load_dataset("cifar10", archive, cache_dir=real_cache)
    assert dataset.source == str(archive)
    assert dataset.train.images.shape == (50000, 3, 32, 32)
    assert dataset.test.images.shape == (10000, 3, 32, 32)
    assert dataset.classes == (
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    )
    assert torch.bincount(dataset.train.labels).tolist() == [5000] * 10
    assert torch.bincount(dataset.test.labels).tolist() == [1000] * 10
    for channel, expected in enumerate((0.4913, 0.4821, 0.4465)):
        assert dataset.mean[channel] == pytest.approx(expected, abs=1e-3)
    for channel, expected in enumerate((0.2452, 0.2428, 0.2606)):
        assert dataset.std[channel] == pytest.approx(expected, abs=1e-3)
