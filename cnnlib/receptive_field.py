"""Receptive fields: computed from the layer geometry, and measured from gradients.

The analytic computation traces the model with `torch.fx` and carries two
numbers along every edge of the graph: the receptive field ``size`` (pixels of
the input that one unit sees, along one axis) and the ``jump`` (input pixels
between neighbouring units). A layer with kernel ``k``, stride ``s`` and
dilation ``d`` maps them to::

    size' = size + (k - 1) * d * jump
    jump' = jump * s

Where branches meet (a residual addition, a concatenation, a product) the
result sees everything either branch sees, so the largest size is kept.
A global pooling makes every later unit see the whole image.

The empirical check (`empirical_receptive_field`) backpropagates from one
centre unit of the last spatial feature map and measures how far the non-zero
input gradient reaches.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import torch
import torch.fx
import torch.nn.functional as F
from torch import nn

# Modules that change the receptive field, keyed by type: they have kernel_size,
# stride and dilation attributes (pools without dilation use 1).
_WINDOW_MODULES = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)
# Modules after which every unit sees the whole image.
_GLOBAL_MODULES = (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)
_GLOBAL_FUNCTIONS = {torch.flatten, F.adaptive_avg_pool2d, F.adaptive_max_pool2d, F.linear, torch.mean}
_WINDOW_FUNCTIONS = {F.conv2d, F.max_pool2d, F.avg_pool2d}


@dataclass(frozen=True)
class Geometry:
    """Receptive field of one tensor in a network: ``size`` and ``jump`` in input pixels.

    ``size`` is ``math.inf`` once a global operation (global pooling, flatten,
    a linear layer) has mixed all positions.
    """

    size: float
    jump: float

    @property
    def is_global(self) -> bool:
        """True when every unit sees the whole input."""
        return math.isinf(self.size)

    def through(self, kernel: int, stride: int = 1, dilation: int = 1) -> "Geometry":
        """Return the geometry after a window of ``kernel`` taps with ``stride`` and ``dilation``."""
        if self.is_global:
            return self
        return Geometry(self.size + (kernel - 1) * dilation * self.jump, self.jump * stride)


GLOBAL = Geometry(math.inf, math.inf)


@dataclass(frozen=True)
class LayerField:
    """One row of a receptive-field table: a layer and what one of its output units sees."""

    layer: str
    kind: str
    kernel: int
    stride: int
    dilation: int
    size: float
    jump: float


def _first(value) -> int:
    return value[0] if isinstance(value, (tuple, list)) else value


def _module_window(module: nn.Module) -> tuple[int, int, int]:
    dilation = getattr(module, "dilation", 1)
    stride = module.stride if module.stride is not None else module.kernel_size
    return _first(module.kernel_size), _first(stride), _first(dilation)


class _Tracer(torch.fx.Tracer):
    """Keeps window and global modules, and modules that declare their own geometry, as graph leaves."""

    def is_leaf_module(self, module: nn.Module, qualified_name: str) -> bool:
        if hasattr(module, "receptive_field_window") or isinstance(module, _WINDOW_MODULES + _GLOBAL_MODULES):
            return True
        return super().is_leaf_module(module, qualified_name)


def _function_window(node: torch.fx.Node) -> tuple[int, int, int]:
    """Return (kernel, stride, dilation) of a functional conv or pooling call."""
    if node.target is F.conv2d:
        raise NotImplementedError(
            f"{node.name}: a functional conv2d has no kernel size known before running; "
            "use nn.Conv2d, or give the module a receptive_field_window() method"
        )
    kernel = node.args[1] if len(node.args) > 1 else node.kwargs["kernel_size"]
    stride = node.args[2] if len(node.args) > 2 else node.kwargs.get("stride") or kernel
    dilation = node.kwargs.get("dilation", 1)
    if node.target is F.max_pool2d and len(node.args) > 4:
        dilation = node.args[4]
    return _first(kernel), _first(stride), _first(dilation)


def layer_receptive_fields(model: nn.Module) -> list[LayerField]:
    """Return the receptive field after every conv and pooling layer of ``model``, in graph order.

    Layers that declare ``receptive_field_window() -> (kernel, stride, dilation)``
    (custom layers) are treated like a conv of that window. A declared kernel of
    0 means that the layer mixes all positions (global).
    """
    graph = _Tracer().trace(model)
    modules = dict(model.named_modules())
    geometry: dict[torch.fx.Node, Geometry] = {}
    rows: list[LayerField] = []

    def incoming(node: torch.fx.Node) -> Geometry | None:
        found = [geometry[arg] for arg in node.all_input_nodes if arg in geometry]
        if not found:
            return None
        # Branches that meet: a unit sees what the widest branch sees.
        return max(found, key=lambda g: (g.size, g.jump))

    for node in graph.nodes:
        if node.op == "placeholder":
            geometry[node] = Geometry(1, 1)
            continue
        before = incoming(node)
        if before is None:
            continue
        window = None
        kind = None
        if node.op == "call_module":
            module = modules[node.target]
            if hasattr(module, "receptive_field_window"):
                window = module.receptive_field_window()
                kind = type(module).__name__
                if window[0] == 0:
                    geometry[node] = GLOBAL
                    rows.append(LayerField(node.target, kind, 0, 0, 0, math.inf, math.inf))
                    continue
            elif isinstance(module, _WINDOW_MODULES):
                window = _module_window(module)
                kind = type(module).__name__
            elif isinstance(module, _GLOBAL_MODULES):
                geometry[node] = GLOBAL
                continue
        elif node.op == "call_function":
            if node.target in _WINDOW_FUNCTIONS:
                window = _function_window(node)
                kind = node.target.__name__
            elif node.target in _GLOBAL_FUNCTIONS:
                geometry[node] = GLOBAL
                continue
        elif node.op == "call_method" and node.target in ("flatten", "mean", "view", "reshape"):
            geometry[node] = GLOBAL
            continue

        if window is None:
            geometry[node] = before  # elementwise: activations, norms, additions, dropout
            continue
        after = before.through(*window)
        geometry[node] = after
        rows.append(LayerField(str(node.target if node.op == "call_module" else node.name), kind,
                               *window, after.size, after.jump))
    return rows


def feature_receptive_field(model: nn.Module) -> float:
    """Return the receptive field of one unit of the last conv (or pooling) layer's output.

    This is the number a model table reports for the whole network; ``math.inf``
    when a global operation (squeeze-and-excitation, for one) comes before it.
    """
    rows = layer_receptive_fields(model)
    if not rows:
        raise ValueError(f"{type(model).__name__} has no conv or pooling layer, so it has no receptive field")
    return rows[-1].size


class _StopForward(Exception):
    """Raised by a hook to end the forward pass once the feature map is captured."""


def _prepare_for_measurement(model: nn.Module) -> nn.Module:
    """Return a copy of ``model`` whose input gradient is non-zero wherever a unit can see.

    Max pooling passes the gradient to one pixel per window, and ReLU blocks it
    where the input is negative, either of which would hide part of the field.
    So: max pools become average pools of the same window, conv weights become
    positive, biases zero, and batch norm and dropout are put into eval mode.
    With a positive input every activation is then positive.
    """
    probe = copy.deepcopy(model).float().eval()
    for module in list(probe.modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.MaxPool2d):
                setattr(module, child_name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                                         ceil_mode=child.ceil_mode))
    with torch.no_grad():
        for parameter_name, parameter in probe.named_parameters():
            if parameter.ndim >= 2:
                parameter.fill_(1.0 / parameter[0].numel())
            else:
                # Scales (norm weights, per-channel gains, activation slopes) become 1.
                parameter.fill_(0.0 if parameter_name.endswith("bias") else 1.0)
        for module in probe.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm) and module.running_mean is not None:
                module.running_mean.zero_()
                module.running_var.fill_(1.0)
    return probe


def empirical_receptive_field(model: nn.Module, in_channels: int, image_size: int) -> tuple[int, int]:
    """Measure (height, width) of the input region that one centre unit of the last conv layer sees.

    "Last conv layer" is the last row of `layer_receptive_fields`, so both
    methods look at the same tensor. The function backpropagates from the
    centre unit of that layer's output and counts the rows and columns where
    the input gradient is non-zero. ``image_size`` must leave room for the
    whole field, or the image border cuts it.
    """
    rows = layer_receptive_fields(model)
    if not rows:
        raise ValueError(f"{type(model).__name__} has no conv or pooling layer, so it has no receptive field")
    probe = _prepare_for_measurement(model)
    # Max pools were swapped for average pools under the same names, so the name still resolves.
    last_layer = probe.get_submodule(rows[-1].layer)
    captured = {}

    def capture(module, inputs, output):
        captured["features"] = output
        raise _StopForward

    handle = last_layer.register_forward_hook(capture)
    image = torch.ones(1, in_channels, image_size, image_size, dtype=torch.float64, requires_grad=True)
    try:
        probe.double()(image)
    except _StopForward:
        pass
    finally:
        handle.remove()
    features = captured["features"]
    height, width = features.shape[-2:]
    features[0, :, height // 2, width // 2].sum().backward()
    seen = image.grad[0].abs().sum(dim=0) > 0
    rows_seen = torch.nonzero(seen.any(dim=1)).flatten()
    cols_seen = torch.nonzero(seen.any(dim=0)).flatten()
    return int(rows_seen.max() - rows_seen.min() + 1), int(cols_seen.max() - cols_seen.min() + 1)
