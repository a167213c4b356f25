"""Conclusions generated from results, so that no number in the prose is typed by hand."""

from __future__ import annotations

import math
from typing import Sequence

from .analysis import gradient_ratio
from .text import tr
from .training import TrainResult


def conclusions_cnn_vs_fc(results: Sequence[TrainResult], dataset_label: str) -> str:
    """Return Markdown conclusions comparing the models of one experiment."""
    lines = [tr("nb01.conclusions_title", dataset=dataset_label), ""]
    finished = [r for r in results if not r.diverged and math.isfinite(r.test_acc)]
    lines += [tr("conclusion.diverged", model=r.model_name) for r in results if r not in finished]
    if not finished:
        return "\n".join(lines)

    best = max(finished, key=lambda r: r.test_acc)
    lines.append(tr("conclusion.best", model=best.model_name, acc=best.test_acc))

    fc_models = [r for r in finished if not r.convolutional]
    cnn_models = [r for r in finished if r.convolutional]
    if fc_models and cnn_models:
        fc = max(fc_models, key=lambda r: r.test_acc)
        cnn = max(cnn_models, key=lambda r: r.test_acc)
        if cnn.test_acc > fc.test_acc:
            if cnn.params <= fc.params:
                ratio_text = tr("conclusion.params_fewer", ratio=fc.params / cnn.params)
            else:
                ratio_text = tr("conclusion.params_more", ratio=cnn.params / fc.params)
            lines.append(
                tr("conclusion.cnn_vs_fc", cnn=cnn.model_name, fc=fc.model_name,
                   points=100 * (cnn.test_acc - fc.test_acc), cnn_acc=cnn.test_acc, fc_acc=fc.test_acc,
                   params_ratio_text=ratio_text)
            )
        else:
            lines.append(tr("conclusion.fc_vs_cnn", cnn=cnn.model_name, fc=fc.model_name,
                            cnn_acc=cnn.test_acc, fc_acc=fc.test_acc))

    fastest = min(finished, key=lambda r: r.train_time_s)
    slowest = max(finished, key=lambda r: r.train_time_s)
    inf_fastest = min(finished, key=lambda r: r.inference_time_s)
    inf_slowest = max(finished, key=lambda r: r.inference_time_s)
    lines.append(
        tr("conclusion.speed", fastest=fastest.model_name, fastest_s=fastest.train_time_s,
           slowest=slowest.model_name, slowest_s=slowest.train_time_s,
           inf_fastest=inf_fastest.model_name, inf_min=inf_fastest.inference_time_s,
           inf_slowest=inf_slowest.model_name, inf_max=inf_slowest.inference_time_s)
    )

    gaps = sorted(finished, key=lambda r: r.train_acc - r.test_acc)
    lines.append(
        tr("conclusion.gap", model=gaps[-1].model_name, gap=gaps[-1].train_acc - gaps[-1].test_acc,
           low_model=gaps[0].model_name, low_gap=gaps[0].train_acc - gaps[0].test_acc)
    )

    lines += _regularisation_lines(finished)

    with_flow = [r for r in finished if r.grad_flow]
    if with_flow:
        epoch = max(with_flow[0].grad_flow)
        ratios = ", ".join(
            f"{r.model_name} {gradient_ratio(r, max(r.grad_flow)):.2g}" for r in with_flow
        )
        lines.append(tr("conclusion.gradients", epoch=epoch, ratios=ratios))

    seeds = {r.config.seed for r in finished}
    if len(seeds) == 1:
        lines.append(tr("conclusion.single_seed", seed=seeds.pop()))
    return "\n".join(lines)


# Pairs (regularised model, its base model) whose comparison isolates regularisation.
REGULARISED_PAIRS = (("RegResCNN", "ResCNN"),)


def _regularisation_lines(finished: Sequence[TrainResult]) -> list[str]:
    by_name = {r.model_name: r for r in finished}
    lines = []
    for regularised, base in REGULARISED_PAIRS:
        if regularised not in by_name or base not in by_name:
            continue
        reg, plain = by_name[regularised], by_name[base]
        reg_gap = reg.train_acc - reg.test_acc
        base_gap = plain.train_acc - plain.test_acc
        verb = tr("conclusion.gap_narrowed") if reg_gap < base_gap else tr("conclusion.gap_widened")
        lines.append(
            tr("conclusion.regularisation", reg=regularised, base=base, gap_verb=verb, base_gap=base_gap,
               reg_gap=reg_gap, points=100 * (reg.test_acc - plain.test_acc), reg_acc=reg.test_acc,
               base_acc=plain.test_acc)
        )
    return lines
