"""Figures of notebook 03: learning curves over seeds with a band per model, and the layer benchmark."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from .stability import CURVE_COLUMNS
from .text import tr

BANDS = ("std", "minmax")

_STYLE = {"axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
_AXIS_KEYS = {"loss": "axis.loss", "acc": "axis.accuracy"}


def _axis_label(metric: str) -> str:
    split, _, quantity = metric.partition("_")
    key = _AXIS_KEYS.get(quantity)
    if key is None or split not in ("train", "test"):
        return metric
    return f"{tr(key)} ({tr('legend.' + split)})"


def plot_curve_bands(bands: pd.DataFrame, band: str = "std") -> Figure:
    """Draw each metric of ``bands`` (from `stability.curve_bands`) in its own panel.

    Each model gets its mean line and a shaded band: mean ± one std over seeds
    (``band="std"``) or the range from the lowest to the highest seed (``"minmax"``).
    An epoch with one seed has no std, so its band is empty.
    """
    if band not in BANDS:
        raise ValueError(tr("layers.error.unknown_band", value=band, known=", ".join(BANDS)))
    missing = set(CURVE_COLUMNS) - set(bands.columns)
    if missing:
        raise ValueError(tr("layers.error.missing_columns", missing=", ".join(sorted(missing))))
    metrics = list(dict.fromkeys(bands["metric"]))
    models = list(dict.fromkeys(bands["model"]))
    colors = dict(zip(models, sns.color_palette("tab10", len(models))))

    with plt.rc_context(_STYLE):
        fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 4.2), layout="constrained",
                                 squeeze=False)
        for ax, metric in zip(axes[0], metrics):
            for model in models:
                curve = bands[(bands["metric"] == metric) & (bands["model"] == model)].sort_values("epoch")
                if curve.empty:
                    continue
                if band == "std":
                    low, high = curve["mean"] - curve["std"], curve["mean"] + curve["std"]
                else:
                    low, high = curve["min"], curve["max"]
                ax.plot(curve["epoch"], curve["mean"], color=colors[model], marker="o", ms=3, label=model)
                ax.fill_between(curve["epoch"], low, high, color=colors[model], alpha=0.2, linewidth=0)
            ax.set_xlabel(tr("axis.epoch"))
            ax.set_ylabel(_axis_label(metric))
            ax.xaxis.get_major_locator().set_params(integer=True)
        axes[0][-1].legend(loc="best", fontsize=9)
        fig.suptitle(tr("stability.title.curves", band=tr(f"stability.band.{band}")))
    return fig


def plot_layer_bench(bench: pd.DataFrame) -> Figure:
    """Draw `layer_bench.benchmark_layers` rows: forward + backward time and bytes saved for backward.

    Each layer gets a custom and a standard bar; a time bar stacks forward
    (solid) under backward (hatched).
    """
    layers = list(bench["layer"])
    positions = np.arange(len(layers))
    width = 0.38
    sides = (("custom", -width / 2, "tab:blue"), ("standard", width / 2, "tab:gray"))

    with plt.rc_context(_STYLE):
        fig, (time_ax, memory_ax) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
        for side, offset, color in sides:
            forward, backward = bench[f"{side}_forward_ms"], bench[f"{side}_backward_ms"]
            label = tr(f"layer_bench.legend.{side}")
            time_ax.bar(positions + offset, forward, width, color=color, label=f"{label}: forward")
            time_ax.bar(positions + offset, backward, width, bottom=forward, color=color, alpha=0.45,
                        hatch="//", label=f"{label}: backward")
            memory_ax.bar(positions + offset, bench[f"{side}_saved_bytes"] / 2**20, width, color=color, label=label)
        for ax, title, unit in ((time_ax, "layer_bench.title.time", "layer_bench.axis.ms"),
                                (memory_ax, "layer_bench.title.memory", "layer_bench.axis.mib")):
            ax.set_xticks(positions, layers, rotation=20, ha="right")
            ax.set_title(tr(title))
            ax.set_ylabel(tr(unit))
            ax.legend(fontsize=8)
        fig.suptitle(tr("layer_bench.title", device=bench["device"].iloc[0], shape=bench["input_shape"].iloc[0]))
    return fig
