"""Notebook 02's model sets, tables and conclusions, on generated data and constructed results."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
import torch

from cnnlib import text
from cnnlib.analysis import conv_gradient_norms
from cnnlib.architecture import (
    depth_label, depth_specs, first_layer_outputs, gradient_ratio_frame, kernel_budget, kernel_specs,
    receptive_field_columns, receptive_field_table, sample_images, study_table,
)
from cnnlib.models import build_for_dataset
from cnnlib.narrative_architecture import budget_note, conclusions_depth, conclusions_kernels, format_count
from cnnlib.plotting_architecture import plot_gradient_heatmaps, plot_gradient_ratios
from cnnlib.training import TrainConfig, TrainResult, count_parameters, fit
from tests.helpers import separable_dataset


@pytest.fixture
def english():
    text.set_language("en")
    yield
    text.set_language("ru")


@pytest.fixture(scope="module")
def rgb():
    return separable_dataset(channels=3, size=16, num_classes=10, train_size=200, test_size=60, name="cifar10")


def test_kernel_specs_meet_budget(rgb):
    specs, table = kernel_specs(rgb)
    budget = kernel_budget(3, 10)
    assert [spec.label for spec in specs] == ["3x3", "5x5", "7x7", "1x1+3x3"]
    assert table.attrs["budget"] == budget
    for spec, count in zip(specs, table.attrs["counts"]):
        assert count == count_parameters(build_for_dataset(spec.model, rgb, **spec.kwargs))
        assert abs(count / budget - 1) <= 0.02
    assert len(table) == 4


def test_budget_note_quotes_largest_deviation(rgb, english):
    _, table = kernel_specs(rgb)
    deviation = max(abs(count / table.attrs["budget"] - 1) for count in table.attrs["counts"])
    assert f"{deviation:.2%}" in budget_note(table)
    assert f"{table.attrs['budget']:,}" in budget_note(table)


def test_format_count_by_language():
    text.set_language("ru")
    assert format_count(94762) == "94\u202f762"
    text.set_language("en")
    assert format_count(94762) == "94,762"
    text.set_language("ru")


def test_depth_specs_pair_plain_and_residual():
    specs = depth_specs((2, 4), width=8)
    assert [spec.label for spec in specs] == ["plain-2", "residual-2", "plain-4", "residual-4"]
    assert specs[1].kwargs == {"depth": 2, "residual": True, "width": 8}
    assert depth_label(6, False) == "plain-6"


def test_receptive_field_columns_and_table(rgb):
    specs = depth_specs((2,), width=4)
    columns = receptive_field_columns(specs, rgb)
    # depth 2: conv3 -> 3, pool -> 4 (jump 2), conv3 -> 8, pool -> 10.
    # Forward FLOPs (2 per multiply-add): conv 3->4 at 16x16, conv 4->4 at 8x8, linear 4->10.
    flops = 2 * (3 * 4 * 9 * 16 * 16) + 2 * (4 * 4 * 9 * 8 * 8) + 2 * (4 * 10)
    assert columns["plain-2"] == {"receptive_field": 10, "flops": flops, "depth": 2, "residual": False}
    table = receptive_field_table({"plain-2": build_for_dataset("DepthCNN", rgb, depth=2, width=4)})
    assert table.iloc[:, -1].tolist() == [3, 4, 8, 10]


def test_sample_images_normalise_with_dataset_statistics(rgb):
    raw, batch = sample_images(rgb, [0, 3])
    assert raw.dtype == torch.uint8
    expected = (rgb.test.images[3].float() / 255 - 0.3) / 0.3
    torch.testing.assert_close(batch[1], expected)


def _train_depth(rgb, depth, residual, seed):
    model = build_for_dataset("DepthCNN", rgb, depth=depth, residual=residual, width=4)
    config = TrainConfig(epochs=2, batch_size=50, seed=seed, progress="off", grad_flow_epochs="all")
    result = fit(model, rgb, config, name=depth_label(depth, residual))
    result.architecture = "DepthCNN"
    result.model_kwargs = {"depth": depth, "residual": residual, "width": 4}
    return result


@pytest.fixture(scope="module")
def depth_results(rgb):
    return [_train_depth(rgb, depth, residual, seed) for depth in (2, 4) for residual in (False, True)
            for seed in (0, 1)]


def test_conv_gradient_norms_every_epoch(depth_results):
    norms = conv_gradient_norms(depth_results[4])  # plain-4, seed 0
    assert norms.shape == (4, 3)
    assert list(norms.columns) == [0, 1, 2]  # 0 is the first step, at the initial weights
    assert (norms.to_numpy() > 0).all()


def test_conv_gradient_norms_without_ndim_uses_model(depth_results):
    result = depth_results[0]
    stripped = {epoch: [{k: v for k, v in stats.items() if k != "ndim"} for stats in layers]
                for epoch, layers in result.grad_flow.items()}
    old_style = TrainResult(**{**result.__dict__, "grad_flow": stripped})
    assert conv_gradient_norms(old_style).equals(conv_gradient_norms(result))
    old_style.model = None
    with pytest.raises(ValueError, match="force=True"):
        conv_gradient_norms(old_style)


def test_gradient_ratio_is_geometric_mean(depth_results):
    frame = gradient_ratio_frame(depth_results).set_index("model")
    runs = [r for r in depth_results if r.model_name == "plain-4"]
    ratios = []
    for run in runs:
        norms = conv_gradient_norms(run)
        ratios.append(norms.iloc[0, 0] / norms.iloc[-1, 0])
    assert frame.loc["plain-4", "ratio_start"] == pytest.approx(math.sqrt(ratios[0] * ratios[1]))


def test_study_table_inserts_columns(depth_results, rgb, english):
    columns = receptive_field_columns(depth_specs((2, 4), width=4), rgb)
    table = study_table(depth_results, columns, ["depth", "residual"])
    assert list(table.columns[:4]) == ["Model", "Receptive field", "Depth", "Residual"]
    assert table["Residual"].tolist() == ["no", "yes", "no", "yes"]
    # depth 4, pools after layers 2 and 3: 3, 5, pool 6 (jump 2), 10, pool 12 (jump 4), 12 + 2*4 = 20.
    assert table["Receptive field"].tolist() == [10, 10, 20, 20]
    assert table.columns[4] == "MFLOPs (one image)"


def test_depth_figures_draw(depth_results):
    for figure in (plot_gradient_heatmaps(depth_results[::2]), plot_gradient_ratios(depth_results[::2])):
        assert len(figure.axes) >= 1
        plt.close(figure)


def test_first_layer_outputs_shape(rgb):
    models = {"a": build_for_dataset("KernelCNN", rgb, kernel="5x5", widths=(8, 8, 8))}
    outputs = first_layer_outputs(models, sample_images(rgb, [0, 1])[1])
    assert outputs["a"].shape == (2, 8, 16, 16)


def _constructed(label, accuracies, depth=None, residual=None, widths=None):
    kwargs = {"widths": widths} if widths else {"depth": depth, "residual": residual}
    return [
        TrainResult(model_name=label, dataset="cifar10", params=1000, config=TrainConfig(seed=seed),
                    history=[{"epoch": 1}], train_time_s=10.0 + seed, inference_time_s=0.1, train_acc=acc + 0.05,
                    test_acc=acc, test_loss=1.0, device="cpu", precision="fp32", memory_format="contiguous",
                    convolutional=True, architecture="KernelCNN" if widths else "DepthCNN", model_kwargs=kwargs)
        for seed, acc in enumerate(accuracies)
    ]


def test_kernel_conclusions_qualify_gaps(english):
    results = (_constructed("3x3", [0.700, 0.705, 0.710], widths=(32, 64, 128))
               + _constructed("5x5", [0.697, 0.703, 0.709], widths=(16, 40, 77))
               + _constructed("7x7", [0.640, 0.643, 0.646], widths=(16, 24, 62)))
    columns = {"3x3": {"receptive_field": 18}, "5x5": {"receptive_field": 32}, "7x7": {"receptive_field": 46}}
    conclusions = conclusions_kernels(results, columns)
    lines = conclusions.splitlines()
    best = next(line for line in lines if "best mean test accuracy" in line)
    assert "**3x3**" in best
    assert "not distinguishable" in best or "indistinguishable" in best
    worst = next(line for line in lines if "is last" in line)
    assert "**7x7**" in worst
    assert "exceeds" in worst or "real" in worst
    assert "3x3 — 18, 5x5 — 32, 7x7 — 46" in conclusions


def test_depth_conclusions_pair_each_depth(english):
    results = (_constructed("plain-10", [0.40, 0.42], depth=10, residual=False)
               + _constructed("residual-10", [0.60, 0.61], depth=10, residual=True))
    conclusions = conclusions_depth(results)
    assert "Depth 10: residual 60.50% ± 0.71, plain 41.00% ± 1.41" in conclusions


def _with_flow(results, first_norm):
    for result in results:
        result.grad_flow = {1: [
            {"layer": "first.weight", "grad_norm": first_norm, "mean_abs_grad": first_norm, "ndim": 4},
            {"layer": "last.weight", "grad_norm": 1.0, "mean_abs_grad": 1.0, "ndim": 4},
            {"layer": "fc.weight", "grad_norm": 5.0, "mean_abs_grad": 5.0, "ndim": 2},
        ]}
    return results


def test_depth_conclusions_name_vanishing_gradient(english):
    results = (_with_flow(_constructed("plain-10", [0.40, 0.42], depth=10, residual=False), 0.02)
               + _with_flow(_constructed("residual-10", [0.60, 0.61], depth=10, residual=True), 0.5))
    conclusions = conclusions_depth(results)
    assert "plain 0.02, residual 0.5; at the end of training: 0.02 and 0.5" in conclusions
    assert "only 2.00% of the output side's" in conclusions


def test_depth_conclusions_balanced_gradients(english):
    results = (_with_flow(_constructed("plain-4", [0.40, 0.42], depth=4, residual=False), 0.5)
               + _with_flow(_constructed("residual-4", [0.60, 0.61], depth=4, residual=True), 0.8))
    assert "weaken more than tenfold" in conclusions_depth(results)
