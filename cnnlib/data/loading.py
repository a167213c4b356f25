"""Loading a named dataset: locate or download it, decode it once, reuse the cache after."""

from __future__ import annotations

import os
import warnings

from ..errors import DatasetNotFoundError
from ..text import tr
from .cache import cache_file, read_cache, resolve_cache_dir, source_fingerprint, write_cache
from .dataset import Dataset
from .imageset import channel_stats
from .sources import Search, Source, Splits, download as download_files, expected_files, locate, resolve_data_root
from .specs import canonical_name
from .synthetic import synthetic_dataset


def load_dataset(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    download: bool = False,
    cache_dir: str | os.PathLike | None = None,
) -> Dataset:
    """Load a dataset from a local copy, downloading it first only when ``download`` is True.

    Args:
        name: an entry of DATASETS (case and '-' versus '_' are ignored).
        root: the data root (see ``resolve_data_root``). The dataset's own folder
            (``<root>/MNIST``) or file (``cifar10-jpeg.zip``) works too.
        download: let torchvision download the dataset into ``root`` when no local
            copy is found.
        cache_dir: folder for decoded tensors (see ``resolve_cache_dir``).

    Raises:
        UnknownNameError: ``name`` is not in DATASETS.
        DatasetNotFoundError: no local copy, and downloading was not allowed or failed.
        CorruptDataError: a file of the local copy cannot be decoded.
    """
    name = canonical_name(name)
    data_root = resolve_data_root(root)

    search = locate(name, data_root)
    if search.source is None and download:
        try:
            download_files(name, data_root)
        except (OSError, RuntimeError) as error:
            message = _not_found_message(name, search) + "\n" + tr("data.download_failed", error=error)
            raise DatasetNotFoundError(message) from error
        search = locate(name, data_root)
    if search.source is None:
        raise DatasetNotFoundError(_not_found_message(name, search))

    train, test = _read_cached(name, search.source, cache_dir)
    mean, std = channel_stats(train.images)
    return Dataset(name, train, test, mean, std, source=str(search.source.path))


def _not_found_message(name: str, search: Search) -> str:
    paths = "\n".join(f"  {path}" for path in search.looked_at)
    return tr("data.not_found", name=name, paths=paths, expected=expected_files(name))


def _read_cached(name: str, source: Source, cache_dir: str | os.PathLike | None) -> Splits:
    path = cache_file(resolve_cache_dir(cache_dir), name, source.path, source_fingerprint(source.files))
    cached = read_cache(path)
    if cached is not None:
        return cached
    train, test = source.read()
    write_cache(path, train, test)
    return train, test


def load_or_synthesize(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    allow_synthetic: bool,
    download: bool = False,
    cache_dir: str | os.PathLike | None = None,
    synthetic_sizes: tuple[int, int] = (2000, 500),
    seed: int = 0,
) -> Dataset:
    """Load the real dataset, or generated stand-in data when it is missing and ``allow_synthetic`` is True.

    Only DatasetNotFoundError leads to the fallback, and the fallback issues a
    warning. An unknown name or a corrupt file raises as in ``load_dataset``.

    Args:
        synthetic_sizes: (train, test) sizes of the synthetic dataset.
        seed: seed of the synthetic dataset.
    """
    try:
        return load_dataset(name, root, download=download, cache_dir=cache_dir)
    except DatasetNotFoundError:
        if not allow_synthetic:
            raise
    train_size, test_size = synthetic_sizes
    warnings.warn(
        tr(
            "data.synthetic_fallback",
            name=canonical_name(name),
            root=resolve_data_root(root),
            train=train_size,
            test=test_size,
        ),
        stacklevel=2,
    )
    return synthetic_dataset(name, train_size, test_size, seed=seed)
