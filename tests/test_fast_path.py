import pytest
import torch
from torch import nn

from cnnlib.data import BatchLoader, StreamingBatchLoader
from cnnlib.errors import UnknownNameError
from cnnlib.training import TrainConfig, fit, resolve_device, resolve_precision, synchronize
from cnnlib.training import device as device_module
from cnnlib.training import loop as loop_module
from cnnlib.training.device import BF16, FP16, FP32

from helpers import separable_dataset

QUIET = dict(progress="off", device="cpu", precision="fp32")
CUDA = torch.device("cuda")


def _small_conv_net(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
        nn.Flatten(), nn.Linear(4 * 12 * 12, 3),
    )


def _fit_small(**settings):
    dataset = separable_dataset()
    config = TrainConfig(epochs=2, batch_size=48, **{**QUIET, **settings})
    return fit(_small_conv_net(), dataset, config)


def _assert_same_training(result, expected):
    assert len(result.history) == len(expected.history)
    for epoch, expected_epoch in zip(result.history, expected.history):
        for key in ("train_loss", "train_acc", "test_loss", "test_acc", "lr"):
            assert epoch[key] == expected_epoch[key], key
    assert torch.equal(result.test_predictions, expected.test_predictions)
    for parameter, expected_parameter in zip(result.model.parameters(), expected.model.parameters()):
        assert torch.equal(parameter, expected_parameter)


# --- TrainConfig ----------------------------------------------------------------------


def test_new_settings_default_to_old_behaviour():
    config = TrainConfig()
    assert config.compile is False
    assert config.loader == "device"


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_compile_must_be_bool(value):
    with pytest.raises(ValueError, match="compile"):
        TrainConfig(compile=value)


def test_unknown_loader_rejected():
    with pytest.raises(UnknownNameError, match="dataloader"):
        TrainConfig(loader="disk")


# --- torch.compile switch -------------------------------------------------------------


class _FailingCompiled(nn.Module):
    """Fake compiled module whose first call raises, as a module from a broken backend does."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        raise RuntimeError("backend compiler failed\nsecond line of the report")


class _CountingCompiled(nn.Module):
    """Fake compiled module that works: it calls the original module and counts the calls."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.model(x)


def test_compile_failure_in_first_step_falls_back(monkeypatch):
    expected = _fit_small()
    compiled = []

    def failing_compile(model):
        compiled.append(_FailingCompiled(model))
        return compiled[-1]

    monkeypatch.setattr(torch, "compile", failing_compile)
    with pytest.warns(UserWarning, match="backend compiler failed") as warned:
        result = _fit_small(compile=True)

    assert len(warned) == 1
    assert "second line" not in str(warned[0].message)
    assert compiled[0].calls == 1
    _assert_same_training(result, expected)


def test_compile_error_at_compile_time_falls_back(monkeypatch):
    expected = _fit_small()

    def broken_compile(model):
        raise RuntimeError("Python version not supported")

    monkeypatch.setattr(torch, "compile", broken_compile)
    with pytest.warns(UserWarning, match="Python version not supported"):
        result = _fit_small(compile=True)
    _assert_same_training(result, expected)


def test_compiled_module_runs_training_steps_only(monkeypatch):
    expected = _fit_small()
    compiled = []

    def counting_compile(model):
        compiled.append(_CountingCompiled(model))
        return compiled[-1]

    monkeypatch.setattr(torch, "compile", counting_compile)
    result = _fit_small(compile=True)

    # 256 training samples in batches of 48: 6 steps per epoch, 2 epochs.
    assert compiled[0].calls == 12
    _assert_same_training(result, expected)


def test_compile_off_never_compiles(monkeypatch):
    def forbidden_compile(model):
        raise AssertionError("torch.compile called with compile=False")

    monkeypatch.setattr(torch, "compile", forbidden_compile)
    assert _fit_small().epochs == 2


# --- DataLoader path ------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        dict(shuffle=True, augment=True, channels_last=True),
        dict(shuffle=True, augment=False, channels_last=False, drop_last=True),
        dict(shuffle=False, augment=True, channels_last=True),
    ],
)
def test_streaming_loader_yields_batch_loader_batches(settings):
    images = separable_dataset(train_size=70, channels=3).train
    common = dict(mean=(0.2, 0.3, 0.4), std=(0.5, 0.6, 0.7), seed=5, **settings)
    device_loader = BatchLoader(images, 16, **common)
    streaming_loader = StreamingBatchLoader(images, 16, **common)

    assert len(streaming_loader) == len(device_loader)
    for _ in range(2):  # a second epoch has a new order and new augmentation
        device_batches = list(device_loader)
        streaming_batches = list(streaming_loader)
        assert len(streaming_batches) == len(device_batches)
        for (x, y), (expected_x, expected_y) in zip(streaming_batches, device_batches):
            assert torch.equal(x, expected_x)
            assert torch.equal(y, expected_y)
            assert x.dtype == torch.float32
            assert x.is_contiguous(memory_format=torch.channels_last) == settings["channels_last"]


