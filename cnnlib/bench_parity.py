"""Accuracy parity of the fast path: one model trained by `fit` in several precisions, side by side.

    CNNLIB_DATA=/path/to/data python -m cnnlib.bench_parity [--precisions auto fp32]

Each run builds the model with the same seed and trains it with the same
`TrainConfig` except ``precision``. The data is the real dataset in the subset
sizes and epochs of a profile. By default that is the quick profile: ResCNN on
40000 CIFAR-10 training images and the whole 10000-image test split, 10 epochs.
Only the precision differs, so the test accuracies show what lower precision costs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .data import load_dataset
from .models import build_for_dataset
from .profiles import PROFILES, get_profile
from .text import tr
from .training import TrainConfig, fit, set_seed
from .training.config import PRECISIONS


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of ``python -m cnnlib.bench_parity``."""
    parser = argparse.ArgumentParser(prog="python -m cnnlib.bench_parity", description=tr("parity.help.description"))
    parser.add_argument("--model", default="ResCNN", help=tr("parity.help.model"))
    parser.add_argument("--dataset", default="cifar10", help=tr("parity.help.dataset"))
    parser.add_argument("--precisions", nargs="+", default=["auto", "fp32"], choices=PRECISIONS,
                        help=tr("parity.help.precisions"))
    parser.add_argument("--profile", default="quick", choices=tuple(PROFILES), help=tr("parity.help.profile"))
    parser.add_argument("--epochs", type=int, default=None, help=tr("parity.help.epochs"))
    parser.add_argument("--seed", type=int, default=0, help=tr("parity.help.seed"))
    parser.add_argument("--data", default=None, help=tr("parity.help.data"))
    return parser


def format_parity_table(rows: Sequence[dict]) -> str:
    """Return a fixed-width table with one row per run."""
    columns = (
        ("requested", tr("parity.column.requested"), "{}"),
        ("precision", tr("parity.column.precision"), "{}"),
        ("memory_format", tr("parity.column.memory_format"), "{}"),
        ("train_time_s", tr("parity.column.train_time"), "{:.1f}"),
        ("train_images_per_s", tr("parity.column.train_speed"), "{:.0f}"),
        ("train_acc", tr("parity.column.train_acc"), "{:.4f}"),
        ("test_acc", tr("parity.column.test_acc"), "{:.4f}"),
    )
    cells = [[header for _, header, _ in columns]]
    cells += [[template.format(row[key]) for key, _, template in columns] for row in rows]
    widths = [max(len(line[index]) for line in cells) for index in range(len(columns))]
    lines = ["  ".join(cell.ljust(width) if index < 3 else cell.rjust(width)
                       for index, (cell, width) in enumerate(zip(line, widths))).rstrip()
             for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Train the model once per precision and print the accuracies side by side."""
    args = build_parser().parse_args(argv)
    profile = get_profile(args.profile)
    train_size, test_size = profile.size(args.dataset)
    epochs = profile.epochs_for(args.dataset, args.epochs)
    dataset = load_dataset(args.dataset, args.data).subset(train_size, test_size, seed=args.seed)
    print(tr("parity.setup", model=args.model, dataset=args.dataset, train=len(dataset.train),
             test=len(dataset.test), epochs=epochs, seed=args.seed), flush=True)

    rows = []
    for requested in args.precisions:
        config = TrainConfig(epochs=epochs, seed=args.seed, precision=requested, progress="lines")
        set_seed(config.seed)  # the weight initialisation is part of the seeded run
        model = build_for_dataset(args.model, dataset)
        result = fit(model, dataset, config, name=f"{args.model} ({requested})")
        rows.append({
            "requested": requested,
            "precision": result.precision,
            "memory_format": result.memory_format,
            "train_time_s": result.train_time_s,
            "train_images_per_s": result.epochs * len(dataset.train) / result.train_time_s,
            "train_acc": result.train_acc,
            "test_acc": result.test_acc,
        })

    print()
    print(format_parity_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
