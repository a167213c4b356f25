"""`fit`, evaluation, prediction and honest timing: one loop for every model."""

from __future__ import annotations

import math
import os
import time
import warnings
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from ..data import BatchLoader, Dataset, ImageSet, StreamingBatchLoader
from ..errors import TrainingDivergedError
from ..hooks import gradient_stats
from ..text import tr
from .checkpoint import load_checkpoint, rng_state, save_checkpoint, set_rng_state
from .config import TrainConfig
from .device import Precision, resolve_device, resolve_precision, synchronize
from .progress import Progress
from .seed import set_seed


@dataclass
class TrainResult:
    """Everything `fit` measured for one model.

    ``history`` has one dict per epoch with train_loss and train_acc (running
    means over the epoch's batches, so with dropout and augmentation active),
    test_loss, test_acc, epoch_time_s, lr, and grad_norm_max / grad_norm_mean
    (the largest and the mean total L2 norm of all parameter gradients over the
    epoch's steps, unscaled). ``train_acc`` and ``test_acc`` are final
    eval-mode accuracies over the whole train and test splits. ``model_name``
    is the label shown in tables; ``architecture`` and ``model_kwargs`` are the
    registry name and factory arguments that rebuild the model.
    """

    model_name: str
    dataset: str
    params: int
    config: TrainConfig
    history: list[dict]
    train_time_s: float
    inference_time_s: float
    train_acc: float
    test_acc: float
    test_loss: float
    device: str
    precision: str
    memory_format: str
    grad_flow: dict[int, list[dict]] = field(default_factory=dict)
    test_predictions: torch.Tensor | None = None
    test_targets: torch.Tensor | None = None
    diverged: bool = False
    convolutional: bool = False
    model: nn.Module | None = field(default=None, repr=False)
    architecture: str = ""
    model_kwargs: dict = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        """Number of finished epochs."""
        return len(self.history)


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Return the number of (trainable) parameters of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def total_grad_norm(model: nn.Module, device: torch.device) -> torch.Tensor:
    """Return the L2 norm of all parameter gradients as a float64 tensor on ``device``.

    The value is not read on the host, so calling this every step adds no synchronisation.
    """
    gradients = [p.grad for p in model.parameters() if p.grad is not None]
    if not gradients:
        return torch.zeros((), dtype=torch.float64, device=device)
    norms = torch._foreach_norm(gradients)
    return torch.linalg.vector_norm(torch.stack(norms).double())


def has_conv(model: nn.Module) -> bool:
    """Return True when ``model`` contains a 2-D convolution."""
    return any(isinstance(module, nn.Conv2d) for module in model.modules())


# In torch 2.14 every dynamo and inductor failure, including a missing C++ compiler
# or Triton, is a RuntimeError subclass.
COMPILE_ERRORS = (RuntimeError,)


def _make_loader(images: ImageSet, dataset: Dataset, batch_size: int, device, channels_last: bool,
                 shuffle: bool = False, augment: bool = False, seed: int = 0, kind: str = "device"):
    loader_class = StreamingBatchLoader if kind == "dataloader" else BatchLoader
    return loader_class(
        images, batch_size, mean=dataset.mean, std=dataset.std, device=device, shuffle=shuffle,
        seed=seed, augment=augment, channels_last=channels_last,
    )


def _make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    parameters = [p for p in model.parameters() if p.requires_grad]
    # torch rejects a non-finite lr at construction, so it is set afterwards. Such a
    # run then fails the way a diverging one does, with a message naming the lr.
    lr = config.lr if math.isfinite(config.lr) else 0.0
    if config.optimizer == "sgd":
        optimizer = torch.optim.SGD(parameters, lr=lr, momentum=0.9, nesterov=True,
                                    weight_decay=config.weight_decay)
    else:
        optimizer = torch.optim.AdamW(parameters, lr=lr, weight_decay=config.weight_decay)
    for group in optimizer.param_groups:
        group["lr"] = config.lr
    return optimizer


def _make_scheduler(optimizer, config: TrainConfig, steps_per_epoch: int):
    total_steps = config.epochs * steps_per_epoch
    if config.schedule == "onecycle" and math.isfinite(config.lr) and config.lr > 0:
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=total_steps)
    if config.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    return None


