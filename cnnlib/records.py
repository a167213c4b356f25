"""The JSON record of one trained model, and the key that identifies its run.

A run's key is a hash of everything that decides what training computes: the
registry model and its arguments, the training settings, the dataset (name,
split sizes and a fingerprint of the pixels and labels) and the profile.
Settings that only change how a run executes are left out (see
`EXECUTION_SETTINGS`), so results made on a CPU are reused on a GPU machine.

NOTE: the key does not cover the code. After changing a model or the training
loop, rerun with ``force=True`` so that stored results are not reused.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import weakref

import torch

from .data import Dataset, ImageSet
from .training import TrainConfig, TrainResult

RECORD_VERSION = 2

# TrainConfig fields that change speed or output, not the trained weights'
# distribution: they are recorded but not part of the run key.
EXECUTION_SETTINGS = ("device", "progress", "compile", "loader", "eval_batch_size")

_fingerprints: "weakref.WeakKeyDictionary[ImageSet, str]" = weakref.WeakKeyDictionary()


def fingerprint(images: ImageSet) -> str:
    """Return a short hash of an image set's pixels and labels (cached per object)."""
    if images not in _fingerprints:
        digest = hashlib.blake2b(digest_size=8)
        digest.update(images.images.contiguous().numpy().tobytes())
        digest.update(images.labels.contiguous().numpy().tobytes())
        _fingerprints[images] = digest.hexdigest()
    return _fingerprints[images]


def run_config(architecture: str, model_kwargs: dict, dataset: Dataset, config: TrainConfig, profile: str) -> dict:
    """Return the JSON-ready description of a run that `run_key` hashes."""
    training = {name: value for name, value in config.to_dict().items() if name not in EXECUTION_SETTINGS}
    return json_safe({
        "model": architecture,
        "model_kwargs": model_kwargs,
        "training": training,
        "dataset": {
            "name": dataset.name,
            "train_size": len(dataset.train),
            "test_size": len(dataset.test),
            "synthetic": dataset.synthetic,
            "train_fingerprint": fingerprint(dataset.train),
            "test_fingerprint": fingerprint(dataset.test),
        },
        "profile": profile,
    })


def run_key(description: dict) -> str:
    """Return a 16-hex-digit hash of ``description`` (key order does not matter)."""
    text = json.dumps(description, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def json_safe(value):
    """Replace NaN and infinities (which JSON cannot hold) with None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def environment() -> dict:
    """Return the package versions and machine that a result was produced with."""
    import numpy
    import pandas
    import torchvision

    from . import __version__

    return {
        "python": platform.python_version(),
        "cnnlib": __version__,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cuda_device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "threads": torch.get_num_threads(),
    }


# TrainResult fields stored under "result" and read back as they are.
RESULT_FIELDS = (
    "model_name", "architecture", "model_kwargs", "dataset", "params", "train_time_s", "inference_time_s",
    "train_acc", "test_acc", "test_loss", "device", "precision", "memory_format", "diverged", "convolutional",
)


def to_record(result: TrainResult, row: dict, *, key: str, description: dict | None, weights: str | None) -> dict:
    """Return the JSON-ready record of ``result`` with its summary ``row``."""
    return json_safe({
        "format_version": RECORD_VERSION,
        "key": key,
        "run_config": description,
        "summary": row,
        "result": {name: getattr(result, name) for name in RESULT_FIELDS},
        "config": result.config.to_dict(),
        "history": result.history,
        "grad_flow": result.grad_flow,
        "test_predictions": None if result.test_predictions is None else result.test_predictions.tolist(),
        "test_targets": None if result.test_targets is None else result.test_targets.tolist(),
        "environment": environment(),
        "weights": weights,
    })


def _number(value) -> float:
    return math.nan if value is None else float(value)


def _config_from_dict(settings: dict) -> TrainConfig:
    settings = dict(settings)
    # A NaN learning rate (a deliberately diverging run) is stored as null.
    for name in ("lr", "weight_decay"):
        if settings.get(name) is None:
            settings[name] = math.nan
    return TrainConfig(**settings)


def from_record(record: dict) -> TrainResult:
    """Rebuild the TrainResult of ``record`` without its model.

    Raises KeyError, TypeError or ValueError when the record lacks a field or
    contains a wrong value. Callers treat that as a damaged record.
    """
    if record.get("format_version") != RECORD_VERSION:
        raise ValueError(f"record format {record.get('format_version')!r}, expected {RECORD_VERSION}")
    stored = record["result"]
    fields = {name: stored[name] for name in RESULT_FIELDS}
    for name in ("train_time_s", "inference_time_s", "train_acc", "test_acc", "test_loss"):
        fields[name] = _number(fields[name])
    history = [{name: (math.nan if value is None else value) for name, value in epoch.items()}
               for epoch in record["history"]]
    predictions, targets = record["test_predictions"], record["test_targets"]
    return TrainResult(
        **fields,
        config=_config_from_dict(record["config"]),
        history=history,
        grad_flow={int(epoch): layers for epoch, layers in record["grad_flow"].items()},
        test_predictions=None if predictions is None else torch.tensor(predictions, dtype=torch.int64),
        test_targets=None if targets is None else torch.tensor(targets, dtype=torch.int64),
    )
