"""Per-layer statistics taken from a model during training.

NOTE: gradient statistics read ``parameter.grad`` after ``backward()`` rather
than registering backward hooks: the values are the same, and nothing is left
registered on the model.
"""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def gradient_stats(model: nn.Module, include_bias: bool = False) -> list[dict]:
    """Return mean and max |grad| of each parameter that received a gradient.

    Parameters whose ``grad`` is None (frozen, or unused by ``forward``) are left
    out, so the result lists exactly the parameters that took part in the last
    backward pass. One-dimensional parameters (biases, norm scales) are left out
    unless ``include_bias`` is set, because their gradients follow a different
    scale from the weight matrices and would dominate the picture.
    """
    stats = []
    for name, parameter in model.named_parameters():
        if parameter.grad is None:
            continue
        if parameter.ndim <= 1 and not include_bias:
            continue
        magnitude = parameter.grad.detach().abs().float()
        stats.append(
            {
                "layer": name,
                "mean_abs_grad": magnitude.mean().item(),
                "max_abs_grad": magnitude.max().item(),
                "grad_norm": torch.linalg.vector_norm(magnitude).item(),
                "numel": parameter.numel(),
                "ndim": parameter.ndim,
            }
        )
    return stats
