"""Side-by-side speed benchmark: a typical course training loop against cnnlib's path.

    python -m cnnlib.bench [--models ResCNN SimpleCNN:1x28x28] [--steps 60] [--rounds 3] [--batch-size 128]

For each model, one process trains two fresh copies built with the same seed for
the same number of steps on the same random uint8 images:

* the reference loop: torchvision's ``CIFAR10`` dataset (``MNIST`` for
  one-channel input) over the images in memory, so every image goes through
  torchvision's own item code (a PIL image, then ``ToTensor`` and ``Normalize``),
  a shuffling ``DataLoader`` without workers, float32, NCHW, and ``loss.item()``
  after every step;
* cnnlib's path: `BatchLoader` (uint8 images on the device, batch normalisation),
  channels_last, autocast in the precision `resolve_precision` picks, running
  sums and the per-step gradient norm kept on the device, with the step functions
  that `fit` uses; ``--compile`` adds ``torch.compile`` as ``TrainConfig(compile=True)`` does.

The paths alternate in timed rounds, and each path's fastest round counts, so a
slow spell of a shared machine does not land on one path alone. The benchmark
prints training and inference images per second of both, their ratios, and
the FLOP/s that cnnlib's training step achieves against a matrix-multiply peak
measured in the same run. The last line reads
``train_speedup=X.XX inference_speedup=Y.YY peak_fraction=Z.ZZ`` for the first model.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from .data import BatchLoader, ImageSet
from .data.imageset import channel_stats
from .errors import UnknownNameError
from .flops import count_training_flops
from .models import build_model
from .models.registry import get_entry
from .text import tr
from .training.config import PRECISIONS, TrainConfig
from .training.device import FP32, Precision, resolve_device, resolve_precision, synchronize
from .training.loop import EpochTotals, TrainStepRunner, has_conv, measure_inference_time, optimizer_step

DEFAULT_MODELS = ("ResCNN", "SimpleCNN:1x28x28")
# Input shape of a model named without one: CIFAR-10-sized images.
DEFAULT_SHAPE = (3, 32, 32)
NUM_CLASSES = 10
# The reference reads images the way torchvision's MNIST and CIFAR10 datasets do.
REFERENCE_CHANNELS = (1, 3)


@dataclass(frozen=True)
class BenchModel:
    """A registered model name and the (C, H, W) shape of its input images."""

    name: str
    shape: tuple[int, int, int]

    @property
    def shape_text(self) -> str:
        """The shape written as CxHxW."""
        return "x".join(str(size) for size in self.shape)


def parse_model_spec(text: str) -> BenchModel:
    """Parse ``NAME`` or ``NAME:CxHxW`` (a name alone gets 3x32x32 input)."""
    name, separator, shape_text = text.partition(":")
    if not separator:
        return BenchModel(name, DEFAULT_SHAPE)
    try:
        shape = tuple(int(size) for size in shape_text.lower().split("x"))
    except ValueError:
        shape = ()
    if len(shape) != 3 or min(shape) < 1:
        raise argparse.ArgumentTypeError(tr("bench.bad_model_spec", value=text))
    if shape[0] not in REFERENCE_CHANNELS:
        raise argparse.ArgumentTypeError(tr("bench.bad_channels", value=text, channels=shape[0]))
    return BenchModel(name, shape)


class InMemoryCIFAR10(datasets.CIFAR10):
    """torchvision's CIFAR10 dataset over uint8 (N, H, W, 3) images held in memory.

    Item access is torchvision's own: a PIL image from the array, then ``transform``.
    """

    def __init__(self, data: np.ndarray, targets: list[int], transform: Callable):
        # CIFAR10.__init__ reads and checks the downloaded files. The fields that
        # its __getitem__ and __len__ use are set here instead.
        datasets.VisionDataset.__init__(self, root="", transform=transform)
        self.train = True
        self.data = data
        self.targets = targets


class InMemoryMNIST(datasets.MNIST):
    """torchvision's MNIST dataset over uint8 (N, H, W) images held in memory.

    Item access is torchvision's own: a greyscale PIL image, then ``transform``.
    """

    def __init__(self, data: torch.Tensor, targets: torch.Tensor, transform: Callable):
        # MNIST.__init__ would read the files, so the fields are set here as in InMemoryCIFAR10.
        datasets.VisionDataset.__init__(self, root="", transform=transform)
        self.train = True
        self.data = data
        self.targets = targets


class _OnDevice:
    """Re-iterable wrapper that moves each (x, y) batch of ``loader`` to ``device``."""

    def __init__(self, loader: Iterable, device: torch.device):
        self.loader = loader
        self.device = device

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for x, y in self.loader:
            yield x.to(self.device), y.to(self.device)


def random_imageset(count: int, shape: tuple[int, int, int], generator: torch.Generator) -> ImageSet:
    """Return ``count`` uniformly random uint8 images of ``shape`` with random labels."""
    images = torch.randint(0, 256, (count, *shape), dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, NUM_CLASSES, (count,), generator=generator)
    return ImageSet(images, labels, tuple(str(label) for label in range(NUM_CLASSES)))


def reference_dataset(images: ImageSet, mean, std) -> datasets.VisionDataset:
    """Return ``images`` as torchvision's MNIST (1 channel) or CIFAR10 (3 channels) dataset.

    Each item is converted on access with ``ToTensor`` and ``Normalize(mean, std)``.
    """
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    channels = images.images.shape[1]
    if channels == 1:
        return InMemoryMNIST(images.images[:, 0].contiguous(), images.labels.clone(), transform)
    if channels == 3:
        hwc = images.images.permute(0, 2, 3, 1).contiguous().numpy()
        return InMemoryCIFAR10(hwc, images.labels.tolist(), transform)
    shape_text = "x".join(str(size) for size in images.images.shape[1:])
    raise ValueError(tr("bench.bad_channels", value=shape_text, channels=channels))


def reference_trainer(model: nn.Module, loader: DataLoader, device: torch.device) -> Callable[[], None]:
    """Return a function that runs one step of the reference loop on the next batch of ``loader``.

    The step moves the batch to ``device``, trains in float32 and reads the loss
    on the host with ``loss.item()``, as the usual course loop does.
    """
    optimizer = torch.optim.AdamW(model.parameters(), lr=TrainConfig().lr)
    model.train()
    batches = iter(loader)
    running_loss = 0.0

    def step() -> None:
        nonlocal running_loss
        x, y = next(batches)
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()

    return step


def cnnlib_trainer(model: nn.Module, loader: BatchLoader, precision: Precision,
                   device: torch.device, compile: bool = False) -> Callable[[], None]:
    """Return a function that runs one step of `fit`'s loop on the next batch of ``loader``.

    As in `fit`, the loss and accuracy sums and the gradient norm of every step
    stay on the device, and with ``compile`` the steps run through
    ``torch.compile(model)``, compiled in the first call. The loader's one-time
    copy of the images to the device happened when it was built, as it happens
    once per `fit`, so no step pays for it.
    """
    optimizer = torch.optim.AdamW(model.parameters(), lr=TrainConfig().lr)
    scaler = torch.amp.GradScaler(device.type) if precision.needs_grad_scaler else None
    train_step = TrainStepRunner(model, compile)
    model.train()
    batches = iter(loader)
    totals = EpochTotals(device)

    def step() -> None:
        x, y = next(batches)
        loss, logits = train_step(x, y, optimizer, precision, device, scaler)
        if scaler is not None:
            scaler.unscale_(optimizer)
        totals.add_grad_norm(model)
        optimizer_step(optimizer, scaler)
        totals.add_batch(loss, logits, y)

    return step


def time_steps(step: Callable[[], None], count: int, device: torch.device) -> float:
    """Return the seconds that ``count`` calls of ``step`` take, with the device synchronised."""
    synchronize(device)
    start = time.perf_counter()
    for _ in range(count):
        step()
    synchronize(device)
    return time.perf_counter() - start


def measure_matmul_peak(dtype: torch.dtype, device: torch.device, size: int = 2048, repeats: int = 5) -> float:
    """Return the best FLOP/s of ``repeats`` square ``torch.mm`` calls of ``size`` in ``dtype``."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device, dtype)
    b = torch.randn(size, size, generator=generator).to(device, dtype)
    torch.mm(a, b)  # warm-up: library initialisation and kernel choice
    best = float("inf")
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        torch.mm(a, b)
        synchronize(device)
        best = min(best, time.perf_counter() - start)
    return 2.0 * size**3 / best


