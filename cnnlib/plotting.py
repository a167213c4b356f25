"""Figures drawn from `cnnlib.analysis` results.

Every function returns its Figure (or takes ``ax`` and returns the Axes) and
never calls ``plt.show()``; `cnnlib.notebook.show_figure` saves and displays
it. Styling is applied through context managers, so importing cnnlib changes
neither matplotlib's backend nor its global style.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from .analysis import by_model, comparison_frame, confusion_matrix, is_shortcut, mean_std_frame
from .text import class_name, tr
from .training import TrainResult

_STYLE = {"axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}


def _palette(names: Sequence[str]) -> dict[str, tuple]:
    return dict(zip(names, sns.color_palette("tab10", len(names))))


def save_figure(fig: Figure, path: str | Path, dpi: int = 110) -> Path:
    """Save ``fig`` as a PNG at ``path`` (folders created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path


def _epoch_mean_std(runs: Sequence[TrainResult], column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (epochs, mean, std) of a history column over runs, up to the shortest history."""
    length = min(len(r.history) for r in runs)
    values = np.array([[h[column] for h in r.history[:length]] for r in runs], dtype=float)
    std = values.std(axis=0, ddof=1) if len(runs) > 1 else np.zeros(length)
    return np.arange(1, length + 1), values.mean(axis=0), std


def plot_learning_curves(results: Sequence[TrainResult], title: str | None = None) -> Figure:
    """Draw loss and accuracy per epoch, train solid and test dashed, one colour per model.

    Several seeds of a model are drawn as their mean with a ± std band.
    """
    groups = {label: [r for r in runs if r.history] for label, runs in by_model(results).items()}
    groups = {label: runs for label, runs in groups.items() if runs}
    colors = _palette(list(groups))
    with plt.rc_context(_STYLE):
        fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
        for label, runs in groups.items():
            color = colors[label]
            for split, style in (("train", "-"), ("test", "--")):
                for ax, metric in ((loss_ax, "loss"), (acc_ax, "acc")):
                    epochs, mean, std = _epoch_mean_std(runs, f"{split}_{metric}")
                    ax.plot(epochs, mean, style, color=color, marker="o", ms=3)
                    if len(runs) > 1:
                        ax.fill_between(epochs, mean - std, mean + std, color=color, alpha=0.15, lw=0)
        for ax, label in ((loss_ax, tr("axis.loss")), (acc_ax, tr("axis.accuracy"))):
            ax.set_xlabel(tr("axis.epoch"))
            ax.set_ylabel(label)
            ax.xaxis.get_major_locator().set_params(integer=True)
        handles = [Line2D([], [], color=c, lw=2, label=name) for name, c in colors.items()]
        handles += [
            Line2D([], [], color="0.3", ls="-", label=tr("legend.train")),
            Line2D([], [], color="0.3", ls="--", label=tr("legend.test")),
        ]
        acc_ax.legend(handles=handles, loc="lower right", fontsize=9)
        fig.suptitle(title or tr("title.learning_curves"))
    return fig


def plot_comparison(results: Sequence[TrainResult], title: str | None = None) -> Figure:
    """Draw the models side by side: accuracy (train and test), train time, inference time, parameters.

    Fully connected models are drawn in grey and convolutional ones in colour,
    so the FC-vs-CNN contrast reads at a glance.
    """
    runs = comparison_frame(results)
    frame = mean_std_frame(runs)
    for column in ("train_acc", "test_acc", "train_time_s", "inference_time_s"):
        frame[column] = frame[f"{column}_mean"]
    frame["convolutional"] = runs.groupby("model", sort=False)["convolutional"].first().to_numpy()
    names = list(frame["model"])
    colors = [sns.color_palette("tab10")[0] if conv else "0.6" for conv in frame["convolutional"]]
    error_style = {"ecolor": "0.2", "capsize": 3}
    positions = np.arange(len(names))
    with plt.rc_context(_STYLE):
        fig, axes = plt.subplots(1, 4, figsize=(15, 3.8), layout="constrained")

        ax = axes[0]
        width = 0.38
        ax.bar(positions - width / 2, frame["train_acc"], width, color=colors, alpha=0.45, label=tr("legend.train"),
               yerr=frame["train_acc_std"].fillna(0), error_kw=error_style)
        ax.bar(positions + width / 2, frame["test_acc"], width, color=colors, label=tr("legend.test"),
               yerr=frame["test_acc_std"].fillna(0), error_kw=error_style)
        for x, value in zip(positions, frame["test_acc"]):
            ax.annotate(f"{value:.3f}", (x + width / 2, value), ha="center", va="bottom", fontsize=8)
        for x, value in zip(positions, frame["train_acc"]):
            ax.annotate(f"{value:.3f}", (x - width / 2, value), ha="center", va="bottom", fontsize=8, color="0.35")
        # Zoomed in, so that differences of a point stay visible. The panel title marks the zoom.
        low = max(0.0, np.nanmin(frame[["train_acc", "test_acc"]].to_numpy()) - 0.1)
        ax.set_ylim(low, 1.0)
        accuracy_title = tr("axis.accuracy")
        if low > 0:
            accuracy_title += f" ({tr('axis.not_from_zero')})"
        ax.set_title(accuracy_title)
        ax.legend(fontsize=8, loc="lower left")

        panels = (
            ("train_time_s", tr("column.train_time_s"), "{:.3g}"),
            ("inference_time_s", tr("column.inference_time_s"), "{:.3g}"),
            ("params", tr("column.params"), "{:,.0f}"),
        )
        for ax, (column, label, fmt) in zip(axes[1:], panels):
            spread = frame[f"{column}_std"].fillna(0) if f"{column}_std" in frame else None
            ax.bar(positions, frame[column], color=colors, yerr=spread, error_kw=error_style)
            for x, value in zip(positions, frame[column]):
                ax.annotate(fmt.format(value).replace(",", " "), (x, value), ha="center", va="bottom", fontsize=8)
            ax.set_title(label)
        axes[3].yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}".replace(",", " ")))
        for ax in axes:
            ax.set_xticks(positions, names, rotation=15)
        fig.suptitle(title or tr("title.comparison"))
    return fig


def plot_confusion_matrix(
    matrix: np.ndarray, classes: Sequence[str], *, normalized: bool = False, ax=None, title: str | None = None
):
    """Draw one confusion matrix as an annotated heatmap and return the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.6))
    sns.heatmap(
        matrix,
        ax=ax,
        annot=True,
        fmt=".2f" if normalized else "d",
        cmap="Blues",
        vmin=0,
        vmax=1 if normalized else None,
        xticklabels=[class_name(name) for name in classes],
        yticklabels=[class_name(name) for name in classes],
        cbar=False,
        annot_kws={"fontsize": 7},
        square=True,
    )
    ax.set_xlabel(tr("axis.predicted"))
    ax.set_ylabel(tr("axis.true"))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.tick_params(axis="y", labelrotation=0, labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_confusion_matrices(results: Sequence[TrainResult], classes: Sequence[str]) -> Figure:
    """Draw, for each model, its test confusion matrix in counts and row-normalised."""
    results = [r for r in results if r.test_predictions is not None]
    fig, axes = plt.subplots(len(results), 2, figsize=(11, 5.0 * len(results)), layout="constrained", squeeze=False)
    for row, result in zip(axes, results):
        for ax, normalized in zip(row, (False, True)):
            matrix = confusion_matrix(result.test_targets, result.test_predictions, len(classes), normalize=normalized)
            kind = tr("title.confusion_normalized") if normalized else tr("title.confusion_counts")
            plot_confusion_matrix(matrix, classes, normalized=normalized, ax=ax, title=f"{result.model_name}: {kind}")
    return fig


def _short_layer_name(name: str) -> str:
    return name.removesuffix(".weight")


def plot_gradient_flow(results: Sequence[TrainResult], title: str | None = None) -> Figure:
    """Draw mean and max |grad| per layer (input side on the left) at each recorded epoch.

    Only parameters that received a gradient are drawn; the y axis is
    logarithmic, so a vanishing gradient shows as a slope down to the left.
    """
    results = [r for r in results if r.grad_flow]
    with plt.rc_context(_STYLE):
        fig, axes = plt.subplots(1, len(results), figsize=(5.2 * len(results), 4.4), layout="constrained", squeeze=False)
        for ax, result in zip(axes[0], results):
            epochs = sorted(result.grad_flow)
            shades = sns.color_palette("viridis", len(epochs))
            for color, epoch in zip(shades, epochs):
                layers = result.grad_flow[epoch]
                # Shortcut projections sit beside the main path, not on it, so the lines
                # join main-path layers only and shortcuts are drawn as hollow markers.
                main = [i for i, s in enumerate(layers) if not is_shortcut(s["layer"])]
                shortcuts = [i for i, s in enumerate(layers) if is_shortcut(s["layer"])]
                ax.plot(main, [layers[i]["mean_abs_grad"] for i in main], "-o", color=color, ms=3,
                        label=tr("legend.grad_mean", epoch=epoch))
                ax.plot(main, [layers[i]["max_abs_grad"] for i in main], ":", color=color, alpha=0.8,
                        label=tr("legend.grad_max", epoch=epoch))
                if shortcuts:
                    ax.scatter(shortcuts, [layers[i]["mean_abs_grad"] for i in shortcuts], s=30,
                               facecolors="none", edgecolors=[color], zorder=3,
                               label=tr("legend.grad_shortcut", epoch=epoch))
            names = [_short_layer_name(s["layer"]) for s in result.grad_flow[epochs[-1]]]
            ax.set_xticks(np.arange(len(names)), names, rotation=90, fontsize=7)
            ax.set_yscale("log")
            ax.set_title(result.model_name)
            ax.set_ylabel(tr("axis.abs_grad"))
            ax.legend(fontsize=7, loc="best", framealpha=0.8)
        fig.suptitle(title or tr("title.gradient_flow"))
    return fig
