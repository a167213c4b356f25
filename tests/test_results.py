import json

import pandas as pd
import torch

from cnnlib.results import SUMMARY_COLUMNS, ResultsStore
from cnnlib.training import TrainConfig, TrainResult


def _result(name, test_acc, seed=0):
    return TrainResult(
        model_name=name, dataset="mnist", params=10, config=TrainConfig(seed=seed),
        history=[{"epoch": 1, "train_loss": 0.5}], train_time_s=1.0, inference_time_s=0.1, train_acc=0.9,
        test_acc=test_acc, test_loss=0.3, device="cpu", precision="bf16", memory_format="channels_last",
        test_predictions=torch.tensor([1, 0]), test_targets=torch.tensor([1, 1]),
    )


def test_summary_has_required_columns_in_order(tmp_path):
    store = ResultsStore(tmp_path)
    store.save(_result("A", 0.5), experiment="1.1", profile="quick")
    summary = pd.read_csv(tmp_path / "summary.csv")
    required = ["experiment", "dataset", "model", "params", "epochs", "train_time_s", "inference_time_s",
                "train_acc", "test_acc", "profile", "device", "seed"]
    assert list(summary.columns[: len(required)]) == required
    assert list(summary.columns) == SUMMARY_COLUMNS


def test_rerun_replaces_row_other_seed_adds(tmp_path):
    store = ResultsStore(tmp_path)
    store.save(_result("A", 0.5), experiment="1.1", profile="quick")
    store.save(_result("B", 0.6), experiment="1.1", profile="quick")
    store.save(_result("A", 0.7), experiment="1.1", profile="quick")
    store.save(_result("A", 0.8, seed=1), experiment="1.1", profile="quick")
    summary = store.load_summary()
    assert len(summary) == 3
    a_seed0 = summary[(summary.model == "A") & (summary.seed == 0)]
    assert a_seed0.test_acc.tolist() == [0.7]


def test_run_record_has_history_predictions_and_environment(tmp_path):
    store = ResultsStore(tmp_path)
    store.save(_result("A", 0.5), experiment="1.1", profile="quick", kernel=3)
    (run_file,) = (tmp_path / "runs").glob("*.json")
    record = json.loads(run_file.read_text())
    assert record["history"] == [{"epoch": 1, "train_loss": 0.5}]
    assert record["test_predictions"] == [1, 0]
    assert record["summary"]["kernel"] == 3
    assert "torch" in record["environment"]
    assert not list(tmp_path.rglob("*.tmp")), "temporary files must be renamed away"
