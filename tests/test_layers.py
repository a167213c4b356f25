import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.autograd import gradcheck

from cnnlib import text
from cnnlib.layers import (
    LAYER_PAIRS,
    GeM,
    ScaledConv2d,
    SpatialAttention,
    SqueezeExcitation,
    Swish,
    gem,
    scaled_conv2d,
    spatial_attention,
    squeeze_excitation,
    swish,
)
from cnnlib.models import build_model
from cnnlib.training import TrainConfig, count_parameters, fit

from helpers import separable_dataset

DOUBLE = torch.float64


def _parameter(*shape, generator, positive=False):
    values = torch.randn(*shape, generator=generator, dtype=DOUBLE)
    return (values.abs() + 0.5 if positive else values).requires_grad_()


def _function_cases():
    """Each Function's public wrapper with float64 parameters: name -> (function, parameters, positive input)."""
    generator = torch.Generator().manual_seed(0)
    return {
        "scaled_conv2d": (
            lambda x, w, b, s: scaled_conv2d(x, w, b, s, stride=2, padding=1),
            [_parameter(4, 3, 3, 3, generator=generator), _parameter(4, generator=generator),
             _parameter(4, generator=generator)],
            False,
        ),
        "swish_per_channel": (swish, [_parameter(3, generator=generator)], False),
        "swish_shared": (swish, [_parameter(1, generator=generator)], False),
        "gem": (lambda x, p: gem(x, p), [torch.tensor([2.5], dtype=DOUBLE, requires_grad=True)], True),
        "squeeze_excitation": (
            squeeze_excitation,
            [_parameter(2, 3, generator=generator), _parameter(2, generator=generator),
             _parameter(3, 2, generator=generator), _parameter(3, generator=generator)],
            False,
        ),
        "spatial_attention": (
            spatial_attention,
            [_parameter(1, 2, 3, 3, generator=generator), _parameter(1, generator=generator)],
            False,
        ),
    }


LAYOUTS = {
    "contiguous": lambda x: x,
    "transposed": lambda x: x.transpose(2, 3),  # H == W, so the shape stays and the strides swap
    "channels_last": lambda x: x.contiguous(memory_format=torch.channels_last),
}
AFTER = {
    "none": lambda out: out,
    "permute": lambda out: out.permute(0, 2, 3, 1),
    "cat": lambda out: torch.cat([out, 2 * out], dim=1),
}


@pytest.mark.parametrize("after", sorted(AFTER))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("case", sorted(_function_cases()))
def test_gradcheck_float64(case, layout, after):
    function, parameters, positive = _function_cases()[case]
    generator = torch.Generator().manual_seed(1)
    base = torch.randn(2, 3, 5, 5, generator=generator, dtype=DOUBLE)
    if positive:
        base = base.abs() + 0.1
    x = LAYOUTS[layout](base).detach().requires_grad_()
    if layout == "transposed":
        assert not x.is_contiguous()
    if layout == "channels_last":
        assert x.is_contiguous(memory_format=torch.channels_last)
        assert not x.is_contiguous()

    assert gradcheck(lambda *inputs: AFTER[after](function(*inputs)), (x, *parameters))


def test_gem_gradcheck_with_clamped_inputs():
    # Negative entries fall below eps: their gradient is zero and p still gets one.
    x = torch.tensor([[[[-1.0, 0.5], [2.0, -0.3]]]], dtype=DOUBLE, requires_grad=True)
    p = torch.tensor([3.0], dtype=DOUBLE, requires_grad=True)
    assert gradcheck(lambda x, p: gem(x, p), (x, p))
    gem(x, p).sum().backward()
    assert x.grad[0, 0, 0, 0] == 0
    assert x.grad[0, 0, 1, 1] == 0
    assert x.grad[0, 0, 0, 1] > 0


def _built_pair(name, seed=0):
    custom_class, reference_class = LAYER_PAIRS[name]
    arguments = {
        "ScaledConv2d": (3, 4, 3), "Swish": (3,), "SqueezeExcitation": (3, 2),
        "SpatialAttention": (3,), "GeM": (2.5,),
    }[name]
    kwargs = {"stride": 2, "padding": 1} if name == "ScaledConv2d" else {}
    torch.manual_seed(seed)
    custom = custom_class(*arguments, **kwargs).double()
    reference = reference_class(*arguments, **kwargs).double()
    reference.load_state_dict(custom.state_dict())
    # Move the scale and the betas away from their initial ones, so that they take part.
    with torch.no_grad():
        for module in (custom, reference):
            for parameter_name, parameter in module.named_parameters():
                if parameter_name in ("scale", "beta"):
                    parameter.copy_(torch.linspace(0.5, 1.5, parameter.numel(), dtype=DOUBLE))
    return custom, reference


