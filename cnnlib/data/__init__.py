"""Datasets as in-memory uint8 tensors: locating, decoding, caching, subsets and batches.

    from cnnlib.data import BatchLoader, load_dataset

    data = load_dataset("cifar10", "/path/to/data").subset(5000, 1000, seed=0)
    loader = BatchLoader(data.train, 128, mean=data.mean, std=data.std, shuffle=True)
"""

from .batches import BatchLoader
from .dataset import Dataset
from .imageset import ImageSet
from .loading import load_dataset, load_or_synthesize
from .sources import resolve_data_root
from .specs import DATASETS
from .streaming import StreamingBatchLoader
from .subsets import stratified_subset
from .synthetic import synthetic_dataset

__all__ = [
    "DATASETS",
    "BatchLoader",
    "Dataset",
    "ImageSet",
    "StreamingBatchLoader",
    "load_dataset",
    "load_or_synthesize",
    "resolve_data_root",
    "stratified_subset",
    "synthetic_dataset",
]
