import pytest
import torch

from cnnlib.errors import UnknownNameError
from cnnlib.models import build_model, get_entry, model_names
from cnnlib.training import count_parameters

SHAPES = {"mnist": (1, (28, 28)), "cifar10": (3, (32, 32))}


@pytest.mark.parametrize("name", model_names())
@pytest.mark.parametrize("dataset", sorted(SHAPES))
def test_every_model_outputs_class_logits(name, dataset):
    channels, image_size = SHAPES[dataset]
    model = build_model(name, in_channels=channels, num_classes=7, image_size=image_size)
    logits = model(torch.randn(5, channels, *image_size))
    assert logits.shape == (5, 7)


def test_registry_has_study_models():
    assert set(model_names()) >= {"FC_3layer", "FC_deep", "SimpleCNN", "ResCNN", "RegResCNN"}


def test_fc_3layer_parameter_count_by_hand():
    model = build_model("FC_3layer", in_channels=1, num_classes=10, image_size=(28, 28))
    expected = (784 * 512 + 512) + (512 * 256 + 256) + (256 * 10 + 10)
    assert count_parameters(model) == expected == 535_818


def test_simple_cnn_parameter_count_by_hand():
    model = build_model("SimpleCNN", in_channels=1, num_classes=10, image_size=(28, 28))
    conv1 = 1 * 32 * 9 + 32
    conv2 = 32 * 64 * 9 + 64
    hidden = 64 * 7 * 7 * 128 + 128  # two 2x2 poolings: 28 -> 14 -> 7
    head = 128 * 10 + 10
    assert count_parameters(model) == conv1 + conv2 + hidden + head == 421_642


def test_res_cnn_parameter_count_by_hand():
    model = build_model("ResCNN", in_channels=1, num_classes=10, image_size=(28, 28))
    # Convs before BatchNorm have no bias; each BatchNorm has a scale and a shift per channel.
    stem = 1 * 16 * 9 + 2 * 16
    stage1 = 2 * (16 * 16 * 9 + 2 * 16)
    stage2 = (16 * 32 * 9 + 2 * 32) + (32 * 32 * 9 + 2 * 32) + (16 * 32 + 2 * 32)  # with a 1x1 projection
    stage3 = (32 * 64 * 9 + 2 * 64) + (64 * 64 * 9 + 2 * 64) + (32 * 64 + 2 * 64)
    head = 64 * 10 + 10
    assert count_parameters(model) == stem + stage1 + stage2 + stage3 + head == 77_754


def test_res_cnn_without_norm_has_conv_biases():
    model = build_model("ResCNN", in_channels=1, num_classes=10, image_size=(28, 28), norm=False)
    assert not any(isinstance(module, torch.nn.BatchNorm2d) for module in model.modules())
    assert count_parameters(model) == 77_418  # 77_754 - BatchNorm (2 * 336) + conv biases (336)


def test_residual_blocks_start_as_identity():
    model = build_model("ResCNN", in_channels=3, num_classes=10, image_size=(32, 32))
    block = model.stages[0][0]
    assert block.downsample is None
    block.eval()
    x = torch.rand(2, 16, 8, 8)  # non-negative, so the final ReLU keeps it
    assert torch.equal(block(x), x)


def test_widths_are_arguments():
    narrow = build_model("ResCNN", in_channels=3, num_classes=10, image_size=(32, 32), widths=(8, 16, 32))
    wide = build_model("ResCNN", in_channels=3, num_classes=10, image_size=(32, 32), widths=(32, 64, 128))
    assert count_parameters(narrow) < count_parameters(wide)


def test_reg_res_cnn_regularisation():
    model = build_model("RegResCNN", in_channels=3, num_classes=10, image_size=(32, 32))
    kinds = {type(module).__name__ for module in model.modules()}
    assert "BatchNorm2d" in kinds
    assert "Dropout" in kinds
    overrides = get_entry("RegResCNN").training_overrides
    assert overrides["augment"] is True
    assert overrides["weight_decay"] > 0


def test_unknown_model_lists_known_names():
    with pytest.raises(UnknownNameError) as raised:
        build_model("ResNet9000", in_channels=1, num_classes=10, image_size=(28, 28))
    message = str(raised.value)
    assert "ResNet9000" in message
    for name in model_names():
        assert name in message


def test_model_name_must_be_string():
    with pytest.raises(TypeError, match="42"):
        build_model(42, in_channels=1, num_classes=10, image_size=(28, 28))


def test_model_spec_labels_variant():
    from cnnlib.models import ModelSpec, as_spec

    spec = ModelSpec("wide-fc", "FC_3layer", {"hidden": (64, 32)})
    assert spec.label == "wide-fc"
    assert as_spec("SimpleCNN") == ModelSpec("SimpleCNN", "SimpleCNN")
    assert as_spec(spec) is spec


@pytest.mark.parametrize("label", ["5x5 kernel", "ядро", "", "a/b"])
def test_model_spec_rejects_bad_label(label):
    from cnnlib.models import ModelSpec

    with pytest.raises(ValueError) as raised:
        ModelSpec(label, "FC_3layer")
    assert repr(label) in str(raised.value)


def test_model_spec_rejects_unknown_model_and_bad_kwargs():
    from cnnlib.errors import UnknownNameError
    from cnnlib.models import ModelSpec, as_spec

    with pytest.raises(UnknownNameError, match="Nope"):
        ModelSpec("x", "Nope")
    with pytest.raises(TypeError, match="x"):
        ModelSpec("x", "FC_3layer", kwargs=[("hidden", 3)])
    with pytest.raises(TypeError, match="42"):
        as_spec(42)
