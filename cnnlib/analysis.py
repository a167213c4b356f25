"""Numbers derived from training results: tables, confusion matrices, gradient flow.

Everything here returns arrays or DataFrames; `cnnlib.plotting` draws them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from .stats import aggregate
from .text import class_name, tr
from .training import TrainResult, count_parameters  # noqa: F401  (count_parameters is re-exported)

# Machine column -> text key of its displayed header.
COMPARISON_COLUMNS = {
    "model": "column.model",
    "train_time_s": "column.train_time_s",
    "inference_time_s": "column.inference_time_s",
    "train_acc": "column.train_acc",
    "test_acc": "column.test_acc",
    "gap": "column.gap",
    "params": "column.params",
    "setup": "column.setup",
}


def comparison_frame(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return one row per model with English snake_case columns (for computing)."""
    rows = []
    for result in results:
        rows.append(
            {
                "model": result.model_name,
                "train_time_s": result.train_time_s,
                "inference_time_s": result.inference_time_s,
                "train_acc": result.train_acc,
                "test_acc": result.test_acc,
                "gap": result.train_acc - result.test_acc,
                "params": result.params,
                "setup": f"{result.device} · {result.precision} · {result.memory_format}",
                "epochs": result.epochs,
                "diverged": result.diverged,
                "convolutional": result.convolutional,
                "seed": result.config.seed,
            }
        )
    return pd.DataFrame(rows)


def summary_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Return summary.csv rows with the columns of `comparison_frame` (for the report).

    ``convolutional`` is not a summary column, so it is left out.
    """
    frame = summary.copy()
    frame["gap"] = frame["train_acc"] - frame["test_acc"]
    frame["setup"] = [
        " · ".join(str(part) for part in parts)
        for parts in zip(frame["device"], frame["precision"], frame["memory_format"])
    ]
    frame["diverged"] = frame["diverged"].astype(str).str.lower() == "true"
    return frame


def comparison_table(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return the per-run comparison table with headers in the current language.

    One row per result; a seed column is added when the results span several seeds.
    """
    frame = comparison_frame(results)
    columns = dict(COMPARISON_COLUMNS)
    if frame["seed"].nunique() > 1:
        columns = {"model": "column.model", "seed": "column.seed", **columns}
    frame = frame[list(columns)]
    frame = frame.round({"train_time_s": 1, "inference_time_s": 2, "train_acc": 4, "test_acc": 4, "gap": 4})
    return frame.rename(columns={key: tr(text_key) for key, text_key in columns.items()})


# Metric column -> decimals shown in the mean ± std table.
MEAN_STD_DECIMALS = {"train_time_s": 1, "inference_time_s": 2, "train_acc": 4, "test_acc": 4, "gap": 4}


def mean_std_frame(results: Sequence[TrainResult] | pd.DataFrame) -> pd.DataFrame:
    """Return one row per model with ``<metric>_mean`` / ``<metric>_std`` over seeds (numbers).

    ``results`` is a list of TrainResults or a frame with `comparison_frame`'s
    columns (for example `summary_frame` of summary.csv). Models keep their
    first-appearance order.
    """
    frame = results if isinstance(results, pd.DataFrame) else comparison_frame(results)
    table = aggregate(frame, list(MEAN_STD_DECIMALS))
    first = frame.groupby("model", sort=False).first()
    table["params"] = first["params"].to_numpy()
    table["setup"] = [
        ", ".join(dict.fromkeys(frame.loc[frame["model"] == model, "setup"].astype(str)))
        for model in table["model"]
    ]
    return table


def mean_std_table(results: Sequence[TrainResult] | pd.DataFrame) -> pd.DataFrame:
    """Return the comparison table as mean ± std over seeds, one row per model, headers translated.

    The columns are those of `comparison_table` plus the number of runs; a model
    whose runs partly diverged shows how many finished. With one seed a cell shows
    just the value.
    """
    table = mean_std_frame(results)
    rows = []
    for _, row in table.iterrows():
        shown = {"model": row["model"]}
        for metric, decimals in MEAN_STD_DECIMALS.items():
            shown[metric] = format_mean_std(row[f"{metric}_mean"], row[f"{metric}_std"], decimals)
        shown["params"] = int(row["params"])
        shown["setup"] = row["setup"]
        if row["finished"] == row["runs"]:
            shown["runs"] = str(row["runs"])
        else:
            shown["runs"] = tr("table.runs_diverged", finished=row["finished"], runs=row["runs"])
        rows.append(shown)
    columns = {**COMPARISON_COLUMNS, "runs": "column.runs"}
    return pd.DataFrame(rows, columns=list(columns)).rename(
        columns={key: tr(text_key) for key, text_key in columns.items()}
    )


def format_mean_std(mean: float, std: float, decimals: int) -> str:
    """Return "mean ± std" with ``decimals`` places; just the mean when std is NaN, "—" for no value."""
    if not np.isfinite(mean):
        return "—"
    if not np.isfinite(std):
        return f"{mean:.{decimals}f}"
    return f"{mean:.{decimals}f} ± {std:.{decimals}f}"


def by_model(results: Sequence[TrainResult]) -> dict[str, list[TrainResult]]:
    """Return the results grouped by model label, in first-appearance order."""
    groups: dict[str, list[TrainResult]] = {}
    for result in results:
        groups.setdefault(result.model_name, []).append(result)
    return groups


