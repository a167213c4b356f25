"""Figures of the architecture study: filters, feature maps, receptive fields and gradients by depth.

Like `cnnlib.plotting`, every function returns a Figure and never calls
``plt.show()``.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
import torch
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from torch import nn

from .analysis import conv_gradient_norms
from .features import first_layer
from .text import tr
from .training import TrainResult

_STYLE = {"axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}


def _image_for_display(image: torch.Tensor) -> np.ndarray:
    """Return a (H, W, 3) or (H, W) array in [0, 1] from a (C, H, W) uint8 or float image."""
    image = image.detach().float().cpu()
    image = (image - image.min()) / (image.max() - image.min() + 1e-12)
    return image[0].numpy() if image.shape[0] == 1 else image.permute(1, 2, 0).numpy()


def _blank(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_first_layer_filters(models: Mapping[str, nn.Module], count: int = 8) -> Figure:
    """Draw the first ``count`` filters of each model's first conv layer, one row per model.

    RGB filters are shown in colour (each filter scaled to [0, 1] on its own);
    single-channel filters in grey. A 1x1 filter is one pixel: the colour it
    responds to.
    """
    fig, axes = plt.subplots(len(models), count, figsize=(1.3 * count, 1.45 * len(models)),
                             layout="constrained", squeeze=False)
    for row, (label, model) in zip(axes, models.items()):
        _, conv = first_layer(model)
        weights = conv.weight.detach().float().cpu()
        for column, ax in enumerate(row):
            _blank(ax)
            if column >= weights.shape[0]:
                continue
            kernel = _image_for_display(weights[column])
            ax.imshow(kernel, cmap="gray" if kernel.ndim == 2 else None, interpolation="nearest")
        size = "x".join(str(k) for k in conv.kernel_size)
        row[0].set_ylabel(f"{label}\n({size})", rotation=0, ha="right", va="center", fontsize=9)
    fig.suptitle(tr("arch.title.filters"))
    return fig


def plot_first_layer_activations(models: Mapping[str, nn.Module], maps: Mapping[str, torch.Tensor],
                                 image: torch.Tensor, count: int = 8) -> Figure:
    """Draw ``image`` and the first ``count`` channels of each model's first-layer output for it.

    ``maps[label]`` is the (N, C, H, W) output of that model's first conv layer
    for a batch whose first image is ``image``. Each map has its own colour scale.
    """
    fig, axes = plt.subplots(len(models), count + 1, figsize=(1.3 * (count + 1), 1.45 * len(models)),
                             layout="constrained", squeeze=False)
    for row, label in zip(axes, models):
        activation = maps[label][0]
        shown = _image_for_display(image)
        row[0].imshow(shown, cmap="gray" if shown.ndim == 2 else None)
        _blank(row[0])
        row[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
        for column, ax in enumerate(row[1:]):
            _blank(ax)
            if column < activation.shape[0]:
                ax.imshow(activation[column].numpy(), cmap="viridis")
    axes[0][0].set_title(tr("arch.input"), fontsize=9)
    fig.suptitle(tr("arch.title.activations"))
    return fig


def plot_receptive_fields(fields: Mapping[str, Sequence], image_size: int | None = None) -> Figure:
    """Draw the receptive field after each conv and pooling layer, one line per model.

    ``fields[label]`` is the list of `cnnlib.receptive_field.LayerField` rows of
    that model; layers whose field is global are left out. A dotted line marks
    the image size when it is given.
    """
    colors = dict(zip(fields, sns.color_palette("tab10", len(fields))))
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
        for label, rows in fields.items():
            sizes = [row.size for row in rows if math.isfinite(row.size)]
            ax.plot(range(1, len(sizes) + 1), sizes, "-o", ms=4, color=colors[label], label=label)
        if image_size:
            ax.axhline(image_size, ls=":", color="0.4", label=tr("arch.legend.image_size", size=image_size))
        ax.set_xlabel(tr("arch.axis.layer_number"))
        ax.set_ylabel(tr("arch.axis.receptive_field"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=9)
        ax.set_title(tr("arch.title.receptive_fields"))
    return fig


def _depth_label(result: TrainResult) -> tuple[int, bool]:
    """Return (depth, residual) of a DepthCNN result from its model settings."""
    return result.model_kwargs["depth"], bool(result.model_kwargs.get("residual", False))


def plot_gradient_heatmaps(results: Sequence[TrainResult]) -> Figure:
    """Draw each model's conv-layer gradient norms as a layers x epochs picture.

    Columns are depths, the top row plain nets and the bottom row residual ones.
    The input-side layer is at the top of each picture. All pictures share one
    logarithmic colour scale, so colours compare across models.
    """
    frames = {result.model_name: conv_gradient_norms(result) for result in results}
    values = np.concatenate([frame.to_numpy().ravel() for frame in frames.values()])
    values = values[np.isfinite(values) & (values > 0)]
    norm = LogNorm(vmin=values.min(), vmax=values.max())
    depths = sorted({_depth_label(r)[0] for r in results})
    fig, axes = plt.subplots(2, len(depths), figsize=(2.6 * len(depths) + 1, 6.4), layout="constrained",
                             squeeze=False)
    image = None
    for ax in axes.ravel():
        ax.set_visible(False)
    for result in results:
        depth, residual = _depth_label(result)
        ax = axes[int(residual)][depths.index(depth)]
        ax.set_visible(True)
        frame = frames[result.model_name]
        image = ax.imshow(frame.to_numpy(), aspect="auto", norm=norm, cmap="magma", interpolation="nearest",
                          extent=(frame.columns[0] - 0.5, frame.columns[-1] + 0.5, len(frame) + 0.5, 0.5))
        ax.set_title(result.model_name, fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.get_major_locator().set_params(integer=True)
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), label=tr("arch.axis.grad_norm"), shrink=0.8)
    fig.supxlabel(tr("arch.axis.epoch_with_start"))
    fig.supylabel(tr("arch.axis.conv_layer"))
    fig.suptitle(tr("arch.title.gradient_heatmaps"))
    return fig


def plot_gradient_ratios(results: Sequence[TrainResult]) -> Figure:
    """Draw the first conv layer's gradient norm divided by the last one's, per epoch and model.

    Colour is depth; solid lines are plain nets, dashed ones residual. The y
    axis is logarithmic: 1 means both ends learn at the same rate, far below 1
    is a vanishing gradient and far above 1 an exploding one.
    """
    depths = sorted({_depth_label(r)[0] for r in results})
    colors = dict(zip(depths, sns.color_palette("tab10", len(depths))))
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 4.4), layout="constrained")
        for result in results:
            depth, residual = _depth_label(result)
            frame = conv_gradient_norms(result)
            ratio = frame.iloc[0] / frame.iloc[-1]
            ax.plot(ratio.index, ratio.to_numpy(), "--" if residual else "-", marker="o", ms=3, color=colors[depth])
        ax.axhline(1.0, color="0.5", lw=1)
        ax.set_yscale("log")
        ax.set_xlabel(tr("arch.axis.epoch_with_start"))
        ax.set_ylabel(tr("arch.axis.grad_ratio"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        handles = [Line2D([], [], color=colors[d], lw=2, label=tr("arch.legend.depth", depth=d)) for d in depths]
        handles += [Line2D([], [], color="0.3", ls="-", label=tr("arch.legend.plain")),
                    Line2D([], [], color="0.3", ls="--", label=tr("arch.legend.residual"))]
        ax.legend(handles=handles, fontsize=8, ncol=2)
        ax.set_title(tr("arch.title.gradient_ratio"))
    return fig


def plot_depth_accuracy(results: Sequence[TrainResult]) -> Figure:
    """Draw test accuracy against depth, plain and residual nets as two lines (one point per seed)."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
        for residual, style in ((False, "-o"), (True, "--s")):
            chosen = [r for r in results if _depth_label(r)[1] == residual and math.isfinite(r.test_acc)]
            if not chosen:
                continue
            depths = sorted({_depth_label(r)[0] for r in chosen})
            means = [np.mean([r.test_acc for r in chosen if _depth_label(r)[0] == d]) for d in depths]
            label = tr("arch.legend.residual" if residual else "arch.legend.plain")
            line, = ax.plot(depths, means, style, label=label)
            ax.scatter([_depth_label(r)[0] for r in chosen], [r.test_acc for r in chosen], s=12,
                       color=line.get_color(), alpha=0.5)
        ax.set_xlabel(tr("arch.axis.depth"))
        ax.set_ylabel(tr("arch.axis.test_accuracy"))
        ax.legend()
        ax.set_title(tr("arch.title.depth_accuracy"))
    return fig


