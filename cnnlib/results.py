"""The results store of one notebook: per-run records, weights and summary.csv.

Layout under ``results/<notebook>/``:

- ``runs/<experiment>_<label>_seed<seed>_<key>.json``: the record of one trained
  model (run config, per-epoch history, timings, environment, final metrics,
  gradient flow, test predictions), see `cnnlib.records`;
- ``weights/<same name>.pt``: its final state_dict (git-ignored);
- ``checkpoints/<same name>.ckpt``: the end-of-epoch checkpoint of a run in
  progress (git-ignored, deleted once the record is written);
- ``summary.csv``: one row per model and seed.

Every file is written atomically (temporary file, then rename), so an interrupted
notebook keeps every model finished before the interruption, and a finished
run is reused instead of retrained unless the caller forces it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import torch

from .data import Dataset
from .models import build_for_dataset
from .records import from_record, json_safe, run_key, to_record
from .text import tr
from .training import TrainResult, resolve_device

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
    "run_key",
]
# A re-run of the same model replaces its row instead of adding one.
ROW_KEY = ["experiment", "dataset", "model", "profile", "seed"]


def summary_row(result: TrainResult, *, experiment: str, profile: str, key: str = "", **extra) -> dict:
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
        "run_key": key,
    }
    row.update(extra)
    return row


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




def atomic_save_tensors(path: Path, state: dict) -> None:
    """Write a state_dict with ``torch.save`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        torch.save(state, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_stem(experiment: str, label: str, seed: int, key: str) -> str:
    """Return the file name (without suffix) shared by a run's record, weights and checkpoint."""
    stem = f"{experiment}_{label}_seed{seed}_{key}"
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", stem)


class ResultsStore:
    """The results folder of one notebook (layout in the module docstring)."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    @property
    def summary_path(self) -> Path:
        """Path of summary.csv."""
        return self.directory / "summary.csv"

    def record_path(self, stem: str) -> Path:
        """Path of the JSON record named ``stem``."""
        return self.directory / "runs" / f"{stem}.json"

    def weights_path(self, stem: str) -> Path:
        """Path of the final weights named ``stem``."""
        return self.directory / "weights" / f"{stem}.pt"

    def checkpoint_path(self, stem: str) -> Path:
        """Path of the end-of-epoch checkpoint named ``stem``."""
        return self.directory / "checkpoints" / f"{stem}.ckpt"

    def save(self, result: TrainResult, *, experiment: str, profile: str, key: str | None = None,
             description: dict | None = None, **extra) -> dict:
        """Write ``result``'s weights, record and summary row; return the row.

        ``key`` and ``description`` come from `cnnlib.records.run_config` / `run_key`;
        without them the key hashes the training settings and the model label.
        ``extra`` adds notebook-specific summary columns. The weights are written
        before the record, so a record on disk always has its weights beside it.
        """
        if key is None:
            key = run_key({"config": json_safe(result.config.to_dict()), "model": result.model_name,
                           "dataset": result.dataset, "profile": profile})
        row = summary_row(result, experiment=experiment, profile=profile, key=key, **extra)
        stem = run_stem(experiment, result.model_name, result.config.seed, key)
        weights = None
        if result.model is not None:
            weights_path = self.weights_path(stem)
            atomic_save_tensors(weights_path, {name: tensor.detach().cpu()
                                               for name, tensor in result.model.state_dict().items()})
            weights = weights_path.relative_to(self.directory).as_posix()
        record = to_record(result, row, key=key, description=description, weights=weights)
        atomic_write_text(self.record_path(stem), json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        self.upsert(row)
        return row

    def load(self, stem: str, key: str, dataset: Dataset, device: str = "cpu") -> TrainResult | None:
        """Return the stored result named ``stem`` with its model rebuilt, or None to retrain.

        None is returned silently when nothing is stored, and after a warning naming
        the file when the record is damaged or was written for another key, or when
        its weights are missing or do not fit the rebuilt model.
        """
        path = self.record_path(stem)
        if not path.exists():
            return None
        result = self._read_record(path, key)
        if result is None:
            return None
        weights_path = self.weights_path(stem)
        if not weights_path.exists():
            warnings.warn(tr("warning.weights_missing", path=weights_path, model=result.model_name), stacklevel=3)
            return None
        try:
            state = torch.load(weights_path, map_location="cpu", weights_only=True)
            model = build_for_dataset(result.architecture, dataset, **result.model_kwargs)
            model.load_state_dict(state)
        except Exception as error:  # a damaged zip or mismatched tensors: both mean "retrain"
            warnings.warn(tr("warning.weights_unreadable", path=weights_path, model=result.model_name,
                             reason=f"{type(error).__name__}: {error}"), stacklevel=3)
            return None
        memory_format = torch.channels_last if result.memory_format == "channels_last" else torch.contiguous_format
        result.model = model.to(device=resolve_device(device), memory_format=memory_format)
        return result

    def _read_record(self, path: Path, key: str | None) -> TrainResult | None:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if key is not None and record.get("key") != key:
                raise ValueError(f"key {record.get('key')!r}, expected {key!r}")
            return from_record(record)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            # json.JSONDecodeError and UnicodeDecodeError are ValueErrors.
            warnings.warn(tr("warning.record_damaged", path=path, reason=f"{type(error).__name__}: {error}"),
                          stacklevel=4)
            return None

    def load_results(self, experiment: str | None = None, profile: str | None = None) -> list[TrainResult]:
        """Return the stored results (without models) of the summary rows that match, in row order.

        A row whose record is missing or damaged is skipped after a warning.
        """
        summary = self.load_summary()
        if experiment is not None:
            summary = summary[summary["experiment"].astype(str) == str(experiment)]
        if profile is not None:
            summary = summary[summary["profile"] == profile]
        results = []
        for _, row in summary.iterrows():
            key = row.get("run_key")
            key = None if pd.isna(key) else str(key)
            path = self.record_path(run_stem(str(row["experiment"]), str(row["model"]), int(row["seed"]), key or ""))
            if key is None or not path.exists():
                warnings.warn(tr("warning.record_missing", path=path, model=row["model"]), stacklevel=2)
                continue
            result = self._read_record(path, key)
            if result is not None:
                results.append(result)
        return results

    def upsert(self, row: dict) -> None:
        """Insert ``row`` into summary.csv, replacing the row with the same `ROW_KEY` values.

        Columns that the replaced row had and ``row`` lacks (added by `annotate`) keep
        their values.
        """
        summary = self.load_summary()
        row = dict(row)
        if not summary.empty:
            same = (summary[ROW_KEY].astype(str) == pd.Series(row)[ROW_KEY].astype(str)).all(axis=1)
            for _, old in summary[same].iterrows():
                for column, value in old.items():
                    if column not in row and column not in SUMMARY_COLUMNS:
                        row[column] = value
            summary = summary[~same]
        new_row = pd.DataFrame([row])
        summary = new_row if summary.empty else pd.concat([summary, new_row], ignore_index=True)
        self._write_summary(summary)

    def table_path(self, name: str) -> Path:
        """Path of the saved table ``name`` (see `save_table`)."""
        return self.directory / "tables" / f"{name}.csv"

    def save_table(self, frame: pd.DataFrame, name: str) -> Path:
        """Write ``frame`` to ``tables/<name>.csv`` atomically and return the path."""
        path = self.table_path(name)
        atomic_write_text(path, frame.to_csv(index=False))
        return path

    def load_table(self, name: str) -> pd.DataFrame | None:
        """Return the saved table ``name``, or None when it was never saved."""
        path = self.table_path(name)
        return pd.read_csv(path) if path.exists() else None

    def annotate(self, *, experiment: str, model: str, profile: str | None = None, **columns) -> int:
        """Set ``columns`` on every summary row of ``model`` in ``experiment``; return the row count.

        ``profile`` limits the change to one profile's rows. Raises ValueError
        naming the known models when no row matches.
        """
        summary = self.load_summary()
        match = (summary["experiment"].astype(str) == str(experiment)) & (summary["model"].astype(str) == model)
        if profile is not None:
            match &= summary["profile"] == profile
        if not match.any():
            known = ", ".join(sorted(set(summary.loc[summary["experiment"].astype(str) == str(experiment), "model"])))
            raise ValueError(tr("error.annotate_no_rows", model=model, experiment=experiment, known=known or "—"))
        for column, value in columns.items():
            if column in ROW_KEY:
                raise ValueError(tr("error.annotate_key_column", column=column))
            if column not in summary.columns:
                summary[column] = pd.Series([None] * len(summary), dtype=object)
            elif summary[column].dtype != object and not isinstance(value, (int, float)):
                summary[column] = summary[column].astype(object)
            summary.loc[match, column] = value
        self._write_summary(summary)
        return int(match.sum())

    def _write_summary(self, summary: pd.DataFrame) -> None:
        ordered = SUMMARY_COLUMNS + [c for c in summary.columns if c not in SUMMARY_COLUMNS]
        atomic_write_text(self.summary_path, summary.reindex(columns=ordered).to_csv(index=False))

    def load_summary(self) -> pd.DataFrame:
        """Return summary.csv as a DataFrame (empty when there is none yet).

        A file that cannot be parsed is reported with a warning and read as empty.
        Its rows come back as the notebook reuses or retrains each model.
        """
        if not self.summary_path.exists():
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        try:
            return pd.read_csv(self.summary_path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
            warnings.warn(tr("warning.summary_damaged", path=self.summary_path, reason=str(error)), stacklevel=2)
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
