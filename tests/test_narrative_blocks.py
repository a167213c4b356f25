import math

import pandas as pd
import pytest

from cnnlib import text
from cnnlib.block_study import annotate_stability, block_columns, block_frame, block_table
from cnnlib.narrative_blocks import (
    conclusions_blocks,
    conclusions_custom_vs_standard,
    conclusions_layer_checks,
    spread_uncertainty,
)
from cnnlib.results import ResultsStore, summary_row
from cnnlib.training import TrainConfig, TrainResult

from helpers import separable_dataset


def _history(final_acc, losses, spike=2.0):
    return [
        {"epoch": epoch + 1, "train_loss": loss, "train_acc": 0.5, "test_loss": loss,
         "test_acc": final_acc if epoch == len(losses) - 1 else 0.4,
         "grad_norm_max": spike if epoch == 0 else 1.0, "grad_norm_mean": 1.0}
        for epoch, loss in enumerate(losses)
    ]


def _runs(name, accuracies, train_time=10.0, losses=(1.0, 0.8), spike=2.0):
    return [
        TrainResult(model_name=name, dataset="cifar10", params=1000, config=TrainConfig(seed=seed),
                    history=_history(acc, list(losses), spike), train_time_s=train_time + seed,
                    inference_time_s=0.5, train_acc=acc + 0.05, test_acc=acc, test_loss=0.8, device="cpu",
                    precision="fp32", memory_format="channels_last", convolutional=True, architecture=name)
        for seed, acc in enumerate(accuracies)
    ]


COLUMNS = {
    "ResNet-basic": {"block": "basic", "flops": 50_000_000},
    "ResNet-bottleneck": {"block": "bottleneck", "flops": 70_000_000},
    "ResNet-wide": {"block": "wide", "flops": 200_000_000},
}


def _block_results():
    return (
        _runs("ResNet-basic", [0.60, 0.61, 0.62], train_time=10.0, losses=(1.0, 0.9, 0.8))
        + _runs("ResNet-bottleneck", [0.50, 0.55, 0.60], train_time=12.0, losses=(1.0, 0.6, 0.9), spike=5.0)
        + _runs("ResNet-wide", [0.70, 0.71, 0.72], train_time=30.0, losses=(1.0, 0.9, 0.85))
    )


@pytest.fixture
def english():
    text.set_language("en")
    yield
    text.set_language("ru")


def _checks(passed=9, forward=1e-16, grad=4e-16):
    return pd.DataFrame([
        {"layer": "Swish", "gradcheck_passed": 9, "gradcheck_total": 9, "gradcheck_failed": "—",
         "forward_max_abs_diff": forward, "grad_max_abs_diff": 0.0},
        {"layer": "GeM", "gradcheck_passed": passed, "gradcheck_total": 9,
         "gradcheck_failed": "—" if passed == 9 else "channels_last + cat",
         "forward_max_abs_diff": 0.0, "grad_max_abs_diff": grad},
    ])


def _bench():
    return pd.DataFrame([
        {"layer": "Swish", "input_shape": "8x8x4x4", "device": "cpu", "custom_forward_ms": 1.0,
         "standard_forward_ms": 1.0, "custom_backward_ms": 5.0, "standard_backward_ms": 1.0,
         "custom_saved_bytes": 50, "standard_saved_bytes": 100},
        {"layer": "GeM", "input_shape": "8x8x4x4", "device": "cpu", "custom_forward_ms": 1.0,
         "standard_forward_ms": 1.0, "custom_backward_ms": 1.02, "standard_backward_ms": 1.0,
         "custom_saved_bytes": 100, "standard_saved_bytes": 100},
    ])


def test_layer_checks_all_passed(english):
    markdown = conclusions_layer_checks(_checks(), _bench())
    assert "All 2 layers pass gradcheck in float64 in all 9" in markdown
    assert "agree with the standard operations up to float64 rounding" in markdown
    assert "1.0e-16 for the output (Swish)" in markdown
    assert "4.0e-16 for the gradients (GeM)" in markdown
    # Swish: (1 + 5) / (1 + 1) = 3; GeM: 2.02 / 2 = 1.01, within the 10% tolerance.
    assert "Swish ×3.00, GeM ×1.01" in markdown
    assert "Faster than standard: —; slower: Swish" in markdown
    assert "Swish 50%" in markdown


def test_layer_checks_failure_and_difference(english):
    markdown = conclusions_layer_checks(_checks(passed=7, grad=1e-3))
    assert "1 of 2 layers fail gradcheck: GeM (channels_last + cat)" in markdown
    assert "by more than float64 rounding" in markdown
    assert "Forward + backward" not in markdown


def test_custom_matches_standard_within_spread(english):
    results = _runs("StandardLayersCNN", [0.60, 0.62, 0.64]) + _runs("CustomLayersCNN", [0.60, 0.625, 0.64],
                                                                      train_time=20.0)
    markdown = conclusions_custom_vs_standard(results)
    assert "trains on custom layers as it does on standard ones" in markdown
    assert "62.17% ± 2.02" in markdown
    assert "not distinguishable" in markdown
    assert "3 pair(s) of runs" in markdown
    assert "at most 0.50 points" in markdown
    assert "21.0 s on average, **StandardLayersCNN** 11.0 s (a ratio of 1.91)" in markdown
    assert "means over 3 runs" in markdown


def test_custom_differs_from_standard(english):
    results = _runs("StandardLayersCNN", [0.60, 0.61, 0.62]) + _runs("CustomLayersCNN", [0.30, 0.31, 0.32])
    markdown = conclusions_custom_vs_standard(results)
    assert "does not train on custom layers as it does" in markdown
    assert "Look for a bug" in markdown