def plot_feature_maps(maps: Mapping[str, torch.Tensor], layer: str, page: int = 0, per_page: int = 16,
                      image_index: int = 0) -> Figure:
    """Draw ``per_page`` channels (page ``page``) of one layer's feature maps for one image."""
    activation = maps[layer][image_index]
    channels = activation.shape[0]
    pages = max(1, math.ceil(channels / per_page))
    if not 0 <= page < pages:
        raise ValueError(f"page must be in 0..{pages - 1} for {channels} channels, got {page}")
    columns = min(8, per_page)
    rows = math.ceil(per_page / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.45 * columns, 1.5 * rows + 0.5), layout="constrained",
                             squeeze=False)
    first = page * per_page
    for offset, ax in enumerate(axes.ravel()):
        _blank(ax)
        channel = first + offset
        if channel < channels:
            ax.imshow(activation[channel].numpy(), cmap="viridis")
            ax.set_title(str(channel), fontsize=7)
    height, width = activation.shape[-2:]
    fig.suptitle(tr("arch.title.feature_maps", layer=layer, height=height, width=width, first=first,
                    last=min(first + per_page, channels) - 1, channels=channels), fontsize=10)
    return fig


def plot_feature_map_grid(maps: Mapping[str, torch.Tensor], image: torch.Tensor, channels: int = 8,
                          image_index: int = 0) -> Figure:
    """Draw the input and the first ``channels`` feature maps of every recorded layer, one row per layer.

    The static stand-in for the feature-map slider, for runs where no widget is shown.
    """
    layers = list(maps)
    fig, axes = plt.subplots(len(layers), channels + 1, figsize=(1.25 * (channels + 1), 1.3 * len(layers) + 0.4),
                             layout="constrained", squeeze=False)
    shown = _image_for_display(image)
    for row, layer in zip(axes, layers):
        activation = maps[layer][image_index]
        for ax in row:
            _blank(ax)
        if layer == layers[0]:
            row[0].imshow(shown, cmap="gray" if shown.ndim == 2 else None)
            row[0].set_title(tr("arch.input"), fontsize=8)
        height, width = activation.shape[-2:]
        row[0].set_ylabel(f"{layer}\n{height}x{width}", rotation=0, ha="right", va="center", fontsize=8)
        for channel, ax in enumerate(row[1:]):
            if channel < activation.shape[0]:
                ax.imshow(activation[channel].numpy(), cmap="viridis")
    fig.suptitle(tr("arch.title.feature_map_grid", channels=channels))
    return fig
