"""Progress reporting for `fit`: a tqdm bar, one line per epoch, or nothing."""

from __future__ import annotations

import os
import sys

from tqdm.auto import tqdm

from ..text import tr


def resolve_progress(mode: str) -> str:
    """Resolve "auto" from the environment: CNNLIB_PROGRESS wins, then CI turns output off."""
    if mode != "auto":
        return mode
    requested = os.environ.get("CNNLIB_PROGRESS", "").strip().lower()
    if requested in ("bar", "lines", "off"):
        return requested
    if os.environ.get("CI"):
        return "off"
    return "bar"


class Progress:
    """Shows training progress for one model; use as a context manager."""

    def __init__(self, mode: str, model_name: str, epochs: int, steps_per_epoch: int):
        self.mode = resolve_progress(mode)
        self.model_name = model_name
        self.epochs = epochs
        self._bar = None
        if self.mode == "bar":
            self._bar = tqdm(total=epochs * steps_per_epoch, desc=model_name, leave=True, unit=tr("progress.unit"))

    def step(self) -> None:
        """Advance by one training batch (no device synchronisation)."""
        if self._bar is not None:
            self._bar.update(1)

    def end_epoch(self, epoch: int, record: dict) -> None:
        """Report the finished epoch's losses and accuracies."""
        if self.mode == "bar":
            self._bar.set_postfix_str(
                tr("progress.postfix", epoch=epoch, epochs=self.epochs, loss=record["train_loss"],
                   acc=record["train_acc"], test_acc=record["test_acc"]),
                refresh=True,
            )
        elif self.mode == "lines":
            print(
                tr("progress.line", model=self.model_name, epoch=epoch, epochs=self.epochs,
                   loss=record["train_loss"], acc=record["train_acc"], test_loss=record["test_loss"],
                   test_acc=record["test_acc"], seconds=record["epoch_time_s"]),
                file=sys.stdout,
                flush=True,
            )

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc_info) -> None:
        if self._bar is not None:
            self._bar.close()
