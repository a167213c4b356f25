"""FLOPs counted by ``torch.utils.flop_counter.FlopCounterMode``, not estimated from layer shapes.

The counter records the aten operations that run (matrix multiplies and
convolutions, two FLOPs per multiply-add), including those inside custom
autograd Functions. Elementwise operations, pooling and normalisation count zero.
"""

from __future__ import annotations

import copy
import numbers
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from .text import tr


def count_flops(model: nn.Module, input_shape: Sequence[int]) -> int:
    """Return the forward FLOPs of ``model`` on one image of ``input_shape`` (C, H, W).

    Runs in eval mode without autograd on the model's device and dtype; the
    model's train/eval mode is restored after.
    """
    shape = tuple(input_shape) if isinstance(input_shape, Sequence) else ()
    if len(shape) != 3 or not all(isinstance(size, numbers.Integral) and size > 0 for size in shape):
        raise ValueError(tr("layers.error.bad_input_shape", value=input_shape))
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    dtype = parameter.dtype if parameter is not None else torch.float32
    x = torch.zeros((1, *shape), device=device, dtype=dtype)

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(x)
    finally:
        model.train(was_training)
    return counter.get_total_flops()


def count_training_flops(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> int:
    """Return the FLOPs of one forward and backward pass of the cross-entropy on (x, y).

    Counts on a copy in train mode, so ``model`` keeps its gradients and
    BatchNorm statistics.
    """
    probe = copy.deepcopy(model)
    probe.train()
    with FlopCounterMode(display=False) as counter:
        F.cross_entropy(probe(x), y).backward()
    return counter.get_total_flops()
