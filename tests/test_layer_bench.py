import math

import pytest

from cnnlib import text
from cnnlib.layer_bench import COLUMNS, benchmark_layers, column_labels, saved_tensor_bytes
from cnnlib.layers import LAYER_PAIRS, ScaledConv2d, Swish


@pytest.fixture(scope="module")
def frame():
    return benchmark_layers(batch_size=2, channels=4, image_size=3, repeats=2, warmup=1)


def test_one_row_per_layer_pair(frame):
    assert list(frame.columns) == list(COLUMNS)
    assert frame["layer"].tolist() == list(LAYER_PAIRS)
    assert (frame["input_shape"] == "2x4x3x3").all()


def test_times_are_positive(frame):
    for column in ("custom_forward_ms", "standard_forward_ms", "custom_backward_ms", "standard_backward_ms"):
        assert (frame[column] > 0).all(), column


def test_cpu_has_no_peak_memory(frame):
    assert frame["custom_peak_bytes"].map(math.isnan).all()
    assert frame["standard_peak_bytes"].map(math.isnan).all()


def test_saved_bytes_by_hand(frame):
    rows = frame.set_index("layer")
    x_bytes = 2 * 4 * 3 * 3 * 4  # float32 input
    # Swish keeps x and beta (4 values); ScaledConv2d keeps x, the weight and the scale.
    assert rows.loc["Swish", "custom_saved_bytes"] == x_bytes + 4 * 4
    assert rows.loc["ScaledConv2d", "custom_saved_bytes"] == x_bytes + 4 * 4 * 9 * 4 + 4 * 4
    # Autograd's Swish also keeps the sigmoid output, the size of x.
    assert rows.loc["Swish", "standard_saved_bytes"] == 2 * x_bytes + 4 * 4


def test_saved_tensor_bytes_counts_each_storage_once():
    import torch

    x = torch.randn(2, 3, requires_grad=True)
    # x * x saves x twice; one storage of 6 float32 values.
    assert saved_tensor_bytes(lambda tensor: tensor * tensor, x) == 6 * 4
    assert saved_tensor_bytes(ScaledConv2d(3, 1, 1, bias=False), torch.randn(1, 3, 2, 2)) == (12 + 3 + 1) * 4
    assert saved_tensor_bytes(Swish(), torch.randn(5, requires_grad=True)) == (5 + 1) * 4


def test_unknown_layer_rejected():
    with pytest.raises(ValueError) as raised:
        benchmark_layers(["Conv9000"])
    assert "Conv9000" in str(raised.value)
    assert "GeM" in str(raised.value)


def test_column_labels_translate():
    assert column_labels()["layer"] == "Слой"
    try:
        text.set_language("en")
        assert column_labels()["custom_forward_ms"] == "Forward, custom (ms)"
    finally:
        text.set_language("ru")
    assert set(column_labels()) == set(COLUMNS)


def test_plot_layer_bench_draws_both_sides():
    import matplotlib.pyplot as plt

    from cnnlib.plotting_blocks import plot_layer_bench

    bench = benchmark_layers(["Swish", "GeM"], batch_size=2, channels=4, image_size=4, repeats=1, warmup=0)
    fig = plot_layer_bench(bench)
    time_ax, memory_ax = fig.axes
    # Per layer: custom forward and backward, standard forward and backward.
    assert len(time_ax.patches) == 4 * len(bench)
    assert len(memory_ax.patches) == 2 * len(bench)
    assert [label.get_text() for label in memory_ax.get_xticklabels()] == ["Swish", "GeM"]
    heights = [patch.get_height() for patch in memory_ax.patches]
    assert heights[0] == pytest.approx(bench["custom_saved_bytes"].iloc[0] / 2**20)
    plt.close(fig)
