import os
import subprocess
import sys

import matplotlib
import pytest

matplotlib.use("Agg")

from cnnlib.plotting import (  # noqa: E402
    plot_comparison,
    plot_confusion_matrices,
    plot_gradient_flow,
    plot_learning_curves,
)
from cnnlib.training import TrainConfig, TrainResult  # noqa: E402

import torch  # noqa: E402


def _result(name, grad_layers=("conv2.weight", "head.weight")):
    history = [
        {"epoch": e, "train_loss": 1 / e, "train_acc": 0.5 + e / 10, "test_loss": 1.2 / e, "test_acc": 0.45 + e / 10,
         "epoch_time_s": 1.0, "lr": 1e-3}
        for e in (1, 2)
    ]
    flow = {e: [{"layer": layer, "mean_abs_grad": 1e-3 * (i + 1), "max_abs_grad": 1e-2 * (i + 1)}
                for i, layer in enumerate(grad_layers)] for e in (1, 2)}
    return TrainResult(
        model_name=name, dataset="mnist", params=1234, config=TrainConfig(epochs=2), history=history,
        train_time_s=3.0, inference_time_s=0.5, train_acc=0.7, test_acc=0.65, test_loss=0.5, device="cpu",
        precision="fp32", memory_format="contiguous", grad_flow=flow, convolutional=not name.startswith("FC"),
        test_predictions=torch.tensor([0, 1, 1, 2]), test_targets=torch.tensor([0, 1, 2, 2]),
    )


def test_gradient_flow_plots_exactly_recorded_layers():
    fig = plot_gradient_flow([_result("Net")])
    ax = fig.axes[0]
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["conv2", "head"]
    assert ax.get_yscale() == "log"
    # mean and max for each of the two recorded epochs
    assert len(ax.get_lines()) == 4


def test_gradient_flow_shortcuts_off_the_line():
    layers = ("stem.0.weight", "stages.1.0.conv1.weight", "stages.1.0.downsample.0.weight", "fc.weight")
    fig = plot_gradient_flow([_result("Res", grad_layers=layers)])
    ax = fig.axes[0]
    mean_line = ax.get_lines()[0]
    assert list(mean_line.get_xdata()) == [0, 1, 3]
    shortcut_points = ax.collections[0].get_offsets()
    assert shortcut_points.tolist() == [[2.0, pytest.approx(3e-3)]]
    assert [t.get_text() for t in ax.get_xticklabels()][2] == "stages.1.0.downsample.0"


def test_learning_curves_one_line_per_split_and_model():
    fig = plot_learning_curves([_result("A"), _result("B")])
    loss_ax, acc_ax = fig.axes[:2]
    assert len(loss_ax.get_lines()) == 4
    assert list(acc_ax.get_lines()[1].get_ydata()) == pytest.approx([0.55, 0.65])


def test_comparison_has_four_panels():
    fig = plot_comparison([_result("FC_3layer"), _result("SimpleCNN")], title="MNIST")
    assert len(fig.axes) == 4
    assert fig.get_suptitle() == "MNIST"
    assert fig.axes[0].get_ylim()[0] > 0
    assert "(" in fig.axes[0].get_title(), "a zoomed accuracy axis must say so in its title"
    fc_bar = fig.axes[1].patches[0]
    cnn_bar = fig.axes[1].patches[1]
    assert fc_bar.get_facecolor() != cnn_bar.get_facecolor()


def test_confusion_matrices_two_panels_per_model():
    fig = plot_confusion_matrices([_result("A"), _result("B")], classes=["x", "y", "z"])
    assert len(fig.axes) == 4
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("A")
    assert titles[3].startswith("B")


def test_import_keeps_matplotlib_backend():
    code = "import matplotlib; import cnnlib, cnnlib.plotting; print(matplotlib.get_backend())"
    env = {**os.environ, "MPLBACKEND": "svg"}
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert output.stdout.strip().lower() == "svg"