def forward_backward(model: nn.Module, x: torch.Tensor, y: torch.Tensor, optimizer: torch.optim.Optimizer,
                     precision: Precision, device: torch.device,
                     scaler: torch.amp.GradScaler | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Run the forward pass under ``precision`` and the backward pass of the mean cross-entropy.

    Clears the old gradients first and leaves the new ones (scaled when ``scaler``
    is given) in the parameters. Returns (loss, logits) without reading them on the host.
    """
    with precision.autocast(device):
        logits = model(x)
        loss = F.cross_entropy(logits, y)
    optimizer.zero_grad(set_to_none=True)
    if scaler is not None:
        scaler.scale(loss).backward()
    else:
        loss.backward()
    return loss, logits


def optimizer_step(optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler | None = None) -> None:
    """Update the parameters from their gradients, through ``scaler`` when it is given."""
    if scaler is not None:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()


class EpochTotals:
    """Running sums of one training epoch, kept on the device so that no step waits for the host.

    ``grad_norm_sum`` and ``grad_norm_max`` cover the total gradient norm of every
    step. ``loss_sum`` and ``correct`` sum over the ``seen`` training images.
    """

    def __init__(self, device: torch.device):
        self.loss_sum = torch.zeros((), device=device, dtype=torch.float64)
        self.correct = torch.zeros((), device=device, dtype=torch.int64)
        self.grad_norm_sum = torch.zeros((), device=device, dtype=torch.float64)
        self.grad_norm_max = torch.zeros((), device=device, dtype=torch.float64)
        self.seen = 0
        self.device = device

    def add_grad_norm(self, model: nn.Module) -> None:
        """Add the total norm of the gradients now in ``model``.

        Under a grad scaler, call it after ``scaler.unscale_``, or the norm includes the scale.
        """
        grad_norm = total_grad_norm(model, self.device)
        self.grad_norm_sum += grad_norm
        torch.maximum(self.grad_norm_max, grad_norm, out=self.grad_norm_max)

    def add_batch(self, loss: torch.Tensor, logits: torch.Tensor, y: torch.Tensor) -> None:
        """Add one batch's mean loss (weighted by its size) and its correct predictions."""
        self.loss_sum += loss.detach().double() * y.numel()
        self.correct += (logits.detach().argmax(dim=1) == y).sum()
        self.seen += y.numel()


class TrainStepRunner:
    """Training-step callable: `forward_backward` through ``torch.compile(model)`` when asked, else eager.

    Compilation happens inside the first call. When ``torch.compile`` or that first
    call fails, a warning names the reason and every step from then on, that one
    included, runs eagerly. NOTE: a failure inside the compiled backward comes
    after the forward has updated BatchNorm's running statistics once, so the
    eager retry updates them a second time.
    """

    def __init__(self, model: nn.Module, compile: bool):
        self.model = model
        self.step_model = model
        self._first_compiled_step = False
        if compile:
            try:
                self.step_model = torch.compile(model)
                self._first_compiled_step = True
            except COMPILE_ERRORS as error:
                warn_compile_failed(error)

    def __call__(self, x, y, optimizer, precision: Precision, device: torch.device,
                 scaler: torch.amp.GradScaler | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Return `forward_backward`'s (loss, logits) for the batch ``(x, y)``."""
        if not self._first_compiled_step:
            return forward_backward(self.step_model, x, y, optimizer, precision, device, scaler)
        self._first_compiled_step = False
        try:
            return forward_backward(self.step_model, x, y, optimizer, precision, device, scaler)
        except COMPILE_ERRORS as error:
            warn_compile_failed(error)
            self.step_model = self.model
            return forward_backward(self.model, x, y, optimizer, precision, device, scaler)


def warn_compile_failed(error: BaseException) -> None:
    """Warn that ``torch.compile`` failed, naming the error's type and first line."""
    message = str(error).strip().splitlines()
    reason = f"{type(error).__name__}: {message[0] if message else ''}"
    warnings.warn(tr("warning.compile_failed", reason=reason), stacklevel=3)


@torch.no_grad()
def evaluate(model: nn.Module, loader, precision: Precision = None, device=None) -> tuple[float, float]:
    """Return (mean loss, accuracy) over every sample of ``loader`` in eval mode.

    Both are sums over samples divided by the sample count, so a short last
    batch weighs by its size. The model's train/eval mode is restored after.
    """
    loss_sum, correct, count = _accumulate(model, loader, precision, device, keep_predictions=False)[:3]
    return loss_sum / count, correct / count


@torch.no_grad()
def predict(model: nn.Module, loader, precision: Precision = None, device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (predicted classes, true classes) over ``loader`` as CPU int64 tensors."""
    _, _, _, predictions, targets = _accumulate(model, loader, precision, device, keep_predictions=True)
    return predictions, targets


def _accumulate(model, loader, precision, device, keep_predictions):
    precision = precision or resolve_precision("fp32", torch.device("cpu"))
    device = torch.device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        loss_sum = torch.zeros((), device=device, dtype=torch.float64)
        correct = torch.zeros((), device=device, dtype=torch.int64)
        count = 0
        predictions, targets = [], []
        for x, y in loader:
            with precision.autocast(device):
                logits = model(x)
            loss_sum += F.cross_entropy(logits.float(), y, reduction="sum")
            predicted = logits.argmax(dim=1)
            correct += (predicted == y).sum()
            count += y.numel()
            if keep_predictions:
                predictions.append(predicted.cpu())
                targets.append(y.cpu())
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("evaluation loader yielded no samples")
    if keep_predictions:
        return loss_sum.item(), correct.item(), count, torch.cat(predictions), torch.cat(targets)
    return loss_sum.item(), correct.item(), count, None, None


@torch.no_grad()
def measure_inference_time(model: nn.Module, loader, precision: Precision = None, device=None) -> float:
    """Return the seconds ``model`` takes to classify every batch of ``loader``.

    Eval mode, no autograd, one warm-up batch first (not timed), and device
    synchronisation before each clock read. The model's mode is restored after.
    """
    precision = precision or resolve_precision("fp32", torch.device("cpu"))
    device = torch.device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        for x, _ in loader:
            with precision.autocast(device):
                model(x).argmax(dim=1)
            break
        synchronize(device)
        start = time.perf_counter()
        for x, _ in loader:
            with precision.autocast(device):
                model(x).argmax(dim=1)
        synchronize(device)
        return time.perf_counter() - start
    finally:
        model.train(was_training)


def fit(model: nn.Module, dataset: Dataset, config: TrainConfig, *, name: str | None = None,
        checkpoint: str | os.PathLike | None = None, checkpoint_key: str = "") -> TrainResult:
    """Train ``model`` on ``dataset.train`` and measure it on ``dataset.test``.

    Training time counts only the training batches (forward, backward, step),
    not the per-epoch evaluation. Raises `TrainingDivergedError` when an
    epoch's loss is not finite; the error's ``history`` has the finished epochs.

    With ``checkpoint`` (a file path), the state is saved there after every
    finished epoch, and a checkpoint already there with the same
    ``checkpoint_key`` is resumed from. On a CPU a resumed run ends with the same
    weights and metrics as an uninterrupted one. The caller deletes the file
    once the result is stored.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a cnnlib TrainConfig, got {type(config).__name__}")
    name = name or type(model).__name__
    set_seed(config.seed)
    device = resolve_device(config.device)
    precision = resolve_precision(config.precision, device)
    channels_last = has_conv(model) if config.channels_last is None else config.channels_last
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model.to(device=device, memory_format=memory_format)
    # Evaluation always uses the eager model. Training steps use the compiled one when compiling works.
    train_step = TrainStepRunner(model, config.compile)

    train_loader = _make_loader(dataset.train, dataset, config.batch_size, device, channels_last,
                                shuffle=True, augment=config.augment, seed=config.seed, kind=config.loader)
    test_loader = _make_loader(dataset.test, dataset, config.eval_batch_size, device, channels_last,
                               kind=config.loader)
    optimizer = _make_optimizer(model, config)
    scheduler = _make_scheduler(optimizer, config, len(train_loader))
    scaler = torch.amp.GradScaler(device.type) if precision.needs_grad_scaler else None
    grad_flow_epochs = config.grad_flow_epoch_set()

    history: list[dict] = []
    grad_flow: dict[int, list[dict]] = {}
    train_time = 0.0
    resumed = load_checkpoint(checkpoint, checkpoint_key) if checkpoint is not None else None
    if resumed is not None:
        model.load_state_dict(resumed["model"])
        optimizer.load_state_dict(resumed["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(resumed["scheduler"])
        if scaler is not None:
            scaler.load_state_dict(resumed["scaler"])
        set_rng_state(resumed["rng"])
        history = list(resumed["history"])
        grad_flow = dict(resumed["grad_flow"])
        train_time = float(resumed["train_time_s"])
        # Epoch k of the loader draws its order from (seed, k), so skipping the
        # finished epochs' counter reproduces the uninterrupted run's batches.
        train_loader.epoch = len(history)
        warnings.warn(tr("warning.resumed", model=name, epoch=len(history), epochs=config.epochs), stacklevel=2)

    test_predictions = test_targets = None
    with Progress(config.progress, f"{name} (seed {config.seed})", config.epochs, len(train_loader)) as progress:
        for epoch in range(len(history) + 1, config.epochs + 1):
            model.train()
            totals = EpochTotals(device)
            last_batch = len(train_loader) - 1

            synchronize(device)
            start = time.perf_counter()
            for index, (x, y) in enumerate(train_loader):
                loss, logits = train_step(x, y, optimizer, precision, device, scaler)
                if scaler is not None:
                    # The norms and the gradient flow describe the true gradients; the
                    # scaler's step then skips its own unscaling.
                    scaler.unscale_(optimizer)
                totals.add_grad_norm(model)
                if index == last_batch and epoch in grad_flow_epochs:
                    grad_flow[epoch] = gradient_stats(model)
                if epoch == 1 and index == 0 and 0 in grad_flow_epochs:
                    grad_flow[0] = gradient_stats(model)  # at the initial weights, before any update
                optimizer_step(optimizer, scaler)
                if scheduler is not None:
                    scheduler.step()

                totals.add_batch(loss, logits, y)
                progress.step()
            synchronize(device)
            epoch_time = time.perf_counter() - start
            train_time += epoch_time

            train_loss = totals.loss_sum.item() / totals.seen
            if not math.isfinite(train_loss):
                error = TrainingDivergedError(
                    tr("error.diverged", model=name, epoch=epoch, loss=train_loss, lr=config.lr)
                )
                error.history = history
                error.train_time_s = train_time
                raise error
            # The last epoch's evaluation also keeps the predictions for the confusion matrix.
            last_epoch = epoch == config.epochs
            test_loss_sum, test_correct, test_count, test_predictions, test_targets = _accumulate(
                model, test_loader, precision, device, keep_predictions=last_epoch
            )
            test_loss, test_acc = test_loss_sum / test_count, test_correct / test_count
            record = {
                "epoch": epoch,
                "train_loss": train_loss,
                "train_acc": totals.correct.item() / totals.seen,
                "test_loss": test_loss,
                "test_acc": test_acc,
                "epoch_time_s": epoch_time,
                "lr": optimizer.param_groups[0]["lr"],
                "grad_norm_max": totals.grad_norm_max.item(),
                "grad_norm_mean": totals.grad_norm_sum.item() / len(train_loader),
            }
            history.append(record)
            progress.end_epoch(epoch, record)
            if checkpoint is not None:
                save_checkpoint(checkpoint, {
                    "key": checkpoint_key,
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict() if scheduler is not None else None,
                    "scaler": scaler.state_dict() if scaler is not None else None,
                    "rng": rng_state(),
                    "history": history,
                    "grad_flow": grad_flow,
                    "train_time_s": train_time,
                })

    if test_predictions is None:
        # Resumed after the last epoch had finished: only the final evaluation is missing.
        test_loss_sum, _, test_count, test_predictions, test_targets = _accumulate(
            model, test_loader, precision, device, keep_predictions=True
        )
        test_loss = test_loss_sum / test_count
        test_acc = history[-1]["test_acc"]

    train_eval_loader = _make_loader(dataset.train, dataset, config.eval_batch_size, device, channels_last,
                                     kind=config.loader)
    _, train_acc = evaluate(model, train_eval_loader, precision, device)
    inference_time = measure_inference_time(model, test_loader, precision, device)

    return TrainResult(
        model_name=name,
        dataset=dataset.name,
        params=count_parameters(model),
        config=config,
        history=history,
        train_time_s=train_time,
        inference_time_s=inference_time,
        train_acc=train_acc,
        test_acc=test_acc,
        test_loss=test_loss,
        device=str(device),
        precision=precision.name,
        memory_format="channels_last" if channels_last else "contiguous",
        grad_flow=grad_flow,
        test_predictions=test_predictions,
        test_targets=test_targets,
        convolutional=has_conv(model),
        model=model,
    )
