"""Model definitions and the registry that builds them by name."""

from . import cnn, families, fc, resnet  # noqa: F401  (importing registers the factories)
from . import custom  # noqa: F401  (imported last, so model_names() lists the earlier models first)
from .blocks import BasicBlock, conv1x1, conv3x3
from .cnn import SimpleCNN
from .custom import AttentionCNN
from .fc import FCNet
from .registry import (
    ModelEntry,
    ModelSpec,
    as_spec,
    build_for_dataset,
    build_model,
    get_entry,
    model_names,
    register_model,
)
from .resblocks import Bottleneck, WideBlock
from .resnet import ResCNN

__all__ = [
    "AttentionCNN",
    "BasicBlock",
    "Bottleneck",
    "FCNet",
    "ModelEntry",
    "ModelSpec",
    "ResCNN",
    "SimpleCNN",
    "WideBlock",
    "as_spec",
    "build_for_dataset",
    "build_model",
    "conv1x1",
    "conv3x3",
    "get_entry",
    "model_names",
    "register_model",
]
