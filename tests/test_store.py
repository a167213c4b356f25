"""The results store: reuse of finished runs, force, damaged files, annotate."""

import json
import math

import pytest
import torch

import cnnlib.experiment as experiment_module
from cnnlib.experiment import run_experiment
from cnnlib.models import ModelSpec
from cnnlib.results import ResultsStore
from cnnlib.training import TrainConfig

from helpers import separable_dataset

QUIET = dict(progress="off", device="cpu", precision="fp32", epochs=1, batch_size=64)


@pytest.fixture
def fit_calls(monkeypatch):
    """Count the calls of `fit` made by run_experiment."""
    calls = []
    real_fit = experiment_module.fit

    def counting_fit(model, dataset, config, **kwargs):
        calls.append(kwargs.get("name"))
        return real_fit(model, dataset, config, **kwargs)

    monkeypatch.setattr(experiment_module, "fit", counting_fit)
    return calls


def _run(store, models=("FC_3layer", "SimpleCNN"), seeds=(0, 1), **kwargs):
    dataset = separable_dataset(size=28, name="mnist")
    return run_experiment("1.1", dataset, list(models), TrainConfig(**QUIET), profile="smoke", store=store,
                          seeds=list(seeds), **kwargs)


def test_results_model_major_with_seeds(tmp_path, fit_calls):
    results = _run(ResultsStore(tmp_path))
    assert [(r.model_name, r.config.seed) for r in results] == [
        ("FC_3layer", 0), ("FC_3layer", 1), ("SimpleCNN", 0), ("SimpleCNN", 1)]
    assert results[0].test_acc != results[1].test_acc or results[0].history != results[1].history
    assert len(fit_calls) == 4