def _forward_and_gradients(module, x, grad):
    x = x.detach().requires_grad_()
    module.zero_grad(set_to_none=True)
    out = module(x)
    out.backward(grad)
    return out.detach(), x.grad, {name: p.grad for name, p in module.named_parameters()}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("name", sorted(LAYER_PAIRS))
def test_custom_matches_autograd_reference(name, layout):
    custom, reference = _built_pair(name)
    generator = torch.Generator().manual_seed(2)
    x = LAYOUTS[layout](torch.randn(2, 3, 6, 6, generator=generator, dtype=DOUBLE))
    out_shape = custom(x).shape
    grad = torch.randn(out_shape, generator=generator, dtype=DOUBLE)

    custom_out, custom_grad_x, custom_grads = _forward_and_gradients(custom, x, grad)
    reference_out, reference_grad_x, reference_grads = _forward_and_gradients(reference, x, grad)

    torch.testing.assert_close(custom_out, reference_out)
    torch.testing.assert_close(custom_grad_x, reference_grad_x)
    assert custom_grads.keys() == reference_grads.keys()
    for parameter_name in custom_grads:
        torch.testing.assert_close(custom_grads[parameter_name], reference_grads[parameter_name],
                                   msg=lambda message: f"{parameter_name}: {message}")


def test_swish_beta_one_equals_silu():
    x = torch.randn(4, 3, 5, 5, dtype=DOUBLE, requires_grad=True)
    reference = x.detach().clone().requires_grad_()
    grad = torch.randn(4, 3, 5, 5, dtype=DOUBLE)
    out = Swish(3).double()(x)
    expected = F.silu(reference)
    out.backward(grad)
    expected.backward(grad)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(x.grad, reference.grad)


def test_gem_p_one_equals_average_pooling():
    x = (torch.rand(2, 3, 4, 5, dtype=DOUBLE) + 0.1).requires_grad_()
    reference = x.detach().clone().requires_grad_()
    out = GeM(p=1.0).double()(x)
    expected = F.adaptive_avg_pool2d(reference, 1)
    grad = torch.randn(2, 3, 1, 1, dtype=DOUBLE)
    out.backward(grad)
    expected.backward(grad)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(x.grad, reference.grad)
    # Average pooling spreads each output gradient evenly over the 4 * 5 positions.
    torch.testing.assert_close(x.grad, grad.expand(2, 3, 4, 5) / 20)


def test_gem_large_p_approaches_max_pooling():
    x = torch.rand(2, 3, 4, 4, dtype=DOUBLE) + 0.1
    out = GeM(p=200.0).double()(x)
    torch.testing.assert_close(out, F.adaptive_max_pool2d(x, 1), rtol=0, atol=0.02)


def test_unit_scale_equals_conv2d():
    layer = ScaledConv2d(3, 4, 3, stride=2, padding=1).double()
    x = torch.randn(2, 3, 7, 7, dtype=DOUBLE, requires_grad=True)
    reference_x = x.detach().clone().requires_grad_()
    weight = layer.weight.detach().clone().requires_grad_()
    bias = layer.bias.detach().clone().requires_grad_()
    out = layer(x)
    expected = F.conv2d(reference_x, weight, bias, stride=2, padding=1)
    grad = torch.randn_like(expected)
    out.backward(grad)
    expected.backward(grad)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(x.grad, reference_x.grad)
    torch.testing.assert_close(layer.weight.grad, weight.grad)
    torch.testing.assert_close(layer.bias.grad, bias.grad)
    # d out / d scale[c] = sum(grad * conv2d(x, weight)[c]) when scale is 1.
    plain = F.conv2d(x.detach(), layer.weight.detach(), None, stride=2, padding=1)
    torch.testing.assert_close(layer.scale.grad, (grad * plain).sum(dim=(0, 2, 3)))


def test_squeeze_excitation_by_hand():
    layer = SqueezeExcitation(2, reduction=2).double()  # one hidden unit
    with torch.no_grad():
        layer.fc1.weight.copy_(torch.tensor([[1.0, -1.0]]))
        layer.fc1.bias.zero_()
        layer.fc2.weight.copy_(torch.tensor([[2.0], [0.0]]))
        layer.fc2.bias.zero_()
    x = torch.stack([torch.full((2, 2), 3.0), torch.full((2, 2), 1.0)]).unsqueeze(0).double()
    # Channel means 3 and 1, hidden relu(3 - 1) = 2, gates sigmoid(4) and sigmoid(0) = 0.5.
    expected = torch.stack([3.0 * torch.sigmoid(torch.tensor(4.0)) * torch.ones(2, 2), 0.5 * torch.ones(2, 2)])
    torch.testing.assert_close(layer(x)[0], expected.double())


