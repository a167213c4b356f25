import math

import pytest
import torch
from torch import nn

from cnnlib.data import BatchLoader, Dataset, ImageSet
from cnnlib.errors import TrainingDivergedError, UnknownNameError
from cnnlib.experiment import run_experiment
from cnnlib.hooks import gradient_stats
from cnnlib.results import ResultsStore
from cnnlib.training import TrainConfig, evaluate, fit, measure_inference_time, predict, resolve_precision

from helpers import separable_dataset

FP32 = resolve_precision("fp32", torch.device("cpu"))
QUIET = dict(progress="off", device="cpu")


class AlwaysClassZero(nn.Module):
    """Predicts class 0 for every input."""

    def __init__(self, num_classes: int = 2):
        super().__init__()
        self.bias = nn.Parameter(torch.tensor([1.0] + [0.0] * (num_classes - 1)))

    def forward(self, x):
        return self.bias.expand(x.shape[0], -1)


def _loader(labels, batch_size):
    images = torch.zeros(len(labels), 1, 2, 2, dtype=torch.uint8)
    imageset = ImageSet(images, torch.tensor(labels, dtype=torch.int64), ("0", "1"))
    return BatchLoader(imageset, batch_size, mean=(0.0,), std=(1.0,))


def test_accuracy_counts_samples_not_batches():
    # Batches of 4, 4 and 2; only the last batch (labels 0) is predicted right.
    loader = _loader([1] * 8 + [0] * 2, batch_size=4)
    assert [len(y) for _, y in loader] == [4, 4, 2]
    _, accuracy = evaluate(AlwaysClassZero(), loader, FP32)
    assert accuracy == pytest.approx(0.2)


def test_loss_falls_on_separable_data():
    dataset = separable_dataset()
    model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    result = fit(model, dataset, TrainConfig(epochs=3, batch_size=32, lr=0.05, precision="fp32", **QUIET))
    losses = [epoch["train_loss"] for epoch in result.history]
    assert losses[-1] < 0.5 * losses[0]
    assert result.test_acc > 0.9
    assert result.epochs == 3
    assert result.convolutional is False


def test_fit_result_has_every_measurement():
    dataset = separable_dataset()
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 10 * 10, 3))
    result = fit(model, dataset, TrainConfig(epochs=2, batch_size=64, **QUIET))
    assert result.train_time_s > 0
    assert result.inference_time_s > 0
    assert result.memory_format == "channels_last"
    assert result.convolutional is True
    assert result.device == "cpu"
    assert set(result.grad_flow) == {1, 2}
    assert result.test_predictions.shape == (128,)
    assert torch.equal(result.test_targets, dataset.test.labels)
    accuracy = (result.test_predictions == result.test_targets).float().mean().item()
    assert accuracy == pytest.approx(result.test_acc)


def test_batch_size_does_not_change_predictions():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Dropout(0.5),
        nn.Flatten(), nn.Linear(8 * 8 * 8, 10),
    )
    # Non-trivial running statistics, as after training.
    model.train()
    model(torch.randn(64, 3, 8, 8) * 2 + 1)
    images = torch.randint(0, 256, (512, 3, 8, 8), dtype=torch.uint8)
    imageset = ImageSet(images, torch.randint(0, 10, (512,)), tuple("abcdefghij"))

    def predictions(batch_size):
        loader = BatchLoader(imageset, batch_size, mean=(0.5,) * 3, std=(0.25,) * 3)
        return predict(model, loader, FP32)[0]

    model.train()
    single = predictions(1)
    batched = predictions(256)
    assert torch.equal(single, batched)
    assert model.training, "predict must restore train mode"


def test_eval_and_timing_restore_mode():
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(4, 2))
    loader = _loader([0, 1, 0, 1], batch_size=2)
    for mode in (True, False):
        model.train(mode)
        evaluate(model, loader, FP32)
        assert model.training is mode
        measure_inference_time(model, loader, FP32)
        assert model.training is mode


def test_nan_learning_rate_diverges_with_message():
    dataset = separable_dataset()
    model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    config = TrainConfig(epochs=2, lr=float("nan"), schedule="constant", **QUIET)
    with pytest.raises(TrainingDivergedError) as raised:
        fit(model, dataset, config, name="TinyNet")
    message = str(raised.value)
    assert "TinyNet" in message
    assert "nan" in message
    assert raised.value.history == []


def test_diverged_model_is_marked_and_others_train(tmp_path):
    dataset = separable_dataset(size=28, name="mnist")
    store = ResultsStore(tmp_path)
    config = TrainConfig(epochs=1, lr=float("nan"), schedule="constant", **QUIET)
    with pytest.warns(UserWarning, match="FC_3layer"):
        results = run_experiment("t", dataset, ["FC_3layer"], config, profile="smoke", store=store)
    assert results[0].diverged
    assert math.isnan(results[0].test_acc)
    summary = store.load_summary()
    assert bool(summary.loc[0, "diverged"]) is True

    good = run_experiment("t", dataset, ["SimpleCNN"], config.replace(lr=1e-3), profile="smoke", store=store)
    assert not good[0].diverged
    assert len(store.load_summary()) == 2


