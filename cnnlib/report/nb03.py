"""Report section of notebook 03: custom layers and residual blocks."""

from __future__ import annotations

import math

from ..analysis import mean_std_table
from ..block_study import block_table
from ..layer_bench import column_labels as bench_columns
from ..layer_checks import display_table as checks_table
from ..narrative_blocks import conclusions_blocks, conclusions_custom_vs_standard, conclusions_layer_checks
from ..text import tr
from .builder import ReportContext, demote, markdown_table, register_section


@register_section("03_custom_layers")
def section_03(context: ReportContext) -> str:
    """Return notebook 03's section: layer checks and benchmark, custom vs standard layers, residual blocks."""
    lines = [tr("report.nb03_title"), "", demote(tr("nb03.section_layers"), 1), ""]

    checks = context.store.load_table("layer_checks")
    bench = context.store.load_table("layer_bench")
    if checks is not None:
        lines += [demote(tr("nb03.checks"), 1), "", markdown_table(checks_table(checks)), ""]
    if bench is not None:
        shown = bench.dropna(axis="columns", how="all").rename(columns=bench_columns())
        lines += [demote(tr("nb03.bench"), 1), "", markdown_table(shown), "", context.figure("layer_bench"), ""]
    if checks is not None:
        lines += [demote(conclusions_layer_checks(checks, bench), 1), ""]

    layer_results = context.results("3.1")
    lines += [demote(tr("nb03.train_layers"), 1), ""]
    if layer_results:
        lines += [markdown_table(mean_std_table(layer_results)), "", context.figure("layers_learning_curves"), "",
                  demote(conclusions_custom_vs_standard(layer_results), 1), ""]

    block_results = context.results("3.2")
    lines += [demote(tr("nb03.section_blocks"), 1), ""]
    if block_results:
        columns = _block_columns(context)
        lines += [markdown_table(block_table(block_results, columns)), "",
                  demote(tr("nb03.blocks_curves"), 1), "", context.figure("blocks_learning_curves"), "",
                  demote(conclusions_blocks(block_results, columns), 1), ""]
    return "\n".join(lines)


def _block_columns(context: ReportContext) -> dict[str, dict]:
    """Return label -> {"block", "flops"} from summary.csv, as the notebook passed them to training."""
    columns = context.model_columns("3.2", ("block", "flops"))
    return {model: {"block": values.get("block", model), "flops": float(values.get("flops", math.nan))}
            for model, values in columns.items()}
