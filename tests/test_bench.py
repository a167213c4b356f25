import argparse
import re

import pytest
import torch
from torch import nn
from torchvision import datasets

from cnnlib import bench, bench_parity, text
from cnnlib.bench import (
    BenchModel,
    benchmark_model,
    count_training_flops,
    main,
    measure_matmul_peak,
    parse_model_spec,
    random_imageset,
    reference_dataset,
)
from cnnlib.data import BatchLoader
from cnnlib.data.imageset import channel_stats
from cnnlib.training import resolve_precision

from helpers import separable_dataset

CPU = torch.device("cpu")
FINAL_LINE = re.compile(r"^train_speedup=(\d+\.\d\d) inference_speedup=(\d+\.\d\d) peak_fraction=(\d+\.\d\d)$")
TINY_RUN = ["--steps", "2", "--warmup-steps", "1", "--rounds", "2", "--batch-size", "8",
            "--eval-batch-size", "16", "--inference-batches", "2", "--device", "cpu", "--precision", "fp32"]


@pytest.fixture
def english():
    text.set_language("en")
    yield
    text.set_language("ru")


def test_main_prints_tables_and_final_line(capsys, english):
    status = main(["--models", "SimpleCNN:1x12x12", "ResCNN:3x8x8", *TINY_RUN])
    output = capsys.readouterr().out.strip().splitlines()

    assert status == 0
    match = FINAL_LINE.match(output[-1])
    assert match is not None, output[-1]
    train_speedup, inference_speedup, _ = (float(value) for value in match.groups())
    assert train_speedup > 0
    assert inference_speedup > 0
    assert any(line.startswith("SimpleCNN, input 1x12x12") for line in output)
    assert any(line.startswith("ResCNN, input 3x8x8") for line in output)
    reference_rows = [line for line in output if line.startswith("reference ")]
    assert len(reference_rows) == 2
    assert all(line.split()[1:3] == ["fp32", "contiguous"] for line in reference_rows)
    cnnlib_rows = [line for line in output if line.startswith("cnnlib ") and "GFLOP" not in line]
    assert [line.split()[1:3] for line in cnnlib_rows] == [["fp32", "channels_last"]] * 2
    flop_rows = [line for line in output if line.startswith("cnnlib training step:")]
    assert len(flop_rows) == 2
    assert all("matrix-multiply peak (fp32)" in line for line in flop_rows)


def test_final_line_is_for_first_model(capsys):
    main(["--models", "SimpleCNN:1x12x12", *TINY_RUN])
    output = capsys.readouterr().out.strip().splitlines()
    speedup_rows = [line for line in output if line.startswith(text.tr("bench.speedup"))]
    table_speedups = re.findall(r"(\d+\.\d\d)x", speedup_rows[0])
    match = FINAL_LINE.match(output[-1])

    assert match is not None
    assert list(match.groups()[:2]) == table_speedups


def test_benchmark_measures_positive_rates():
    result = benchmark_model(
        BenchModel("SimpleCNN", (1, 12, 12)), batch_size=8, steps=2, warmup=1, rounds=2, eval_batch_size=16,
        inference_batches=2, device=CPU, precision=resolve_precision("fp32", CPU),
    )

    assert result.reference.train_images_per_s > 0
    assert result.cnnlib.train_images_per_s > 0
    assert result.reference.inference_images_per_s > 0
    assert result.cnnlib.inference_images_per_s > 0
    assert result.inference_images == 32
    assert result.peak_flops_per_s > 0
    assert result.peak_fraction > 0
    assert result.train_speedup == pytest.approx(
        result.cnnlib.train_images_per_s / result.reference.train_images_per_s
    )
    assert result.achieved_flops_per_s == pytest.approx(result.step_flops * result.cnnlib.train_images_per_s / 8)


def test_flop_count_of_conv_and_linear_by_hand():
    model = nn.Sequential(nn.Conv2d(2, 3, kernel_size=3), nn.Flatten(), nn.Linear(27, 4))
    x = torch.randn(1, 2, 5, 5)
    y = torch.tensor([1])
    # Conv forward: 3x3x3 outputs, each 2*3*3 multiply-adds: 2 * 27 * 18 = 972 FLOPs.
    # Conv backward: the weight gradient only (the input needs none): 972.
    # Linear forward: 27 * 4 multiply-adds: 216. Backward: input and weight gradients, 216 each.
    expected = 972 + 972 + 216 + 216 + 216

    assert count_training_flops(model, x, y) == expected
    assert count_training_flops(model, x.repeat(2, 1, 1, 1), y.repeat(2)) == 2 * expected
    assert all(parameter.grad is None for parameter in model.parameters())


def test_matmul_peak_counts_two_flops_per_multiply_add(monkeypatch):
    # A clock that advances one second per read makes every timed multiply take 1 s.
    ticks = iter(range(100))
    monkeypatch.setattr(bench.time, "perf_counter", lambda: float(next(ticks)))
    assert measure_matmul_peak(torch.float32, CPU, size=64, repeats=3) == 2 * 64**3