@dataclass(frozen=True)
class PathSpeed:
    """Measured speed of one training path."""

    name: str
    precision: str
    memory_format: str
    train_images_per_s: float
    inference_images_per_s: float


@dataclass(frozen=True)
class ModelBenchmark:
    """Both paths' speeds for one model, with cnnlib's FLOP rate against the matmul peak."""

    spec: BenchModel
    device: str
    batch_size: int
    steps: int
    warmup: int
    rounds: int
    inference_images: int
    reference: PathSpeed
    cnnlib: PathSpeed
    step_flops: int
    peak_flops_per_s: float

    @property
    def train_speedup(self) -> float:
        """cnnlib's training images/s over the reference loop's."""
        return self.cnnlib.train_images_per_s / self.reference.train_images_per_s

    @property
    def inference_speedup(self) -> float:
        """cnnlib's inference images/s over the reference loop's."""
        return self.cnnlib.inference_images_per_s / self.reference.inference_images_per_s

    @property
    def achieved_flops_per_s(self) -> float:
        """FLOP/s of cnnlib's training steps, data preparation and optimizer included."""
        return self.step_flops * self.cnnlib.train_images_per_s / self.batch_size

    @property
    def peak_fraction(self) -> float:
        """Achieved training FLOP/s over the matmul peak in the same precision."""
        return self.achieved_flops_per_s / self.peak_flops_per_s


