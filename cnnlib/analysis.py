"""Numbers derived from training results: tables, confusion matrices, gradient flow.

Everything here returns arrays or DataFrames; `cnnlib.plotting` draws them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from .text import tr
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
            }
        )
    return pd.DataFrame(rows)


def comparison_table(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return the comparison table with headers in the current language, one row per model."""
    frame = comparison_frame(results)[list(COMPARISON_COLUMNS)]
    frame = frame.round({"train_time_s": 1, "inference_time_s": 2, "train_acc": 4, "test_acc": 4, "gap": 4})
    return frame.rename(columns={key: tr(text_key) for key, text_key in COMPARISON_COLUMNS.items()})


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
                tr("column.true_class"): classes[true_class],
                tr("column.predicted_class"): classes[predicted_class],
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


def conv_gradient_norms(result: TrainResult) -> pd.DataFrame:
    """Return the gradient L2 norm of each conv layer's weight (rows, input side first) per recorded epoch (columns).

    Linear layers and 1x1 shortcut projections beside the main path are left
    out, so the first and last rows are the first and last conv of the main path.
    """
    if result.model is None:
        raise ValueError(f"{result.model_name}: the result has no model, so its conv layers are unknown")
    conv_weights = [
        f"{name}.weight" for name, module in result.model.named_modules()
        if isinstance(module, nn.Conv2d) and ".downsample." not in f".{name}."
    ]
    columns = {}
    for epoch, layers in sorted(result.grad_flow.items()):
        norms = {stats["layer"]: stats["grad_norm"] for stats in layers}
        columns[epoch] = [norms.get(name, np.nan) for name in conv_weights]
    frame = pd.DataFrame(columns, index=pd.RangeIndex(1, len(conv_weights) + 1, name="layer"))
    frame.columns.name = "epoch"
    return frame
