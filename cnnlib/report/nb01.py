"""Report section of notebook 01: CNN vs fully connected networks."""

from __future__ import annotations

from ..narrative import conclusions_cnn_vs_fc
from ..text import tr
from .builder import ReportContext, demote, register_section

# Experiment id -> (dataset name used in figure file names, dataset label, section text key).
EXPERIMENTS = (
    ("1.1", "mnist", "MNIST", "nb01.section_mnist"),
    ("1.2", "cifar10", "CIFAR-10", "nb01.section_cifar"),
)

# (figure name suffix, text key of the notebook's explanation above it).
FIGURES = (
    ("learning_curves", "nb01.curves"),
    ("comparison", "nb01.comparison"),
    ("confusion", "nb01.confusion"),
    ("gradient_flow", "nb01.gradient_flow"),
)


@register_section("01_cnn_vs_fc")
def section_01(context: ReportContext) -> str:
    """Return notebook 01's section: per dataset its table, figures and conclusions."""
    lines = [tr("report.nb01_title"), "", _source_line(context), ""]
    for experiment, dataset, label, section_key in EXPERIMENTS:
        lines += [demote(tr(section_key), 1), ""]
        lines += [demote(tr("nb01.results_table"), 1), "", context.table(experiment), ""]
        for suffix, text_key in FIGURES:
            lines += [demote(tr(text_key), 1), "", context.figure(f"{dataset}_{suffix}", label), ""]
        results = context.results(experiment)
        if results:
            lines += [demote(conclusions_cnn_vs_fc(results, label), 1), ""]
    return "\n".join(lines)


def _source_line(context: ReportContext) -> str:
    summary = context.summary()
    if summary.empty:
        return tr("report.no_results", notebook=context.notebook)
    seeds = ", ".join(str(seed) for seed in sorted(set(summary["seed"].astype(int))))
    devices = ", ".join(sorted(set(summary["device"].astype(str))))
    return tr("report.source", profile=context.profile, seeds=seeds, devices=devices,
              path=f"results/{context.notebook}/summary.csv")