def test_streaming_loader_with_workers_keeps_order():
    images = separable_dataset(train_size=40).train
    common = dict(mean=(0.3,), std=(0.3,), seed=2, shuffle=True, augment=True)
    expected = list(BatchLoader(images, 16, **common))
    batches = list(StreamingBatchLoader(images, 16, num_workers=2, **common))

    assert len(batches) == len(expected) == 3
    for (x, y), (expected_x, expected_y) in zip(batches, expected):
        assert torch.equal(x, expected_x)
        assert torch.equal(y, expected_y)


def test_streaming_loader_keeps_images_off_device():
    images = separable_dataset(train_size=20).train
    loader = StreamingBatchLoader(images, 8, mean=(0.3,), std=(0.3,))
    assert not hasattr(loader, "images")
    assert [len(y) for _, y in loader] == [8, 8, 4]


def test_fit_with_dataloader_matches_device_loader():
    expected = _fit_small(augment=True)
    result = _fit_small(augment=True, loader="dataloader")

    _assert_same_training(result, expected)
    assert result.train_acc == expected.train_acc
    assert result.inference_time_s > 0


# --- CUDA decisions, checked on the CPU -------------------------------------------------


@pytest.fixture
def fake_cuda(monkeypatch):
    """Make torch report a CUDA device; ``fake_cuda(bf16=...)`` sets its bf16 support."""

    def install(bf16: bool = True):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: bf16)

    return install


def test_auto_precision_on_cuda_with_bf16(fake_cuda):
    fake_cuda(bf16=True)
    precision = resolve_precision("auto", CUDA)
    assert precision is BF16
    assert precision.needs_grad_scaler is False


def test_cuda_without_bf16_uses_fp16(fake_cuda):
    fake_cuda(bf16=False)
    precision = resolve_precision("auto", CUDA)
    assert precision is FP16
    assert precision.autocast_dtype == torch.float16
    assert precision.needs_grad_scaler is True


@pytest.mark.parametrize("requested, expected", [("bf16", BF16), ("fp16", FP16), ("fp32", FP32)])
def test_explicit_precision_on_cuda(fake_cuda, requested, expected):
    fake_cuda(bf16=False)
    assert resolve_precision(requested, CUDA) is expected


def test_auto_device_prefers_cuda(fake_cuda):
    fake_cuda()
    assert resolve_device("auto") == CUDA
    assert resolve_device("cuda:1") == torch.device("cuda", 1)


def test_cuda_request_without_cuda_rejected(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="'cuda'"):
        resolve_device("cuda")


def test_synchronize_waits_only_on_cuda(monkeypatch):
    waited = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: waited.append(device))

    synchronize(torch.device("cpu"))
    assert waited == []
    synchronize(CUDA)
    assert waited == [CUDA]


def test_cpu_auto_precision_follows_native_bf16(monkeypatch):
    monkeypatch.setattr(device_module, "cpu_has_native_bf16", lambda: True)
    assert resolve_precision("auto", torch.device("cpu")) is BF16
    monkeypatch.setattr(device_module, "cpu_has_native_bf16", lambda: False)
    with pytest.warns(UserWarning, match="float32"):
        assert resolve_precision("auto", torch.device("cpu")) is FP32


def test_grad_scaler_path_unscales_recorded_gradients(monkeypatch):
    # CUDA devices without bf16 get fp16 autocast with a GradScaler. CPU autocast runs fp16 too.
    expected = _fit_small()
    monkeypatch.setattr(loop_module, "resolve_precision", lambda precision, device: FP16)
    result = _fit_small(precision="auto")

    assert result.precision == "fp16"
    assert result.history[-1]["train_loss"] < result.history[0]["train_loss"]
    for epoch in (1, 2):
        for stats, expected_stats in zip(result.grad_flow[epoch], expected.grad_flow[epoch]):
            assert stats["layer"] == expected_stats["layer"]
            # Gradients left scaled would have norms 2**16 times larger.
            assert stats["grad_norm"] == pytest.approx(expected_stats["grad_norm"], rel=0.5)
