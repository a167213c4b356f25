"""Conclusions generated from results, so that no number in the prose is typed by hand.

Every ranking is a ranking of means over seeds, and every "better" comes with
a verdict on whether the gap exceeds the seed-to-seed spread (`cnnlib.stats`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .analysis import by_model, gradient_ratio
from .stats import Comparison, compare, mean_std
from .text import tr
from .training import TrainResult


@dataclass
class ModelRuns:
    """The finished runs of one model and the means the prose quotes."""

    label: str
    runs: list[TrainResult]

    @property
    def first(self) -> TrainResult:
        """The run with the lowest seed."""
        return min(self.runs, key=lambda r: r.config.seed)

    def mean(self, metric: str) -> float:
        """Mean of ``metric`` (a TrainResult attribute, or "gap") over the runs."""
        return mean_std(self.values(metric))[0]

    def std(self, metric: str) -> float:
        """Sample standard deviation of ``metric`` over the runs (NaN with one run)."""
        return mean_std(self.values(metric))[1]

    def values(self, metric: str) -> list[float]:
        """Return the per-seed values of ``metric``."""
        if metric == "gap":
            return [r.train_acc - r.test_acc for r in self.runs]
        return [getattr(r, metric) for r in self.runs]

    @property
    def convolutional(self) -> bool:
        """Whether the model has a convolution."""
        return self.runs[0].convolutional

    @property
    def params(self) -> int:
        """Trainable parameter count."""
        return self.runs[0].params


def verdict(comparison: Comparison, scale: float = 100.0) -> str:
    """Return the clause saying whether ``comparison``'s gap exceeds the spread (in points by default)."""
    points = abs(comparison.difference) * scale
    if comparison.distinguishable is None:
        return tr("stats.verdict_unknown", points=points)
    key = "stats.verdict_yes" if comparison.distinguishable else "stats.verdict_no"
    return tr(key, points=points, spread=comparison.spread * scale)


def percent(mean: float, std: float) -> str:
    """Return "98.93%" or "98.93% ± 0.12" (the std in percentage points)."""
    if math.isnan(std):
        return f"{mean:.2%}"
    return f"{mean:.2%} ± {100 * std:.2f}"


def seeds_line(results: Sequence[TrainResult]) -> str:
    """Return the closing line that names the seeds and the rule behind every verdict."""
    seeds = sorted({r.config.seed for r in results})
    if len(seeds) == 1:
        return tr("stats.single_seed_line", seed=seeds[0])
    return tr("stats.seeds_line", runs=len(seeds), seeds=", ".join(map(str, seeds)), rule=tr("stats.rule_intervals"))


def finished_models(results: Sequence[TrainResult]) -> tuple[list[ModelRuns], list[str]]:
    """Split ``results`` into models with finished runs and lines about diverged runs."""
    models, lines = [], []
    for label, runs in by_model(results).items():
        finished = [r for r in runs if not r.diverged and math.isfinite(r.test_acc)]
        if len(finished) < len(runs):
            if finished:
                lines.append(tr("conclusion.diverged_some", model=label, diverged=len(runs) - len(finished),
                                runs=len(runs)))
            else:
                lines.append(tr("conclusion.diverged", model=label))
        if finished:
            models.append(ModelRuns(label, finished))
    return models, lines


def opening(title: str, results: Sequence[TrainResult]) -> tuple[list[str], list[ModelRuns]]:
    """Return the first lines of a conclusions block (``title``, then diverged runs) and the finished models."""
    models, diverged_lines = finished_models(results)
    return [title, "", *diverged_lines], models


def conclusions_cnn_vs_fc(results: Sequence[TrainResult], dataset_label: str) -> str:
    """Return Markdown conclusions comparing the models of one experiment over their seeds."""
    lines, models = opening(tr("nb01.conclusions_title", dataset=dataset_label), results)
    if not models:
        return "\n".join(lines)

    lines.append(best_line(models))
    lines += _cnn_vs_fc_lines(models)
    lines.append(_speed_line(models))
    if len(models) > 1:
        lines.append(_gap_line(models))
    lines += _regularisation_lines(models)

    with_flow = [m.first for m in models if m.first.grad_flow]
    if with_flow:
        epoch = max(with_flow[0].grad_flow)
        ratios = ", ".join(f"{r.model_name} {gradient_ratio(r, max(r.grad_flow)):.2g}" for r in with_flow)
        lines.append(tr("conclusion.gradients", epoch=epoch, seed=with_flow[0].config.seed, ratios=ratios))

    lines.append(seeds_line([r for m in models for r in m.runs]))
    return "\n".join(lines)


