"""Learning curves over seeds: the mean per epoch with a band, one colour per model (block type)."""

from __future__ import annotations

import matplotlib.pyplot as plt
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
