"""Model definitions and the registry that builds them by name."""

from . import cnn, fc, resnet  # noqa: F401  (importing registers the factories)
from .blocks import BasicBlock, conv1x1, conv3x3
from .cnn import SimpleCNN
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
from .resnet import ResCNN

__all__ = [
    "BasicBlock",
    "FCNet",
    "ModelEntry",
    "ModelSpec",
    "ResCNN",
    "SimpleCNN",
    "as_spec",
    "build_for_dataset",
    "build_model",
    "conv1x1",
    "conv3x3",
    "get_entry",
    "model_names",
    "register_model",
]
