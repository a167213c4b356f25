"""Receptive fields, the parameter-budget solver, model families, feature maps and the slider."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from cnnlib.features import FeatureMapExtractor, count_registered_hooks, first_layer
from cnnlib.models import build_model, model_names
from cnnlib.models.families import KERNEL_LAYOUTS, DepthCNN, KernelCNN, count_parameters_of, solve_widths
from cnnlib.receptive_field import empirical_receptive_field, feature_receptive_field, layer_receptive_fields
from cnnlib.training import count_parameters, has_conv
from cnnlib.widgets import FeatureMapBrowser


def sizes(model: nn.Module) -> list[float]:
    return [row.size for row in layer_receptive_fields(model)]


# Receptive fields computed by hand: size' = size + (k - 1) * dilation * jump, jump' = jump * stride.

def test_receptive_field_conv5_then_conv3():
    model = nn.Sequential(nn.Conv2d(1, 4, 5, padding=2), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
    # 1 + 4 = 5, then 5 + 2 = 7.
    assert sizes(model) == [5, 7]


def test_receptive_field_conv_pool_conv():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.MaxPool2d(2, stride=2), nn.Conv2d(4, 4, 3))
    # 3; the pool adds (2 - 1) * 1 = 1 -> 4 and doubles the jump; the conv adds (3 - 1) * 2 = 4 -> 8.
    assert sizes(model) == [3, 4, 8]


def test_receptive_field_dilated_convs():
    model = nn.Sequential(*[nn.Conv2d(1, 1, 3, dilation=d, padding=d) for d in (1, 2, 3)])
    # 1 + 2*1 = 3, 3 + 2*2 = 7, 7 + 2*3 = 13.
    assert sizes(model) == [3, 7, 13]


def test_receptive_field_strided_conv_then_conv():
    model = nn.Sequential(nn.Conv2d(1, 1, 3, stride=2), nn.Conv2d(1, 1, 3, stride=2), nn.Conv2d(1, 1, 3))
    # 3 (jump 2), 3 + 2*2 = 7 (jump 4), 7 + 2*4 = 15.
    assert sizes(model) == [3, 7, 15]
    assert [row.jump for row in layer_receptive_fields(model)] == [2, 4, 4]


class TwoBranches(nn.Module):
    """A residual-style block whose branches see 3 and 7 pixels; the sum sees 7."""

    def __init__(self):
        super().__init__()
        self.short = nn.Conv2d(1, 1, 3, padding=1)
        self.long1 = nn.Conv2d(1, 1, 3, padding=1)
        self.long2 = nn.Conv2d(1, 1, 3, padding=1)
        self.long3 = nn.Conv2d(1, 1, 3, padding=1)
        self.after = nn.Conv2d(1, 1, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.short(x) + self.long3(self.long2(self.long1(x)))
        return self.pool(self.after(x))


def test_receptive_field_takes_largest_branch():
    model = TwoBranches()
    # short: 3; long: 3, 5, 7; the sum sees 7; the conv after it 7 + 2 = 9.
    assert sizes(model) == [3, 3, 5, 7, 9]
    assert feature_receptive_field(model) == 9
    assert empirical_receptive_field(model, 1, 31) == (9, 9)


def test_receptive_field_global_after_pooling():
    class Gated(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3, padding=1)
            self.squeeze = nn.AdaptiveAvgPool2d(1)
            self.last = nn.Conv2d(2, 2, 3, padding=1)

        def forward(self, x):
            x = self.conv(x)
            x = x * torch.sigmoid(self.squeeze(x))  # channel attention sees the whole image
            return self.last(x).mean()

    model = Gated()
    assert math.isinf(feature_receptive_field(model))
    assert empirical_receptive_field(model, 1, 21) == (21, 21)


def test_receptive_field_of_registered_models_by_hand():
    simple = build_model("SimpleCNN", in_channels=3, num_classes=10, image_size=(32, 32))
    # conv3 -> 3, pool2 -> 4 (jump 2), conv3 -> 8, pool2 -> 10 (jump 4).
    assert feature_receptive_field(simple) == 10
    rescnn = build_model("ResCNN", in_channels=3, num_classes=10, image_size=(32, 32))
    # stem 3; stage 1: 5, 7; stage 2 (stride 2): 9, 13 (jump 2); stage 3 (stride 2): 17, 25 (jump 4).
    assert feature_receptive_field(rescnn) == 25


def _registered_cnns():
    for name in model_names():
        model = build_model(name, in_channels=3, num_classes=10, image_size=(32, 32))
        if has_conv(model):
            yield name, model


@pytest.mark.parametrize("name", [name for name, _ in _registered_cnns()])
def test_receptive_field_matches_gradient_for_registered_cnn(name):
    model = build_model(name, in_channels=3, num_classes=10, image_size=(32, 32))
    analytic = feature_receptive_field(model)
    image_size = 48 if math.isinf(analytic) else int(2 * analytic + 9)
    measured = empirical_receptive_field(model, 3, image_size)
    expected = image_size if math.isinf(analytic) else analytic
    assert measured == (expected, expected)


@pytest.mark.parametrize("depth", [2, 4, 6, 10])
@pytest.mark.parametrize("residual", [False, True])
def test_receptive_field_matches_gradient_for_depth_family(depth, residual):
    model = DepthCNN(3, 10, depth=depth, residual=residual, width=4)
    analytic = feature_receptive_field(model)
    assert empirical_receptive_field(model, 3, int(2 * analytic + 9)) == (analytic, analytic)


@pytest.mark.parametrize("kernel", KERNEL_LAYOUTS)
def test_receptive_field_matches_gradient_for_kernel_family(kernel):
    model = KernelCNN(3, 10, kernel, widths=(8, 8, 8))
    analytic = feature_receptive_field(model)
    assert empirical_receptive_field(model, 3, int(2 * analytic + 9)) == (analytic, analytic)


def test_kernel_family_receptive_fields_by_hand():
    # One k x k conv per stage, 2x2 pools between: k; +1 (jump 2); +(k-1)*2; +2 (jump 4); +(k-1)*4.
    for kernel, size in (("3x3", 18), ("5x5", 32), ("7x7", 46), ("1x1+3x3", 18)):
        assert feature_receptive_field(KernelCNN(3, 10, kernel, widths=(8, 8, 8))) == size, kernel


# The parameter-budget solver.

def test_kernel_cnn_parameter_count_by_hand():
    model = KernelCNN(3, 10, "5x5", widths=(4, 8, 16))
    convs = 3 * 4 * 25 + 4 * 8 * 25 + 8 * 16 * 25  # no conv bias: batch norm follows
    norms = 2 * (4 + 8 + 16)
    head = 16 * 10 + 10
    assert count_parameters(model) == convs + norms + head


def test_count_parameters_of_uses_meta_device():
    assert count_parameters_of(lambda: nn.Linear(1000, 1000)) == 1000 * 1000 + 1000


@pytest.mark.parametrize("target", [30_000, 94_762, 250_000])
@pytest.mark.parametrize("kernel", KERNEL_LAYOUTS)
def test_solve_widths_within_two_percent(kernel, target):
    widths, count = solve_widths(lambda w: KernelCNN(3, 10, kernel, w), target)
    assert count == count_parameters(KernelCNN(3, 10, kernel, widths))
    assert abs(count - target) <= 0.02 * target
    assert all(width % 8 == 0 for width in widths[:-1])


def test_solve_widths_rejects_unreachable_tolerance():
    with pytest.raises(ValueError, match="from the target"):
        solve_widths(lambda w: nn.Linear(w[0], 7, bias=False), 100, ratios=(1,), tolerance=0.001, align=1)


def test_solve_widths_rejects_bad_target():
    with pytest.raises(ValueError, match="positive int"):
        solve_widths(lambda w: KernelCNN(3, 10, "3x3", w), -5)


def test_depth_family_plain_and_residual_have_same_parameters():
    for depth in (2, 4, 6, 10):
        plain, residual = DepthCNN(3, 10, depth, False, 8), DepthCNN(3, 10, depth, True, 8)
        assert count_parameters(plain) == count_parameters(residual)
        # first conv 3->8, then depth-1 convs 8->8, all with bias; head 8->10.
        expected = (3 * 8 * 9 + 8) + (depth - 1) * (8 * 8 * 9 + 8) + (8 * 10 + 10)
        assert count_parameters(plain) == expected
        assert sum(isinstance(m, nn.Conv2d) for m in plain.modules()) == depth


def test_families_reject_bad_arguments():
    with pytest.raises(ValueError, match="kernel must be one of"):
        KernelCNN(3, 10, "4x4")
    with pytest.raises(ValueError, match="depth must be a positive int"):
        DepthCNN(3, 10, depth=0)


# Feature maps.

def test_extractor_ten_calls_leave_no_hooks():
    model = KernelCNN(3, 10, "3x3", widths=(8, 8, 8))
    extractor = FeatureMapExtractor(model)
    for call in range(10):
        images = torch.full((2, 3, 16, 16), float(call))
        maps = extractor(images)
    assert count_registered_hooks(model) == 0
    assert extractor.maps is maps
    assert list(maps) == ["features.0", "features.4", "features.8"]
    expected = model.eval().features[0](torch.full((2, 3, 16, 16), 9.0))
    torch.testing.assert_close(maps["features.0"], expected.detach())
    for tensor in maps.values():
        assert tensor.device.type == "cpu"
        assert not tensor.requires_grad
        assert tensor.is_contiguous()


def test_extractor_removes_hooks_when_forward_raises():
    model = KernelCNN(3, 10, "3x3", widths=(8, 8, 8))
    extractor = FeatureMapExtractor(model)
    extractor(torch.zeros(1, 3, 16, 16))
    with pytest.raises(RuntimeError):
        extractor(torch.zeros(1, 5, 16, 16))  # wrong channel count fails inside the first conv
    assert count_registered_hooks(model) == 0
    assert extractor.maps == {}


def test_extractor_keeps_train_mode_and_handles_channels_last():
    model = KernelCNN(3, 10, "3x3", widths=(8, 8, 8)).to(memory_format=torch.channels_last).train()
    images = torch.randn(2, 3, 16, 16).contiguous(memory_format=torch.channels_last)
    maps = FeatureMapExtractor(model)(images)
    assert model.training
    assert maps["features.4"].shape == (2, 8, 8, 8)
    assert maps["features.4"].is_contiguous()
    reference = FeatureMapExtractor(model)(images.contiguous())
    torch.testing.assert_close(maps["features.4"], reference["features.4"])


def test_extractor_copies_outputs_changed_in_place():
    class InPlace(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 1, 1, bias=False)
            nn.init.ones_(self.conv.weight)

        def forward(self, x):
            out = self.conv(x)
            out.mul_(0)  # a later in-place op must not change the recorded map
            return out

    maps = FeatureMapExtractor(InPlace())(torch.ones(1, 1, 2, 2))
    assert maps["conv"].sum().item() == 4.0


def test_extractor_rejects_unknown_layer():
    with pytest.raises(KeyError, match="nonexistent"):
        FeatureMapExtractor(KernelCNN(3, 10), layers=["nonexistent"])


def test_first_layer_finds_first_conv():
    name, conv = first_layer(KernelCNN(3, 10, "7x7", widths=(8, 8, 8)))
    assert name == "features.0"
    assert conv.kernel_size == (7, 7)


def _pixels(figure) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    plt.close(figure)
    buffer.seek(0)
    return plt.imread(buffer)


def test_slider_callback_draws_different_layers():
    torch.manual_seed(0)
    model = KernelCNN(3, 10, "3x3", widths=(8, 16, 16))
    maps = FeatureMapExtractor(model)(torch.randn(1, 3, 16, 16))
    browser = FeatureMapBrowser(maps)
    first, second = _pixels(browser.render(0)), _pixels(browser.render(1))
    assert first.shape == second.shape
    assert not np.array_equal(first, second)
    assert np.array_equal(first, _pixels(browser.render(0)))


def test_slider_pages_and_widget():
    pytest.importorskip("ipywidgets")
    maps = {"a": torch.randn(1, 40, 4, 4), "b": torch.randn(1, 8, 2, 2)}
    browser = FeatureMapBrowser(maps, per_page=16)
    assert browser.pages(0) == 3
    assert browser.pages(1) == 1
    view = browser.widget()
    layer_slider, page_slider = view.children[0].children[0], view.children[1]
    assert layer_slider.max == 1
    assert page_slider.max == 2
    layer_slider.value = 1
    assert page_slider.max == 0
    plt.close("all")


def test_show_feature_maps_static_and_widget(tmp_path, monkeypatch):
    pytest.importorskip("ipywidgets")
    import cnnlib.widgets as widgets_module

    shown = []
    record = lambda *objects, **kwargs: shown.extend(objects)  # noqa: E731
    monkeypatch.setattr("IPython.display.display", record)
    monkeypatch.setattr("cnnlib.notebook.display", record)
    maps = {"a": torch.randn(1, 4, 4, 4), "b": torch.randn(1, 4, 2, 2)}
    image = torch.randint(0, 255, (3, 8, 8), dtype=torch.uint8)

    widgets_module.show_feature_maps(maps, image, tmp_path / "static.png", interactive=False)
    assert (tmp_path / "static.png").exists()
    assert isinstance(shown[-1], dict) and "image/png" in shown[-1]

    widgets_module.show_feature_maps(maps, image, tmp_path / "live.png", interactive=True)
    assert (tmp_path / "live.png").exists()
    assert type(shown[-1]).__name__ == "VBox"


def test_interactive_session_reads_environment(monkeypatch):
    from cnnlib.widgets import interactive_session

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CNNLIB_HEADLESS", raising=False)
    assert interactive_session() is True
    monkeypatch.setenv("CNNLIB_HEADLESS", "1")
    assert interactive_session() is False
    assert interactive_session(True) is True
    with pytest.raises(ValueError, match="interactive"):
        interactive_session("yes")
