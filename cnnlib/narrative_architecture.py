"""Conclusions of the architecture study (notebook 02), every number taken from results.

Rankings are of means over seeds, and each comes with the verdict of
`cnnlib.narrative.verdict` on whether the gap exceeds the seed-to-seed spread.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from .architecture import depth_label, gradient_ratio_frame
from .narrative import ModelRuns, best_line, opening, percent, seeds_line, verdict
from .stats import compare
from .text import get_language, tr
from .training import TrainResult

# A first-to-last gradient ratio beyond this factor (either way) is called vanishing or exploding.
RATIO_FACTOR = 10.0


def format_count(count: int) -> str:
    """Return ``count`` with thousands separated as the current language writes them (12 345 / 12,345)."""
    grouped = f"{count:,}"
    return grouped.replace(",", "\u202f") if get_language() == "ru" else grouped


def budget_note(budget_table) -> str:
    """Return the Markdown line on the parameter budget and the largest deviation from it.

    ``budget_table`` is the table `cnnlib.architecture.kernel_specs` returns.
    """
    budget, counts = budget_table.attrs["budget"], budget_table.attrs["counts"]
    deviation = max(abs(count / budget - 1) for count in counts)
    return tr("nb02.budget", budget=format_count(budget), max_deviation=deviation)


def _field_text(size) -> str:
    return tr("arch.global_field") if isinstance(size, float) and math.isinf(size) else str(size)


def _acc(model: ModelRuns) -> str:
    return percent(model.mean("test_acc"), model.std("test_acc"))


def conclusions_kernels(results: Sequence[TrainResult], columns: Mapping[str, Mapping]) -> str:
    """Return Markdown conclusions of the kernel-size study.

    ``columns`` is the per-label extra columns (receptive field) that the
    notebook passed to `Session.train`.
    """
    lines, models = opening(tr("nb02.kernel_conclusions_title"), results)
    if not models:
        return "\n".join(lines)

    lines.append(best_line(models))
    ranked = sorted(models, key=lambda m: m.mean("test_acc"), reverse=True)
    if len(ranked) > 2:
        best, worst = ranked[0], ranked[-1]
        lines.append(tr("nb02.kernel_worst", worst=worst.label, worst_acc=_acc(worst), best=best.label,
                        verdict=verdict(compare(best.runs, worst.runs))))

    fields = ", ".join(f"{m.label} — {_field_text(columns[m.label]['receptive_field'])}" for m in models)
    widths = "; ".join(f"{m.label}: {', '.join(map(str, m.first.model_kwargs.get('widths', ())))}" for m in models)
    lines.append(tr("nb02.kernel_field", fields=fields, widths=widths))

    fastest = min(models, key=lambda m: m.mean("train_time_s"))
    slowest = max(models, key=lambda m: m.mean("train_time_s"))
    flops = ", ".join(f"{m.label} {columns[m.label].get('flops', math.nan) / 1e6:.1f}" for m in models)
    lines.append(tr("nb02.kernel_speed", fastest=fastest.label, fastest_s=fastest.mean("train_time_s"),
                    slowest=slowest.label, slowest_s=slowest.mean("train_time_s"), flops=flops))
    lines.append(seeds_line([r for m in models for r in m.runs]))
    return "\n".join(lines)


def conclusions_depth(results: Sequence[TrainResult]) -> str:
    """Return Markdown conclusions of the depth study: ranking, residual vs plain per depth, gradient ratios."""
    lines, models = opening(tr("nb02.depth_conclusions_title"), results)
    if not models:
        return "\n".join(lines)

    lines.append(best_line(models))
    by_label = {m.label: m for m in models}
    depths = sorted({r.model_kwargs["depth"] for r in results})
    for depth in depths:
        plain, residual = by_label.get(depth_label(depth, False)), by_label.get(depth_label(depth, True))
        if plain and residual:
            lines.append(tr("nb02.depth_pair", depth=depth, residual_acc=_acc(residual), plain_acc=_acc(plain),
                            verdict=verdict(compare(residual.runs, plain.runs))))

    ratio_line = _ratio_line(results, max(depths))
    if ratio_line:
        lines.append(ratio_line)
    lines.append(seeds_line([r for m in models for r in m.runs]))
    return "\n".join(lines)


def _ratio_line(results: Sequence[TrainResult], depth: int) -> str | None:
    frame = gradient_ratio_frame([r for r in results if r.model_kwargs.get("depth") == depth and not r.diverged])
    if frame.empty:
        return None
    frame = frame.set_index("model")
    plain_label, residual_label = depth_label(depth, False), depth_label(depth, True)
    if plain_label not in frame.index or residual_label not in frame.index:
        return None
    plain, residual = frame.at[plain_label, "ratio_start"], frame.at[residual_label, "ratio_start"]
    plain_end, residual_end = frame.at[plain_label, "ratio_end"], frame.at[residual_label, "ratio_end"]
    if not (math.isfinite(plain) and math.isfinite(residual)):
        return None
    within = [1 / RATIO_FACTOR <= ratio <= RATIO_FACTOR for ratio in (plain, residual)]
    if all(within):
        meaning = tr("nb02.ratio_balanced")
    elif plain < 1 / RATIO_FACTOR:
        meaning = tr("nb02.ratio_vanishing", share=plain, plain_end=plain_end)
    elif max(plain, residual) > RATIO_FACTOR:
        meaning = tr("nb02.ratio_exploding")
    else:
        meaning = ""  # only the residual net is outside the band: the numbers above speak for themselves
    return tr("nb02.depth_ratio", depth=depth, plain_ratio=plain, residual_ratio=residual, plain_end=plain_end,
              residual_end=residual_end, meaning=meaning)