def best_line(models: list[ModelRuns]) -> str:
    """Return the line naming the model with the best mean test accuracy, the runner-up and the verdict on the gap."""
    ranked = sorted(models, key=lambda m: m.mean("test_acc"), reverse=True)
    best = ranked[0]
    acc = percent(best.mean("test_acc"), best.std("test_acc"))
    if len(ranked) == 1:
        return tr("conclusion.best_only", model=best.label, acc=acc)
    runner = ranked[1]
    return tr("conclusion.best", model=best.label, acc=acc, runner=runner.label,
              runner_acc=percent(runner.mean("test_acc"), runner.std("test_acc")),
              verdict=verdict(compare(best.runs, runner.runs)))


def _cnn_vs_fc_lines(models: list[ModelRuns]) -> list[str]:
    fc_models = [m for m in models if not m.convolutional]
    cnn_models = [m for m in models if m.convolutional]
    if not fc_models or not cnn_models:
        return []
    fc = max(fc_models, key=lambda m: m.mean("test_acc"))
    cnn = max(cnn_models, key=lambda m: m.mean("test_acc"))
    comparison = compare(cnn.runs, fc.runs)
    cnn_acc = percent(cnn.mean("test_acc"), cnn.std("test_acc"))
    fc_acc = percent(fc.mean("test_acc"), fc.std("test_acc"))
    if comparison.difference > 0:
        if cnn.params <= fc.params:
            ratio_text = tr("conclusion.params_fewer", ratio=fc.params / cnn.params)
        else:
            ratio_text = tr("conclusion.params_more", ratio=cnn.params / fc.params)
        return [tr("conclusion.cnn_vs_fc", cnn=cnn.label, fc=fc.label, points=100 * comparison.difference,
                   cnn_acc=cnn_acc, fc_acc=fc_acc, params_ratio_text=ratio_text, verdict=verdict(comparison))]
    return [tr("conclusion.fc_vs_cnn", cnn=cnn.label, fc=fc.label, cnn_acc=cnn_acc, fc_acc=fc_acc,
               verdict=verdict(comparison))]


def _speed_line(models: list[ModelRuns]) -> str:
    fastest = min(models, key=lambda m: m.mean("train_time_s"))
    slowest = max(models, key=lambda m: m.mean("train_time_s"))
    inf_fastest = min(models, key=lambda m: m.mean("inference_time_s"))
    inf_slowest = max(models, key=lambda m: m.mean("inference_time_s"))
    return tr("conclusion.speed", fastest=fastest.label, fastest_s=fastest.mean("train_time_s"),
              slowest=slowest.label, slowest_s=slowest.mean("train_time_s"),
              inf_fastest=inf_fastest.label, inf_min=inf_fastest.mean("inference_time_s"),
              inf_slowest=inf_slowest.label, inf_max=inf_slowest.mean("inference_time_s"))


def _gap_line(models: list[ModelRuns]) -> str:
    ranked = sorted(models, key=lambda m: m.mean("gap"))
    high, low = ranked[-1], ranked[0]
    return tr("conclusion.gap", model=high.label, gap=high.mean("gap"), low_model=low.label, low_gap=low.mean("gap"),
              verdict=verdict(compare(high.values("gap"), low.values("gap"))))


# Pairs (regularised model, its base model) whose comparison isolates regularisation.
REGULARISED_PAIRS = (("RegResCNN", "ResCNN"),)


def _regularisation_lines(models: list[ModelRuns]) -> list[str]:
    by_label = {m.label: m for m in models}
    lines = []
    for regularised, base in REGULARISED_PAIRS:
        if regularised not in by_label or base not in by_label:
            continue
        reg, plain = by_label[regularised], by_label[base]
        gap_comparison = compare(reg.values("gap"), plain.values("gap"))
        acc_comparison = compare(reg.runs, plain.runs)
        verb = tr("conclusion.gap_narrowed") if gap_comparison.difference < 0 else tr("conclusion.gap_widened")
        lines.append(
            tr("conclusion.regularisation", reg=regularised, base=base, gap_verb=verb,
               base_gap=plain.mean("gap"), reg_gap=reg.mean("gap"), gap_verdict=verdict(gap_comparison),
               points=100 * acc_comparison.difference,
               reg_acc=percent(reg.mean("test_acc"), reg.std("test_acc")),
               base_acc=percent(plain.mean("test_acc"), plain.std("test_acc")),
               acc_verdict=verdict(acc_comparison))
        )
    return lines
