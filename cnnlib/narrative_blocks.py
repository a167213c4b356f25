"""Conclusions of notebook 03 as Markdown: layer checks, custom vs standard layers, residual blocks.

Every number comes from the frames and results passed in. Accuracy gaps get
the seed verdict of `cnnlib.narrative.verdict`; spreads and one-off timings
get the rough rules stated next to them.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from .block_study import block_frame
from .narrative import ModelRuns, best_line, opening, percent, seeds_line, verdict
from .stats import compare
from .text import tr
from .training import TrainResult

# float64 rounding: results that agree to this absolute difference count as equal.
FLOAT64_TOLERANCE = 1e-10

# Two layers' timings count as different only beyond this relative gap, because
# the benchmark is one run of medians on a machine that other jobs may share.
TIME_TOLERANCE = 0.10


def conclusions_layer_checks(checks: pd.DataFrame, bench: pd.DataFrame | None = None) -> str:
    """Return conclusions on `layer_checks.check_layers` and, when given, `layer_bench.benchmark_layers`."""
    lines = [tr("nb03.checks_title"), ""]
    failed = checks[checks["gradcheck_passed"] < checks["gradcheck_total"]]
    if failed.empty:
        lines.append(tr("nb03.gradcheck_all", layers=len(checks), variants=int(checks["gradcheck_total"].max())))
    else:
        details = "; ".join(f"{row.layer} ({row.gradcheck_failed})" for row in failed.itertuples())
        lines.append(tr("nb03.gradcheck_failed", failed=len(failed), layers=len(checks), details=details))

    forward = checks.loc[checks["forward_max_abs_diff"].idxmax()]
    backward = checks.loc[checks["grad_max_abs_diff"].idxmax()]
    largest = max(forward["forward_max_abs_diff"], backward["grad_max_abs_diff"])
    key = "nb03.analogue_equal" if largest <= FLOAT64_TOLERANCE else "nb03.analogue_differ"
    lines.append(tr(key, forward=forward["forward_max_abs_diff"], forward_layer=forward["layer"],
                    backward=backward["grad_max_abs_diff"], backward_layer=backward["layer"],
                    tolerance=FLOAT64_TOLERANCE))
    if bench is not None and not bench.empty:
        lines += _bench_lines(bench)
    return "\n".join(lines)


def _bench_lines(bench: pd.DataFrame) -> list[str]:
    custom = bench["custom_forward_ms"] + bench["custom_backward_ms"]
    standard = bench["standard_forward_ms"] + bench["standard_backward_ms"]
    ratios = custom / standard
    faster = [layer for layer, ratio in zip(bench["layer"], ratios) if ratio < 1 - TIME_TOLERANCE]
    slower = [layer for layer, ratio in zip(bench["layer"], ratios) if ratio > 1 + TIME_TOLERANCE]
    listed = ", ".join(f"{layer} ×{ratio:.2f}" for layer, ratio in zip(bench["layer"], ratios))
    lines = [tr("nb03.bench_time", ratios=listed, faster=", ".join(faster) or "—", slower=", ".join(slower) or "—",
                tolerance=100 * TIME_TOLERANCE, device=bench["device"].iloc[0], shape=bench["input_shape"].iloc[0])]

    memory = bench["custom_saved_bytes"] / bench["standard_saved_bytes"]
    smaller = [(layer, share) for layer, share in zip(bench["layer"], memory) if share < 1]
    if smaller:
        lines.append(tr("nb03.bench_memory_less", layers=", ".join(f"{layer} {share:.0%}" for layer, share in smaller),
                        same=len(bench) - len(smaller)))
    else:
        lines.append(tr("nb03.bench_memory_same"))
    return lines


def conclusions_custom_vs_standard(results: Sequence[TrainResult], standard: str = "StandardLayersCNN",
                                   custom: str = "CustomLayersCNN") -> str:
    """Return conclusions on whether the network with custom layers trains like the standard one."""
    lines, models = opening(tr("nb03.match_title"), results)
    by_label = {model.label: model for model in models}
    if standard not in by_label or custom not in by_label:
        return "\n".join(lines)
    plain, own = by_label[standard], by_label[custom]

    comparison = compare(own.runs, plain.runs)
    key = {True: "nb03.match_no", False: "nb03.match_yes", None: "nb03.match_unknown"}[comparison.distinguishable]
    lines.append(tr(key, custom=custom, standard=standard,
                    custom_acc=percent(own.mean("test_acc"), own.std("test_acc")),
                    standard_acc=percent(plain.mean("test_acc"), plain.std("test_acc")),
                    verdict=verdict(comparison)))

    paired = _paired_differences(own, plain)
    if paired:
        lines.append(tr("nb03.match_paired", pairs=len(paired), points=100 * max(paired)))
    lines.append(tr("nb03.match_time", custom=custom, standard=standard,
                    custom_s=own.mean("train_time_s"), standard_s=plain.mean("train_time_s"),
                    ratio=own.mean("train_time_s") / plain.mean("train_time_s")))
    lines.append(seeds_line([run for model in (own, plain) for run in model.runs]))
    return "\n".join(lines)


def _paired_differences(first: ModelRuns, second: ModelRuns) -> list[float]:
    """Return |test accuracy difference| for every seed that both models finished."""
    by_seed = {run.config.seed: run.test_acc for run in second.runs}
    return [abs(run.test_acc - by_seed[run.config.seed]) for run in first.runs if run.config.seed in by_seed]


def spread_uncertainty(seeds: int) -> float:
    """Return the approximate relative standard error of a sample std over ``seeds`` runs, 1 / sqrt(2 (n - 1)).

    The approximation is that of normally distributed values; NaN for fewer than two runs.
    """
    return math.nan if seeds < 2 else 1 / math.sqrt(2 * (seeds - 1))


def conclusions_blocks(results: Sequence[TrainResult], columns: dict[str, dict]) -> str:
    """Return conclusions on the residual-block study.

    Args:
        results: every run of the study.
        columns: label -> {"block", "flops"}, as from `block_study.block_columns`.
    """
    lines, models = opening(tr("nb03.blocks_title"), results)
    if not models:
        return "\n".join(lines)
    rows = block_frame(results, columns).set_index("model")

    lines.append(best_line(models))
    lines += _cost_lines(models, rows)
    lines += _stability_lines(models, rows)
    lines.append(seeds_line([run for model in models for run in model.runs]))
    return "\n".join(lines)


def _cost_lines(models: list[ModelRuns], rows: pd.DataFrame) -> list[str]:
    costs = ", ".join(f"{model.label} {model.params:,} / {rows.at[model.label, 'flops'] / 1e6:.1f}".replace(",", " ")
                      for model in models)
    lines = [tr("nb03.blocks_cost", costs=costs)]
    if len(models) < 2:
        return lines
    cheapest = min(models, key=lambda model: rows.at[model.label, "flops"])
    dearest = max(models, key=lambda model: rows.at[model.label, "flops"])
    comparison = compare(dearest.runs, cheapest.runs)
    lines.append(tr("nb03.blocks_cost_gain", dearest=dearest.label, cheapest=cheapest.label,
                    ratio=rows.at[dearest.label, "flops"] / rows.at[cheapest.label, "flops"],
                    points=100 * comparison.difference, verdict=verdict(comparison)))
    fastest = min(models, key=lambda model: model.mean("train_time_s"))
    slowest = max(models, key=lambda model: model.mean("train_time_s"))
    lines.append(tr("nb03.blocks_time", fastest=fastest.label, fastest_s=fastest.mean("train_time_s"),
                    slowest=slowest.label, slowest_s=slowest.mean("train_time_s"),
                    inference=", ".join(f"{model.label} {model.mean('inference_time_s'):.2f}" for model in models)))
    return lines


def _stability_lines(models: list[ModelRuns], rows: pd.DataFrame) -> list[str]:
    seeds = min(len(model.runs) for model in models)
    spreads = {model.label: rows.at[model.label, "final_test_acc_std"] for model in models}
    measured = {label: value for label, value in spreads.items() if np.isfinite(value)}
    lines = []
    if len(measured) >= 2:
        low = min(measured, key=measured.get)
        high = max(measured, key=measured.get)
        error = spread_uncertainty(seeds)
        threshold = (1 + error) / (1 - error) if error < 1 else math.inf
        ratio = measured[high] / measured[low] if measured[low] > 0 else math.inf
        key = "nb03.blocks_spread_differ" if ratio > threshold else "nb03.blocks_spread_same"
        lines.append(tr(key, high=high, high_std=100 * measured[high], low=low, low_std=100 * measured[low],
                        ratio=ratio, seeds=seeds, error=error, threshold=threshold))
    else:
        lines.append(tr("nb03.blocks_spread_unknown"))

    jitter = {model.label: rows.at[model.label, "test_loss_jitter"] for model in models}
    spike = {model.label: rows.at[model.label, "grad_norm_spike"] for model in models}
    jitter = {label: value for label, value in jitter.items() if np.isfinite(value)}
    spike = {label: value for label, value in spike.items() if np.isfinite(value)}
    if jitter:
        lines.append(tr("nb03.blocks_jitter", values=", ".join(f"{label} {value:.3f}" for label, value in jitter.items()),
                        model=max(jitter, key=jitter.get)))
    else:
        lines.append(tr("nb03.blocks_jitter_unknown"))
    if spike:
        lines.append(tr("nb03.blocks_spike", values=", ".join(f"{label} {value:.1f}" for label, value in spike.items()),
                        model=max(spike, key=spike.get)))
    return lines
