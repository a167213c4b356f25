"""``nn.Module`` wrappers of the custom Functions, with their learnable parameters.

Every module checks its input in ``forward`` and computes the result in
``_compute``. The autograd references in `cnnlib.layers.reference` subclass
these modules and override only ``_compute``, so both share parameters,
initialisation and input checks.
"""

from __future__ import annotations

import torch
from torch import nn

from . import functional
from .checks import check_input, check_non_negative_int, check_odd_kernel, check_positive_int, check_positive_number


class ScaledConv2d(nn.Conv2d):
    """A 2-D convolution whose output channels are multiplied by a learnable scale before the bias.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output, and the length of ``scale``.
        kernel_size: square kernel side.
        stride: convolution stride.
        padding: zero padding on each side.
        bias: add a learnable per-channel bias after the scale.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, bias: bool = True):
        layer = type(self).__name__
        check_positive_int(layer, "in_channels", in_channels)
        check_positive_int(layer, "out_channels", out_channels)
        check_positive_int(layer, "kernel_size", kernel_size)
        check_positive_int(layer, "stride", stride)
        check_non_negative_int(layer, "padding", padding)
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, bias=bias)
        self.scale = nn.Parameter(torch.ones(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(type(self).__name__, x, channels=self.in_channels, channels_name="in_channels")
        return self._compute(x)

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        return functional.scaled_conv2d(x, self.weight, self.bias, self.scale, self.stride[0], self.padding[0])


class Swish(nn.Module):
    """Swish ``x * sigmoid(beta * x)`` with a learnable beta (beta = 1 is SiLU).

    Args:
        num_parameters: 1 for one shared beta, or the channel count (dim 1) for one beta per channel.
        init: initial beta.
    """

    def __init__(self, num_parameters: int = 1, init: float = 1.0):
        super().__init__()
        layer = type(self).__name__
        self.num_parameters = check_positive_int(layer, "num_parameters", num_parameters)
        check_positive_number(layer, "init", init)
        self.beta = nn.Parameter(torch.full((num_parameters,), float(init)))

    def receptive_field_window(self) -> tuple[int, int, int]:
        """Return (kernel, stride, dilation) for `cnnlib.receptive_field`: elementwise, so one pixel."""
        return 1, 1, 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.num_parameters == 1:
            check_input(type(self).__name__, x, layout="(N, ...)")
        else:
            check_input(type(self).__name__, x, layout="(N, C, ...)", channels=self.num_parameters,
                        channels_name="num_parameters")
        return self._compute(x)

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        return functional.swish(x, self.beta)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class GeM(nn.Module):
    """Generalised-mean pooling to (N, C, 1, 1) with a learnable exponent p.

    p = 1 is global average pooling; as p grows the result approaches global max pooling.

    Args:
        p: initial exponent, greater than zero.
        eps: inputs are clamped to at least ``eps`` so that ``x ** p`` and ``log x`` stay finite.
    """

    def __init__(self, p: float = 3.0, eps: float = 1e-6):
        super().__init__()
        layer = type(self).__name__
        self.p = nn.Parameter(torch.tensor([check_positive_number(layer, "p", p)]))
        self.eps = check_positive_number(layer, "eps", eps)

    def receptive_field_window(self) -> tuple[int, int, int]:
        """Return (kernel, stride, dilation) for `cnnlib.receptive_field`: kernel 0 marks a global pooling."""
        return 0, 0, 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(type(self).__name__, x)
        return self._compute(x)

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        # NOTE: training may push p to zero or below, where the mean is undefined. Only
        # the initial value is checked, because reading p here would sync a GPU.
        return functional.gem(x, self.p, self.eps)

    def extra_repr(self) -> str:
        return f"p={self.p.item():.3g}, eps={self.eps:g}"


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation channel attention: channel means, a two-layer bottleneck MLP, a sigmoid gate.

    Args:
        channels: channels of the input.
        reduction: the hidden layer has ``max(1, channels // reduction)`` units.
    """

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        layer = type(self).__name__
        self.channels = check_positive_int(layer, "channels", channels)
        check_positive_int(layer, "reduction", reduction)
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def receptive_field_window(self) -> tuple[int, int, int]:
        """Return (kernel, stride, dilation) for `cnnlib.receptive_field`.

        Kernel 0 marks a global layer: each output is scaled by a gate pooled over the whole image.
        """
        return 0, 0, 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(type(self).__name__, x, channels=self.channels, channels_name="channels")
        return self._compute(x)

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        return functional.squeeze_excitation(x, self.fc1.weight, self.fc1.bias, self.fc2.weight, self.fc2.bias)


class SpatialAttention(nn.Module):
    """Spatial attention: a gate per position from the channel-mean and channel-max maps.

    Args:
        kernel_size: odd side of the conv that turns the two maps into the gate.
    """

    def __init__(self, kernel_size: int = 7):
        super().__init__()
        check_odd_kernel(type(self).__name__, "kernel_size", kernel_size)
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2)

    def receptive_field_window(self) -> tuple[int, int, int]:
        """Return (kernel, stride, dilation) for `cnnlib.receptive_field`: the gate's conv window."""
        return self.conv.kernel_size[0], 1, 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_input(type(self).__name__, x)
        return self._compute(x)

    def _compute(self, x: torch.Tensor) -> torch.Tensor:
        return functional.spatial_attention(x, self.conv.weight, self.conv.bias)
