"""The architecture study's model sets and tables: kernel layouts at one budget, depths, receptive fields.

Notebook 02 calls these so that its cells stay one line each.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from .analysis import by_model, conv_gradient_norms, first_seed, mean_std_table
from .features import FeatureMapExtractor, first_layer
from .flops import count_flops
from .models import ModelSpec, build_for_dataset
from .models.families import KERNEL_LAYOUTS, KernelCNN, count_parameters_of, solve_widths
from .receptive_field import LayerField, feature_receptive_field, layer_receptive_fields
from .text import tr
from .training import TrainResult

DEPTHS = (2, 4, 6, 10)
DEPTH_WIDTH = 32


def kernel_budget(in_channels: int, num_classes: int) -> int:
    """Return the parameter budget of the kernel study: the 3x3 KernelCNN at its default widths."""
    return count_parameters_of(lambda: KernelCNN(in_channels, num_classes, "3x3"))


def kernel_specs(dataset, budget: int | None = None,
                 layouts: Sequence[str] = KERNEL_LAYOUTS) -> tuple[list[ModelSpec], pd.DataFrame]:
    """Return a KernelCNN spec per kernel layout with widths solved for ``budget``, and the budget table.

    ``budget`` defaults to `kernel_budget` for ``dataset``'s channels and classes.
    The table has one row per layout: widths, parameter count and its deviation
    from the budget; ``table.attrs`` keeps the budget and the counts as numbers.
    """
    budget = budget or kernel_budget(dataset.in_channels, dataset.num_classes)
    specs, rows = [], []
    for layout in layouts:
        widths, count = solve_widths(
            lambda w, layout=layout: KernelCNN(dataset.in_channels, dataset.num_classes, layout, w), budget
        )
        specs.append(ModelSpec(layout, "KernelCNN", {"kernel": layout, "widths": widths}))
        rows.append({
            tr("column.kernel"): layout,
            tr("column.widths"): ", ".join(map(str, widths)),
            tr("column.params"): count,
            tr("column.budget_deviation"): f"{count / budget - 1:+.2%}",
        })
    table = pd.DataFrame(rows)
    # The numbers behind the formatted cells, for prose that quotes them.
    table.attrs["budget"] = budget
    table.attrs["counts"] = [count_parameters_of(lambda s=spec: build_for_dataset(s.model, dataset, **s.kwargs))
                             for spec in specs]
    return specs, table


def depth_label(depth: int, residual: bool) -> str:
    """Return the model label of a DepthCNN: "plain-6" or "residual-6"."""
    return f"{'residual' if residual else 'plain'}-{depth}"


def depth_specs(depths: Sequence[int] = DEPTHS, width: int = DEPTH_WIDTH) -> list[ModelSpec]:
    """Return DepthCNN specs for every depth, plain then residual at each depth."""
    return [
        ModelSpec(depth_label(depth, residual), "DepthCNN", {"depth": depth, "residual": residual, "width": width})
        for depth in depths
        for residual in (False, True)
    ]


def build_specs(specs: Sequence[ModelSpec], dataset) -> dict[str, nn.Module]:
    """Return an untrained model per spec, built for ``dataset`` (for receptive fields and shapes)."""
    return {spec.label: build_for_dataset(spec.model, dataset, **spec.kwargs) for spec in specs}


def receptive_field_columns(specs: Sequence[ModelSpec], dataset, **fixed) -> dict[str, dict]:
    """Return the extra summary.csv columns per spec.

    They are the network's receptive field, its forward FLOPs for one image
    (counted), the spec's own kernel, depth and residual settings where it has
    them, and ``fixed`` values.
    """
    columns = {}
    shape = (dataset.in_channels, *dataset.image_size)
    for label, model in build_specs(specs, dataset).items():
        spec = next(s for s in specs if s.label == label)
        extra = {key: spec.kwargs[key] for key in ("kernel", "depth", "residual") if key in spec.kwargs}
        columns[label] = {"receptive_field": _field_value(feature_receptive_field(model)),
                          "flops": count_flops(model, shape), **extra, **fixed}
    return columns


def _field_value(size: float) -> float | int:
    return size if math.isinf(size) else int(size)


def receptive_field_table(models: Mapping[str, nn.Module]) -> pd.DataFrame:
    """Return the receptive field after every conv and pooling layer of each model, one row per layer."""
    rows = []
    for label, model in models.items():
        field: LayerField
        for field in layer_receptive_fields(model):
            rows.append({
                tr("column.model"): label,
                tr("column.layer"): field.layer,
                tr("column.layer_type"): field.kind,
                tr("column.kernel_size"): field.kernel,
                tr("column.stride"): field.stride,
                tr("column.dilation"): field.dilation,
                tr("column.jump"): _field_value(field.jump),
                tr("column.receptive_field"): _field_value(field.size),
            })
    return pd.DataFrame(rows)


def study_table(results: Sequence[TrainResult], columns: Mapping[str, Mapping], extra: Sequence[str]) -> pd.DataFrame:
    """Return the mean ± std comparison table with the receptive field, ``extra`` columns and MFLOPs after the model.

    ``columns`` is what `receptive_field_columns` returned for these results;
    ``extra`` names which of its keys to show ("kernel", "depth", "residual").
    """
    table = mean_std_table(results)
    model_header = tr("column.model")
    inserted = {"receptive_field": "column.receptive_field", **{key: f"column.{key}" for key in extra},
                "flops": "column.mflops"}
    for position, (key, text_key) in enumerate(inserted.items(), start=1):
        values = [columns[label].get(key, math.nan) for label in table[model_header]]
        if key == "residual":
            values = [tr("table.yes") if value else tr("table.no") for value in values]
        elif key == "receptive_field":
            values = [tr("arch.global_field") if isinstance(v, float) and math.isinf(v) else v for v in values]
        elif key == "flops":
            values = [round(value / 1e6, 1) for value in values]
        table.insert(position, tr(text_key), values)
    return table


def gradient_ratio_frame(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return per model the first-to-last conv gradient-norm ratio at the start and the end (mean over seeds).

    The start is the first recorded step: epoch 0 (the initial weights) when it
    was recorded, else the end of epoch 1. Ratios are averaged in log space
    (geometric mean), because they span orders of magnitude.
    """
    rows = []
    for label, runs in by_model(results).items():
        first_ratios, last_ratios = [], []
        for run in runs:
            if not run.grad_flow or run.diverged:
                continue
            norms = conv_gradient_norms(run)
            ratio = norms.iloc[0] / norms.iloc[-1]
            first_ratios.append(ratio.iloc[0])
            last_ratios.append(ratio.iloc[-1])
        if not first_ratios:
            continue
        rows.append({"model": label, "ratio_start": _geometric_mean(first_ratios),
                     "ratio_end": _geometric_mean(last_ratios)})
    return pd.DataFrame(rows)


