"""Training settings shared by every model of an experiment."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ..errors import UnknownNameError
from ..text import tr

OPTIMIZERS = ("adamw", "sgd")
SCHEDULES = ("onecycle", "cosine", "constant")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")
PROGRESS_MODES = ("auto", "bar", "lines", "off")
LOADERS = ("device", "dataloader")


def _bad(name: str, value: object, expected: str) -> ValueError:
    return ValueError(tr("error.bad_setting", name=name, value=value, expected=expected))


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters and run settings for `fit`.

    Args:
        epochs: passes over the training set.
        batch_size: training batch size.
        lr: peak learning rate (the one-cycle schedule's maximum).
        weight_decay: decoupled weight decay (AdamW) or L2 (SGD).
        optimizer: "adamw" or "sgd" (momentum 0.9, Nesterov).
        schedule: "onecycle", "cosine" or "constant", stepped every batch.
        augment: random crop (4-pixel padding) and horizontal flip of training batches.
        seed: seeds torch, numpy and Python's random, the batch order and the augmentation.
        device: "auto" (cuda, then mps, then cpu), or a torch device string.
        precision: "auto" picks bf16/fp16 autocast where the hardware runs it fast, else fp32.
        channels_last: NHWC memory format for 4-D weights and inputs; None means
            "for models that have a conv layer".
        grad_flow_epochs: 1-based epochs after whose last batch per-layer gradient
            statistics are recorded; 0 records the first step's gradients (at the
            initial weights), -1 stands for the last epoch, and "all" for 0 and every epoch.
        eval_batch_size: batch size for evaluation, prediction and inference timing.
        progress: "bar" (tqdm), "lines" (one printed line per epoch), "off", or
            "auto": off when the CI or CNNLIB_PROGRESS=off environment is set, else a bar.
        compile: run the training steps through ``torch.compile``; when compiling or
            the first compiled step fails, ``fit`` warns and trains eagerly. Evaluation
            and inference timing stay eager, and ``train_time_s`` includes compilation.
        loader: "device" copies each split to the device once (`BatchLoader`).
            "dataloader" keeps the split in host memory and moves one batch at a time
            through ``torch.utils.data.DataLoader`` (`StreamingBatchLoader`), for splits
            that do not fit in device memory. Both yield the same batches for one seed.
    """

    epochs: int = 5
    batch_size: int = 128
    lr: float = 2e-3
    weight_decay: float = 0.0
    optimizer: str = "adamw"
    schedule: str = "onecycle"
    augment: bool = False
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"
    channels_last: bool | None = None
    grad_flow_epochs: tuple[int, ...] | str = (1, -1)
    eval_batch_size: int = 512
    progress: str = "auto"
    compile: bool = False
    loader: str = "device"

    def __post_init__(self):
        for name in ("epochs", "batch_size", "eval_batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise _bad(name, value, tr("expected.positive_int"))
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise _bad("seed", self.seed, tr("expected.int"))
        for name in ("lr", "weight_decay"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise _bad(name, value, tr("expected.non_negative_number"))
        if not math.isfinite(self.weight_decay):
            raise _bad("weight_decay", self.weight_decay, tr("expected.non_negative_number"))
        # A NaN or infinite lr is let through on purpose: fit reports the divergence it causes.
        for name, allowed in (
            ("optimizer", OPTIMIZERS),
            ("schedule", SCHEDULES),
            ("precision", PRECISIONS),
            ("progress", PROGRESS_MODES),
            ("loader", LOADERS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise UnknownNameError(tr("error.bad_setting", name=name, value=value, expected=", ".join(allowed)))
        for name in ("augment", "compile"):
            if not isinstance(getattr(self, name), bool):
                raise _bad(name, getattr(self, name), "True / False")
        if self.channels_last is not None and not isinstance(self.channels_last, bool):
            raise _bad("channels_last", self.channels_last, "True / False / None")
        if self.grad_flow_epochs == "all":
            return
        if isinstance(self.grad_flow_epochs, str):
            raise _bad("grad_flow_epochs", self.grad_flow_epochs, tr("expected.grad_flow_epochs"))
        object.__setattr__(self, "grad_flow_epochs", tuple(self.grad_flow_epochs))
        for epoch in self.grad_flow_epochs:
            if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < -1:
                raise _bad("grad_flow_epochs", self.grad_flow_epochs, tr("expected.grad_flow_epochs"))

    def replace(self, **changes) -> "TrainConfig":
        """Return a copy with ``changes`` applied (validated like the original)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise UnknownNameError(
                tr("error.bad_setting", name=", ".join(sorted(unknown)), value=changes,
                   expected=", ".join(f.name for f in dataclasses.fields(self)))
            )
        return dataclasses.replace(self, **changes)

    def grad_flow_epoch_set(self) -> set[int]:
        """Return the epochs to record gradient flow at, with -1 resolved (0 is the first step)."""
        if self.grad_flow_epochs == "all":
            return set(range(0, self.epochs + 1))
        return {self.epochs if epoch == -1 else epoch for epoch in self.grad_flow_epochs if epoch <= self.epochs}

    def to_dict(self) -> dict:
        """Return the settings as a JSON-ready dict."""
        return dataclasses.asdict(self)
