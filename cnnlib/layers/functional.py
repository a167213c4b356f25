"""Custom layers as ``torch.autograd.Function`` with hand-written backward passes.

Each Function passes every tensor its backward needs through
``ctx.save_for_backward``, and only plain ints and floats go on ``ctx``. Nothing
calls ``view`` on an input or on an incoming gradient, so the Functions accept
transposed, channels_last and permuted tensors. The backward passes are first
order only (``once_differentiable``).

The public functions (``scaled_conv2d``, ``swish``, ``gem``,
``squeeze_excitation``, ``spatial_attention``) check their arguments and then
apply a Function under the caller's autocast state, see `_apply`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.autograd.function import once_differentiable
from torch.nn.grad import conv2d_input, conv2d_weight

from .checks import check_input, check_positive_number


def _apply(function: type[torch.autograd.Function], *args, float32: bool = False):
    """Call ``function.apply(*args)``, casting floating-point tensors the way autocast would.

    Autocast does not reach inside a custom backward, so under autocast the inputs
    are cast once here (to the autocast dtype, or to float32 when ``float32``)
    and the Function runs with autocast off. Forward and backward then see one
    dtype, and the casts carry the gradients back to float32 parameters.
    NOTE: the tests cover CPU bfloat16 autocast only, not CUDA float16 with a GradScaler.
    """
    device_type = args[0].device.type
    if not torch.is_autocast_enabled(device_type):
        return function.apply(*args)
    dtype = torch.float32 if float32 else torch.get_autocast_dtype(device_type)
    cast = [arg.to(dtype) if isinstance(arg, torch.Tensor) and arg.is_floating_point() else arg for arg in args]
    with torch.autocast(device_type, enabled=False):
        return function.apply(*cast)


def _channel_shape(parameter: torch.Tensor, x: torch.Tensor) -> tuple[int, ...]:
    """Shape that broadcasts a per-channel (dim 1) or single-value parameter against ``x``."""
    if parameter.numel() == 1:
        return ()
    return (1, parameter.numel()) + (1,) * (x.dim() - 2)


def _sum_to_channels(values: torch.Tensor, parameter: torch.Tensor) -> torch.Tensor:
    """Sum ``values`` over every axis the per-channel ``parameter`` was broadcast along."""
    if parameter.numel() == 1:
        return values.sum().reshape(parameter.shape)
    axes = [axis for axis in range(values.dim()) if axis != 1]
    return values.sum(dim=axes).reshape(parameter.shape)


class ScaledConv2dFunction(torch.autograd.Function):
    """``out = scale[c] * conv2d(x, weight)[c] + bias[c]``: a convolution with a learnable output scale.

    The scale is folded into the weight, so backward needs only ``x``, ``weight``
    and ``scale``, the same tensors a plain convolution keeps (and no output-sized one).
    """

    @staticmethod
    def forward(ctx, x, weight, bias, scale, stride: int, padding: int):
        scaled_weight = weight * scale.reshape(-1, 1, 1, 1)
        ctx.save_for_backward(x, weight, scale)
        ctx.stride, ctx.padding = stride, padding
        return F.conv2d(x, scaled_weight, bias, stride, padding)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, weight, scale = ctx.saved_tensors
        needs_x, needs_weight, needs_bias, needs_scale = ctx.needs_input_grad[:4]
        scale_4d = scale.reshape(-1, 1, 1, 1)
        grad_x = grad_weight = grad_bias = grad_scale = None

        if needs_x:
            grad_x = conv2d_input(x.shape, weight * scale_4d, grad_out, ctx.stride, ctx.padding)
        if needs_weight or needs_scale:
            # Gradient with respect to the folded weight (weight * scale), then the chain rule for each factor.
            grad_scaled_weight = conv2d_weight(x, weight.shape, grad_out, ctx.stride, ctx.padding)
            if needs_weight:
                grad_weight = grad_scaled_weight * scale_4d
            if needs_scale:
                grad_scale = (grad_scaled_weight * weight).sum(dim=(1, 2, 3))
        if needs_bias:
            grad_bias = grad_out.sum(dim=(0, 2, 3))
        return grad_x, grad_weight, grad_bias, grad_scale, None, None


class SwishFunction(torch.autograd.Function):
    """``out = x * sigmoid(beta * x)`` with one beta, or one per channel (dim 1).

    Only ``x`` and ``beta`` are saved; backward recomputes the sigmoid, so the
    layer keeps as much memory as ``F.silu`` does.
    """

    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x, beta)
        return x * torch.sigmoid(beta.reshape(_channel_shape(beta, x)) * x)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, beta = ctx.saved_tensors
        beta_b = beta.reshape(_channel_shape(beta, x))
        gate = torch.sigmoid(beta_b * x)
        # d gate / d(beta * x) = gate * (1 - gate)
        gate_slope = gate * (1 - gate)
        grad_x = grad_beta = None

        if ctx.needs_input_grad[0]:
            grad_x = grad_out * (gate + beta_b * x * gate_slope)
        if ctx.needs_input_grad[1]:
            grad_beta = _sum_to_channels(grad_out * x * x * gate_slope, beta)
        return grad_x, grad_beta


class GeMFunction(torch.autograd.Function):
    """Generalised-mean pooling over H and W: ``out = mean(clamp(x, eps) ** p) ** (1 / p)``.

    ``p`` is a one-element tensor; the output has shape (N, C, 1, 1).
    """

    @staticmethod
    def forward(ctx, x, p, eps: float):
        powered_mean = x.clamp(min=eps).pow(p).mean(dim=(2, 3), keepdim=True)
        out = powered_mean.pow(1 / p)
        ctx.save_for_backward(x, p, powered_mean, out)
        ctx.eps = eps
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, p, powered_mean, out = ctx.saved_tensors
        clamped = x.clamp(min=ctx.eps)
        area = x.shape[2] * x.shape[3]
        grad_x = grad_p = None

        if ctx.needs_input_grad[0]:
            # d out / d x = out * x ** (p - 1) / (area * mean(x ** p)), and zero where the clamp cuts x off.
            factor = grad_out * out / (area * powered_mean)
            grad_x = factor * clamped.pow(p - 1) * (x >= ctx.eps)
        if ctx.needs_input_grad[1]:
            # log(out) = log(mean(x ** p)) / p, so
            # d out / d p = out * (mean(x ** p * log x) / (p * mean(x ** p)) - log(mean(x ** p)) / p ** 2).
            weighted_log = (clamped.pow(p) * clamped.log()).mean(dim=(2, 3), keepdim=True)
            slope = out * (weighted_log / (p * powered_mean) - powered_mean.log() / (p * p))
            grad_p = (grad_out * slope).sum().reshape(p.shape)
        return grad_x, grad_p, None


class SqueezeExcitationFunction(torch.autograd.Function):
    """Squeeze-and-excitation: ``out = x * sigmoid(W2 relu(W1 mean_hw(x) + b1) + b2)`` per channel."""

    @staticmethod
    def forward(ctx, x, weight1, bias1, weight2, bias2):
        pooled = x.mean(dim=(2, 3))
        hidden = F.relu(F.linear(pooled, weight1, bias1))
        gate = torch.sigmoid(F.linear(hidden, weight2, bias2))
        ctx.save_for_backward(x, weight1, weight2, pooled, hidden, gate)
        return x * gate[:, :, None, None]

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, weight1, weight2, pooled, hidden, gate = ctx.saved_tensors

        # The gate multiplies x, and the gate itself depends on x through the pooled vector.
        grad_gate = (grad_out * x).sum(dim=(2, 3))
        grad_pre_gate = grad_gate * gate * (1 - gate)
        grad_weight2 = grad_pre_gate.t() @ hidden
        grad_bias2 = grad_pre_gate.sum(dim=0)

        grad_pre_hidden = (grad_pre_gate @ weight2) * (hidden > 0)
        grad_weight1 = grad_pre_hidden.t() @ pooled
        grad_bias1 = grad_pre_hidden.sum(dim=0)

        grad_pooled = grad_pre_hidden @ weight1
        area = x.shape[2] * x.shape[3]
        grad_x = grad_out * gate[:, :, None, None] + (grad_pooled / area)[:, :, None, None]
        return grad_x, grad_weight1, grad_bias1, grad_weight2, grad_bias2


class SpatialAttentionFunction(torch.autograd.Function):
    """Spatial attention: ``out = x * sigmoid(conv2d([mean_c(x), max_c(x)], weight) + bias)``.

    The gate is one map per image, the same for every channel (the spatial half of CBAM).
    """

    @staticmethod
    def forward(ctx, x, weight, bias, padding: int):
        channel_max, argmax = x.max(dim=1, keepdim=True)
        maps = torch.cat([x.mean(dim=1, keepdim=True), channel_max], dim=1)
        gate = torch.sigmoid(F.conv2d(maps, weight, bias, padding=padding))
        ctx.save_for_backward(x, weight, maps, gate, argmax)
        ctx.padding = padding
        return x * gate

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        x, weight, maps, gate, argmax = ctx.saved_tensors

        grad_gate = (grad_out * x).sum(dim=1, keepdim=True)
        grad_pre_gate = grad_gate * gate * (1 - gate)
        grad_weight = conv2d_weight(maps, weight.shape, grad_pre_gate, padding=ctx.padding)
        grad_bias = grad_pre_gate.sum(dim=(0, 2, 3))

        # The mean map spreads its gradient evenly over the channels. The max map
        # sends it to the channel that had the maximum, as torch's max backward does.
        grad_maps = conv2d_input(maps.shape, weight, grad_pre_gate, padding=ctx.padding)
        grad_x = grad_out * gate + grad_maps[:, :1] / x.shape[1]
        grad_x = grad_x.scatter_add(1, argmax, grad_maps[:, 1:])
        return grad_x, grad_weight, grad_bias, None


def scaled_conv2d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, scale: torch.Tensor,
                  stride: int = 1, padding: int = 0) -> torch.Tensor:
    """Convolve ``x`` and multiply each output channel by ``scale`` before adding ``bias``."""
    check_input("scaled_conv2d", x, channels=weight.shape[1], channels_name="weight.shape[1]")
    return _apply(ScaledConv2dFunction, x, weight, bias, scale, stride, padding)


def swish(x: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Apply Swish ``x * sigmoid(beta * x)``; ``beta`` contains one value or one per channel (dim 1)."""
    if beta.numel() == 1:
        check_input("swish", x, layout="(N, ...)")
    else:
        check_input("swish", x, layout="(N, C, ...)", channels=beta.numel(), channels_name="beta.numel()")
    return _apply(SwishFunction, x, beta)


