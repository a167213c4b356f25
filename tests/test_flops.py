import pytest
import torch
from torch import nn

from cnnlib.flops import count_flops
from cnnlib.models import build_model


def test_single_conv_flops_by_hand():
    layer = nn.Conv2d(3, 8, 3, padding=1, bias=False)
    # 2 FLOPs per multiply-add: 2 * Cin * Cout * k * k * H * W.
    assert count_flops(layer, (3, 10, 12)) == 2 * 3 * 8 * 3 * 3 * 10 * 12 == 51_840


def test_strided_conv_counts_output_positions():
    layer = nn.Conv2d(4, 6, 3, stride=2, padding=1)
    # 16x16 input, stride 2: 8x8 outputs; the bias adds are not counted.
    assert count_flops(layer, (4, 16, 16)) == 2 * 4 * 6 * 9 * 8 * 8


def test_conv_then_linear_flops_by_hand():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4, 5))
    conv = 2 * 1 * 2 * 9 * 4 * 4
    linear = 2 * 32 * 5
    assert count_flops(model, (1, 6, 6)) == conv + linear


def test_count_flops_restores_train_mode_and_skips_autograd():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    model.train()
    running_mean = model[1].running_mean.clone()
    count_flops(model, (1, 5, 5))
    assert model.training
    assert torch.equal(model[1].running_mean, running_mean)  # eval mode: statistics untouched
    assert all(parameter.grad is None for parameter in model.parameters())


def test_custom_and_standard_layer_cnns_have_equal_flops():
    shape = (3, 32, 32)
    custom = build_model("CustomLayersCNN", in_channels=3, num_classes=10, image_size=shape[1:])
    standard = build_model("StandardLayersCNN", in_channels=3, num_classes=10, image_size=shape[1:])
    flops = count_flops(custom, shape)
    # Stride-1 32x32 conv, then stride-2 16x16 and 8x8; SE's two linears; the 7x7 spatial conv on 8x8; the head.
    convs = 2 * (3 * 32 * 9 * 32 * 32 + 32 * 64 * 9 * 16 * 16 + 64 * 128 * 9 * 8 * 8)
    attention = 2 * (128 * 16 + 16 * 128) + 2 * (2 * 1 * 49 * 8 * 8)
    head = 2 * 128 * 10
    assert flops == convs + attention + head
    assert count_flops(standard, shape) == flops


@pytest.mark.parametrize("shape", [(3, 32), (3, 0, 32), "3x32x32", (3.0, 32, 32)])
def test_bad_input_shape_rejected(shape):
    with pytest.raises(ValueError) as raised:
        count_flops(nn.Conv2d(3, 1, 1), shape)
    assert repr(shape) in str(raised.value)