def test_reuse_returns_same_metrics_without_training(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    first = _run(store)
    assert len(fit_calls) == 4
    again = _run(store)
    assert len(fit_calls) == 4, "a stored run must not be retrained"
    for old, new in zip(first, again):
        assert new.test_acc == old.test_acc
        assert new.train_acc == old.train_acc
        assert new.train_time_s == old.train_time_s
        assert new.history == old.history
        assert torch.equal(new.test_predictions, old.test_predictions)
        assert new.grad_flow == old.grad_flow
        assert new.architecture == old.architecture
        for name, tensor in old.model.state_dict().items():
            assert torch.equal(new.model.state_dict()[name].cpu(), tensor.cpu()), name
    assert len(store.load_summary()) == 4


def test_reused_model_predicts_like_trained(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    (first,) = _run(store, models=["SimpleCNN"], seeds=[0])
    (again,) = _run(store, models=["SimpleCNN"], seeds=[0])
    x = torch.randn(4, 1, 28, 28)
    first.model.eval()
    again.model.eval()
    assert torch.equal(first.model(x), again.model(x))
    assert len(fit_calls) == 1


def test_force_retrains(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store, models=["FC_3layer"], seeds=[0])
    forced = _run(store, models=["FC_3layer"], seeds=[0], force=True)
    assert len(fit_calls) == 2
    assert not forced[0].diverged
    assert len(store.load_summary()) == 1


def test_changed_setting_is_a_new_run(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store, models=["FC_3layer"], seeds=[0])
    _run(store, models=[ModelSpec("FC_3layer", "FC_3layer", {"hidden": (32, 16)})], seeds=[0])
    assert len(fit_calls) == 2
    assert len(list((tmp_path / "runs").glob("*.json"))) == 2


def test_truncated_record_retrains_only_its_model(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store)
    (damaged,) = (tmp_path / "runs").glob("1.1_SimpleCNN_seed1_*.json")
    damaged.write_text(damaged.read_text()[:200])
    with pytest.warns(UserWarning, match=damaged.name):
        results = _run(store)
    assert fit_calls[4:] == ["SimpleCNN"]
    json.loads(damaged.read_text())  # rewritten whole
    assert len(results) == 4
    assert len(store.load_summary()) == 4


def test_missing_weights_retrain_that_model(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store, seeds=[0])
    (weights,) = (tmp_path / "weights").glob("1.1_FC_3layer_seed0_*.pt")
    weights.unlink()
    with pytest.warns(UserWarning, match=weights.name):
        _run(store, seeds=[0])
    assert fit_calls[2:] == ["FC_3layer"]
    assert weights.exists()


def test_damaged_weights_retrain_that_model(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store, seeds=[0])
    (weights,) = (tmp_path / "weights").glob("1.1_SimpleCNN_seed0_*.pt")
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.warns(UserWarning, match=weights.name):
        _run(store, seeds=[0])
    assert fit_calls[2:] == ["SimpleCNN"]


def test_damaged_summary_is_rebuilt(tmp_path, fit_calls):
    store = ResultsStore(tmp_path)
    _run(store, seeds=[0])
    store.summary_path.write_bytes(b"\xff\xfe\x00broken")
    with pytest.warns(UserWarning, match="summary.csv"):
        _run(store, seeds=[0])
    assert len(fit_calls) == 2
    assert sorted(store.load_summary()["model"]) == ["FC_3layer", "SimpleCNN"]


def test_no_checkpoint_or_temporary_left(tmp_path):
    _run(ResultsStore(tmp_path), seeds=[0])
    assert not list((tmp_path / "checkpoints").glob("*"))
    assert not list(tmp_path.rglob("*.tmp"))


def test_nan_lr_row_marked_and_others_go_on(tmp_path):
    store = ResultsStore(tmp_path)
    dataset = separable_dataset(size=28, name="mnist")
    config = TrainConfig(**{**QUIET, "epochs": 2}, lr=float("nan"), schedule="constant")
    with pytest.warns(UserWarning) as caught:
        results = run_experiment("1.1", dataset, [ModelSpec("fc-nan", "FC_3layer")], config, profile="smoke",
                                 store=store, seeds=[0, 1])
    messages = [str(w.message) for w in caught]
    assert any("fc-nan" in m and "1" in m and "nan" in m for m in messages), messages
    assert all(r.diverged for r in results)
    summary = store.load_summary()
    assert summary["diverged"].tolist() == [True, True]
    assert summary["test_acc"].isna().all()
    again = run_experiment("1.1", dataset, [ModelSpec("fc-nan", "FC_3layer")], config, profile="smoke",
                           store=store, seeds=[0])
    assert again[0].diverged and math.isnan(again[0].test_acc)


def test_divergence_message_names_model_epoch_lr(tmp_path):
    from cnnlib import text

    dataset = separable_dataset(size=28, name="mnist")
    config = TrainConfig(**{**QUIET, "epochs": 2}, lr=float("nan"), schedule="constant")
    text.set_language("en")
    try:
        with pytest.warns(UserWarning) as caught:
            run_experiment("1.1", dataset, ["FC_3layer"], config, profile="smoke", store=ResultsStore(tmp_path))
    finally:
        text.set_language("ru")
    (message,) = [str(w.message) for w in caught if "diverged" in str(w.message)]
    assert "FC_3layer" in message
    assert "at epoch 1" in message
    assert "learning rate nan" in message


def test_columns_and_annotate(tmp_path):
    store = ResultsStore(tmp_path)
    _run(store, models=["FC_3layer"], columns={"FC_3layer": {"kernel": "none"}})
    assert store.load_summary()["kernel"].tolist() == ["none", "none"]
    assert store.annotate(experiment="1.1", model="FC_3layer", stability=0.25) == 2
    summary = store.load_summary()
    assert summary["stability"].tolist() == [0.25, 0.25]
    _run(store, models=["FC_3layer"])  # a reuse keeps annotated columns
    assert store.load_summary()["stability"].tolist() == [0.25, 0.25]
    with pytest.raises(ValueError, match="Nope"):
        store.annotate(experiment="1.1", model="Nope", stability=1.0)
    with pytest.raises(ValueError, match="seed"):
        store.annotate(experiment="1.1", model="FC_3layer", seed=3)


def test_record_has_config_history_environment(tmp_path):
    _run(ResultsStore(tmp_path), models=["FC_3layer"], seeds=[0])
    (path,) = (tmp_path / "runs").glob("*.json")
    record = json.loads(path.read_text())
    assert record["run_config"]["model"] == "FC_3layer"
    assert record["run_config"]["dataset"]["train_size"] == 256
    assert record["run_config"]["profile"] == "smoke"
    assert "device" not in record["run_config"]["training"]
    assert record["config"]["seed"] == 0
    assert {"torch", "numpy", "cnnlib", "python"} <= set(record["environment"])
    epoch = record["history"][0]
    assert epoch["grad_norm_max"] >= epoch["grad_norm_mean"] > 0
    assert record["weights"].startswith("weights/")
    assert record["key"] in path.name
