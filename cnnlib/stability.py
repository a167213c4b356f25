"""Training stability over seeds, computed from `TrainResult.history` lists.

A history is a list of per-epoch dicts with ``epoch``, ``train_loss``,
``train_acc``, ``test_loss``, ``test_acc`` and, when `fit` records them,
``grad_norm_max`` and ``grad_norm_mean`` (the largest and the mean total
gradient norm over the epoch's steps). ``runs`` maps a model name to the
histories of its seeds. Every function here is pure; a measure that a history
cannot give (too few epochs or seeds, missing keys) is NaN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .text import tr

History = Sequence[Mapping[str, float]]

CURVE_COLUMNS = ("model", "metric", "epoch", "mean", "std", "min", "max", "seeds")
STABILITY_COLUMNS = (
    "model", "seeds", "final_test_acc_mean", "final_test_acc_std", "test_loss_jitter", "grad_norm_spike",
)


def histories_by_model(results: Iterable) -> dict[str, list[History]]:
    """Group run histories by model name, in first-seen order.

    Accepts `TrainResult` objects (``model_name`` and ``history``) and result
    records as dicts (``"model"`` and ``"history"``); runs without a history are skipped.
    """
    runs: dict[str, list[History]] = {}
    for result in results:
        if isinstance(result, Mapping):
            name, history = result.get("model"), result.get("history")
        else:
            name, history = result.model_name, result.history
        if history:
            runs.setdefault(name, []).append(history)
    return runs


def final_accuracy_spread(histories: Sequence[History]) -> float:
    """Return the standard deviation (ddof=1) over seeds of the last epoch's test accuracy.

    A run that diverged contributes its last finished epoch. Fewer than two runs give NaN.
    """
    finals = [history[-1]["test_acc"] for history in histories if history]
    if len(finals) < 2:
        return math.nan
    return float(np.std(finals, ddof=1))


def loss_jitter(history: History, key: str = "test_loss") -> float:
    """Return the mean absolute change of the loss ``key`` from one epoch to the next.

    For losses l_1..l_E it is ``sum(|l_(e+1) - l_e|) / (E - 1)``. Fewer than two epochs give NaN.
    """
    losses = np.array([record[key] for record in history], dtype=float)
    if len(losses) < 2:
        return math.nan
    return float(np.abs(np.diff(losses)).mean())


def grad_norm_spike(history: History) -> float:
    """Return the run's largest gradient-norm spike relative to its typical norm.

    The spike is ``max_e grad_norm_max[e] / median_e grad_norm_mean[e]`` over the
    epochs e: the largest total gradient norm of any step, in units of the median
    of the per-epoch mean norms. 1 means no step stood out; 10 means one step had
    ten times the typical norm. NaN when an epoch lacks either key, or when the
    median is zero or not finite.
    """
    if not history or any("grad_norm_max" not in r or "grad_norm_mean" not in r for r in history):
        return math.nan
    largest = max(float(record["grad_norm_max"]) for record in history)
    typical = float(np.median([record["grad_norm_mean"] for record in history]))
    if not math.isfinite(typical) or typical <= 0:
        return math.nan
    return largest / typical


def _nanmax(values: Sequence[float]) -> float:
    finite = [value for value in values if not math.isnan(value)]
    return max(finite) if finite else math.nan


def _nanmean(values: Sequence[float]) -> float:
    finite = [value for value in values if not math.isnan(value)]
    return float(np.mean(finite)) if finite else math.nan


def stability_frame(runs: Mapping[str, Sequence[History]]) -> pd.DataFrame:
    """Return one row per model: seed count, final test accuracy mean and spread, loss jitter, gradient spike.

    ``test_loss_jitter`` is the mean over seeds of `loss_jitter` of the test loss, and
    ``grad_norm_spike`` is the largest `grad_norm_spike` over seeds (the worst run).
    """
    rows = []
    for model, histories in runs.items():
        histories = [history for history in histories if history]
        finals = [history[-1]["test_acc"] for history in histories]
        rows.append({
            "model": model,
            "seeds": len(histories),
            "final_test_acc_mean": float(np.mean(finals)) if finals else math.nan,
            "final_test_acc_std": final_accuracy_spread(histories),
            "test_loss_jitter": _nanmean([loss_jitter(history) for history in histories]),
            "grad_norm_spike": _nanmax([grad_norm_spike(history) for history in histories]),
        })
    return pd.DataFrame(rows, columns=list(STABILITY_COLUMNS))


def curve_bands(runs: Mapping[str, Sequence[History]], metrics: str | Sequence[str] = "test_acc") -> pd.DataFrame:
    """Return each metric per model and epoch over seeds: mean, std (ddof=1), min, max and seed count.

    ``metrics`` is one history key or several. An epoch that only some seeds
    reached (a diverged run stops early) is summarised over those seeds, and
    the ``seeds`` column counts them. With one seed the std is NaN.
    """
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    rows = []
    for metric in metrics:
        rows += _metric_bands(runs, metric)
    return pd.DataFrame(rows, columns=list(CURVE_COLUMNS))


def _metric_bands(runs: Mapping[str, Sequence[History]], metric: str) -> list[dict]:
    rows = []
    for model, histories in runs.items():
        by_epoch: dict[int, list[float]] = {}
        for history in histories:
            for record in history:
                if metric not in record:
                    raise ValueError(tr("layers.error.unknown_metric", value=metric, known=", ".join(record)))
                by_epoch.setdefault(int(record["epoch"]), []).append(float(record[metric]))
        if not by_epoch:
            raise ValueError(tr("layers.error.no_runs", model=model))
        for epoch in sorted(by_epoch):
            values = np.array(by_epoch[epoch])
            rows.append({
                "model": model,
                "metric": metric,
                "epoch": epoch,
                "mean": float(values.mean()),
                "std": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
                "min": float(values.min()),
                "max": float(values.max()),
                "seeds": len(values),
            })
    return rows
