"""The residual-block study: per-model columns for summary.csv, stability over seeds, the comparison table.

The three networks (`cnnlib.models.resnet`) share the stem, the stage widths and
the blocks per stage, so the block design is the only difference between them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .analysis import MEAN_STD_DECIMALS, format_mean_std, mean_std_frame
from .data import Dataset
from .flops import count_flops
from .models import build_for_dataset
from .results import ResultsStore
from .stability import histories_by_model, stability_frame
from .text import tr
from .training import TrainResult

# Registry name -> block type stored in summary.csv's ``block`` column.
BLOCK_MODELS = {"ResNet-basic": "basic", "ResNet-bottleneck": "bottleneck", "ResNet-wide": "wide"}

# Stability measures written to summary.csv by `annotate_stability` (see `cnnlib.stability`).
STABILITY_MEASURES = ("final_test_acc_std", "test_loss_jitter", "grad_norm_spike")


def block_columns(dataset: Dataset, models: Sequence[str] = tuple(BLOCK_MODELS)) -> dict[str, dict]:
    """Return label -> {"block", "flops"} for `Session.train`'s ``columns``.

    FLOPs are the forward FLOPs of one image of ``dataset``, counted on a freshly
    built model, so they are known before anything trains.
    """
    columns = {}
    for name in models:
        model = build_for_dataset(name, dataset)
        shape = (dataset.in_channels, *dataset.image_size)
        columns[name] = {"block": BLOCK_MODELS.get(name, name), "flops": count_flops(model, shape)}
    return columns


def stability_by_model(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return `stability.stability_frame` of ``results``, diverged runs left out."""
    finished = [result for result in results if not result.diverged]
    return stability_frame(histories_by_model(finished))


def annotate_stability(store: ResultsStore, experiment: str, results: Sequence[TrainResult],
                       profile: str | None = None) -> pd.DataFrame:
    """Write the stability measures of each model to its summary.csv rows; return `stability_by_model`.

    Every seed row of a model gets the same values, because the measures are
    computed over its seeds. A measure that the runs cannot give (one seed for
    the spread) is written as an empty cell.
    """
    frame = stability_by_model(results)
    for row in frame.itertuples(index=False):
        values = {measure: _or_none(getattr(row, measure)) for measure in STABILITY_MEASURES}
        store.annotate(experiment=experiment, model=row.model, profile=profile, **values)
    return frame


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def block_frame(results: Sequence[TrainResult], columns: dict[str, dict]) -> pd.DataFrame:
    """Return one row per model: mean and std over seeds of the comparison metrics, FLOPs and stability (numbers)."""
    frame = mean_std_frame(results)
    frame["block"] = [columns.get(model, {}).get("block", model) for model in frame["model"]]
    frame["flops"] = [columns.get(model, {}).get("flops", math.nan) for model in frame["model"]]
    stability = stability_by_model(results).set_index("model")
    for measure in STABILITY_MEASURES:
        frame[measure] = [stability[measure].get(model, math.nan) for model in frame["model"]]
    return frame


def block_table(results: Sequence[TrainResult], columns: dict[str, dict]) -> pd.DataFrame:
    """Return the block comparison table with translated headers.

    The columns are those of the original study (model, parameters, training and
    inference time, train and test accuracy) as mean ± std over seeds, then the
    block, MFLOPs of one image, and the stability measures.
    """
    frame = block_frame(results, columns)
    rows = []
    for _, row in frame.iterrows():
        cells = {"model": row["model"], "params": int(row["params"])}
        for metric in ("train_time_s", "inference_time_s", "train_acc", "test_acc"):
            cells[metric] = format_mean_std(row[f"{metric}_mean"], row[f"{metric}_std"], MEAN_STD_DECIMALS[metric])
        cells["block"] = row["block"]
        cells["mflops"] = round(row["flops"] / 1e6, 1)
        cells["final_test_acc_std"] = _shown(100 * row["final_test_acc_std"], 2)
        cells["test_loss_jitter"] = _shown(row["test_loss_jitter"], 3)
        cells["grad_norm_spike"] = _shown(row["grad_norm_spike"], 2)
        cells["runs"] = str(row["runs"]) if row["finished"] == row["runs"] else tr(
            "table.runs_diverged", finished=row["finished"], runs=row["runs"])
        rows.append(cells)
    headers = {
        "model": tr("column.model"), "params": tr("column.params"),
        "train_time_s": tr("column.train_time_s"), "inference_time_s": tr("column.inference_time_s"),
        "train_acc": tr("column.train_acc"), "test_acc": tr("column.test_acc"),
        "block": tr("blocks.column.block"), "mflops": tr("blocks.column.mflops"),
        "final_test_acc_std": tr("blocks.column.final_test_acc_std"),
        "test_loss_jitter": tr("blocks.column.test_loss_jitter"),
        "grad_norm_spike": tr("blocks.column.grad_norm_spike"),
        "runs": tr("column.runs"),
    }
    return pd.DataFrame(rows, columns=list(headers)).rename(columns=headers)


def _shown(value: float, decimals: int) -> str:
    """Return ``value`` with ``decimals`` places, or "—" when it is not measured (NaN)."""
    return "—" if not math.isfinite(value) else f"{value:.{decimals}f}"
