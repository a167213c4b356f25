import math
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import pytest

from cnnlib import text
from cnnlib.plotting_blocks import plot_curve_bands
from cnnlib.stability import (
    CURVE_COLUMNS,
    STABILITY_COLUMNS,
    curve_bands,
    final_accuracy_spread,
    grad_norm_spike,
    histories_by_model,
    loss_jitter,
    stability_frame,
)


def _history(test_acc, test_loss=None, grad_max=None, grad_mean=None):
    records = []
    for index, accuracy in enumerate(test_acc):
        record = {"epoch": index + 1, "train_loss": 1.0, "train_acc": 0.5, "test_acc": accuracy,
                  "test_loss": test_loss[index] if test_loss else 1.0, "epoch_time_s": 1.0, "lr": 0.01}
        if grad_max is not None:
            record["grad_norm_max"] = grad_max[index]
            record["grad_norm_mean"] = grad_mean[index]
        records.append(record)
    return records


def test_final_accuracy_spread_by_hand():
    histories = [_history([0.5, 0.80]), _history([0.6, 0.82]), _history([0.7, 0.84])]
    # Mean 0.82; deviations -0.02, 0, 0.02; variance (0.0004 + 0 + 0.0004) / (3 - 1) = 0.0004.
    assert final_accuracy_spread(histories) == pytest.approx(0.02)


def test_final_accuracy_spread_needs_two_runs():
    assert math.isnan(final_accuracy_spread([_history([0.9])]))
    assert math.isnan(final_accuracy_spread([]))


def test_loss_jitter_by_hand():
    history = _history([0.1] * 4, test_loss=[1.0, 0.7, 0.9, 0.6])
    # |0.7 - 1.0| + |0.9 - 0.7| + |0.6 - 0.9| = 0.8 over 3 changes.
    assert loss_jitter(history) == pytest.approx(0.8 / 3)
    assert math.isnan(loss_jitter(_history([0.1], test_loss=[1.0])))


def test_grad_norm_spike_by_hand():
    history = _history([0.1] * 4, grad_max=[2.0, 10.0, 3.0, 2.0], grad_mean=[1.0, 2.0, 1.5, 1.0])
    # Median of the means: (1.0 + 1.5) / 2 = 1.25; largest step norm 10.
    assert grad_norm_spike(history) == pytest.approx(10.0 / 1.25)


def test_grad_norm_spike_is_nan_without_the_keys():
    assert math.isnan(grad_norm_spike(_history([0.1, 0.2])))
    partial = _history([0.1, 0.2], grad_max=[1.0, 2.0], grad_mean=[1.0, 1.0])
    del partial[1]["grad_norm_max"]
    assert math.isnan(grad_norm_spike(partial))
    assert math.isnan(grad_norm_spike(_history([0.1], grad_max=[1.0], grad_mean=[0.0])))


def test_stability_frame_by_hand():
    runs = {
        "ResNet-basic": [
            _history([0.5, 0.80], test_loss=[1.0, 0.8], grad_max=[4.0, 2.0], grad_mean=[1.0, 1.0]),
            _history([0.6, 0.84], test_loss=[1.0, 0.6], grad_max=[6.0, 2.0], grad_mean=[1.0, 1.0]),
        ],
        "ResNet-wide": [_history([0.7, 0.9], test_loss=[0.5, 0.4])],
    }
    frame = stability_frame(runs).set_index("model")
    assert list(frame.reset_index().columns) == list(STABILITY_COLUMNS)
    basic = frame.loc["ResNet-basic"]
    assert basic["seeds"] == 2
    assert basic["final_test_acc_mean"] == pytest.approx(0.82)
    assert basic["final_test_acc_std"] == pytest.approx(math.sqrt(2 * 0.02 ** 2))  # two runs 0.04 apart
    assert basic["test_loss_jitter"] == pytest.approx((0.2 + 0.4) / 2)
    assert basic["grad_norm_spike"] == pytest.approx(6.0)  # the worse seed: 6 / median(1, 1)
    wide = frame.loc["ResNet-wide"]
    assert math.isnan(wide["final_test_acc_std"])
    assert math.isnan(wide["grad_norm_spike"])
    assert wide["test_loss_jitter"] == pytest.approx(0.1)


def test_curve_bands_by_hand():
    runs = {"A": [_history([0.5, 0.7, 0.8]), _history([0.7, 0.9])]}  # the second seed stopped after epoch 2
    bands = curve_bands(runs, "test_acc")
    assert list(bands.columns) == list(CURVE_COLUMNS)
    assert bands["epoch"].tolist() == [1, 2, 3]
    assert bands["mean"].tolist() == pytest.approx([0.6, 0.8, 0.8])
    assert bands["std"].iloc[0] == pytest.approx(math.sqrt(2 * 0.1 ** 2))
    assert bands["min"].tolist() == pytest.approx([0.5, 0.7, 0.8])
    assert bands["max"].tolist() == pytest.approx([0.7, 0.9, 0.8])
    assert bands["seeds"].tolist() == [2, 2, 1]
    assert math.isnan(bands["std"].iloc[2])


def test_curve_bands_unknown_metric():
    with pytest.raises(ValueError) as raised:
        curve_bands({"A": [_history([0.5])]}, "test_f1")
    assert "test_f1" in str(raised.value)
    assert "test_acc" in str(raised.value)


def test_histories_by_model_from_results_and_records():
    results = [
        SimpleNamespace(model_name="A", history=_history([0.1])),
        {"model": "B", "history": _history([0.2])},
        SimpleNamespace(model_name="A", history=_history([0.3])),
        {"model": "B", "history": []},
    ]
    runs = histories_by_model(results)
    assert list(runs) == ["A", "B"]
    assert [history[-1]["test_acc"] for history in runs["A"]] == [0.1, 0.3]
    assert len(runs["B"]) == 1


@pytest.fixture
def no_show(monkeypatch):
    def fail():
        raise AssertionError("plot helpers must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)


def test_plot_curve_bands_draws_mean_and_band(no_show):
    runs = {"ResNet-basic": [_history([0.5, 0.7], [1.0, 0.8]), _history([0.6, 0.8], [0.9, 0.7])],
            "ResNet-wide": [_history([0.4, 0.6], [1.1, 0.9]), _history([0.5, 0.9], [1.0, 0.6])]}
    bands = curve_bands(runs, ["test_loss", "test_acc"])
    assert bands["metric"].tolist() == ["test_loss"] * 4 + ["test_acc"] * 4
    fig = plot_curve_bands(bands, band="minmax")
    try:
        assert isinstance(fig, matplotlib.figure.Figure)
        loss_ax, acc_ax = fig.axes
        assert loss_ax.get_xlabel() == text.tr("axis.epoch")
        assert loss_ax.get_ylabel().startswith(text.tr("axis.loss"))
        assert acc_ax.get_ylabel().startswith(text.tr("axis.accuracy"))
        assert len(acc_ax.lines) == 2
        assert acc_ax.lines[0].get_ydata().tolist() == pytest.approx([0.55, 0.75])
        assert len(acc_ax.collections) == 2  # one band per model
        assert "min–max" in fig._suptitle.get_text()
    finally:
        plt.close(fig)


def test_plot_curve_bands_rejects_unknown_band():
    bands = curve_bands({"A": [_history([0.5])]}, "test_acc")
    with pytest.raises(ValueError) as raised:
        plot_curve_bands(bands, band="iqr")
    assert "'iqr'" in str(raised.value)