def _fresh_model(spec: BenchModel, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return build_model(spec.name, in_channels=spec.shape[0], num_classes=NUM_CLASSES, image_size=spec.shape[1:])


def benchmark_model(
    spec: BenchModel,
    *,
    batch_size: int,
    steps: int,
    warmup: int,
    rounds: int = 1,
    eval_batch_size: int,
    inference_batches: int,
    device: torch.device,
    precision: Precision,
    seed: int = 0,
    peaks: dict | None = None,
    compile: bool = False,
) -> ModelBenchmark:
    """Measure both paths on ``spec`` and return the result.

    After ``warmup`` untimed steps of each path, every one of ``rounds`` rounds
    times ``steps`` training steps and one inference pass of each path. The
    fastest round of each path gives its images per second. ``peaks`` caches
    matmul peaks by dtype across the models of one run. With ``compile``, cnnlib's
    training steps run through ``torch.compile`` and one more untimed step
    compiles them; its inference stays eager, as in `fit`.
    """
    generator = torch.Generator().manual_seed(seed)
    train_set = random_imageset(batch_size * (warmup + rounds * steps + 1), spec.shape, generator)
    test_set = random_imageset(eval_batch_size * inference_batches, spec.shape, generator)
    mean, std = channel_stats(train_set.images)

    # The reference loop: per-image transforms, float32, NCHW.
    reference_model = _fresh_model(spec, seed).to(device)
    torch.manual_seed(seed)
    reference_train = DataLoader(reference_dataset(train_set, mean, std), batch_size=batch_size,
                                 shuffle=True, num_workers=0)
    reference_test = _OnDevice(DataLoader(reference_dataset(test_set, mean, std), batch_size=eval_batch_size,
                                          shuffle=False, num_workers=0), device)
    reference_step = reference_trainer(reference_model, reference_train, device)

    # cnnlib's path: uint8 on the device, batch normalisation, channels_last, autocast.
    cnnlib_model = _fresh_model(spec, seed)
    channels_last = has_conv(cnnlib_model)
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    cnnlib_model.to(device=device, memory_format=memory_format)
    cnnlib_train = BatchLoader(train_set, batch_size, mean=mean, std=std, device=device, shuffle=True,
                               seed=seed, channels_last=channels_last)
    cnnlib_test = BatchLoader(test_set, eval_batch_size, mean=mean, std=std, device=device,
                              channels_last=channels_last)
    cnnlib_step = cnnlib_trainer(cnnlib_model, cnnlib_train, precision, device, compile=compile)
    if compile:
        cnnlib_step()

    # Rounds alternate between the paths, so a slow spell of a shared machine
    # hits both, and the fastest round of each path counts.
    for _ in range(warmup):
        reference_step()
        cnnlib_step()
    reference_train_s = cnnlib_train_s = float("inf")
    reference_inference_s = cnnlib_inference_s = float("inf")
    for _ in range(rounds):
        reference_train_s = min(reference_train_s, time_steps(reference_step, steps, device))
        cnnlib_train_s = min(cnnlib_train_s, time_steps(cnnlib_step, steps, device))
        reference_inference_s = min(reference_inference_s,
                                    measure_inference_time(reference_model, reference_test, FP32, device))
        cnnlib_inference_s = min(cnnlib_inference_s,
                                 measure_inference_time(cnnlib_model, cnnlib_test, precision, device))

    x, y = next(iter(BatchLoader(train_set, batch_size, mean=mean, std=std, device=device,
                                 channels_last=channels_last)))
    step_flops = count_training_flops(cnnlib_model, x, y)
    peak_dtype = precision.autocast_dtype or torch.float32
    peaks = {} if peaks is None else peaks
    if peak_dtype not in peaks:
        peaks[peak_dtype] = measure_matmul_peak(peak_dtype, device)

    trained_images = batch_size * steps
    return ModelBenchmark(
        spec=spec,
        device=str(device),
        batch_size=batch_size,
        steps=steps,
        warmup=warmup,
        rounds=rounds,
        inference_images=len(test_set),
        reference=PathSpeed("reference", FP32.name, "contiguous", trained_images / reference_train_s,
                            len(test_set) / reference_inference_s),
        cnnlib=PathSpeed("cnnlib_compiled" if compile else "cnnlib", precision.name,
                         "channels_last" if channels_last else "contiguous",
                         trained_images / cnnlib_train_s, len(test_set) / cnnlib_inference_s),
        step_flops=step_flops,
        peak_flops_per_s=peaks[peak_dtype],
    )


def format_table(result: ModelBenchmark) -> str:
    """Return the fixed-width table of one model's measurements."""
    headers = [tr("bench.column.path"), tr("bench.column.precision"), tr("bench.column.memory_format"),
               tr("bench.column.train"), tr("bench.column.inference")]
    body = [
        [tr(f"bench.path.{path.name}"), path.precision, path.memory_format,
         f"{path.train_images_per_s:.1f}", f"{path.inference_images_per_s:.1f}"]
        for path in (result.reference, result.cnnlib)
    ]
    body.append([tr("bench.speedup"), "", "", f"{result.train_speedup:.2f}x", f"{result.inference_speedup:.2f}x"])
    widths = [max(len(row[column]) for row in [headers, *body]) for column in range(len(headers))]

    def row(cells: Sequence[str]) -> str:
        left = [cell.ljust(width) for cell, width in zip(cells[:3], widths[:3])]
        right = [cell.rjust(width) for cell, width in zip(cells[3:], widths[3:])]
        return "  ".join(left + right).rstrip()

    lines = [
        tr("bench.title", model=result.spec.name, shape=result.spec.shape_text, device=result.device,
           batch_size=result.batch_size, steps=result.steps, rounds=result.rounds, warmup=result.warmup,
           inference_images=result.inference_images),
        row(headers),
        row(["-" * width for width in widths]),
        *(row(cells) for cells in body),
        tr("bench.flops", step_gflop=result.step_flops / 1e9,
           achieved_gflops=result.achieved_flops_per_s / 1e9, precision=result.cnnlib.precision,
           peak_gflops=result.peak_flops_per_s / 1e9, fraction=result.peak_fraction),
    ]
    return "\n".join(lines)


def final_line(result: ModelBenchmark) -> str:
    """Return the machine-readable summary line of ``result``."""
    return (f"train_speedup={result.train_speedup:.2f} inference_speedup={result.inference_speedup:.2f} "
            f"peak_fraction={result.peak_fraction:.2f}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(tr("bench.bad_positive_int", value=text))
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(tr("bench.bad_non_negative_int", value=text))
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of ``python -m cnnlib.bench``."""
    parser = argparse.ArgumentParser(prog="python -m cnnlib.bench", description=tr("bench.help.description"))
    parser.add_argument("--models", nargs="+", type=parse_model_spec,
                        default=[parse_model_spec(text) for text in DEFAULT_MODELS],
                        help=tr("bench.help.models", default=" ".join(DEFAULT_MODELS)))
    parser.add_argument("--steps", type=_positive_int, default=60, help=tr("bench.help.steps"))
    parser.add_argument("--warmup-steps", type=_non_negative_int, default=5, help=tr("bench.help.warmup"))
    parser.add_argument("--rounds", type=_positive_int, default=3, help=tr("bench.help.rounds"))
    parser.add_argument("--batch-size", type=_positive_int, default=128, help=tr("bench.help.batch_size"))
    parser.add_argument("--eval-batch-size", type=_positive_int, default=512, help=tr("bench.help.eval_batch_size"))
    parser.add_argument("--inference-batches", type=_positive_int, default=8, help=tr("bench.help.inference_batches"))
    parser.add_argument("--device", default="auto", help=tr("bench.help.device"))
    parser.add_argument("--precision", default="auto", choices=PRECISIONS, help=tr("bench.help.precision"))
    parser.add_argument("--seed", type=int, default=0, help=tr("bench.help.seed"))
    parser.add_argument("--compile", action="store_true", help=tr("bench.help.compile"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark for every requested model and print the tables and the final line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        for spec in args.models:
            get_entry(spec.name)
    except UnknownNameError as error:
        parser.error(f"argument --models: {error}")
    try:
        device = resolve_device(args.device)
    except UnknownNameError as error:
        parser.error(f"argument --device: {error}")
    except ValueError:
        parser.error(f"argument --device: {tr('bench.device_unavailable', value=args.device)}")
    precision = resolve_precision(args.precision, device)
    print(tr("bench.environment", torch=torch.__version__, threads=torch.get_num_threads(), device=device))

    peaks: dict = {}
    results = []
    for spec in args.models:
        result = benchmark_model(
            spec, batch_size=args.batch_size, steps=args.steps, warmup=args.warmup_steps, rounds=args.rounds,
            eval_batch_size=args.eval_batch_size, inference_batches=args.inference_batches,
            device=device, precision=precision, seed=args.seed, peaks=peaks, compile=args.compile,
        )
        results.append(result)
        print()
        print(format_table(result), flush=True)

    print()
    print(final_line(results[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
