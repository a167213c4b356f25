"""Report section of notebook 02: kernel size, depth, receptive fields and gradients."""

from __future__ import annotations

import math

from ..architecture import gradient_ratio_table, study_table
from ..narrative_architecture import conclusions_depth, conclusions_kernels
from ..text import tr
from .builder import ReportContext, demote, markdown_table, register_section

# (figure name, text key of the notebook's explanation above it); None adds no text.
KERNEL_FIGURES = (
    ("kernel_receptive_fields", "nb02.receptive_fields"),
    ("kernel_learning_curves", "nb01.curves"),
    ("kernel_comparison", None),
    ("cifar10_filters", "nb02.first_layer_cifar"),
    ("cifar10_activations", None),
)
MNIST_FIGURES = (
    ("mnist_filters", None),
    ("mnist_activations", None),
)
DEPTH_FIGURES = (
    ("depth_accuracy", "nb02.depth_curves"),
    ("depth_learning_curves", None),
    ("depth_gradient_heatmaps", "nb02.gradients"),
    ("depth_gradient_ratio", "nb02.gradient_ratio"),
    ("feature_maps", None),
)


@register_section("02_architecture_analysis")
def section_02(context: ReportContext) -> str:
    """Return notebook 02's section: the kernel and depth tables, key figures and conclusions."""
    lines = [tr("report.nb02_title"), ""]
    lines += _part(context, "2.1", "nb02.section_kernel", KERNEL_FIGURES, extra=[])
    mnist_results = context.results("2.1-mnist")
    if mnist_results:
        seed = min(result.config.seed for result in mnist_results)
        lines += [demote(tr("nb02.first_layer_mnist", seed=seed), 1), ""]
        lines += [markdown_table(study_table(mnist_results, _columns(context, "2.1-mnist"), [])), ""]
        lines += [context.figure(name) + "\n" for name, _ in MNIST_FIGURES]
    kernel_results = context.results("2.1")
    if kernel_results:
        lines += [demote(conclusions_kernels(kernel_results, _columns(context, "2.1")), 1), ""]

    depth_results = context.results("2.2")
    depths = sorted({r.model_kwargs.get("depth") for r in depth_results if r.model_kwargs.get("depth")})
    width = next((r.model_kwargs.get("width") for r in depth_results), "—")
    ratio_table = {"depth_gradient_ratio": markdown_table(gradient_ratio_table(depth_results))} if depth_results \
        else {}
    lines += _part(context, "2.2", "nb02.section_depth", DEPTH_FIGURES, extra=["depth", "residual"],
                   inserts=ratio_table, depths=", ".join(map(str, depths)), width=width)
    if depth_results:
        lines += [demote(conclusions_depth(depth_results), 1), ""]
    return "\n".join(lines)


def _part(context: ReportContext, experiment: str, section_key: str, figures, extra, inserts=None,
          **fields) -> list[str]:
    """Return a study's heading, table and figures; ``inserts`` maps a figure name to Markdown put after it."""
    inserts = inserts or {}
    results = context.results(experiment)
    table = markdown_table(study_table(results, _columns(context, experiment), extra)) if results \
        else context.table(experiment)
    lines = [demote(tr(section_key, **fields), 1), "", table, ""]
    for name, text_key in figures:
        if text_key:
            lines += [demote(tr(text_key), 1), ""]
        lines += [context.figure(name), ""]
        if name in inserts:
            lines += [inserts[name], ""]
    return lines


def _columns(context: ReportContext, experiment: str) -> dict[str, dict]:
    """Return the notebook's extra summary.csv columns per model, with the types `study_table` expects."""
    columns = context.model_columns(experiment, ("receptive_field", "flops", "kernel", "depth", "residual"))
    for values in columns.values():
        if "receptive_field" in values:
            field = float(values["receptive_field"])  # "inf" (global) reads back as a string or float
            values["receptive_field"] = int(field) if math.isfinite(field) else math.inf
        if "depth" in values:
            values["depth"] = int(values["depth"])
        if "residual" in values:
            values["residual"] = str(values["residual"]).lower() == "true"
    return columns