def _geometric_mean(values: Sequence[float]) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    return float(np.exp(np.log(values).mean())) if len(values) else math.nan


def gradient_ratio_table(results: Sequence[TrainResult]) -> pd.DataFrame:
    """Return `gradient_ratio_frame` with translated headers and ratios to three significant digits."""
    frame = gradient_ratio_frame(results)
    for column in ("ratio_start", "ratio_end"):
        frame[column] = [f"{value:.3g}" for value in frame[column]]
    return frame.rename(columns={"model": tr("column.model"), "ratio_start": tr("column.grad_ratio_start"),
                                 "ratio_end": tr("column.grad_ratio_end")})


def sample_images(dataset, indices: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Return test images ``indices`` as (uint8 images for display, normalised float32 batch for a model)."""
    images = dataset.test.images[list(indices)]
    mean = torch.tensor(dataset.mean).view(1, -1, 1, 1)
    std = torch.tensor(dataset.std).view(1, -1, 1, 1)
    return images, (images.float() / 255 - mean) / std


def first_layer_outputs(models: Mapping[str, nn.Module], batch: torch.Tensor) -> dict[str, torch.Tensor]:
    """Return each model's first conv layer output for ``batch``, read through a feature-map hook."""
    outputs = {}
    for label, model in models.items():
        name, _ = first_layer(model)
        outputs[label] = FeatureMapExtractor(model, layers=[name])(batch)[name]
    return outputs


def models_by_label(results: Sequence[TrainResult]) -> dict[str, nn.Module]:
    """Return the trained model of the lowest-seed run of every label."""
    return {result.model_name: result.model for result in first_seed(results) if result.model is not None}