def gem(x: torch.Tensor, p: torch.Tensor | float, eps: float = 1e-6) -> torch.Tensor:
    """Pool each channel of ``x`` to one value by the generalised mean with exponent ``p``.

    p = 1 is average pooling and large p approaches max pooling. Runs in float32
    under autocast, because ``x ** p`` and the logarithm in backward lose too much
    in bfloat16 or float16.
    """
    check_input("gem", x)
    check_positive_number("gem", "eps", eps)
    if not isinstance(p, torch.Tensor):
        p = torch.tensor([check_positive_number("gem", "p", p)], dtype=x.dtype, device=x.device)
    return _apply(GeMFunction, x, p.reshape(1), eps, float32=True)


def squeeze_excitation(x: torch.Tensor, weight1: torch.Tensor, bias1: torch.Tensor, weight2: torch.Tensor,
                       bias2: torch.Tensor) -> torch.Tensor:
    """Scale each channel of ``x`` by a gate computed from the channel means (squeeze-and-excitation)."""
    check_input("squeeze_excitation", x, channels=weight1.shape[1], channels_name="weight1.shape[1]")
    return _apply(SqueezeExcitationFunction, x, weight1, bias1, weight2, bias2)


def spatial_attention(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Scale every position of ``x`` by a gate computed from the channel mean and max maps."""
    check_input("spatial_attention", x)
    return _apply(SpatialAttentionFunction, x, weight, bias, weight.shape[-1] // 2)
