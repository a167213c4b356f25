"""Feature maps: the activations of chosen layers for given images, read through forward hooks.

Hooks live only for the duration of one call and are removed in a ``finally``
block, so the model is left as it was even when the forward pass raises.
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn


class FeatureMapExtractor:
    """Record the outputs of every layer of ``layer_types`` during one forward pass.

    ``extractor(images)`` returns ``{layer name: tensor (N, C, H, W)}`` in the
    order the layers ran, each detached, float32, contiguous and on the CPU;
    the same dict stays in ``extractor.maps`` until the next call replaces it
    (a call that raises leaves it empty).
    The model runs in eval mode without autograd, and its train/eval mode is
    restored afterwards.

    Args:
        model: the network to read.
        layer_types: module classes whose outputs are recorded.
        layers: names of the modules to record (as in ``model.named_modules()``);
            when given, ``layer_types`` is ignored.
    """

    def __init__(self, model: nn.Module, layer_types: tuple[type[nn.Module], ...] = (nn.Conv2d,),
                 layers: Sequence[str] | None = None):
        self.model = model
        modules = dict(model.named_modules())
        if layers is None:
            self.layer_names = [name for name, module in modules.items() if isinstance(module, layer_types)]
        else:
            unknown = [name for name in layers if name not in modules]
            if unknown:
                raise KeyError(f"no layers named {unknown} in {type(model).__name__}; "
                               f"known: {', '.join(name for name in modules if name)}")
            self.layer_names = list(layers)
        if not self.layer_names:
            raise ValueError(f"{type(model).__name__} has no layers of types {layer_types}")
        self.maps: dict[str, torch.Tensor] = {}

    def __call__(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """Run ``images`` (N, C, H, W, already normalised) through the model and return the recorded maps."""
        if images.ndim != 4:
            raise ValueError(f"images must have shape (N, C, H, W), got {tuple(images.shape)}")
        self.maps = {}  # a failed call leaves no maps, not the previous call's
        recorded: dict[str, torch.Tensor] = {}
        modules = dict(self.model.named_modules())
        handles = []

        def hook_for(name: str):
            def hook(module, inputs, output):
                # A copy, because an in-place op later in the pass could change the output tensor.
                recorded[name] = output.detach().to("cpu", torch.float32, copy=True).contiguous()
            return hook

        parameter = next(self.model.parameters(), None)
        device = parameter.device if parameter is not None else torch.device("cpu")
        was_training = self.model.training
        try:
            for name in self.layer_names:
                handles.append(modules[name].register_forward_hook(hook_for(name)))
            self.model.eval()
            with torch.no_grad():
                self.model(images.to(device))
        finally:
            for handle in handles:
                handle.remove()
            self.model.train(was_training)
        self.maps = {name: recorded[name] for name in self.layer_names if name in recorded}
        return self.maps


def first_layer(model: nn.Module) -> tuple[str, nn.Conv2d]:
    """Return (name, module) of the first 2-D convolution in ``model``."""
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            return name, module
    raise ValueError(f"{type(model).__name__} has no Conv2d layer")


def count_registered_hooks(model: nn.Module) -> int:
    """Return how many forward and forward-pre hooks are registered on ``model`` and its submodules."""
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())