def test_run_experiment_checks_names_before_training(tmp_path):
    dataset = separable_dataset(size=28)
    with pytest.raises(UnknownNameError, match="Nope"):
        run_experiment("t", dataset, ["FC_3layer", "Nope"], TrainConfig(epochs=1, **QUIET), profile="smoke",
                       store=ResultsStore(tmp_path))
    assert not (tmp_path / "summary.csv").exists()


def test_frozen_and_unused_layers_give_no_gradient_stats():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3)
            self.conv2 = nn.Conv2d(4, 4, 3)
            self.unused = nn.Linear(5, 5)
            self.head = nn.Linear(4 * 8 * 8, 3)

        def forward(self, x):
            return self.head(torch.flatten(self.conv2(self.conv1(x).relu()).relu(), 1))

    net = Net()
    net.conv1.requires_grad_(False)
    dataset = separable_dataset()
    result = fit(net, dataset, TrainConfig(epochs=1, **QUIET))
    layers = [s["layer"] for s in result.grad_flow[1]]
    assert layers == ["conv2.weight", "head.weight"]
    with_bias = [s["layer"] for s in gradient_stats(net, include_bias=True)]
    assert "conv2.bias" in with_bias
    assert not any(name.startswith(("conv1", "unused")) for name in with_bias)


@pytest.mark.parametrize(
    "setting, value",
    [("epochs", 0), ("epochs", "3"), ("batch_size", 2.5), ("lr", -1.0), ("seed", "0"), ("augment", "yes")],
)
def test_config_rejects_bad_values(setting, value):
    with pytest.raises(ValueError) as raised:
        TrainConfig(**{setting: value})
    assert setting in str(raised.value)
    assert repr(value) in str(raised.value)


def test_config_rejects_unknown_choice():
    with pytest.raises(UnknownNameError, match="adam, "):
        TrainConfig(optimizer="adam, ")
    with pytest.raises(UnknownNameError, match="precison"):
        TrainConfig().replace(precison="fp32")


def test_same_seed_same_result():
    dataset = separable_dataset()

    def run():
        torch.manual_seed(1)
        model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
        return fit(model, dataset, TrainConfig(epochs=2, seed=3, precision="fp32", **QUIET))

    first, second = run(), run()
    assert first.history[-1]["train_loss"] == second.history[-1]["train_loss"]
    assert torch.equal(first.test_predictions, second.test_predictions)


def test_augment_flag_reaches_training():
    dataset = separable_dataset(channels=3, size=12)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 144, 3))
    result = fit(model, dataset, TrainConfig(epochs=1, augment=True, **QUIET))
    assert result.config.augment
    assert math.isfinite(result.history[0]["train_loss"])


def test_grad_norms_match_direct_computation():
    dataset = separable_dataset(train_size=64, test_size=32)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    # One batch per epoch with lr 0: every step sees the initial weights, so the
    # recorded norm equals the norm of one direct backward pass over the same batch.
    config = TrainConfig(epochs=1, batch_size=64, lr=0.0, schedule="constant", precision="fp32", **QUIET)
    initial = [p.detach().clone() for p in model.parameters()]
    result = fit(model, dataset, config)
    epoch = result.history[0]

    reference = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    for parameter, value in zip(reference.parameters(), initial):
        parameter.data.copy_(value)
    loader = BatchLoader(dataset.train, 64, mean=dataset.mean, std=dataset.std, shuffle=True, seed=0)
    x, y = next(iter(loader))
    torch.nn.functional.cross_entropy(reference(x), y).backward()
    expected = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in reference.parameters()])).item()
    assert epoch["grad_norm_max"] == pytest.approx(expected, rel=1e-5)
    assert epoch["grad_norm_mean"] == pytest.approx(expected, rel=1e-5)


def test_grad_flow_epoch_zero_is_initial_gradient():
    dataset = separable_dataset(train_size=64, test_size=32)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    reference = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    reference.load_state_dict(model.state_dict())
    config = TrainConfig(epochs=2, batch_size=64, lr=0.5, progress="off", grad_flow_epochs=(0, 2), precision="fp32")
    result = fit(model, dataset, config)
    assert sorted(result.grad_flow) == [0, 2]

    # One batch of 64 covers the whole training set, so the first step's gradient is
    # the full-batch gradient at the initial weights, whatever the batch order.
    x = (dataset.train.images.float() / 255 - 0.3) / 0.3
    nn.functional.cross_entropy(reference(x), dataset.train.labels).backward()
    expected = torch.linalg.vector_norm(reference[1].weight.grad).item()
    assert result.grad_flow[0][0]["layer"] == "1.weight"
    assert result.grad_flow[0][0]["grad_norm"] == pytest.approx(expected, rel=1e-4)
    assert result.grad_flow[2][0]["grad_norm"] != pytest.approx(expected, rel=1e-2)


def test_grad_flow_all_includes_epoch_zero():
    assert TrainConfig(epochs=3, grad_flow_epochs="all").grad_flow_epoch_set() == {0, 1, 2, 3}
    with pytest.raises(ValueError, match="grad_flow_epochs"):
        TrainConfig(grad_flow_epochs=(-2,))


def test_progress_lines_name_model_and_seed(capsys):
    dataset = separable_dataset(train_size=32, test_size=16)
    model = nn.Sequential(nn.Flatten(), nn.Linear(144, 3))
    fit(model, dataset, TrainConfig(epochs=1, batch_size=16, seed=3, progress="lines"), name="tiny")
    assert "tiny (seed 3)" in capsys.readouterr().out