def test_matmul_peak_measures_finite_rate():
    rate = measure_matmul_peak(torch.float32, CPU, size=64, repeats=2)
    assert 0 < rate < float("inf")


def test_model_spec_parsing():
    assert parse_model_spec("ResCNN") == BenchModel("ResCNN", (3, 32, 32))
    assert parse_model_spec("SimpleCNN:1x28x28") == BenchModel("SimpleCNN", (1, 28, 28))
    assert parse_model_spec("SimpleCNN:1X28X28").shape_text == "1x28x28"
    for bad in ("SimpleCNN:1x28", "SimpleCNN:0x28x28", "SimpleCNN:axbxc", "SimpleCNN:"):
        with pytest.raises(argparse.ArgumentTypeError, match="CxHxW"):
            parse_model_spec(bad)


@pytest.mark.parametrize(
    "argument, message",
    [
        (["--steps", "0"], "--steps"),
        (["--batch-size", "x"], "--batch-size"),
        (["--warmup-steps", "-1"], "--warmup-steps"),
        (["--rounds", "0"], "--rounds"),
        (["--precision", "int8"], "int8"),
        (["--models", "ResCNN:3x32"], "ResCNN:3x32"),
        (["--models", "ResCNN:2x32x32"], "ResCNN:2x32x32"),
        (["--models", "NoSuchModel"], "NoSuchModel"),
        (["--device", "tpu"], "tpu"),
    ],
)
def test_main_rejects_bad_arguments(argument, message, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argument)
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_main_names_option_of_bad_model(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--models", "NoSuchModel"])

    assert raised.value.code == 2
    assert "argument --models: " in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason="the machine has the device this test asks for")
def test_main_missing_device_suggests_flag(capsys, english):
    with pytest.raises(SystemExit) as raised:
        main(["--device", "cuda"])
    error = capsys.readouterr().err

    assert raised.value.code == 2
    assert "argument --device: Device 'cuda' is not available" in error
    assert "--device auto" in error


def test_help_shows_defaults(capsys, english):
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out

    assert "(default: 60)" in help_text
    assert "(default: 128)" in help_text
    assert "(default: auto" in help_text


@pytest.mark.parametrize("channels, dataset_class", [(1, datasets.MNIST), (3, datasets.CIFAR10)])
def test_reference_dataset_matches_batch_loader(channels, dataset_class):
    images = random_imageset(6, (channels, 5, 7), torch.Generator().manual_seed(1))
    mean, std = channel_stats(images.images)
    dataset = reference_dataset(images, mean, std)
    x, y = next(iter(BatchLoader(images, 6, mean=mean, std=std)))

    assert isinstance(dataset, dataset_class)
    assert len(dataset) == 6
    for index in range(6):
        image, label = dataset[index]
        assert image.shape == (channels, 5, 7)
        assert int(label) == y[index].item()
        torch.testing.assert_close(image, x[index], rtol=1e-5, atol=1e-5)


def test_reference_rejects_two_channels():
    images = random_imageset(2, (2, 4, 4), torch.Generator().manual_seed(1))
    with pytest.raises(ValueError, match="2x4x4"):
        reference_dataset(images, (0.5, 0.5), (0.25, 0.25))


def test_compile_flag_uses_torch_compile(monkeypatch, capsys, english):
    compiled_calls = []

    class CountingCompiled(nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x):
            compiled_calls.append(x.shape[0])
            return self.model(x)

    monkeypatch.setattr(torch, "compile", CountingCompiled)
    main(["--models", "SimpleCNN:1x12x12", "--compile", *TINY_RUN])
    output = capsys.readouterr().out.strip().splitlines()

    # One untimed compiling step, one warm-up step and 2 rounds of 2 timed steps.
    assert compiled_calls == [8] * 6
    rows = [line.split() for line in output if line.startswith("cnnlib+compile ")]
    assert [row[1:3] for row in rows] == [["fp32", "channels_last"]]


def test_parity_runs_are_seeded_alike(monkeypatch, capsys, english):
    # A generated 10-class set replaces CIFAR-10, because the harness is under test, not the data.
    dataset = separable_dataset(train_size=1200, test_size=600, channels=3, size=8, num_classes=10,
                                name="cifar10")
    requested = []

    def fake_load_dataset(name, root=None):
        requested.append((name, root))
        return dataset

    monkeypatch.setattr(bench_parity, "load_dataset", fake_load_dataset)
    status = bench_parity.main(["--profile", "smoke", "--precisions", "fp32", "fp32", "--data", "somewhere"])
    output = capsys.readouterr().out.strip().splitlines()

    assert status == 0
    assert requested == [("cifar10", "somewhere")]
    assert output[0] == "ResCNN on cifar10: 1000 training and 500 test images, epochs: 1, seed 0"
    rows = [line.split() for line in output[-2:]]
    assert [row[:3] for row in rows] == [["fp32", "fp32", "channels_last"]] * 2
    # Same seed and precision: the same accuracies, to the last printed digit.
    assert rows[0][-2:] == rows[1][-2:]
    assert 0.0 <= float(rows[0][-1]) <= 1.0