def test_custom_vs_standard_single_seed_in_russian():
    results = _runs("StandardLayersCNN", [0.6]) + _runs("CustomLayersCNN", [0.6])
    markdown = conclusions_custom_vs_standard(results)
    assert "разброс между seed не измерен" in markdown
    assert "Это один запуск на модель (seed 0)" in markdown


def test_spread_uncertainty_known_values():
    assert spread_uncertainty(3) == pytest.approx(0.5)
    assert spread_uncertainty(9) == pytest.approx(0.25)
    assert math.isnan(spread_uncertainty(1))


def test_block_conclusions_from_results(english):
    markdown = conclusions_blocks(_block_results(), COLUMNS)
    assert "The best mean test accuracy is **ResNet-wide**'s: 71.00% ± 1.00" in markdown
    assert "the next is **ResNet-basic**'s: 61.00% ± 1.00" in markdown
    assert "ResNet-basic 1 000 / 50.0, ResNet-bottleneck 1 000 / 70.0, ResNet-wide 1 000 / 200.0" in markdown
    assert "**ResNet-wide** spends 4.0 times the FLOPs of **ResNet-basic**" in markdown
    assert "by +10.0 points" in markdown
    assert "**ResNet-basic** trains fastest (11.0 s" in markdown
    # Spreads 5 and 1 points: ratio 5 exceeds (1 + 0.5) / (1 - 0.5) = 3 for three seeds.
    assert "largest for **ResNet-bottleneck** (5.00 points)" in markdown
    assert "5.0 times apart" in markdown
    assert "exceeds 3.0; here it does" in markdown
    # Bottleneck's test loss 1.0 -> 0.6 -> 0.9 changes by (0.4 + 0.3) / 2 = 0.35 per epoch.
    assert "ResNet-bottleneck 0.350" in markdown
    assert "**ResNet-bottleneck** fluctuates most" in markdown
    assert "ResNet-bottleneck 5.0" in markdown
    assert "means over 3 runs" in markdown


def test_block_conclusions_similar_spreads(english):
    results = (_runs("ResNet-basic", [0.60, 0.61, 0.62]) + _runs("ResNet-wide", [0.70, 0.715, 0.73]))
    markdown = conclusions_blocks(results, COLUMNS)
    assert "1.5 times apart" in markdown
    assert "does not show that the blocks differ in stability" in markdown


def test_block_conclusions_single_seed_and_epoch(english):
    results = _runs("ResNet-basic", [0.6], losses=(1.0,)) + _runs("ResNet-wide", [0.7], losses=(1.0,))
    markdown = conclusions_blocks(results, COLUMNS)
    assert "The spread over seeds is not measured" in markdown
    assert "they need at least two epochs" in markdown
    assert "proves nothing" in markdown


def test_block_frame_and_table(english):
    frame = block_frame(_block_results(), COLUMNS)
    assert list(frame["block"]) == ["basic", "bottleneck", "wide"]
    assert frame.loc[frame["model"] == "ResNet-bottleneck", "final_test_acc_std"].item() == pytest.approx(0.05)
    assert frame.loc[frame["model"] == "ResNet-bottleneck", "grad_norm_spike"].item() == pytest.approx(5.0)
    table = block_table(_block_results(), COLUMNS)
    assert list(table.columns[:6]) == ["Model", "Parameters", "Training time (s)", "Inference time (s)",
                                       "Accuracy (train)", "Accuracy (test)"]
    wide = table[table["Model"] == "ResNet-wide"].iloc[0]
    assert wide["Accuracy (test)"] == "0.7100 ± 0.0100"
    assert wide["MFLOPs (forward, 1 image)"] == 200.0
    assert wide["Test accuracy spread over seeds, points"] == "1.00"
    assert wide["Runs (seeds)"] == "3"


def test_block_table_single_seed_shows_dash():
    table = block_table(_runs("ResNet-basic", [0.6], losses=(1.0,)), COLUMNS)
    assert table.iloc[0, 8] == "—"  # the spread
    assert table.iloc[0, 9] == "—"  # the loss jitter


def test_annotate_stability_writes_measures(tmp_path):
    store = ResultsStore(tmp_path)
    results = _block_results()
    for result in results:
        store.upsert(summary_row(result, experiment="3.2", profile="quick", **COLUMNS[result.model_name]))
    frame = annotate_stability(store, "3.2", results, profile="quick")
    assert list(frame["model"]) == list(COLUMNS)
    summary = store.load_summary()
    bottleneck = summary[summary["model"] == "ResNet-bottleneck"]
    assert bottleneck["final_test_acc_std"].tolist() == pytest.approx([0.05] * 3)
    assert bottleneck["test_loss_jitter"].tolist() == pytest.approx([0.35] * 3)
    assert bottleneck["grad_norm_spike"].tolist() == pytest.approx([5.0] * 3)
    assert set(summary["block"]) == {"basic", "bottleneck", "wide"}


def test_block_columns_count_flops():
    dataset = separable_dataset(channels=3, size=32, num_classes=10, name="cifar10")
    columns = block_columns(dataset)
    assert [columns[name]["block"] for name in columns] == ["basic", "bottleneck", "wide"]
    flops = [columns[name]["flops"] for name in columns]
    assert all(isinstance(value, int) and value > 0 for value in flops)
    # The wide block doubles every width, so its 3x3 convs cost about four times the basic ones.
    assert 3 < flops[2] / flops[0] < 4.5
