import pytest
import torch
from torch import nn

from cnnlib.models import BasicBlock, Bottleneck, ResCNN, WideBlock, build_model
from cnnlib.training import count_parameters

RESNETS = ("ResNet-basic", "ResNet-bottleneck", "ResNet-wide")


def _cifar(name, **kwargs):
    return build_model(name, in_channels=3, num_classes=10, image_size=(32, 32), **kwargs)


def _main_path_convs(block):
    """Convs of a block outside its shortcut projection."""
    return [module for name, module in block.named_modules()
            if isinstance(module, nn.Conv2d) and not name.startswith("downsample")]


def test_bottleneck_parameter_count_by_hand():
    # 64 = 16 * 4 channels in and out, stride 1: identity shortcut. Each BatchNorm has 2 per channel.
    block = Bottleneck(64, 16)
    expected = (64 * 16 + 2 * 16) + (16 * 16 * 9 + 2 * 16) + (16 * 64 + 2 * 64)
    assert block.downsample is None
    assert count_parameters(block) == expected == 4_544


def test_bottleneck_with_projection_parameter_count_by_hand():
    block = Bottleneck(16, 16, stride=2)
    main = (16 * 16 + 2 * 16) + (16 * 16 * 9 + 2 * 16) + (16 * 64 + 2 * 64)
    projection = 16 * 64 + 2 * 64
    assert count_parameters(block) == main + projection == 4_928
    assert block(torch.randn(2, 16, 8, 8)).shape == (2, 64, 4, 4)


def test_wide_block_parameter_count_by_hand():
    block = WideBlock(16, 16, widen_factor=2, dropout=0.3)  # leaves 32 channels, so it projects
    expected = (16 * 32 * 9 + 2 * 32) + (32 * 32 * 9 + 2 * 32) + (16 * 32 + 2 * 32)
    assert count_parameters(block) == expected == 14_528
    assert block(torch.randn(2, 16, 8, 8)).shape == (2, 32, 8, 8)


def test_wide_block_dropout_sits_between_the_convs():
    block = WideBlock(8, 8, widen_factor=3, dropout=0.5)
    order = []
    for name in ("conv1", "dropout", "conv2"):
        getattr(block, name).register_forward_hook(lambda module, args, out, name=name: order.append(name))
    block(torch.randn(1, 8, 4, 4))
    assert order == ["conv1", "dropout", "conv2"]
    assert block.dropout.p == 0.5
    assert block.expansion == 3


@pytest.mark.parametrize("block", [Bottleneck(64, 16).eval(), WideBlock(32, 16).eval(), BasicBlock(16, 16).eval()])
def test_blocks_start_as_identity(block):
    channels = block.conv1.in_channels
    x = torch.rand(2, channels, 6, 6)  # non-negative, so the final ReLU keeps it
    assert block.downsample is None
    assert torch.equal(block(x), x)


def test_resnets_have_equal_depth():
    stage_blocks = {}
    for name in RESNETS:
        model = _cifar(name)
        stage_blocks[name] = [len(stage) for stage in model.stages]
    assert stage_blocks == {name: [2, 2, 2] for name in RESNETS}


def test_resnet_conv_counts_by_hand():
    counts = {}
    for name in RESNETS:
        model = _cifar(name)
        blocks = [block for stage in model.stages for block in stage]
        counts[name] = (len(blocks), sum(len(_main_path_convs(block)) for block in blocks))
    # 3 stages x 2 blocks; two convs per basic or wide block, three per bottleneck.
    assert counts == {
        "ResNet-basic": (6, 6 * 2),
        "ResNet-bottleneck": (6, 6 * 3),
        "ResNet-wide": (6, 6 * 2),
    }


def test_resnet_stage_widths():
    expected = {"ResNet-basic": [16, 32, 64], "ResNet-bottleneck": [64, 128, 256], "ResNet-wide": [32, 64, 128]}
    for name, widths in expected.items():
        model = _cifar(name)
        x = model.stem(torch.randn(1, 3, 32, 32))
        seen = []
        for stage in model.stages:
            x = stage(x)
            seen.append(x.shape[1])
        assert seen == widths, name
        assert model.fc.in_features == widths[-1]


def test_resnet_basic_parameter_count_by_hand():
    stem = 3 * 16 * 9 + 2 * 16
    stage1 = 2 * 2 * (16 * 16 * 9 + 2 * 16)
    stage2 = (16 * 32 * 9 + 2 * 32) + (32 * 32 * 9 + 2 * 32) + (16 * 32 + 2 * 32) + 2 * (32 * 32 * 9 + 2 * 32)
    stage3 = (32 * 64 * 9 + 2 * 64) + (64 * 64 * 9 + 2 * 64) + (32 * 64 + 2 * 64) + 2 * (64 * 64 * 9 + 2 * 64)
    head = 64 * 10 + 10
    assert count_parameters(_cifar("ResNet-basic")) == stem + stage1 + stage2 + stage3 + head == 175_258


def test_resnet_bottleneck_parameter_count_by_hand():
    stem = 3 * 16 * 9 + 2 * 16

    def bottleneck(inner, in_channels, project):
        out = 4 * inner
        main = (in_channels * inner + 2 * inner) + (inner * inner * 9 + 2 * inner) + (inner * out + 2 * out)
        return main + ((in_channels * out + 2 * out) if project else 0)

    stages = sum(bottleneck(inner, in_channels, True) + bottleneck(inner, 4 * inner, False)
                 for inner, in_channels in ((16, 16), (32, 64), (64, 128)))
    head = 256 * 10 + 10
    assert count_parameters(_cifar("ResNet-bottleneck")) == stem + stages + head == 220_378


def test_rescnn_keeps_its_parameter_count():
    # ResCNN's own factory is unchanged by the block argument: 77_754 on MNIST-sized input.
    model = build_model("ResCNN", in_channels=1, num_classes=10, image_size=(28, 28))
    assert count_parameters(model) == 77_754


def test_rescnn_passes_block_kwargs():
    model = ResCNN(3, 5, widths=(4, 8), blocks_per_stage=3, norm=True, block=WideBlock,
                   block_kwargs={"widen_factor": 3, "dropout": 0.1})
    blocks = [block for stage in model.stages for block in stage]
    assert all(isinstance(block, WideBlock) and block.dropout.p == 0.1 for block in blocks)
    assert model.fc.in_features == 8 * 3
    assert model(torch.randn(2, 3, 16, 16)).shape == (2, 5)


@pytest.mark.parametrize("kwargs, fragment", [({"widen_factor": 0}, "widen_factor"), ({"dropout": 1.0}, "dropout")])
def test_wide_block_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError) as raised:
        WideBlock(8, 8, **kwargs)
    assert fragment in str(raised.value)
    assert str(next(iter(kwargs.values()))) in str(raised.value)