@pytest.mark.parametrize("name", sorted(LAYER_PAIRS))
def test_backward_tensors_are_saved_on_ctx(name):
    custom, _ = _built_pair(name)
    out = custom(torch.randn(2, 3, 6, 6, dtype=DOUBLE, requires_grad=True))
    assert type(out.grad_fn).__name__ == f"{name}FunctionBackward"
    assert len(out.grad_fn.saved_tensors) >= 2
    tensor_attributes = [key for key, value in vars(out.grad_fn).items() if isinstance(value, torch.Tensor)]
    assert tensor_attributes == []


@pytest.fixture
def english():
    text.set_language("en")
    yield
    text.set_language("ru")


BAD_CALLS = {
    "rank": (lambda: ScaledConv2d(3, 4, 3)(torch.randn(3, 5, 5)), ValueError,
             ["ScaledConv2d", "(N, C, H, W)", "(3, 5, 5)", "x.unsqueeze(0)"]),
    "conv_channels": (lambda: ScaledConv2d(3, 4, 3)(torch.randn(1, 5, 6, 6)), ValueError,
                      ["5 channels", "in_channels=3", "in_channels=5"]),
    "se_channels": (lambda: SqueezeExcitation(8)(torch.randn(1, 4, 3, 3)), ValueError,
                    ["4 channels", "channels=8"]),
    "swish_channels": (lambda: Swish(3)(torch.randn(2, 4, 5)), ValueError, ["4 channels", "num_parameters=3"]),
    "gem_rank": (lambda: GeM()(torch.randn(2, 3)), ValueError, ["GeM", "(2, 3)"]),
    "gem_zero_p": (lambda: GeM(p=0), ValueError, ["GeM", "p must be greater than zero", "got 0"]),
    "gem_negative_p": (lambda: GeM(p=-1.5), ValueError, ["-1.5"]),
    "gem_string_p": (lambda: GeM(p="3"), TypeError, ["'3'", "type str"]),
    "functional_gem_p": (lambda: gem(torch.rand(1, 2, 3, 3), p=-2), ValueError, ["gem", "-2"]),
    "gem_eps": (lambda: GeM(eps=0.0), ValueError, ["eps", "0.0"]),
    "numpy_input": (lambda: Swish()(np.ones((2, 3))), TypeError, ["torch.Tensor", "ndarray", "torch.as_tensor"]),
    "integer_input": (lambda: Swish()(torch.ones(2, 3, dtype=torch.int64)), TypeError, ["torch.int64", "x.float()"]),
    "reduction": (lambda: SqueezeExcitation(8, reduction=0), ValueError, ["reduction", "got 0"]),
    "bool_stride": (lambda: ScaledConv2d(3, 4, 3, stride=True), ValueError, ["stride", "True", "bool"]),
    "even_kernel": (lambda: SpatialAttention(4), ValueError, ["kernel_size", "got 4", "5"]),
    "swish_init": (lambda: Swish(init=-1.0), ValueError, ["init", "-1.0"]),
    "implementation": (lambda: build_model("CustomLayersCNN", in_channels=3, num_classes=2, image_size=(8, 8),
                                           reduction="8"), ValueError, ["reduction", "'8'"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_arguments_name_value_and_fix(case, english):
    call, error, fragments = BAD_CALLS[case]
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message


def test_error_messages_default_to_russian():
    with pytest.raises(ValueError) as raised:
        GeM(p=-1.5)
    assert "должен быть больше нуля" in str(raised.value)
    assert "-1.5" in str(raised.value)


def test_unknown_implementation_rejected(english):
    from cnnlib.models.custom import AttentionCNN

    with pytest.raises(ValueError, match="'cuda-kernels'.*custom, autograd"):
        AttentionCNN(3, 10, layers="cuda-kernels")


def _cifar_model(name):
    return build_model(name, in_channels=3, num_classes=10, image_size=(32, 32))


def test_layer_cnns_parameter_count_by_hand():
    # ScaledConv2d: weight + bias + scale; Swish: one beta per channel.
    stage1 = (3 * 32 * 9 + 32 + 32) + 32
    stage2 = (32 * 64 * 9 + 64 + 64) + 64
    stage3 = (64 * 128 * 9 + 128 + 128) + 128
    squeeze_excitation_params = (128 * 16 + 16) + (16 * 128 + 128)  # hidden 128 // 8 = 16
    spatial = 2 * 7 * 7 + 1
    gem_p = 1
    head = 128 * 10 + 10
    expected = stage1 + stage2 + stage3 + squeeze_excitation_params + spatial + gem_p + head
    assert expected == 99_326
    assert count_parameters(_cifar_model("CustomLayersCNN")) == expected
    assert count_parameters(_cifar_model("StandardLayersCNN")) == expected


def test_layer_cnns_agree_with_the_same_weights():
    custom = _cifar_model("CustomLayersCNN").double()
    standard = _cifar_model("StandardLayersCNN").double()
    standard.load_state_dict(custom.state_dict())
    x = torch.randn(2, 3, 32, 32, dtype=DOUBLE)
    target = torch.tensor([1, 7])
    F.cross_entropy(custom(x), target).backward()
    F.cross_entropy(standard(x), target).backward()
    torch.testing.assert_close(custom(x), standard(x))
    standard_parameters = dict(standard.named_parameters())
    for name, parameter in custom.named_parameters():
        torch.testing.assert_close(parameter.grad, standard_parameters[name].grad,
                                   msg=lambda message: f"{name}: {message}")


def _graph_names(model):
    out = model(torch.randn(1, 3, 32, 32))
    names, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None:
            names.add(type(node).__name__)
            stack.extend(next_node for next_node, _ in node.next_functions)
    return names


def test_custom_cnn_uses_the_functions():
    custom_nodes = _graph_names(_cifar_model("CustomLayersCNN"))
    standard_nodes = _graph_names(_cifar_model("StandardLayersCNN"))
    assert {f"{name}FunctionBackward" for name in LAYER_PAIRS} <= custom_nodes
    assert not any(node.endswith("FunctionBackward") for node in standard_nodes)


def _bf16_training_step(model, x, y):
    """One SGD step under CPU bfloat16 autocast; returns the logits, the loss and the gradients."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = model(x)
        loss = F.cross_entropy(logits, y)
    loss.backward()
    gradients = {key: parameter.grad.clone() for key, parameter in model.named_parameters()}
    optimizer.step()
    return logits, loss, gradients


def test_training_step_under_bf16_autocast_channels_last():
    torch.manual_seed(0)
    custom = build_model("CustomLayersCNN", in_channels=3, num_classes=4, image_size=(12, 12), widths=(8, 16))
    standard = build_model("StandardLayersCNN", in_channels=3, num_classes=4, image_size=(12, 12), widths=(8, 16))
    standard.load_state_dict(custom.state_dict())
    before = {key: value.detach().clone() for key, value in custom.named_parameters()}
    custom = custom.to(memory_format=torch.channels_last)
    standard = standard.to(memory_format=torch.channels_last)
    x = torch.randn(4, 3, 12, 12).contiguous(memory_format=torch.channels_last)
    y = torch.tensor([0, 1, 2, 3])

    logits, loss, custom_grads = _bf16_training_step(custom, x, y)
    _, standard_loss, standard_grads = _bf16_training_step(standard, x, y)

    assert logits.dtype == torch.bfloat16
    assert torch.isfinite(loss)
    torch.testing.assert_close(loss, standard_loss, rtol=0.01, atol=0.01)
    for key, parameter in custom.named_parameters():
        grad, reference = custom_grads[key], standard_grads[key]
        assert parameter.dtype == torch.float32
        assert grad.dtype == torch.float32
        assert torch.isfinite(grad).all(), key
        # bfloat16 has 8 significant bits, so both sides agree only to a few percent of the largest entry.
        tolerance = 0.1 * reference.abs().max().item() + 1e-6
        torch.testing.assert_close(grad, reference, rtol=0, atol=tolerance, msg=lambda message: f"{key}: {message}")
        changed = parameter.detach() != before[key]
        assert not (changed & (grad == 0)).any(), f"{key}: an entry without a gradient moved"
        if (grad != 0).any():
            assert changed.any(), f"{key} has a gradient but did not move"
    assert sum(grad.abs().sum() for grad in custom_grads.values()) > 0


def test_functions_follow_autocast_dtype():
    x = torch.randn(2, 3, 6, 6)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert ScaledConv2d(3, 4, 3)(x).dtype == torch.bfloat16
        assert Swish(3)(x).dtype == torch.bfloat16
        assert SqueezeExcitation(3, 2)(x).dtype == torch.bfloat16
        assert SpatialAttention(3)(x).dtype == torch.bfloat16
        assert GeM()(x.bfloat16()).dtype == torch.float32  # x ** p and log x run in float32
    assert Swish(3)(x).dtype == torch.float32


def test_custom_layers_cnn_trains_with_fit():
    dataset = separable_dataset(train_size=48, test_size=24, channels=3, size=12)
    model = build_model("CustomLayersCNN", in_channels=3, num_classes=3, image_size=(12, 12), widths=(8, 16))
    config = TrainConfig(epochs=2, batch_size=16, lr=0.01, device="cpu", precision="fp32", progress="off",
                         eval_batch_size=48, grad_flow_epochs=())
    result = fit(model, dataset, config, name="CustomLayersCNN")
    assert result.memory_format == "channels_last"  # ScaledConv2d is an nn.Conv2d, so fit treats the model as a conv net
    assert len(result.history) == 2
    assert all(np.isfinite(record["train_loss"]) for record in result.history)
