"""Seed statistics: mean and spread over seeds, and whether two models differ beyond it.

The rule for "distinguishable" is deliberately simple, because a study runs 2-3
seeds per model: the gap between two models counts as real when the intervals
mean ± std over seeds do not overlap, that is when |mean_a - mean_b| >
std_a + std_b. With so few seeds this is a rough screen, not a significance test
with a stated error rate, and the prose states that. With one seed the spread is
unknown and nothing is called distinguishable.

NOTE: a Welch t-test would need scipy, which is not a dependency; the interval
rule gives the same answer as the t-test in the clear cases (for example 5
points apart with a spread of 0.3) and stays silent in the unclear ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .text import tr

# Comparison.method values.
INTERVALS = "intervals"
SINGLE_RUN = "single_run"


def metric_values(results: Iterable, metric: str = "test_acc") -> np.ndarray:
    """Return the finite values of ``metric`` over ``results``.

    Items may be TrainResults (or any object with the attribute), dicts / pandas
    rows with the key, or plain numbers. Diverged runs (NaN) are left out.
    """
    values = []
    for item in results:
        if isinstance(item, (int, float, np.number)):
            value = item
        elif isinstance(item, (dict, pd.Series)):
            value = item[metric]
        else:
            value = getattr(item, metric)
        value = float(value)
        if math.isfinite(value):
            values.append(value)
    return np.asarray(values, dtype=float)


def mean_std(values: Sequence[float]) -> tuple[float, float, int]:
    """Return (mean, sample standard deviation, count); std is NaN for fewer than two values."""
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count == 0:
        return math.nan, math.nan, 0
    std = float(values.std(ddof=1)) if count > 1 else math.nan
    return float(values.mean()), std, count


@dataclass(frozen=True)
class Comparison:
    """The gap between two models' metric over seeds, and whether it exceeds the spread.

    Attributes:
        mean_a, mean_b: means over the finished seeds.
        std_a, std_b: sample standard deviations over seeds (NaN with one seed).
        n_a, n_b: finished seeds behind each mean.
        difference: mean_a - mean_b.
        spread: std_a + std_b, the width the difference must exceed (NaN with one seed).
        distinguishable: True when the difference exceeds the spread, False when
            it does not, None when the spread is unknown (one seed or no finished run).
        method: "intervals" or "single_run".
    """

    mean_a: float
    mean_b: float
    std_a: float
    std_b: float
    n_a: int
    n_b: int
    difference: float
    spread: float
    distinguishable: bool | None
    method: str

    @property
    def rule(self) -> str:
        """The rule behind ``distinguishable``, in the current language."""
        return tr("stats.rule_intervals") if self.method == INTERVALS else tr("stats.rule_single_run")


def compare(results_a: Iterable, results_b: Iterable, metric: str = "test_acc") -> Comparison:
    """Compare ``metric`` of two models over their seeds (see the module docstring for the rule)."""
    mean_a, std_a, n_a = mean_std(metric_values(results_a, metric))
    mean_b, std_b, n_b = mean_std(metric_values(results_b, metric))
    difference = mean_a - mean_b
    if n_a < 2 or n_b < 2:
        return Comparison(mean_a, mean_b, std_a, std_b, n_a, n_b, difference, math.nan, None, SINGLE_RUN)
    spread = std_a + std_b
    return Comparison(mean_a, mean_b, std_a, std_b, n_a, n_b, difference, spread,
                      bool(abs(difference) > spread), INTERVALS)


def aggregate(frame: pd.DataFrame, metrics: Sequence[str], by: str = "model") -> pd.DataFrame:
    """Return, per value of ``by`` (first-appearance order), ``<metric>_mean``, ``<metric>_std`` and ``runs``.

    Rows whose metric is NaN (diverged runs) are left out of that metric's mean
    and std; ``runs`` counts every row and ``finished`` the rows with a finite
    ``test_acc`` when that column exists.
    """
    rows = []
    for key, group in frame.groupby(by, sort=False):
        row = {by: key, "runs": len(group)}
        if "test_acc" in group:
            row["finished"] = int(np.isfinite(group["test_acc"].astype(float)).sum())
        for metric in metrics:
            mean, std, _ = mean_std(metric_values(group[metric].astype(float), metric))
            row[f"{metric}_mean"] = mean
            row[f"{metric}_std"] = std
        rows.append(row)
    return pd.DataFrame(rows)