def first_seed(results: Sequence[TrainResult]) -> list[TrainResult]:
    """Return one result per model: the one with the lowest seed (for per-run figures)."""
    return [min(group, key=lambda r: r.config.seed) for group in by_model(results).values()]


def confusion_matrix(
    targets: torch.Tensor | np.ndarray | Sequence[int],
    predictions: torch.Tensor | np.ndarray | Sequence[int],
    num_classes: int,
    normalize: bool = False,
) -> np.ndarray:
    """Return the (num_classes x num_classes) matrix: rows are true classes, columns predictions.

    With ``normalize`` each row is divided by its count, so row i shows how
    class i was classified. A class absent from ``targets`` keeps its row,
    filled with zeros rather than NaN.
    """
    targets = np.asarray(targets, dtype=np.int64).ravel()
    predictions = np.asarray(predictions, dtype=np.int64).ravel()
    if targets.shape != predictions.shape:
        raise ValueError(f"targets and predictions differ in length: {targets.size} vs {predictions.size}")
    for name, values in (("targets", targets), ("predictions", predictions)):
        if values.size and (values.min() < 0 or values.max() >= num_classes):
            raise ValueError(f"{name} contain a class outside 0..{num_classes - 1}")
    counts = np.bincount(targets * num_classes + predictions, minlength=num_classes**2)
    matrix = counts.reshape(num_classes, num_classes)
    if not normalize:
        return matrix
    row_totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, row_totals, out=np.zeros(matrix.shape, dtype=float), where=row_totals > 0)


def most_confused(matrix: np.ndarray, classes: Sequence[str], top: int = 5) -> pd.DataFrame:
    """Return the ``top`` off-diagonal (true, predicted) pairs with the largest counts."""
    off_diagonal = np.array(matrix, dtype=float)
    np.fill_diagonal(off_diagonal, 0)
    order = np.argsort(off_diagonal, axis=None)[::-1][:top]
    rows = []
    for flat_index in order:
        true_class, predicted_class = np.unravel_index(flat_index, off_diagonal.shape)
        if off_diagonal[true_class, predicted_class] <= 0:
            break
        rows.append(
            {
                tr("column.true_class"): class_name(classes[true_class]),
                tr("column.predicted_class"): class_name(classes[predicted_class]),
                tr("column.count"): int(matrix[true_class, predicted_class]),
            }
        )
    return pd.DataFrame(rows)


def gradient_flow_frame(result: TrainResult) -> pd.DataFrame:
    """Return the recorded per-layer gradient statistics of ``result`` as a long table."""
    rows = [
        {"model": result.model_name, "epoch": epoch, "layer_index": index, **stats}
        for epoch, layers in sorted(result.grad_flow.items())
        for index, stats in enumerate(layers)
    ]
    return pd.DataFrame(rows)


def gradient_ratio(result: TrainResult, epoch: int) -> float:
    """Return the first layer's mean |grad| divided by the last layer's at ``epoch``.

    Far below 1 means the gradient shrinks on its way to the input (vanishing).
    Far above 1 means it grows, which becomes exploding when the growth compounds with depth.
    """
    layers = result.grad_flow[epoch]
    return layers[0]["mean_abs_grad"] / layers[-1]["mean_abs_grad"]


def learning_curves_frame(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return every model's per-epoch history as one long DataFrame."""
    return pd.DataFrame(
        [{"model": result.model_name, **epoch} for result in results for epoch in result.history]
    )


def is_shortcut(parameter_name: str) -> bool:
    """Return True for a parameter of a residual block's shortcut projection (torchvision's ``downsample``)."""
    return ".downsample." in f".{parameter_name}"


def conv_gradient_norms(result: TrainResult) -> pd.DataFrame:
    """Return the gradient L2 norm of each conv layer's weight (rows, input side first) per recorded epoch (columns).

    Linear layers and 1x1 shortcut projections beside the main path are left
    out, so the first and last rows are the first and last conv of the main path.
    Conv weights are the 4-D entries of the gradient statistics; records written
    before the statistics kept ``ndim`` need ``result.model`` to find them.
    """
    if not result.grad_flow:
        raise ValueError(f"{result.model_name}: no gradient statistics were recorded")
    some_epoch = next(iter(result.grad_flow.values()))
    if all("ndim" in stats for stats in some_epoch):
        conv_weights = [stats["layer"] for stats in some_epoch if stats["ndim"] == 4]
    elif result.model is not None:
        conv_weights = [f"{name}.weight" for name, module in result.model.named_modules()
                        if isinstance(module, nn.Conv2d)]
    else:
        raise ValueError(f"{result.model_name}: the gradient statistics have no ndim and the result has no model, "
                         "so its conv layers are unknown; retrain it with force=True")
    conv_weights = [name for name in conv_weights if not is_shortcut(name)]
    columns = {}
    for epoch, layers in sorted(result.grad_flow.items()):
        norms = {stats["layer"]: stats["grad_norm"] for stats in layers}
        columns[epoch] = [norms.get(name, np.nan) for name in conv_weights]
    frame = pd.DataFrame(columns, index=pd.RangeIndex(1, len(conv_weights) + 1, name="layer"))
    frame.columns.name = "epoch"
    return frame
