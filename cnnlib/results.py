"""Per-model records and the summary table that notebooks and reports read.

Each trained model gets a JSON record (config, per-epoch history, timings,
environment, gradient flow, test predictions) under ``<dir>/runs/`` and one
row in ``<dir>/summary.csv``. Both are written as soon as the model finishes
and atomically (temporary file, then rename), so an interrupted notebook keeps
every model finished before the interruption.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import tempfile
from pathlib import Path

import pandas as pd
import torch

from .training import TrainResult

SUMMARY_COLUMNS = [
    "experiment",
    "dataset",
    "model",
    "params",
    "epochs",
    "train_time_s",
    "inference_time_s",
    "train_acc",
    "test_acc",
    "profile",
    "device",
    "seed",
    "precision",
    "memory_format",
    "diverged",
]
# A re-run of the same model replaces its row instead of adding one.
ROW_KEY = ["experiment", "dataset", "model", "profile", "seed"]


def environment() -> dict:
    """Return the versions and machine that a result was produced with."""
    import torchvision

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cuda_device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "threads": torch.get_num_threads(),
    }


def summary_row(result: TrainResult, *, experiment: str, profile: str, **extra) -> dict:
    """Return the summary.csv row of ``result``; ``extra`` adds notebook-specific columns."""
    row = {
        "experiment": experiment,
        "dataset": result.dataset,
        "model": result.model_name,
        "params": result.params,
        "epochs": result.epochs,
        "train_time_s": result.train_time_s,
        "inference_time_s": result.inference_time_s,
        "train_acc": result.train_acc,
        "test_acc": result.test_acc,
        "profile": profile,
        "device": result.device,
        "seed": result.config.seed,
        "precision": result.precision,
        "memory_format": result.memory_format,
        "diverged": result.diverged,
    }
    row.update(extra)
    return row


def _json_safe(value):
    """Replace NaN and infinities (which JSON cannot hold) with None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def record(result: TrainResult, row: dict) -> dict:
    """Return the full JSON-ready record of ``result``."""
    return _json_safe(
        {
            "summary": row,
            "config": result.config.to_dict(),
            "history": result.history,
            "grad_flow": result.grad_flow,
            "test_predictions": None if result.test_predictions is None else result.test_predictions.tolist(),
            "test_targets": None if result.test_targets is None else result.test_targets.tolist(),
            "environment": environment(),
        }
    )


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _run_file_name(row: dict) -> str:
    stem = "_".join(str(row[key]) for key in ROW_KEY)
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem) + ".json"


class ResultsStore:
    """The results folder of one notebook: ``runs/*.json`` and ``summary.csv``."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    @property
    def summary_path(self) -> Path:
        """Path of summary.csv."""
        return self.directory / "summary.csv"

    def save(self, result: TrainResult, *, experiment: str, profile: str, **extra) -> dict:
        """Write ``result``'s record and upsert its summary row; return the row."""
        row = summary_row(result, experiment=experiment, profile=profile, **extra)
        run_path = self.directory / "runs" / _run_file_name(row)
        atomic_write_text(run_path, json.dumps(record(result, row), ensure_ascii=False, indent=1))
        self._upsert(row)
        return row

    def _upsert(self, row: dict) -> None:
        summary = self.load_summary()
        if not summary.empty:
            same = (summary[ROW_KEY].astype(str) == pd.Series(row)[ROW_KEY].astype(str)).all(axis=1)
            summary = summary[~same]
        new_row = pd.DataFrame([row])
        summary = new_row if summary.empty else pd.concat([summary, new_row], ignore_index=True)
        ordered = SUMMARY_COLUMNS + [c for c in summary.columns if c not in SUMMARY_COLUMNS]
        atomic_write_text(self.summary_path, summary[ordered].to_csv(index=False))

    def load_summary(self) -> pd.DataFrame:
        """Return summary.csv as a DataFrame (empty when there is none yet)."""
        if not self.summary_path.exists():
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        return pd.read_csv(self.summary_path)
